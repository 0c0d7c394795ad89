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

from typing import Iterator

from lxml import etree

from onixfeed.validate.rules import Hit
from onixfeed.validate.rules import textformats
from onixfeed.validate.rules.textformats import in_nfc

CODE = "TX005"
NAME = "text-not-nfc"
SCREEN = textformats.screen  # the family's one look decides whether this rule runs


def check(product, context) -> Iterator[Hit]:
    if textformats.product_text_in_nfc(product):
        return  # one check per product, its ASCII fast path decided in C
    for element in product.iter(etree.Element):
        if not (in_nfc(element.text) and in_nfc(element.tail)):
            text = element.text if not in_nfc(element.text) else element.tail
            yield Hit(f"text {text.strip()[:40]!r} in <{etree.QName(element).localname}> is not in Unicode NFC "
                      f"(a combining mark where a precomposed character exists)", element)
