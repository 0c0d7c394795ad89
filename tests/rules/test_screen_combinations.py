"""The date, product form and best-practice screens on products built from their rules' ingredients:
statuses, roles, formats and values combined at random (a role given twice, a date without Date, a
form detail away from its form, stray composites in odd parents). With the screens, every product
gets exactly the findings it gets when each of the families' rules runs on it."""

from __future__ import annotations

import random

import pytest
from lxml import etree

from onixfeed.validate.checks import MessageInfo
from onixfeed.validate.rules import RuleChecks, registry
from rule_cases import TODAY

INFO = MessageInfo(file="combinations.xml", release="3.0", tags="reference", default_currency=None)
FAMILIES = ("DT", "PD", "BP")

DATES = ["20250101", "20260615", "20260614", "20260616", "20270616", "20270617", "2026", "202606", "20250230",
         "", " 20260701 ", "2024010120241231", "2024123120240101", "20260615T1200Z", "20260615T1200+0100", "x"]
FORMATS = [None, None, None, "00", "05", "06", "13", " 00", "12"]
ROLES = ["01", "01", "02", "02", "11", "", None, " 01"]
STATUSES = ["01", "02", "03", "04", "04", "", None, " 02"]
FORMS = ["BC", "BB", "ED", "EA", "AJ", "LC", "PC", "", " BC ", "XE1"]
DETAILS = ["B105", "B104", "B101", "B121", "B106", "B116", "B115", "E101", "A103", "P105", " B105", ""]
MEASURES = [("01", "mm", "197"), ("02", "mm", "129"), ("01", "mm", "210"), ("02", "cm", "12.9"),
            ("02", "in", "4.25"), ("02", "in", "4.5"), ("01", "mm", "abc"), ("03", "gr", "300"), ("", "", "")]
REFERENCES = ["com.example.1", "9780306406157", "978-0-306-40615-7", "030640615X", "123456789", "1234567890123"]


def _add(parent: etree._Element, tag: str, text: str | None = None) -> etree._Element:
    element = etree.SubElement(parent, tag)
    element.text = text
    return element


def _dated(rng: random.Random, parent: etree._Element, tag: str, roles: list) -> None:
    """A date composite: a role (sometimes two, sometimes none), a Date (sometimes none), a format."""
    composite = _add(parent, tag)
    for _ in range(rng.choice([0, 1, 1, 1, 2])):
        _add(composite, tag + "Role", rng.choice([role for role in roles if role is not None]))
    if rng.random() < 0.1:
        _add(composite, "DateFormat", rng.choice(["00", "05", "06"]))
    if rng.random() < 0.93:
        date = _add(composite, "Date", rng.choice(DATES))
        fmt = rng.choice(FORMATS)
        if fmt is not None:
            date.set("dateformat", fmt)


def _form_holder(rng: random.Random, parent: etree._Element, tag: str) -> etree._Element:
    holder = _add(parent, tag)
    for _ in range(rng.choice([0, 1, 1, 2])):
        _add(holder, "ProductForm", rng.choice(FORMS))
    for _ in range(rng.choice([0, 1, 1, 2])):
        _add(holder, "ProductFormDetail", rng.choice(DETAILS))
    for _ in range(rng.choice([0, 0, 1, 2])):
        kind, unit, value = rng.choice(MEASURES)
        measure = _add(holder, "Measure")
        _add(measure, "MeasureType", kind)
        _add(measure, "Measurement", value)
        _add(measure, "MeasureUnitCode", unit)
    if rng.random() < 0.2:
        classification = _add(holder, "ProductClassification")
        _add(classification, "ProductClassificationType", rng.choice(["07", "02", " 07"]))
        if rng.random() < 0.4:
            _add(classification, "ProductClassificationTypeName", "House")
    return holder


def _product(rng: random.Random) -> etree._Element:
    product = etree.Element("Product")
    _add(product, "RecordReference", rng.choice(REFERENCES))
    for _ in range(rng.choice([0, 1, 1, 1, 2])):
        descriptive = _form_holder(rng, product, "DescriptiveDetail")
        if rng.random() < 0.3:
            _form_holder(rng, descriptive, "ProductPart")
        for _ in range(rng.choice([0, 1, 2])):
            subject = _add(descriptive, "Subject")
            _add(subject, "SubjectSchemeIdentifier", rng.choice(["20", "20", "93", " 20"]))
            _add(subject, "SubjectHeadingText", "k" * rng.choice([10, 251]))
        for _ in range(rng.choice([0, 0, 1])):
            contributor = _add(descriptive, "Contributor")
            for _ in range(rng.choice([1, 2, 3])):
                _dated(rng, contributor, "ContributorDate", ["50", "51"])
    for _ in range(rng.choice([0, 1, 1, 1, 2])):
        detail = _add(product, "PublishingDetail")
        for _ in range(rng.choice([0, 1, 1, 1, 2])):
            _add(detail, "PublishingStatus", rng.choice([status for status in STATUSES if status is not None]))
        for _ in range(rng.choice([0, 1, 1, 2, 3])):
            _dated(rng, detail, "PublishingDate", ROLES)
        if rng.random() < 0.2:
            restriction = _add(detail, "SalesRestriction")
            for tag in ("StartDate", "EndDate"):
                if rng.random() < 0.8:
                    _add(restriction, tag, rng.choice(DATES))
    if rng.random() < 0.5:
        supply = _add(product, "ProductSupply")
        market = _add(supply, "MarketPublishingDetail")
        _add(market, "MarketPublishingStatus", rng.choice(["01", "03", "04"]))
        for _ in range(rng.choice([0, 1, 2])):
            _dated(rng, market, "MarketDate", ROLES)
        supply_detail = _add(supply, "SupplyDetail")
        for _ in range(rng.choice([0, 1, 2])):
            _dated(rng, supply_detail, "SupplyDate", ["08", "02"])
        if rng.random() < 0.5:
            _add(supply_detail, "PackQuantity", "10")
        price = _add(supply_detail, "Price")
        for _ in range(rng.choice([0, 1, 2])):
            _dated(rng, price, "PriceDate", ["14", "15"])
    if rng.random() < 0.1:  # a composite where the schema has none: the rules still read it
        stray = _add(product, rng.choice(["CollateralDetail", "PublishingDetail", "RelatedMaterial"]))
        _dated(rng, _add(stray, rng.choice(["TextContent", "PublishingDetail"])), rng.choice(
            ["PublishingDate", "ContentDate", "MarketDate"]), ROLES + ["14", "15"])
    # shuffled children: the rules read first children, the screens the index in document order
    for parent in product.iter():
        if len(parent) > 1 and rng.random() < 0.2:
            children = list(parent)
            rng.shuffle(children)
            parent[:] = children
    return etree.fromstring(etree.tostring(product))  # source lines, as a parsed file has


def _findings(checks: RuleChecks, product: etree._Element) -> list[tuple]:
    found, _ = checks.product(product, INFO)
    return [(f.rule, f.line, f.xpath, f.message, f.record) for f in found]


@pytest.mark.parametrize("seed", [1, 2])
def test_screens_keep_every_finding_of_their_families(seed):
    codes = {rule.code: "error" for rule in registry() if rule.code.startswith(FAMILIES)}
    screened = RuleChecks.from_mapping(codes, today=TODAY, screens=True)
    every = RuleChecks.from_mapping(codes, today=TODAY, screens=False)
    rng = random.Random(seed)
    fired: set[str] = set()
    for _ in range(1500):
        product = _product(rng)
        expected = _findings(every, product)
        fired.update(finding[0] for finding in expected)
        assert _findings(screened, product) == expected, etree.tostring(product, encoding="unicode")
    # the products reach every product rule of the three families, so each screen is put to the test
    assert fired >= {rule.code for rule in registry() if rule.code.startswith(FAMILIES) and rule.scope == "product"}
