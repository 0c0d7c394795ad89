"""Every built-in profile: its example feed (in its release and tag style) passes the official XSD,
the native rules at its severities and its requirements; a broken ISBN fails under every profile."""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree

from onixfeed import onix, profile, schemas, transform
from onixfeed.findings import Severity
from onixfeed.validate.checks import MessageInfo
from onixfeed.validate.requirements import profile_checks

EXAMPLE = Path(__file__).resolve().parent / "fixtures" / "profiles" / "ebook-good.xml"
BUILT_IN = sorted(path.stem for path in profile.BUILTIN_DIR.glob("*.yaml"))


def example_for(name: str, isbn: str | None = None) -> tuple[etree._Element, MessageInfo]:
    """The example message as this profile sends it, and the same as checks see it (reference, no namespace)."""
    loaded = profile.load(name)
    root = etree.parse(str(EXAMPLE)).getroot()
    if isbn:
        for value in root.iterfind(".//{*}ProductIdentifier/{*}IDValue"):
            value.text = isbn
    sent = transform.convert_message(root, loaded.release, loaded.tags)
    assert schemas.load_schema(loaded.release, loaded.tags).validate(etree.fromstring(etree.tostring(sent)))
    plain = transform.convert_message(sent, loaded.release, "reference")
    for node in plain.iter():
        node.tag = onix.local_name(node.tag)
    return plain, MessageInfo("example.xml", loaded.release, loaded.tags)


def findings(name: str, root: etree._Element, info: MessageInfo) -> list:
    checks = profile_checks(name)
    found = list(checks.header(root.find("Header"), info))
    for product in root.iterfind("Product"):
        found.extend(checks.product(product, info)[0])
    return found


@pytest.mark.parametrize("name", BUILT_IN)
def test_the_example_feed_passes(name):
    root, info = example_for(name)
    assert findings(name, root, info) == []


@pytest.mark.parametrize("name", BUILT_IN)
def test_a_wrong_isbn_check_digit_fails_under_every_profile(name):
    root, info = example_for(name, isbn="9780306406158")
    found = {(f.rule, f.severity) for f in findings(name, root, info)}
    assert ("ID001", Severity.ERROR) in found
