"""Conversions and profile checks on real-world ONIX files (../shared/real-onix; skipped when absent)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from lxml import etree

from onixfeed import onix, profile, transform
from onixfeed.validate.checks import MessageInfo
from onixfeed.validate.requirements import ProfileRequirements

SHARED = Path(__file__).resolve().parents[2] / "shared" / "real-onix"
PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)


def entries(valid_only: bool) -> list[dict]:
    if not (SHARED / "manifest.json").is_file():
        return []
    found = json.loads((SHARED / "manifest.json").read_text())
    return [e for e in found if e.get("validated_as") in ("3.0", "3.1") and e.get("well_formed_lxml")
            and (e.get("xsd_valid") or not valid_only)]


@pytest.fixture(scope="module")
def real_files():
    if not entries(False):
        pytest.skip("../shared/real-onix is not available")


def plain_products(root: etree._Element, release: str, tags: str) -> list[etree._Element]:
    mapping = onix.short_to_reference(release) if tags == "short" else {}
    products = []
    for node in root.iter():
        if isinstance(node.tag, str) and mapping.get(onix.local_name(node.tag), onix.local_name(node.tag)) == "Product":
            product = etree.fromstring(etree.tostring(node))
            for child in product.iter():
                if isinstance(child.tag, str):
                    name = onix.local_name(child.tag)
                    child.tag = mapping.get(name, name)
            etree.cleanup_namespaces(product)
            products.append(product)
    return products


def test_reference_and_short_tags_round_trip_on_every_valid_real_file(real_files):
    for entry in entries(valid_only=True):
        root = etree.parse(str(SHARED / entry["file"]), PARSER).getroot()
        release, tags = entry["validated_as"], entry["tags"]
        other = "short" if tags == "reference" else "reference"
        once = transform.convert_message(root, release, tags)
        back = transform.convert_message(transform.convert_message(once, release, other), release, tags)
        assert etree.tostring(back, method="c14n") == etree.tostring(once, method="c14n"), entry["file"]


def test_3_1_output_is_valid_or_a_clear_conversion_error(real_files):
    converted = refused = 0
    for entry in entries(valid_only=True):
        if entry["validated_as"] != "3.0":
            continue
        root = etree.parse(str(SHARED / entry["file"]), PARSER).getroot()
        for product in plain_products(root, "3.0", entry["tags"]):
            try:
                transform.serialize_product(product, "3.1", "reference")  # checks the product against the 3.1 XSD
                converted += 1
            except transform.ConversionError as exc:
                assert (product.findtext("RecordReference") or "") in str(exc)
                refused += 1
    assert converted > 10 and refused > 0


def test_every_profile_survives_every_real_product(real_files):
    checks = [ProfileRequirements.from_profile(profile.load(name)) for name in profile.available()]
    for entry in entries(valid_only=False):
        root = etree.parse(str(SHARED / entry["file"]), PARSER).getroot()
        info = MessageInfo(file=entry["file"], release=entry["validated_as"], tags=entry["tags"])
        for product in plain_products(root, entry["validated_as"], entry["tags"]):
            for check in checks:
                findings, _ = check.product(product, info)
                assert all(f.rule.startswith("PF") and f.message.startswith(check.profile) for f in findings)
