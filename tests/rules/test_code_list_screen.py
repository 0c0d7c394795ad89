"""The code list family's screen and its fast paths: a clean product rules the family out, a
trusted MessageInfo.codes_current leaves CL001 out, and the deprecated-code scan (with its
per-name cache of clean texts) agrees with the full classification of every coded value."""

from __future__ import annotations

from dataclasses import replace

import pytest
from lxml import etree

from bench.generate import message_bytes
from onixfeed.validate.checks import MessageInfo
from onixfeed.validate.rules import Context, RuleChecks, rules_by_code
from onixfeed.validate.rules.codes import DEPRECATED, coded_problems, deprecated_codes, screen
from rule_cases import TODAY, passes_official_schema
from test_rule_screens import _case_products, _mutants
from test_rules_meta import junk_products

INFO = MessageInfo(file="codes.xml", release="3.0", tags="reference")
SCHEMA_VALID = replace(INFO, schema_checked=True, schema_valid=True)
CODES_CURRENT = replace(SCHEMA_VALID, codes_current=True)
FAMILY = {"CL001": "warning", "CL002": "warning", "CL003": "error", "CL004": "error"}

# One deprecated code in an element (list 5: ISBN-10), one in a country list (list 91: Yugoslavia),
# one in a language attribute (list 74: Moldavian).
DEPRECATED_THREE_WAYS = """<Product>
  <ProductIdentifier><ProductIDType>02</ProductIDType><IDValue>0306406152</IDValue></ProductIdentifier>
  <DescriptiveDetail><TitleDetail><TitleType>01</TitleType><TitleElement><TitleElementLevel>01</TitleElementLevel>
    <TitleText language="mol">Title</TitleText></TitleElement></TitleDetail></DescriptiveDetail>
  <ProductSupply><Market><Territory><CountriesIncluded>FR YU</CountriesIncluded></Territory></Market></ProductSupply>
</Product>"""


def _generated(count: int, seed: int) -> list[etree._Element]:
    data = message_bytes(count, seed=seed).replace(b' xmlns="http://ns.editeur.org/onix/3.0/reference"', b"")
    return list(etree.fromstring(data).iterchildren("Product"))


def test_every_rule_of_the_family_names_the_screen():
    assert {code: rules_by_code()[code].screen for code in FAMILY} == dict.fromkeys(FAMILY, screen)


@pytest.mark.parametrize("info", [INFO, SCHEMA_VALID, CODES_CURRENT],
                         ids=["unchecked", "schema-valid", "codes-current"])
def test_rich_clean_products_rule_the_family_out(info):
    # the bench's products: valid, current codes, second-order values from their lists
    for product in _generated(30, seed=4):
        assert set(screen(product, Context(info, TODAY))) == set()


def test_codes_current_leaves_cl001_out():
    product = etree.fromstring(DEPRECATED_THREE_WAYS)
    for checked, current in ((SCHEMA_VALID, CODES_CURRENT), (INFO, replace(INFO, codes_current=True))):
        assert "CL001" in screen(product, Context(checked, TODAY))
        assert "CL001" not in screen(product, Context(current, TODAY))
    for screens in (True, False):  # the rule trusts the flag as its screen does
        checks = RuleChecks.from_mapping(FAMILY, today=TODAY, screens=screens)
        assert [f.rule for f in checks.product(product, SCHEMA_VALID)[0]] == ["CL001"] * 3
        assert checks.product(product, CODES_CURRENT)[0] == []


def test_a_deprecated_code_is_found_where_the_same_name_held_clean_codes_before():
    clean = etree.fromstring("<Product><ProductIdentifier><ProductIDType>15</ProductIDType></ProductIdentifier>"
                             "<ProductSupply><Market><Territory><CountriesIncluded>FR</CountriesIncluded>"
                             "</Territory></Market></ProductSupply></Product>")
    product = etree.fromstring(DEPRECATED_THREE_WAYS)
    for _ in range(2):  # the second round meets every text in the clean-text cache or not at all
        assert deprecated_codes(clean, Context(SCHEMA_VALID, TODAY)) == []
        found = deprecated_codes(product, Context(SCHEMA_VALID, TODAY))
        assert [(where, value, number) for _, where, value, number in found] == [
            ("<ProductIDType>", "02", 5), ("<TitleText> @language", "mol", 74), ("<CountriesIncluded>", "YU", 91)]


def _classified(product: etree._Element, info: MessageInfo) -> list[tuple]:
    return list(coded_problems(product, Context(info, TODAY), DEPRECATED))


def test_deprecated_scan_agrees_with_the_full_classification():
    products = _case_products() + junk_products(seed=13) + _mutants(300, seed=21) + _generated(10, seed=2)
    for _ in range(2):  # cold, then with the clean-text cache filled by the first round
        for product in products:
            assert deprecated_codes(product, Context(INFO, TODAY)) == _classified(product, INFO), \
                etree.tostring(product)[:500]


def test_deprecated_scan_agrees_with_the_full_classification_on_schema_valid_products():
    # schema-valid: attributes are read only on the elements the schema lets carry them
    products = [product for product in _mutants(300, seed=22, values_only=True) if passes_official_schema(product)]
    assert len(products) > 50
    for _ in range(2):
        for product in products:
            assert deprecated_codes(product, Context(SCHEMA_VALID, TODAY)) == _classified(product, INFO), \
                etree.tostring(product)[:500]
