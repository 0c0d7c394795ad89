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
from onixfeed.validate.rules.territories import screen

CODE = "TE002"
NAME = "territory-code-repeated"
SCREEN = screen  # the family's one look decides whether this rule runs

# Every element typed as a country or region code list in EDItEUR's schema.
LISTS = ("CountriesIncluded", "CountriesExcluded", "RegionsIncluded", "RegionsExcluded")

# Without one of these elements in the product the rule finds nothing (the runner skips it).
NEEDS = LISTS


def check(product, context) -> Iterator[Hit]:
    for element in context.elements(product, *LISTS):
        repeated = _repeated(element.text or "")
        if repeated:
            yield Hit(f"<{element.tag}> lists {' '.join(repeated)} more than once", element)


# list text -> its repeated codes: feeds repeat the same territory lists product after product.
_REPEATED: dict[str, tuple[str, ...]] = {}
_REPEATED_LIMIT = 10_000


def _repeated(text: str) -> tuple[str, ...]:
    """The codes a list text names more than once, in the order of their first repeat."""
    found = _REPEATED.get(text)
    if found is not None:
        return found
    listed = text.split()
    repeated: list[str] = []
    if len(set(listed)) != len(listed):  # no code twice: the usual case
        seen: set[str] = set()
        for code in listed:
            if code in seen and code not in repeated:
                repeated.append(code)
            seen.add(code)
    found = tuple(repeated)
    if len(text) <= 2_000:  # a long junk text is judged, not kept
        if len(_REPEATED) >= _REPEATED_LIMIT:
            _REPEATED.clear()
        _REPEATED[text] = found
    return found
