"""A biographical note in CollateralDetail where the product has one contributor or none.

Checks:
    A TextContent of TextType 12 (biographical note) appears only when DescriptiveDetail
    has more than one Contributor: it is meant for a group biography. A single
    contributor's biography belongs in Contributor/BiographicalNote. This is EDItEUR's
    strict schema assertion (_20180214_j_1).

Why:
    Recipients attach Contributor/BiographicalNote to the author's page; a lone
    biography in CollateralDetail is shown, if at all, apart from its author.

Pass:
    <Contributor>...<BiographicalNote>Jane Doe writes.</BiographicalNote></Contributor>

Fail:
    <Contributor>...</Contributor> (one only) and
    <TextContent><TextType>12</TextType><ContentAudience>00</ContentAudience><Text>Jane Doe writes.</Text></TextContent>
"""

from __future__ import annotations

from typing import Iterator

from onixfeed.validate.rules import Hit
from onixfeed.validate.rules.textformats import text_contents
from onixfeed.validate.rules import textformats

CODE = "TX009"
NAME = "biographical-note-single-contributor"
SCREEN = textformats.screen  # the family's one look decides whether this rule runs

# Without one of these elements in the product the rule finds nothing (the runner skips it).
NEEDS = ("TextContent",)


def check(product, context) -> Iterator[Hit]:
    notes = [content for content, kind in text_contents(product, context)
             if kind == "12" and content.getparent().tag == "CollateralDetail"
             and content.getparent().getparent() is product]
    if not notes:
        return
    contributors = sum(len(context.children(detail).get("Contributor", ()))
                       for detail in context.children(product).get("DescriptiveDetail", ()))
    if contributors <= 1:
        yield Hit(f"biographical note (TextContent of TextType 12) with {contributors} contributor(s): it is for "
                  f"group biographies; put one contributor's biography in Contributor/BiographicalNote", notes[0])
