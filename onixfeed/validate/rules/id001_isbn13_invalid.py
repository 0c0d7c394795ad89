"""An ISBN-13 has the wrong shape or check digit.

Checks:
    Every IDValue typed ISBN-13 (ProductIdentifier types 15 and 24, list 5; the ISBN-13
    types of CollectionIdentifier, WorkIdentifier and TextItemIdentifier) is 13 digits
    starting 978 or 979 (not 9790, which is ISMN) with a correct mod-10 check digit, as
    EDItEUR's strict schema asserts.

Why:
    Retailers key their catalogues on the ISBN; a mistyped one creates an orphan record
    or, worse, overwrites someone else's title.

Pass:
    <ProductIdentifier><ProductIDType>15</ProductIDType><IDValue>9780367874827</IDValue></ProductIdentifier>

Fail:
    <ProductIdentifier><ProductIDType>15</ProductIDType><IDValue>9780367874820</IDValue></ProductIdentifier>
"""

from __future__ import annotations

from typing import Iterator

from onixfeed.validate.rules import Hit, identifiers
from onixfeed.validate.rules.identifiers import ISBN13_SHAPE, ascii_mod10_ok, mod10_expected, mod10_ok, typed_values

CODE = "ID001"
NAME = "isbn13-invalid"
SCREEN = identifiers.screen  # the family's one look decides whether this rule runs

TYPES = {
    "ProductIdentifier": frozenset({"15", "24"}),
    "CollectionIdentifier": frozenset({"15"}),
    "WorkIdentifier": frozenset({"15"}),
    "TextItemIdentifier": frozenset({"15"}),
}


def valid(kind: str, value: str) -> bool:
    """True when ID001 has nothing to say about an ISBN-13 (the family screen asks this too)."""
    return ISBN13_SHAPE.match(value) is not None and ascii_mod10_ok(value)  # the shape is ASCII digits


def check(product, context) -> Iterator[Hit]:
    for kind, element, value in typed_values(product, context, TYPES):
        if valid(kind, value):
            continue
        if not ISBN13_SHAPE.match(value):
            yield Hit(f"ISBN-13 {value!r} is not 13 digits starting 978 or 979 (9790 is an ISMN)", element)
        elif not mod10_ok(value):
            yield Hit(f"ISBN {value} has check digit {value[-1]}, expected {mod10_expected(value)}", element)
