"""An ISNI has the wrong shape, range or check character.

Checks:
    Every party identifier typed ISNI (type 16 in the name identifier composites other than
    SupplierIdentifier and LocationIdentifier) is 16
    characters without spaces, fifteen digits and a check character, inside the ranges
    ISNI assigns, with a correct ISO 7064 MOD 11-2 check character, as EDItEUR's strict
    schema asserts.

Why:
    ISNIs disambiguate contributors across catalogues; a mistyped one links a book to
    the wrong person.

Pass:
    <NameIdentifier><NameIDType>16</NameIDType><IDValue>000000012146438X</IDValue></NameIdentifier>

Fail:
    <NameIdentifier><NameIDType>16</NameIDType><IDValue>0000000121464381</IDValue></NameIdentifier>
"""

from __future__ import annotations

import re
from typing import Iterator

from onixfeed.validate.rules import Hit, identifiers
from onixfeed.validate.rules.identifiers import PARTY_COMPOSITES, ascii_mod11_2_ok, mod11_2_expected, mod11_2_ok, typed_values

CODE = "ID007"
NAME = "isni-invalid"
SCREEN = identifiers.screen  # the family's one look decides whether this rule runs

# The strict schema checks these in every party composite but LocationIdentifier and
# SupplierIdentifier; leaving those alone keeps our errors within what it asserts.
TYPES = {composite: frozenset({"16"}) for composite in PARTY_COMPOSITES
         if composite not in ("LocationIdentifier", "SupplierIdentifier")}
SHAPE = re.compile(r"[0-9]{15}[0-9Xx]\Z")
# The blocks ISNI assigns from (ORCID's 0000-0001-5 to 0000-0003-4 and 0009-0000 are excluded).
RANGE = re.compile(
    r"(?:00000000[0-9]{7}|00000001[1-4][0-9]{6}|00000003[5-9][0-9]{6}|0000000[4-9][0-9]{7}|000[1-8][0-9]{11}"
    r"|0009001[0-9]{8}|000900[2-9][0-9]{8}|00090[1-9][0-9]{9}|0009[1-9][0-9]{10}|00[1-9][0-9]{12}|0[1-9][0-9]{13}|[1-9][0-9]{14})[0-9Xx]\Z"
)


def valid(kind: str, value: str) -> bool:
    """True when ID007 has nothing to say about an ISNI (the family screen asks this too)."""
    # every value RANGE matches has SHAPE (fifteen digits and a check character)
    return RANGE.match(value) is not None and ascii_mod11_2_ok(value)


def check(product, context) -> Iterator[Hit]:
    for kind, element, value in typed_values(product, context, TYPES):
        if valid(kind, value):
            continue
        if not SHAPE.match(value):
            yield Hit(f"ISNI {value!r} is not fifteen digits and a check digit or X (no spaces)", element)
        elif not RANGE.match(value):
            yield Hit(f"ISNI {value} is outside the ranges ISNI assigns (an ORCID?)", element)
        elif not mod11_2_ok(value):
            yield Hit(f"ISNI {value} has check character {value[-1]}, expected {mod11_2_expected(value)}", element)
