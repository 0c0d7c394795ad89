"""A GTIN-13, GTIN-14, UPC-12 or UPC-12+5 has the wrong shape or check digit.

Checks:
    ProductIdentifier types 03 (GTIN-13), 14 (GTIN-14), 04 (UPC-12) and 30 (UPC-12+5),
    and the GTIN-13 types of AVItemIdentifier and TextItemIdentifier, hold the right
    number of digits with a correct mod-10 check digit (for UPC-12+5, on the first 12),
    as EDItEUR's strict schema asserts.

Why:
    The GTIN is what the barcode scanner reads at the till; a wrong one does not match
    the product in the retailer's system.

Pass:
    <ProductIdentifier><ProductIDType>03</ProductIDType><IDValue>9780306406157</IDValue></ProductIdentifier>

Fail:
    <ProductIdentifier><ProductIDType>14</ProductIDType><IDValue>19780306406150</IDValue></ProductIdentifier>
"""

from __future__ import annotations

from typing import Iterator

from onixfeed.validate.rules import Hit, identifiers
from onixfeed.validate.rules.identifiers import DIGITS, ascii_mod10_ok, mod10_expected, mod10_ok, typed_values

CODE = "ID003"
NAME = "gtin-invalid"
SCREEN = identifiers.screen  # the family's one look decides whether this rule runs

TYPES = {
    "ProductIdentifier": frozenset({"03", "04", "14", "30"}),
    "AVItemIdentifier": frozenset({"03"}),
    "TextItemIdentifier": frozenset({"03"}),
}
# type code -> (scheme name, number of digits, how many leading digits carry the check digit)
SCHEMES = {"03": ("GTIN-13", 13, 13), "14": ("GTIN-14", 14, 14), "04": ("UPC-12", 12, 12), "30": ("UPC-12+5", 17, 12)}


def valid(kind: str, value: str) -> bool:
    """True when ID003 has nothing to say about a GTIN or UPC of type `kind` (the family screen asks this too)."""
    _, length, checked = SCHEMES[kind]
    # DIGITS matched: ASCII digits, so the check digit sum needs no second look at them
    return len(value) == length and DIGITS.match(value) is not None and ascii_mod10_ok(value[:checked])


def check(product, context) -> Iterator[Hit]:
    for kind, element, value in typed_values(product, context, TYPES):
        if valid(kind, value):
            continue
        scheme, length, checked = SCHEMES[kind]
        if len(value) != length or not DIGITS.match(value):
            yield Hit(f"{scheme} {value!r} is not {length} digits", element)
        elif not mod10_ok(value[:checked]):
            expected = mod10_expected(value[:checked])
            yield Hit(f"{scheme} {value} has check digit {value[checked - 1]}, expected {expected}", element)
