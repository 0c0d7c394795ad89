"""An ORCID has the wrong shape, range or check character.

Checks:
    Every party identifier typed ORCID (type 21 in the name identifier composites other than
    SupplierIdentifier and LocationIdentifier) is 16
    characters without hyphens, inside the blocks ORCID assigns, with a correct ISO 7064
    MOD 11-2 check character, as EDItEUR's strict schema asserts.

Why:
    ORCIDs link academic authors to their work; a wrong one credits someone else.

Pass:
    <NameIdentifier><NameIDType>21</NameIDType><IDValue>0000000218250097</IDValue></NameIdentifier>

Fail:
    <NameIdentifier><NameIDType>21</NameIDType><IDValue>0000-0002-1825-009X</IDValue></NameIdentifier>
"""

from __future__ import annotations

import re
from typing import Iterator

from onixfeed.validate.rules import Hit, identifiers
from onixfeed.validate.rules.identifiers import PARTY_COMPOSITES, ascii_mod11_2_ok, mod11_2_expected, mod11_2_ok, typed_values

CODE = "ID008"
NAME = "orcid-invalid"
SCREEN = identifiers.screen  # the family's one look decides whether this rule runs

# The strict schema checks these in every party composite but LocationIdentifier and
# SupplierIdentifier; leaving those alone keeps our errors within what it asserts.
TYPES = {composite: frozenset({"21"}) for composite in PARTY_COMPOSITES
         if composite not in ("LocationIdentifier", "SupplierIdentifier")}
SHAPE = re.compile(r"[0-9]{15}[0-9Xx]\Z")
RANGE = re.compile(r"(?:00000001[5-9][0-9]{6}|00000002[0-9]{7}|00000003[0-4][0-9]{6}|0009000[0-9]{8})[0-9Xx]\Z")


def valid(kind: str, value: str) -> bool:
    """True when ID008 has nothing to say about an ORCID (the family screen asks this too)."""
    # every value RANGE matches has SHAPE (fifteen digits and a check character)
    return RANGE.match(value) is not None and ascii_mod11_2_ok(value)


def check(product, context) -> Iterator[Hit]:
    for kind, element, value in typed_values(product, context, TYPES):
        if valid(kind, value):
            continue
        if not SHAPE.match(value):
            yield Hit(f"ORCID {value!r} is not sixteen characters without hyphens", element)
        elif not RANGE.match(value):
            yield Hit(f"ORCID {value} is outside the blocks ORCID assigns", element)
        elif not mod11_2_ok(value):
            yield Hit(f"ORCID {value} has check character {value[-1]}, expected {mod11_2_expected(value)}", element)
