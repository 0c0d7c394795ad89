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
from onixfeed.validate.rules.territories import WORLD, codes, territories

CODE = "TE001"
NAME = "world-not-alone"


def check(product, context) -> Iterator[Hit]:
    for territory in territories(product, context):
        included = next(territory.iterchildren("RegionsIncluded"), None)
        regions = codes(included)
        if WORLD in regions:
            others = [code for code in regions if code != WORLD]
            if others:
                yield Hit(f"<RegionsIncluded> holds WORLD beside {' '.join(others)}: WORLD stands alone", included)
            if next(territory.iterchildren("CountriesIncluded"), None) is not None:
                yield Hit("<RegionsIncluded> WORLD with <CountriesIncluded>: use <CountriesExcluded> for exceptions",
                          included)
        excluded = next(territory.iterchildren("RegionsExcluded"), None)
        if WORLD in codes(excluded):
            yield Hit("<RegionsExcluded> holds WORLD: nothing would be left", excluded)
    for region in context.elements(product, "RegionCode"):
        if (region.text or "").strip() == WORLD:
            yield Hit("<RegionCode> is WORLD: a region code names a part of a country", region)
