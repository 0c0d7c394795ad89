"""An ISBN-10 has the wrong shape or check digit.

Checks:
    Every IDValue typed ISBN-10 (ProductIdentifier and WorkIdentifier type 02) is nine
    digits and a check character (digit or X) satisfying the mod-11 check, as EDItEUR's
    strict schema asserts.

Why:
    ISBN-10s are still sent beside ISBN-13s by older systems; a wrong one misleads
    anyone matching on it.

Pass:
    <ProductIdentifier><ProductIDType>02</ProductIDType><IDValue>0306406152</IDValue></ProductIdentifier>

Fail:
    <ProductIdentifier><ProductIDType>02</ProductIDType><IDValue>0306406153</IDValue></ProductIdentifier>
"""

from __future__ import annotations

import re
from typing import Iterator

from onixfeed.validate.rules import Hit, identifiers
from onixfeed.validate.rules.identifiers import isbn10_expected, isbn10_ok, typed_values

CODE = "ID002"
NAME = "isbn10-invalid"
SCREEN = identifiers.screen  # the family's one look decides whether this rule runs

TYPES = {"ProductIdentifier": frozenset({"02"}), "WorkIdentifier": frozenset({"02"})}
SHAPE = re.compile(r"[0-9]{9}[0-9Xx]\Z")


def valid(kind: str, value: str) -> bool:
    """True when ID002 has nothing to say about an ISBN-10 (the family screen asks this too)."""
    return SHAPE.match(value) is not None and isbn10_ok(value)


def check(product, context) -> Iterator[Hit]:
    for kind, element, value in typed_values(product, context, TYPES):
        if valid(kind, value):
            continue
        if not SHAPE.match(value):
            yield Hit(f"ISBN-10 {value!r} is not nine digits and a check digit or X", element)
        elif not isbn10_ok(value):
            yield Hit(f"ISBN-10 {value} has check digit {value[-1]}, expected {isbn10_expected(value)}", element)
