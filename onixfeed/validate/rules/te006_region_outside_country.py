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

from onixfeed.validate.rules import Hit, child, child_text
from onixfeed.validate.rules.territories import codes, territories

CODE = "TE006"
NAME = "region-outside-country"

# composite -> (country element, region element), the pairs EDItEUR's strict schema relates.
PAIRS = {
    "ContributorPlace": ("CountryCode", "RegionCode"),
    "Language": ("CountryCode", "RegionCode"),
    "EventOccurrence": ("CountryCode", "RegionCode"),
    "Prize": ("PrizeCountry", "PrizeRegion"),
}


def check(product, context) -> Iterator[Hit]:
    for composite in context.elements(product, *PAIRS):
        country_name, region_name = PAIRS[composite.tag]
        region_element = child(composite, region_name)
        if region_element is None:
            continue
        country = (child_text(composite, country_name) or "").strip()
        region = (region_element.text or "").strip()
        if country and region and not region.startswith(country):
            yield Hit(f"<{region_name}> {region} is not within <{country_name}> {country}", region_element)
    for territory in territories(product, context):
        included = codes(territory, "CountriesIncluded")
        excluded = codes(territory, "CountriesExcluded")
        regions_out = next(territory.iterchildren("RegionsExcluded"), None)
        for region in codes(regions_out):
            if included and region[:2] not in included:
                yield Hit(f"<RegionsExcluded> {region} is not within <CountriesIncluded> {' '.join(included)}",
                          regions_out)
            if region[:2] in excluded:
                yield Hit(f"<RegionsExcluded> {region} lies within excluded country {region[:2]}", regions_out)
        regions_in = next(territory.iterchildren("RegionsIncluded"), None)
        for region in codes(regions_in):
            if included and region[:2] in included:
                yield Hit(f"<RegionsIncluded> {region} lies within included country {region[:2]}", regions_in)
