"""A web link holds a space or a character outside printable ASCII.

Checks:
    Every element whose value is a URI (ResourceLink, ResourceFileLink, WebsiteLink,
    EpubLicenseExpressionLink, and TextSourceLink in 3.1: those the schema types
    dt.NonEmptyURI) and holds an absolute link (with "://") is made of printable ASCII
    characters only, "!" to "~": no space or line break inside it (white space at its ends
    is dropped, as for any URI value), no accented letter, no control character. This is
    EDItEUR's strict schema assertion _20210820_a_1. Where the official schema has checked
    the product, white space inside is its finding (XS003, from its pattern \\S+) and not
    reported again here.

Why:
    Retailers fetch covers, samples and pages from these links as written. A space, a line
    break or a raw "é" breaks the fetch or the link; such characters must be
    percent-encoded (%20, %C3%A9) before the link goes into the feed.

Pass:
    <ResourceLink>https://example.com/covers/caf%C3%A9%20cover.jpg</ResourceLink>

Fail:
    <ResourceLink>https://example.com/covers/café cover.jpg</ResourceLink>
"""

from __future__ import annotations

import re
from typing import Iterator

from lxml import etree

from onixfeed.validate.rules import Hit
from onixfeed.validate.rules import textformats

CODE = "TX011"
NAME = "link-not-ascii"
SCREEN = textformats.screen  # the family's one look decides whether this rule runs

_STRING_VALUE = etree.XPath("string()")  # the value as the schema reads it (comments left out)
_XML_SPACES = re.compile(r"[ \t\r\n]+")


def check(product, context) -> Iterator[Hit]:
    message = context.message
    checked = message.schema_checked or message.schema_valid
    for element in context.elements(product, *sorted(textformats.link_names(message.release))):
        value = element.text if not len(element) else _STRING_VALUE(element)
        if not textformats.link_not_ascii(value, checked):
            continue
        collapsed = _XML_SPACES.sub(" ", value.strip(" \t\r\n"))  # as the schema reads a URI
        found = [] if checked or " " not in collapsed else ["white space"]
        found += [repr(char) for char in textformats.unprintable(collapsed)]
        yield Hit(f"<{element.tag}> {collapsed!r} holds {' and '.join(found)}, outside printable ASCII: "
                  f"percent-encode it", element)
