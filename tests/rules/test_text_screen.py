"""The text family's screen (textformats.screen): what it assumes of Python's white space holds,
and a rich, clean product runs none of TX001-TX010."""

from __future__ import annotations

import sys

from lxml import etree

from bench.generate import message_bytes
from onixfeed.validate.checks import MessageInfo
from onixfeed.validate.rules import Context, textformats
from onixfeed.validate.rules import tx006_text_empty
from rule_cases import TODAY

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
