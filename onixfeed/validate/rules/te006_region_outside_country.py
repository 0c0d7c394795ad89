"""A region code does not belong to the country it is given with.

Checks:
    A RegionCode given with a CountryCode (in ContributorPlace, Language, EventOccurrence)
    and a PrizeRegion with a PrizeCountry start with that country's code (EDItEUR strict
    assertions _20180324_a_1, _20191031_b_1 to _b_3). In a Territory, each region in
    RegionsExcluded lies within one of the CountriesIncluded (_20171221_f_1) and not
    within the CountriesExcluded (_20171221_g_1), and no region in RegionsIncluded lies
    within the CountriesIncluded (_20171221_g_2).

Why:
    "GB-SCT" inside "FR" is a contradiction; including a region of a country already
    included says nothing and usually means an exclusion was meant.

Pass:
    <Territory><CountriesIncluded>GB</CountriesIncluded><RegionsExcluded>GB-NIR</RegionsExcluded></Territory>

Fail:
    <Territory><CountriesIncluded>GB</CountriesIncluded><RegionsIncluded>GB-SCT</RegionsIncluded></Territory>
"""

from __future__ import annotations

from typing import Iterator

from onixfeed.validate.rules import Hit, first_text
from onixfeed.validate.rules.territories import screen, territory_views

CODE = "TE006"
NAME = "region-outside-country"
SCREEN = screen  # the family's one look decides whether this rule runs

# composite -> (country element, region element), the pairs EDItEUR's strict schema relates.
PAIRS = {
    "ContributorPlace": ("CountryCode", "RegionCode"),
    "Language": ("CountryCode", "RegionCode"),
    "EventOccurrence": ("CountryCode", "RegionCode"),
    "Prize": ("PrizeCountry", "PrizeRegion"),
}

# Without one of these elements in the product the rule finds nothing (the runner skips it).
NEEDS = ("RegionCode", "PrizeRegion", "RegionsExcluded", "RegionsIncluded")


def check(product, context) -> Iterator[Hit]:
    for composite in context.elements(product, *PAIRS):
        country_name, region_name = PAIRS[composite.tag]
        children = context.children(composite)
        region_element = children.get(region_name)
        if region_element is None:
            continue
        region_element = region_element[0]
        country = (first_text(children, country_name) or "").strip()
        region = (region_element.text or "").strip()
        if country and region and not region.startswith(country):
            yield Hit(f"<{region_name}> {region} is not within <{country_name}> {country}", region_element)
    for view in territory_views(product, context).values():
        included = view.included
        if not view.regions_excluded and not (included and view.regions):
            continue  # no region to place: the usual case
        excluded = view.excluded
        regions_out = view.regions_out
        for region in view.regions_excluded:
            if included and region[:2] not in included:
                yield Hit(f"<RegionsExcluded> {region} is not within <CountriesIncluded> {' '.join(included)}",
                          regions_out)
            if region[:2] in excluded:
                yield Hit(f"<RegionsExcluded> {region} lies within excluded country {region[:2]}", regions_out)
        regions_in = view.regions_in
        for region in view.regions:
            if included and region[:2] in included:
                yield Hit(f"<RegionsIncluded> {region} lies within included country {region[:2]}", regions_in)
