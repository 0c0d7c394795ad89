"""The runner's ways out are sound: a rule's NEEDS never hides a finding, and the XSD facts hold."""

from __future__ import annotations

import pytest
from lxml import etree

from onixfeed.validate.checks import MessageInfo
from onixfeed.validate.rules import Context, registry, structure
from rule_cases import TODAY, load_cases
from test_rules_meta import junk_products

WITH_NEEDS = [rule for rule in registry() if rule.needs is not None]
INFO = MessageInfo(file="needs.xml", release="3.0", tags="reference")


def _products() -> list[etree._Element]:
    cases = [etree.fromstring(case.xml.encode("utf-8")) for case in load_cases() if case.kind == "product"]
    return cases + junk_products(seed=3)


PRODUCTS = _products()


def test_some_rules_declare_needs():
    assert len(WITH_NEEDS) >= 20


@pytest.mark.parametrize("rule", WITH_NEEDS, ids=[rule.code for rule in WITH_NEEDS])
def test_a_rule_finds_nothing_without_the_elements_it_needs(rule):
    # the rule's own check, called directly: where the product holds none of NEEDS, no hit
    skipped = 0
    for product in PRODUCTS:
        context = Context(INFO, TODAY)
        if not context.index(product).keys().isdisjoint(rule.needs):
            continue
        skipped += 1
        try:
            hits = list(rule.check(product, context))
        except Exception:  # a crash is the junk meta-test's concern, not this one's
            continue
        assert hits == [], (rule.code, etree.tostring(product)[:300])
    assert skipped, f"{rule.code}: no product without {sorted(rule.needs)} to try"


def test_needs_name_elements_of_the_schema():
    known = set(structure._declarations("3.0"))
    unknown = {(rule.code, name) for rule in WITH_NEEDS for name in rule.needs if name not in known}
    assert unknown == set()


@pytest.mark.parametrize("release", ["3.0", "3.1"])
def test_facts_read_from_the_official_schema(release):
    holders = structure.attribute_holders(release, "language")
    assert {"TitleText", "Text", "BiographicalNote"} <= holders
    assert not {"ProductIDType", "Price", "p"} & holders
    assert structure.above_zero(release, "PriceAmount")
    assert not structure.above_zero(release, "TaxAmount")  # a zero tax amount is valid
    assert not structure.above_zero(release, "NoSuchElement")
    assert structure.xhtml_closed(release)
    assert {"PriceType", "PriceAmount", "Tax", "Territory"} <= structure.element_children(release, "Price")
    assert structure.element_children(release, "Text") == frozenset()  # XHTML content is not ONIX

