"""A text element holds XHTML elements but its textformat is not 05.

Checks:
    An element that takes a textformat (Text, BiographicalNote, TitleStatement ...) and
    has child elements carries textformat="05" (XHTML), as EDItEUR's strict schema
    asserts.

Why:
    Without textformat 05 a recipient treats the text as plain: tags are shown to readers
    or the text is dropped as invalid.

Pass:
    <Text textformat="05"><p>A <em>fine</em> book.</p></Text>

Fail:
    <Text><p>A <em>fine</em> book.</p></Text>
"""

from __future__ import annotations

from typing import Iterator

from lxml import etree

from onixfeed.validate.rules import Hit
from onixfeed.validate.rules.textformats import text_views
from onixfeed.validate.rules import textformats

CODE = "TX001"
NAME = "markup-without-xhtml-format"
SCREEN = textformats.screen  # the family's one look decides whether this rule runs


def check(product, context) -> Iterator[Hit]:
    for view in text_views(product, context):
        if view.fmt == "05" or not view.size:
            continue  # XHTML is allowed, or there is no child at all
        element = view.element
        child = next(element.iterchildren(etree.Element), None)
        if child is not None:
            written = view.written
            shown = f"textformat {written.strip()!r}" if written is not None else "no textformat"
            yield Hit(f"<{element.tag}> contains XHTML (<{etree.QName(child).localname}>) but has {shown}; "
                      f"XHTML needs textformat=\"05\"", element)
