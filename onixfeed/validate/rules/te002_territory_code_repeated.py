"""A country or region code is repeated within one list.

Checks:
    No code appears twice in one CountriesIncluded, CountriesExcluded, RegionsIncluded or
    RegionsExcluded (EDItEUR strict assertions _20171126_h_1 and _20171126_h_3).

Why:
    A repeated code is harmless to read but usually marks a copy-and-paste slip where
    another country was meant.

Pass:
    <Territory><CountriesIncluded>GB IE</CountriesIncluded></Territory>

Fail:
    <Territory><CountriesIncluded>GB IE GB</CountriesIncluded></Territory>
"""

from __future__ import annotations

from typing import Iterator

from onixfeed.validate.rules import Hit

CODE = "TE002"
NAME = "territory-code-repeated"

# Every element typed as a country or region code list in EDItEUR's schema.
LISTS = ("CountriesIncluded", "CountriesExcluded", "RegionsIncluded", "RegionsExcluded")


# Without one of these elements in the product the rule finds nothing (the runner skips it).
NEEDS = LISTS

def check(product, context) -> Iterator[Hit]:
    for element in context.elements(product, *LISTS):
        listed = (element.text or "").split()
        if len(set(listed)) == len(listed):
            continue  # no code twice: the usual case
        seen: set[str] = set()
        repeated: list[str] = []
        for code in listed:
            if code in seen and code not in repeated:
                repeated.append(code)
            seen.add(code)
        if repeated:
            yield Hit(f"<{element.tag}> lists {' '.join(repeated)} more than once", element)
