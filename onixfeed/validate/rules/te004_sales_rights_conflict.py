"""A country or region is claimed by two SalesRights composites.

Checks:
    A country (or region) appears in the CountriesIncluded (RegionsIncluded) of at most
    one SalesRights composite (EDItEUR strict assertions _20170517_g_1, _20170517_g_2),
    and a SalesRights territory of WORLD excludes, in CountriesExcluded and
    RegionsExcluded, every country and region that other SalesRights include
    (_20180101_b_1). So no country is both included and left out, or included twice with
    different rights.

Why:
    A country that is both "for sale" and "not for sale" leaves the retailer to guess,
    and most guess wrong in the publisher's disfavour.

Pass:
    <SalesRights><SalesRightsType>01</SalesRightsType><Territory><CountriesIncluded>GB</CountriesIncluded></Territory></SalesRights>
    <SalesRights><SalesRightsType>03</SalesRightsType><Territory><RegionsIncluded>WORLD</RegionsIncluded><CountriesExcluded>GB</CountriesExcluded></Territory></SalesRights>

Fail:
    <SalesRights><SalesRightsType>01</SalesRightsType><Territory><CountriesIncluded>GB US</CountriesIncluded></Territory></SalesRights>
    <SalesRights><SalesRightsType>03</SalesRightsType><Territory><CountriesIncluded>US</CountriesIncluded></Territory></SalesRights>
"""

from __future__ import annotations

from typing import Iterator

from onixfeed.validate.rules import Hit
from onixfeed.validate.rules.territories import WORLD, sales_rights, screen, territory_views, view_of

CODE = "TE004"
NAME = "sales-rights-conflict"
SCREEN = screen  # the family's one look decides whether this rule runs

# Without one of these elements in the product the rule finds nothing (the runner skips it).
NEEDS = ("SalesRights",)


def check(product, context) -> Iterator[Hit]:
    rights = sales_rights(product, context)
    if len(rights) < 2:
        return
    views = territory_views(product, context)
    held = [[view_of(views, territory) for territory in context.children(composite).get("Territory", ())]
            for composite in rights]
    for name, noun in (("CountriesIncluded", "country"), ("RegionsIncluded", "region")):
        seen: set[str] = set()
        for territories in held:
            # the first such list among the composite's Territory children
            element, listed = None, []
            for view in territories:
                found = view.countries_in if name == "CountriesIncluded" else view.regions_in
                if found is not None:
                    element, listed = found, view.included if name == "CountriesIncluded" else view.regions
                    break
            twice = [code for code in listed if code in seen and code != WORLD]
            if twice:
                yield Hit(f"{noun} {' '.join(twice)} already included by another <SalesRights>", element)
            seen.update(listed)
    firsts = [territories[0] if territories else None for territories in held]
    worlds = [view for view in firsts if view is not None and view.world]
    if not worlds:
        return
    excluded_countries = {code for world in worlds for code in world.excluded}
    excluded_regions = {code for world in worlds for code in world.regions_excluded}
    for view in firsts:
        if view is None or view.world:
            continue
        missing = [code for code in view.included if code not in excluded_countries]
        missing += [code for code in view.regions if code not in excluded_regions]
        if missing:
            yield Hit(f"{' '.join(missing)} included here but not excluded from the WORLD <SalesRights>", view.element)
