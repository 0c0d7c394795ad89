"""A Territory excludes countries or regions without including WORLD.

Checks:
    A Territory with CountriesExcluded or RegionsExcluded and no CountriesIncluded has
    RegionsIncluded WORLD (EDItEUR strict assertion _20171208_i_1).

Why:
    Exclusions subtract from WORLD (or, for regions, from the countries included); from
    anything else the territory is ambiguous.

Pass:
    <Territory><RegionsIncluded>WORLD</RegionsIncluded><CountriesExcluded>US</CountriesExcluded></Territory>

Fail:
    <Territory><RegionsIncluded>ECZ</RegionsIncluded><CountriesExcluded>DE</CountriesExcluded></Territory>
"""

from __future__ import annotations

from typing import Iterator

from onixfeed.validate.rules import Hit
from onixfeed.validate.rules.territories import screen, territory_views

CODE = "TE003"
NAME = "exclusions-without-world"
SCREEN = screen  # the family's one look decides whether this rule runs

# Without one of these elements in the product the rule finds nothing (the runner skips it).
NEEDS = ("CountriesExcluded", "RegionsExcluded")


def check(product, context) -> Iterator[Hit]:
    for view in territory_views(product, context).values():
        excluded = view.countries_out if view.countries_out is not None else view.regions_out
        if excluded is None or view.countries_in is not None or view.world:
            continue
        yield Hit(f"<{excluded.tag}> without <RegionsIncluded> WORLD: exclusions subtract from WORLD", excluded)
