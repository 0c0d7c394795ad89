"""The rules' tables agree with what EDItEUR's strict schema asserts (skipped without ../shared)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from lxml import etree

from onixfeed.validate.rules import dates, textformats
from onixfeed.validate.rules.pd002_product_form_detail_mismatch import GROUPS

XS = "{http://www.w3.org/2001/XMLSchema}"


@pytest.fixture(scope="module")
def assertions() -> list[tuple[str, str]]:
    """(name of the element an assertion sits on, its test) for every assertion of the 3.0 strict schema."""
    path = Path(__file__).resolve().parents[3] / "shared" / "editeur" / "ONIX_BookProduct_3.0_reference_strict.xsd"
    if not path.is_file():
        pytest.skip(f"{path} not present")
    found = []
    for assertion in etree.parse(str(path)).getroot().iter(f"{XS}assert"):
        owner = assertion.getparent()
        while owner is not None and not owner.get("name"):
            owner = owner.getparent()
        found.append((owner.get("name") if owner is not None else "", assertion.get("test")))
    return found


def test_date_elements_and_default_formats_match(assertions):
    defaults = {}
    for owner, test in assertions:
        if "or the default" in test:
            defaults[owner] = re.search(r"dateformat (?:ne|eq) '(\d\d)'", test).group(1)
    assert defaults == {**dates.WITH_DATE_CHILD, **dates.DIRECT}


def test_textformat_elements_match(assertions):
    owners = {owner for owner, test in assertions if "XHTML markup requires textformat attribute 05" in test}
    assert owners == set(textformats.formatted_elements())


def test_product_form_detail_groups_match(assertions):
    expected = []
    for owner, test in assertions:
        if owner == "DescriptiveDetail" and "can only be used with" in test:
            codes = re.search(r"ProductFormDetail\[(?:matches\(\., '\^\(([^)]*)\)\$'\)|\. eq '(\w+)')\]", test)
            expected.append(frozenset((codes.group(1) or codes.group(2)).split("|")))
    assert sorted(map(sorted, expected)) == sorted(sorted(codes) for codes, _, _ in GROUPS)


def _checked_in(assertions, scheme: str) -> set[str]:
    """Composites on which the strict schema asserts a scheme's check digit."""
    pattern = re.compile(rf"\(: IDValue must be a valid {re.escape(scheme)} \((?:check digit error|invalid digit)\)\s*:\)")
    return {owner for owner, test in assertions if pattern.search(test)}


@pytest.mark.parametrize("module, schemes", [
    ("id001_isbn13_invalid", ["ISBN-13"]),
    ("id002_isbn10_invalid", ["ISBN-10"]),
    ("id003_gtin_invalid", ["GTIN-13", "GTIN-14", "UPC-12", "UPC-12+5"]),
    ("id004_ismn_invalid", ["ISMN-13", "ISMN-10"]),
    ("id005_gln_invalid", ["GLN"]),
    ("id006_san_invalid", ["SAN"]),
    ("id007_isni_invalid", ["ISNI"]),
    ("id008_orcid_invalid", ["ORCID"]),
])
def test_check_digit_rules_look_only_where_the_strict_schema_does(assertions, module, schemes):
    import importlib

    rule = importlib.import_module(f"onixfeed.validate.rules.{module}")
    where = set().union(*(_checked_in(assertions, scheme) for scheme in schemes))
    assert where and set(rule.TYPES) <= where


def test_repeated_identifier_pairs_match(assertions):
    from onixfeed.validate.rules.id013_identifier_repeated import PAIRS

    pattern = re.compile(r"\(: Repeats of (\w+Identifier) must each have a unique combination")
    expected = {(owner, match.group(1)) for owner, test in assertions for match in [pattern.search(test)] if match}
    assert PAIRS == expected


def test_legacy_identifier_parents_match(assertions):
    from onixfeed.validate.rules.identifiers import SIBLING_PARENTS

    for scheme in ("ISBN-10", "ISMN-10"):
        text = f"Any {scheme} must be accompanied by a repeat of ProductIdentifier"
        assert {owner for owner, test in assertions if text in test} == SIBLING_PARENTS
