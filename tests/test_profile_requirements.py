"""Each built-in profile's requirements: the example feed passes, each broken case fails with its code."""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree

from onixfeed import profile
from onixfeed.findings import Severity
from onixfeed.validate.checks import MessageInfo
from onixfeed.validate.requirements import ProfileRequirements

EXAMPLE = Path(__file__).resolve().parent / "fixtures" / "profiles" / "ebook-good.xml"
MESSAGE = MessageInfo(file="feed.xml", release="3.0", tags="reference")


def parsed(path: Path = EXAMPLE) -> etree._Element:
    """The message with namespaces removed, as the engine hands elements to checks."""
    root = etree.parse(str(path)).getroot()
    for element in root.iter():
        if isinstance(element.tag, str):
            element.tag = etree.QName(element).localname
    etree.cleanup_namespaces(root)
    return root


def run(profile_name: str, root: etree._Element) -> list:
    checks = ProfileRequirements.from_profile(profile.load(profile_name))
    found = list(checks.header(root.find("Header"), MESSAGE))
    for product in root.findall("Product"):
        found.extend(checks.product(product, MESSAGE)[0])
    return found


@pytest.mark.parametrize("name", sorted(profile.available()))
def test_the_example_feed_passes_every_built_in_profile(name):
    assert run(name, parsed()) == []


def remove(path):
    def change(root):
        for node in root.xpath(path):
            node.getparent().remove(node)
    return change


def set_text(path, value):
    def change(root):
        for node in root.xpath(path):
            node.text = value
    return change


def add_copy(path):
    def change(root):
        node = root.xpath(path)[0]
        node.addnext(etree.fromstring(etree.tostring(node)))
    return change


P = "Product/"
CASES = [
    ("google-play-books", "no-sender-name", remove("Header/Sender/SenderName"), {"PF001"}),
    ("google-play-books", "sent-date-only", set_text("Header/SentDateTime", "20260115"), {"PF005"}),
    ("google-play-books", "block-update", set_text(P + "NotificationType", "04"), {"PF003"}),
    ("google-play-books", "no-isbn", remove(P + "ProductIdentifier[ProductIDType='15']"), {"PF001"}),
    ("google-play-books", "print-form", set_text(P + "DescriptiveDetail/ProductForm", "BC"), {"PF003"}),
    ("google-play-books", "no-author", set_text(P + "DescriptiveDetail/Contributor/ContributorRole", "B01"), {"PF001"}),
    ("google-play-books", "no-publication-date", remove(P + "PublishingDetail/PublishingDate"), {"PF001"}),
    ("google-play-books", "no-sales-rights", remove(P + "PublishingDetail/SalesRights"), {"PF001"}),
    ("google-play-books", "no-market", remove(P + "ProductSupply/Market"), {"PF001"}),
    ("google-play-books", "no-price", remove(P + "ProductSupply/SupplyDetail/Price"), {"PF001"}),
    ("google-play-books", "thema-only",
     set_text(P + "DescriptiveDetail/Subject/SubjectSchemeIdentifier", "93"), {"PF001"}),
    ("kobo", "no-gtin", remove(P + "ProductIdentifier[ProductIDType='03']"), {"PF001"}),
    ("kobo", "hyphenated-isbn", set_text(P + "ProductIdentifier[ProductIDType='15']/IDValue", "978-0-306-40615-7"),
     {"PF005"}),
    ("kobo", "long-title", set_text(P + "DescriptiveDetail/TitleDetail/TitleElement/TitleText", "x" * 251), {"PF004"}),
    ("kobo", "two-languages", add_copy(P + "DescriptiveDetail/Language"), {"PF002"}),
    ("kobo", "sales-rights-type-04", set_text(P + "PublishingDetail/SalesRights/SalesRightsType", "04"), {"PF003"}),
    ("kobo", "us-price-including-tax", set_text(P + "ProductSupply/SupplyDetail/Price[CurrencyCode='USD']/PriceType", "02"),
     {"PF003"}),
    ("kobo", "eu-price-excluding-tax", set_text(P + "ProductSupply/SupplyDetail/Price[CurrencyCode='EUR']/PriceType", "01"),
     {"PF003"}),
    ("kobo", "free-as-0-000", set_text(P + "ProductSupply/SupplyDetail/Price[CurrencyCode='USD']/PriceAmount", "0.000"),
     {"PF005"}),
    ("kobo", "no-availability", remove(P + "ProductSupply/SupplyDetail/ProductAvailability"), {"PF001"}),
    ("kobo", "out-of-print", set_text(P + "PublishingDetail/PublishingStatus", "07"), {"PF003"}),
    ("vlb", "german-price-without-tax", remove(P + "ProductSupply/SupplyDetail/Price/Tax"), {"PF002"}),
]


@pytest.mark.parametrize("name,case,change,codes", CASES, ids=[f"{c[0]}-{c[1]}" for c in CASES])
def test_a_broken_feed_fails_with_the_expected_code(name, case, change, codes):
    root = parsed()
    change(root)
    found = run(name, root)
    assert {f.rule for f in found} == codes
    assert all(f.message.startswith(f"{name}: ") for f in found)


def test_findings_name_the_requirement_record_and_line():
    root = parsed()
    remove(P + "ProductIdentifier[ProductIDType='15']")(root)
    (finding,) = run("google-play-books", root)
    assert finding.name == "isbn-13"
    assert finding.record == "example.com-9780306406157"
    assert finding.severity is Severity.ERROR
    assert finding.line == root.find("Product").sourceline


def test_a_warning_requirement_keeps_its_severity():
    root = parsed()
    set_text(P + "PublishingDetail/PublishingStatus", "07")(root)
    (finding,) = run("kobo", root)
    assert (finding.rule, finding.severity) == ("PF003", Severity.WARNING)


def test_requirements_are_picklable_for_worker_processes():
    import pickle

    checks = ProfileRequirements.from_profile(profile.load("kobo"))
    assert pickle.loads(pickle.dumps(checks)) == checks


def test_a_condition_limits_a_requirement_to_the_products_it_names(tmp_path):
    path = tmp_path / "audio-shop.yaml"
    path.write_text(
        "extends: onix-3.0\nrequire:\n"
        "  - id: audio-needs-duration\n"
        "    path: \"DescriptiveDetail/Extent[ExtentType='09']\"\n"
        "    when: \"DescriptiveDetail/ProductForm = 'AJ'\"\n"
        "    message: a downloadable audio file needs its duration\n"
        "    source: test\n")
    checks = ProfileRequirements.from_profile(profile.load(path))
    root = parsed()
    assert checks.product(root.find("Product"), MESSAGE)[0] == []  # an e-book: the condition is false
    set_text(P + "DescriptiveDetail/ProductForm", "AJ")(root)
    assert [f.rule for f in checks.product(root.find("Product"), MESSAGE)[0]] == ["PF001"]
