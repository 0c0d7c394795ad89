"""Text is not in Unicode normalisation form C.

Checks:
    Every piece of text in the product is in NFC: accented letters as one precomposed
    character (é as U+00E9), not a letter followed by a combining mark (e + U+0301).
    EDItEUR does not assert this, so it is a warning by default.

Why:
    Decomposed text looks the same but fails searches and de-duplication at the
    recipient ("café" does not match "café"), and some systems show the marks apart.

Pass:
    <TitleText>Café</TitleText>

Fail:
    <TitleText>Cafe&#x301;</TitleText>
"""

from __future__ import annotations

import unicodedata
from typing import Iterator

from lxml import etree

from onixfeed.validate.rules import Hit
from onixfeed.validate.rules import textformats

CODE = "TX005"
NAME = "text-not-nfc"
SCREEN = textformats.screen  # the family's one look decides whether this rule runs


def _normal(text: str | None) -> bool:
    return not text or text.isascii() or unicodedata.is_normalized("NFC", text)


_STRING_VALUE = etree.XPath("string()")  # all text of an element, joined in C (faster than itertext)


def check(product, context) -> Iterator[Hit]:
    if etree.tostring(product, method="text", encoding="utf-8", with_tail=False).isascii():
        return  # the fast path: all the text, as bytes, is ASCII (so in NFC), decided in C
    if _normal(_STRING_VALUE(product)):
        return  # one check per product
    for element in product.iter(etree.Element):
        if not (_normal(element.text) and _normal(element.tail)):
            text = element.text if not _normal(element.text) else element.tail
            yield Hit(f"text {text.strip()[:40]!r} in <{etree.QName(element).localname}> is not in Unicode NFC "
                      f"(a combining mark where a precomposed character exists)", element)
