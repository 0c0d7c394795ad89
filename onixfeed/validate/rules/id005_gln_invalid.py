"""A GLN has the wrong shape or check digit.

Checks:
    Every party identifier typed GLN (type 06 in NameIdentifier, PublisherIdentifier,
    ImprintIdentifier, SupplierIdentifier, AgentIdentifier and the other name
    identifier composites of lists 44 and 92) is 13 digits with a correct mod-10 check
    digit, as EDItEUR's strict schema asserts.

Why:
    GLNs route orders and invoices to the right supplier and location.

Pass:
    <SupplierIdentifier><SupplierIDType>06</SupplierIDType><IDValue>5012345678900</IDValue></SupplierIdentifier>

Fail:
    <SupplierIdentifier><SupplierIDType>06</SupplierIDType><IDValue>5012345678901</IDValue></SupplierIdentifier>
"""

from __future__ import annotations

from typing import Iterator

from onixfeed.validate.rules import Hit, identifiers
from onixfeed.validate.rules.identifiers import DIGITS, PARTY_COMPOSITES, ascii_mod10_ok, mod10_expected, mod10_ok, typed_values

CODE = "ID005"
NAME = "gln-invalid"
SCREEN = identifiers.screen  # the family's one look decides whether this rule runs

TYPES = {composite: frozenset({"06"}) for composite in PARTY_COMPOSITES}


def valid(kind: str, value: str) -> bool:
    """True when ID005 has nothing to say about a GLN (the family screen asks this too)."""
    return len(value) == 13 and DIGITS.match(value) is not None and ascii_mod10_ok(value)  # DIGITS: ASCII


def check(product, context) -> Iterator[Hit]:
    for kind, element, value in typed_values(product, context, TYPES):
        if valid(kind, value):
            continue
        if len(value) != 13 or not DIGITS.match(value):
            yield Hit(f"GLN {value!r} is not 13 digits", element)
        elif not mod10_ok(value):
            yield Hit(f"GLN {value} has check digit {value[-1]}, expected {mod10_expected(value)}", element)
