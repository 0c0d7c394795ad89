"""An ISMN-10 is not accompanied by the same ISMN as an ISMN-13.

Checks:
    Where ProductIdentifiers carry an ISMN-10 (type 05, M and nine digits), a sibling
    ProductIdentifier of type 03 (GTIN-13) or 25 (ISMN-13) carries the same number with
    the M written as 9790. EDItEUR's strict schema asserts this in Product and every other
    place a product is identified.

Why:
    The ISMN-10 is legacy: recipients key on the 13-digit form, and a lone ISMN-10 breaks
    matching.

Pass:
    <ProductIdentifier><ProductIDType>05</ProductIDType><IDValue>M230671187</IDValue></ProductIdentifier>
    <ProductIdentifier><ProductIDType>25</ProductIDType><IDValue>9790230671187</IDValue></ProductIdentifier>

Fail:
    <ProductIdentifier><ProductIDType>05</ProductIDType><IDValue>M230671187</IDValue></ProductIdentifier>
"""

from __future__ import annotations

from typing import Iterator

from onixfeed.validate.rules import Hit, identifiers
from onixfeed.validate.rules.identifiers import composites, sibling_groups

CODE = "ID015"
NAME = "ismn10-without-ismn13"
SCREEN = identifiers.screen  # the family's one look decides whether this rule runs

_THIRTEEN = frozenset({"03", "25"})


def check(product, context) -> Iterator[Hit]:
    rows = composites(product, context).get("ProductIdentifier", ())
    if not any(row.kind == "05" for row in rows):
        return
    for siblings in sibling_groups(rows).values():
        thirteens = {row.value for row in siblings if row.kind in _THIRTEEN}
        for row in siblings:
            if row.kind == "05" and row.value_element is not None:
                expected = row.value.replace("M", "9790")
                if expected not in thirteens:
                    yield Hit(f"ISMN-10 {row.value} has no ProductIdentifier giving it as ISMN-13 {expected}",
                              row.value_element)
