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

from onixfeed.validate.rules import Hit
from onixfeed.validate.rules.identifiers import PARTY_COMPOSITES, san_expected, san_ok, typed_values

CODE = "ID006"
NAME = "san-invalid"

TYPES = {composite: frozenset({"07"}) for composite in PARTY_COMPOSITES}
SHAPE = re.compile(r"[0-9]{6}[0-9Xx]\Z")


def check(product, context) -> Iterator[Hit]:
    for _, element, value in typed_values(product, context, TYPES):
        if not SHAPE.match(value):
            yield Hit(f"SAN {value!r} is not six digits and a check digit or X", element)
        elif not san_ok(value):
            yield Hit(f"SAN {value} has check digit {value[-1]}, expected {san_expected(value)}", element)
