"""The text family's screen (textformats.screen): the facts it relies on (Python's white space,
NFC below U+0300, lxml's joined text) hold, and a rich, clean product runs none of TX001-TX010."""

from __future__ import annotations

import sys
import unicodedata

from lxml import etree

from bench.generate import message_bytes
from onixfeed.validate.checks import MessageInfo
from onixfeed.validate.rules import Context, textformats
from onixfeed.validate.rules import tx006_text_empty
from rule_cases import TODAY, load_cases
from test_rules_meta import junk_products

VALID = MessageInfo(file="screen.xml", release="3.0", tags="reference", schema_checked=True, schema_valid=True)


def test_str_isspace_is_the_white_space_of_tx006():
    # the screen asks `not text.isspace()` where TX006 asks its regex for \S: they must agree on
    # every character, or the screen could keep TX006 off a text it reports
    visible = tx006_text_empty._VISIBLE.search
    disagree = [code for code in range(sys.maxunicode + 1)
                if (not chr(code).isspace()) != bool(visible(chr(code)))]
    assert disagree == []


def test_a_clean_generated_product_runs_no_text_rule():
    data = message_bytes(30, seed=3).replace(b' xmlns="http://ns.editeur.org/onix/3.0/reference"', b"")
    products = list(etree.fromstring(data).iterchildren("Product"))
    assert len(products) == 30
    assert [set(textformats.screen(product, Context(VALID, TODAY))) for product in products] == [set()] * 30


def test_a_text_without_format_holding_markup_names_its_rules():
    product = etree.fromstring("<Product><CollateralDetail><TextContent><TextType>03</TextType>"
                               "<Text><p>x</p></Text></TextContent></CollateralDetail></Product>")
    assert {"TX001", "TX002"} <= set(textformats.screen(product, Context(VALID, TODAY)))


def test_text_below_u0300_is_in_nfc_as_in_nfc_assumes():
    # in_nfc() takes text encodable as Latin-1 for NFC without asking unicodedata: no such
    # character decomposes, and no pair of them composes
    latin = [chr(code) for code in range(0x100)]
    assert all(unicodedata.combining(char) == 0 and unicodedata.is_normalized("NFC", char) for char in latin)
    assert all(unicodedata.is_normalized("NFC", first + second) for first in latin for second in latin)
    assert textformats.in_nfc("caf\u00e9 \u00bfqu\u00e9?") and not textformats.in_nfc("cafe\u0301")


def test_product_text_decoded_is_xpaths_string_value():
    # product_text_in_nfc() decodes the serialised text instead of asking XPath string() (as TX005 did)
    string_value = etree.XPath("string()")
    products = [etree.fromstring(case.xml.encode("utf-8")) for case in load_cases() if case.kind == "product"]
    products += junk_products(seed=5)
    products.append(etree.fromstring("<Product><Text>caf&#xE9; <![CDATA[<b>e\u0301</b>]]><!-- not text -->"
                                     "<?pi nor this?>tail</Text></Product>"))
    for product in products:
        text = etree.tostring(product, method="text", encoding="utf-8", with_tail=False).decode("utf-8")
        assert text == string_value(product)


BAD_LINKS = ["https://example.com/a b.jpg", "https://example.com/a\n  b.jpg", "https://example.com/a\tb.jpg",
             "https://example.com/caf\u00e9.jpg", "https://example.com/a\u00a0b.jpg", "https://example.com/a\x7fb.jpg"]


def _with_link(link: str) -> etree._Element:
    data = message_bytes(1, seed=5).replace(b' xmlns="http://ns.editeur.org/onix/3.0/reference"', b"")
    product = next(etree.fromstring(data).iterchildren("Product"))
    resource = product.find("CollateralDetail/SupportingResource/ResourceVersion/ResourceLink")
    resource.text = link
    return product


def test_no_link_tx011_reports_passes_both_facts_the_screen_skips_it_on():
    # the screen leaves links alone when the text is printable ASCII (the engine's ascii_text)
    # and the schema passed the product: every link TX011 reports must fail one of the two
    from onixfeed.validate.batch_validation import ascii_text
    from rule_cases import passes_official_schema

    for link in BAD_LINKS:
        assert textformats.link_not_ascii(link)
        product = _with_link(link)
        body = etree.tostring(product, encoding="utf-8")
        assert not (ascii_text(b"<ONIXMessage>", body) and passes_official_schema(product)), repr(link)


def test_the_screen_names_tx011_for_a_link_it_reports():
    checked = MessageInfo(file="screen.xml", release="3.0", tags="reference", schema_checked=True)
    for link in BAD_LINKS:
        product = _with_link(link)
        unchecked = MessageInfo(file="screen.xml", release="3.0", tags="reference")
        assert "TX011" in textformats.screen(product, Context(unchecked, TODAY)), repr(link)
        if textformats.link_not_ascii(link, schema_checked=True):
            assert "TX011" in textformats.screen(product, Context(checked, TODAY)), repr(link)
