"""Text declared ASCII (textformat 07) contains other characters.

Checks:
    An element with textformat="07" holds only printable ASCII, spaces, tabs and line
    breaks, as EDItEUR's strict schema asserts.

Why:
    A recipient that trusts the declaration may mangle accented letters and typographic
    quotes into garbage.

Pass:
    <Text textformat="07">A fine book.</Text>

Fail:
    <Text textformat="07">A “fine” book – café.</Text>
"""

from __future__ import annotations

import re
from typing import Iterator

from onixfeed.validate.rules import Hit
from onixfeed.validate.rules.textformats import text_views
from onixfeed.validate.rules import textformats

CODE = "TX003"
NAME = "non-ascii-in-ascii-text"
SCREEN = textformats.screen  # the family's one look decides whether this rule runs

OUTSIDE = re.compile(r"[^\n\r\t -~]")


def check(product, context) -> Iterator[Hit]:
    for view in text_views(product, context):
        if view.fmt != "07":
            continue
        element = view.element
        found = OUTSIDE.search("".join(element.itertext()))
        if found:
            char = found.group(0)
            yield Hit(f"<{element.tag}> has textformat 07 (ASCII) but contains {char!r} (U+{ord(char):04X})", element)
