"""A SAN has the wrong shape or check digit.

Checks:
    Every party identifier typed SAN (type 07 in the name identifier composites of lists
    44 and 92) is six digits and a check character (digit or X) satisfying the mod-11
    check, as EDItEUR's strict schema asserts.

Why:
    SANs identify trading addresses in North American book trade orders.

Pass:
    <PublisherIdentifier><PublisherIDType>07</PublisherIDType><IDValue>1234560</IDValue></PublisherIdentifier>

Fail:
    <PublisherIdentifier><PublisherIDType>07</PublisherIDType><IDValue>1234565</IDValue></PublisherIdentifier>
"""

from __future__ import annotations

import re
from typing import Iterator

from onixfeed.validate.rules import Hit, identifiers
from onixfeed.validate.rules.identifiers import PARTY_COMPOSITES, san_expected, san_ok, typed_values

CODE = "ID006"
NAME = "san-invalid"
SCREEN = identifiers.screen  # the family's one look decides whether this rule runs

TYPES = {composite: frozenset({"07"}) for composite in PARTY_COMPOSITES}
SHAPE = re.compile(r"[0-9]{6}[0-9Xx]\Z")


def valid(kind: str, value: str) -> bool:
    """True when ID006 has nothing to say about a SAN (the family screen asks this too)."""
    return SHAPE.match(value) is not None and san_ok(value)


def check(product, context) -> Iterator[Hit]:
    for kind, element, value in typed_values(product, context, TYPES):
        if valid(kind, value):
            continue
        if not SHAPE.match(value):
            yield Hit(f"SAN {value!r} is not six digits and a check digit or X", element)
        elif not san_ok(value):
            yield Hit(f"SAN {value} has check digit {value[-1]}, expected {san_expected(value)}", element)
