"""A description, headline or biographical note is repeated for the same audience.

Checks:
    Within CollateralDetail, two TextContent of the same TextType among 02 (short
    description), 03 (description), 10 (promotional headline), 12 (biographical note),
    16, 17 and 21 have different ContentAudience codes, unless they carry a Territory.
    This is EDItEUR's strict schema assertion (_20180612_a_1).

Why:
    A recipient keeps one description per audience; given two, it picks one at random
    and the other is lost.

Pass:
    <TextContent><TextType>03</TextType><ContentAudience>00</ContentAudience>...</TextContent>
    <TextContent><TextType>03</TextType><ContentAudience>03</ContentAudience>...</TextContent>

Fail:
    <TextContent><TextType>03</TextType><ContentAudience>00</ContentAudience>...</TextContent>
    <TextContent><TextType>03</TextType><ContentAudience>00</ContentAudience>...</TextContent>
"""

from __future__ import annotations

from typing import Iterator

from onixfeed.validate.rules import Hit
from onixfeed.validate.rules.textformats import text_contents
from onixfeed.validate.rules import textformats

CODE = "TX008"
NAME = "description-repeated-for-audience"
SCREEN = textformats.screen  # the family's one look decides whether this rule runs

# Code list 153: the text types a recipient keeps one of per audience (shared with the screen).
SINGLE_PER_AUDIENCE = textformats.SINGLE_PER_AUDIENCE

# Without one of these elements in the product the rule finds nothing (the runner skips it).
NEEDS = ("TextContent",)


def check(product, context) -> Iterator[Hit]:
    contents = [(content, kind) for content, kind in text_contents(product, context) if kind in SINGLE_PER_AUDIENCE]
    if len(contents) < 2 or len({kind for _, kind in contents}) == len(contents):
        return  # nothing can repeat (a repeat is of one TextType): most products take this way out
    seen: dict[object, set[tuple[str, ...]]] = {}  # per CollateralDetail, as the schema asserts
    for content, kind in contents:
        parent = content.getparent()
        if parent is None or parent.tag != "CollateralDetail":
            continue
        children = context.children(content)
        if "Territory" in children:
            continue
        audiences = tuple((element.text or "").strip() for element in children.get("ContentAudience", ()))
        key = (kind, *audiences)
        keys = seen.setdefault(parent, set())
        if key in keys:
            yield Hit(f"TextContent of TextType {kind} repeated for audience {' '.join(audiences) or '(none)'} "
                      f"without a Territory to tell them apart", content)
        keys.add(key)
