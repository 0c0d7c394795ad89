"""A short description is longer than 350 characters.

Checks:
    In a TextContent of TextType 02 (short description), every Text is at most 350
    characters long, counting its escaped markup (an XHTML child's tags are not text and
    do not count). This is EDItEUR's strict schema assertion (_20171221_e_1).

Why:
    Retailers show the short description where space is tight (search results, apps);
    a longer one is cut at a random place or the whole record is refused.

Pass:
    <TextContent><TextType>02</TextType><ContentAudience>00</ContentAudience><Text>A fine book.</Text></TextContent>

Fail:
    <TextContent><TextType>02</TextType><ContentAudience>00</ContentAudience><Text>(400 characters)</Text></TextContent>
"""

from __future__ import annotations

from typing import Iterator

from lxml import etree

from onixfeed.validate.rules import Hit
from onixfeed.validate.rules.textformats import text_contents
from onixfeed.validate.rules import textformats

CODE = "TX007"
NAME = "short-description-too-long"
SCREEN = textformats.screen  # the family's one look decides whether this rule runs

LIMIT = textformats.SHORT_DESCRIPTION_LIMIT  # EDItEUR, code list 153, code 02: at most 350 characters
_STRING_VALUE = etree.XPath("string()")

# Without one of these elements in the product the rule finds nothing (the runner skips it).
NEEDS = ("TextContent",)


def check(product, context) -> Iterator[Hit]:
    for content, kind in text_contents(product, context):
        if kind != "02":
            continue
        for text in context.children(content).get("Text", ()):
            # without children string() is the element's own text
            length = len(_STRING_VALUE(text)) if len(text) else len(text.text or "")
            if length > LIMIT:
                yield Hit(f"short description (TextType 02) has {length} characters, more than {LIMIT}", text)
