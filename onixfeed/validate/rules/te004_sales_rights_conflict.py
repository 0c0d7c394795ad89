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

from onixfeed.validate.rules import Hit, child, children_at
from onixfeed.validate.rules.territories import WORLD, codes, is_world, sales_rights

CODE = "TE004"
NAME = "sales-rights-conflict"


def check(product, context) -> Iterator[Hit]:
    rights = sales_rights(product, context)
    if len(rights) < 2:
        return
    for name, noun in (("CountriesIncluded", "country"), ("RegionsIncluded", "region")):
        seen: set[str] = set()
        for composite in rights:
            element = next(iter(children_at(composite, "Territory", name)), None)
            twice = [code for code in codes(element) if code in seen and code != WORLD]
            if twice:
                yield Hit(f"{noun} {' '.join(twice)} already included by another <SalesRights>", element)
            seen.update(codes(element))
    worlds = [child(composite, "Territory") for composite in rights if is_world(child(composite, "Territory"))]
    if not worlds:
        return
    excluded_countries = {code for world in worlds for code in codes(world, "CountriesExcluded")}
    excluded_regions = {code for world in worlds for code in codes(world, "RegionsExcluded")}
    for composite in rights:
        territory = child(composite, "Territory")
        if territory is None or is_world(territory):
            continue
        missing = [code for code in codes(territory, "CountriesIncluded") if code not in excluded_countries]
        missing += [code for code in codes(territory, "RegionsIncluded") if code not in excluded_regions]
        if missing:
            yield Hit(f"{' '.join(missing)} included here but not excluded from the WORLD <SalesRights>", territory)
