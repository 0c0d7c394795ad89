"""An ISMN has the wrong shape or check digit.

Checks:
    ProductIdentifier type 25 (ISMN-13) is 13 digits starting 9790 with a correct mod-10
    check digit; type 05 (ISMN-10) is M and nine digits whose check digit is computed as
    for the ISMN-13 979-0 prefix, as EDItEUR's strict schema asserts.

Why:
    Printed music is ordered by ISMN; a wrong one cannot be matched.

Pass:
    <ProductIdentifier><ProductIDType>25</ProductIDType><IDValue>9790230671187</IDValue></ProductIdentifier>

Fail:
    <ProductIdentifier><ProductIDType>05</ProductIDType><IDValue>M230671188</IDValue></ProductIdentifier>
"""

from __future__ import annotations

import re
from typing import Iterator

from onixfeed.validate.rules import Hit, identifiers
from onixfeed.validate.rules.identifiers import ascii_mod10_ok, mod10_expected, mod10_ok, typed_values

CODE = "ID004"
NAME = "ismn-invalid"
SCREEN = identifiers.screen  # the family's one look decides whether this rule runs

TYPES = {"ProductIdentifier": frozenset({"05", "25"})}
ISMN13 = re.compile(r"9790[0-9]{9}\Z")
ISMN10 = re.compile(r"M[0-9]{9}\Z")


def valid(kind: str, value: str) -> bool:
    """True when ID004 has nothing to say about an ISMN-13 (type 25) or ISMN-10 (the family screen asks this too)."""
    if kind == "25":
        return ISMN13.match(value) is not None and ascii_mod10_ok(value)  # both shapes are ASCII digits
    return ISMN10.match(value) is not None and ascii_mod10_ok("9790" + value[1:])


def check(product, context) -> Iterator[Hit]:
    for kind, element, value in typed_values(product, context, TYPES):
        if valid(kind, value):
            continue
        if kind == "25":
            if not ISMN13.match(value):
                yield Hit(f"ISMN-13 {value!r} is not 13 digits starting 9790", element)
            elif not mod10_ok(value):
                yield Hit(f"ISMN {value} has check digit {value[-1]}, expected {mod10_expected(value)}", element)
        elif not ISMN10.match(value):
            yield Hit(f"ISMN-10 {value!r} is not M followed by nine digits", element)
        else:
            # An ISMN-10 M-prefix stands for 979-0 in the ISMN-13, which carries the same check digit.
            as13 = "9790" + value[1:]
            if not mod10_ok(as13):
                yield Hit(f"ISMN-10 {value} has check digit {value[-1]}, expected {mod10_expected(as13)}", element)
