"""Text declared plain (default, 06 or 07) contains escaped HTML markup.

Checks:
    The text of an element with no textformat, or textformat 06 (default text format) or
    07 (ASCII), contains nothing that reads as a tag (`&lt;p&gt;` in the file, i.e. `<p>`
    in the text). Escaped markup is allowed only with textformat 02 (HTML) or 03 (XML),
    and real XHTML with 05. This is EDItEUR's strict schema assertion.

Why:
    Recipients display plain text as it is: readers see `<p>` and `<br/>` in the book
    description.

Pass:
    <Text textformat="02">&lt;p&gt;A fine book.&lt;/p&gt;</Text>

Fail:
    <Text>&lt;p&gt;A fine book.&lt;/p&gt;</Text>
"""

from __future__ import annotations

import re
from typing import Iterator

from onixfeed.validate.rules import Hit
from onixfeed.validate.rules.textformats import text_views
from onixfeed.validate.rules import textformats

CODE = "TX002"
NAME = "markup-in-plain-text"
SCREEN = textformats.screen  # the family's one look decides whether this rule runs

TAG = re.compile(r"</?[A-Za-z][^>]*>")
MARKUP_FORMATS = textformats.MARKUP_FORMATS  # shared with the screen, which must agree


def check(product, context) -> Iterator[Hit]:
    for view in text_views(product, context):
        fmt = view.fmt
        if fmt in MARKUP_FORMATS:
            continue
        element = view.element
        # without children, itertext() yields the element's own text alone
        text = "".join(element.itertext()) if view.size else (view.head or "")
        if "<" not in text:
            continue
        found = TAG.search(text)
        if found:
            shown = f"textformat {fmt}" if fmt else "no textformat"
            yield Hit(f"<{element.tag}> has {shown} but its text contains markup {found.group(0)[:40]!r}; "
                      f"use textformat 02 for escaped HTML or 05 for XHTML", element)
