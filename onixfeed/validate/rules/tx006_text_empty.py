"""A text element is empty, or holds only white space (or only escaped tags).

Checks:
    Every element that takes a textformat (Text, BiographicalNote, EditionStatement ...)
    holds something other than white space, its XHTML children's text included. White
    space is Unicode's (a no-break space too), as the strict validator onixfeed runs
    (xmlschema) reads the assertion's \\S; to a reader such a text is empty all the same.
    With textformat 02 or 03 (escaped HTML or XML), the escaped tags are removed first,
    with EDItEUR's own pattern. This is EDItEUR's strict schema assertion (_20180517_b_1
    to _b_58).

Why:
    An empty description or note is shown as a blank box, and it hides that the text
    was lost somewhere between the editorial system and the feed.

Pass:
    <Text textformat="02">&lt;p&gt;A fine book.&lt;/p&gt;</Text>

Fail:
    <Text textformat="02">&lt;p&gt; &lt;/p&gt;</Text>
"""

from __future__ import annotations

import re
from typing import Iterator

from lxml import etree

from onixfeed.validate.rules import Hit
from onixfeed.validate.rules.textformats import text_views
from onixfeed.validate.rules import textformats

CODE = "TX006"
NAME = "text-empty"
SCREEN = textformats.screen  # the family's one look decides whether this rule runs

_VISIBLE = re.compile(r"\S")
_ESCAPED_FORMATS = textformats.ESCAPED_FORMATS  # list 34: HTML and XML with their tags escaped
# EDItEUR's pattern for an escaped tag, character class included as the schema writes it.
_ESCAPED_TAG = re.compile(r"(<|&lt;)/?[A-Za-z][^(>|&gt;)]*(>|&gt;)")
_STRING_VALUE = etree.XPath("string()")  # the element's text with its XHTML children's, as XPath reads it


def check(product, context) -> Iterator[Hit]:
    for view in text_views(product, context):
        head = view.head
        fmt = view.fmt
        if head and _VISIBLE.search(head) and (fmt not in _ESCAPED_FORMATS or ("<" not in head and "&lt;" not in head)):
            continue  # visible text before any child or escaped tag: the usual case, decided without string()
        element = view.element
        if view.size and fmt not in _ESCAPED_FORMATS:
            first = element[0]  # XHTML such as <p>text</p>: its first child's text is visible text of the element
            inner = first.text
            if inner and isinstance(first.tag, str) and _VISIBLE.search(inner):
                continue
        text = _STRING_VALUE(element) if view.size else (head or "")  # no child: string() is the text
        if not _VISIBLE.search(text):
            yield Hit(f"<{element.tag}> is empty or only white space", element)
        elif fmt in _ESCAPED_FORMATS and not _VISIBLE.search(_ESCAPED_TAG.sub("", text)):
            yield Hit(f"<{element.tag}> holds only escaped tags and white space, no text", element)
