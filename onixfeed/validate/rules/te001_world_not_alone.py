"""WORLD is used beside other regions or countries, or where it cannot stand.

Checks:
    In a Territory, RegionsIncluded WORLD stands alone: no other region beside it
    (EDItEUR strict assertion _20171126_h_2) and no CountriesIncluded with it
    (_20171208_h_1). RegionsExcluded never holds WORLD (_20171208_j_1), nor does
    RegionCode (_20180324_b_1).

Why:
    WORLD already covers every country and region; listing more beside it is either
    redundant or a sign that exclusions were meant.

Pass:
    <Territory><RegionsIncluded>WORLD</RegionsIncluded><CountriesExcluded>US CA</CountriesExcluded></Territory>

Fail:
    <Territory><CountriesIncluded>GB</CountriesIncluded><RegionsIncluded>WORLD</RegionsIncluded></Territory>
"""

from __future__ import annotations

from typing import Iterator

from onixfeed.validate.rules import Hit
from onixfeed.validate.rules.territories import WORLD, screen, territory_views

CODE = "TE001"
NAME = "world-not-alone"
SCREEN = screen  # the family's one look decides whether this rule runs

# Without one of these elements in the product the rule finds nothing (the runner skips it).
NEEDS = ("RegionsIncluded", "RegionsExcluded", "RegionCode")


def check(product, context) -> Iterator[Hit]:
    for view in territory_views(product, context).values():
        if view.world:
            others = [code for code in view.regions if code != WORLD]
            if others:
                yield Hit(f"<RegionsIncluded> holds WORLD beside {' '.join(others)}: WORLD stands alone",
                          view.regions_in)
            if view.countries_in is not None:
                yield Hit("<RegionsIncluded> WORLD with <CountriesIncluded>: use <CountriesExcluded> for exceptions",
                          view.regions_in)
        if WORLD in view.regions_excluded:
            yield Hit("<RegionsExcluded> holds WORLD: nothing would be left", view.regions_out)
    for region in context.elements(product, "RegionCode"):
        if (region.text or "").strip() == WORLD:
            yield Hit("<RegionCode> is WORLD: a region code names a part of a country", region)
