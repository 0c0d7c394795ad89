"""Recipient transforms: scope, drops, code maps, identifiers, notification type, deletion, 3.1 and short tags."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest
from lxml import etree

from onixfeed import profile, schemas, transform
from onixfeed.transform import ConversionError

EXAMPLE = Path(__file__).resolve().parent / "fixtures" / "profiles" / "ebook-good.xml"
TODAY = datetime.date(2026, 1, 1)


def example_product() -> etree._Element:
    root = etree.parse(str(EXAMPLE)).getroot()
    for node in root.iter():
        node.tag = etree.QName(node).localname
    return root.find("Product")


def custom(tmp_path: Path, text: str, base: str = "onix-3.0"):
    path = tmp_path / "shop.yaml"
    path.write_text(f"extends: {base}\n{text}")
    return profile.load(path)


def test_reference_to_short_to_reference_gives_back_the_same_document():
    root = etree.parse(str(EXAMPLE)).getroot()
    short = transform.convert_message(root, "3.0", "short")
    back = transform.convert_message(short, "3.0", "reference")
    assert etree.tostring(back, method="c14n") == etree.tostring(root, method="c14n")


@pytest.mark.parametrize("release,tags", [("3.0", "short"), ("3.1", "reference"), ("3.1", "short")])
def test_converted_messages_pass_the_official_schema(release, tags):
    converted = transform.convert_message(etree.parse(str(EXAMPLE)).getroot(), release, tags)
    reparsed = etree.fromstring(etree.tostring(converted))
    assert schemas.load_schema(release, tags).validate(reparsed)
    assert reparsed.get("release") == release


def test_an_element_removed_in_3_1_fails_clearly_instead_of_emitting_invalid_3_1():
    assert {"AudienceCode", "Conference", "ReissueDate"} <= transform.removed_in("3.1")
    product = example_product()
    audience = etree.SubElement(product.find("DescriptiveDetail"), "AudienceCode")
    audience.text = "01"
    with pytest.raises(ConversionError) as caught:
        transform.serialize_product(product, "3.1", "reference")
    assert "AudienceCode" in str(caught.value) and "example.com-9780306406157" in str(caught.value)
    assert transform.serialize_product(product, "3.0", "reference")  # fine in 3.0


def test_drop_map_and_choose_identifiers(tmp_path):
    loaded = custom(tmp_path, """transforms:
  drop: [DescriptiveDetail/Subject]
  map_codes:
    - {path: DescriptiveDetail/ProductForm, from: ED, to: EA}
  identifiers: ["15"]
""")
    product = transform.apply_transforms(example_product(), loaded, TODAY)
    assert product.find("DescriptiveDetail/Subject") is None
    assert product.findtext("DescriptiveDetail/ProductForm") == "EA"
    assert [i.findtext("ProductIDType") for i in product.findall("ProductIdentifier")] == ["15"]


def test_the_original_product_is_left_untouched(tmp_path):
    loaded = custom(tmp_path, "transforms:\n  drop: [DescriptiveDetail]\n")
    original = example_product()
    transform.apply_transforms(original, loaded, TODAY)
    assert original.find("DescriptiveDetail") is not None


def test_kobo_gets_a_gtin_beside_the_isbn():
    product = example_product()
    product.remove(product.xpath("ProductIdentifier[ProductIDType='03']")[0])
    changed = transform.apply_transforms(product, profile.load("kobo"), TODAY)
    types = [(i.findtext("ProductIDType"), i.findtext("IDValue")) for i in changed.findall("ProductIdentifier")]
    assert types == [("15", "9780306406157"), ("03", "9780306406157")]


@pytest.mark.parametrize("published,expected", [
    ("20260701", "01"),  # 181 days ahead: early notification
    ("20260630", "02"),  # 180 days ahead: advance notification
    ("20260102", "02"),
    ("20260101", "03"),  # on the day: confirmed on publication
    ("2025", "03"),
])
def test_notification_type_follows_the_publication_date(published, expected):
    product = example_product()
    product.find("PublishingDetail/PublishingDate/Date").text = published
    changed = transform.apply_transforms(product, profile.load("onix-3.0"), TODAY)
    assert changed.findtext("NotificationType") == expected


def test_a_block_update_or_deletion_keeps_its_notification_type():
    for kept in ("04", "05"):
        product = example_product()
        product.find("NotificationType").text = kept
        product.find("PublishingDetail/PublishingDate/Date").text = "20300101"
        assert transform.apply_transforms(product, profile.load("onix-3.0"), TODAY).findtext("NotificationType") == kept


def test_withdrawal_follows_the_deletion_policy():
    google = transform.withdraw(example_product(), profile.load("google-play-books"))
    assert google.findtext("NotificationType") == "05"
    kobo = transform.withdraw(example_product(), profile.load("kobo"))
    assert (kobo.findtext("NotificationType"), kobo.findtext("PublishingDetail/PublishingStatus")) == ("03", "08")
    base = transform.withdraw(example_product(), profile.load("onix-3.0"))
    assert (base.findtext("NotificationType"), base.findtext("PublishingDetail/PublishingStatus")) == ("03", "07")


def test_scope_by_product_form_status_and_market(tmp_path):
    product = example_product()
    assert transform.in_scope(product, profile.load("google-play-books"))
    product.find("DescriptiveDetail/ProductForm").text = "BC"
    assert not transform.in_scope(product, profile.load("google-play-books"))
    german = custom(tmp_path, "scope:\n  countries: [DE]\n  publishing_statuses: ['04']\n")
    assert transform.in_scope(example_product(), german)  # WORLD market includes Germany
    narrow = example_product()
    narrow.find("ProductSupply/Market/Territory/RegionsIncluded").tag = "CountriesIncluded"
    narrow.find("ProductSupply/Market/Territory/CountriesIncluded").text = "US CA"
    assert not transform.in_scope(narrow, german)
    inactive = example_product()
    inactive.find("PublishingDetail/PublishingStatus").text = "07"
    assert not transform.in_scope(inactive, german)
