"""IDTypeName is missing from a proprietary identifier, or present on a standard one.

Checks:
    In every identifier composite (ProductIdentifier, PublisherIdentifier, NameIdentifier
    ...), IDTypeName is present if and only if the type is proprietary: code 01 in most
    lists, 01 or 02 in the name identifier lists 44 and 92, 01 to 07 for PriceIDType.
    This is EDItEUR's strict schema assertion.

Why:
    A proprietary value means nothing without the name of the scheme; a name on a
    standard scheme (ISBN) suggests the type code is wrong.

Pass:
    <ProductIdentifier><ProductIDType>01</ProductIDType><IDTypeName>Acme SKU</IDTypeName><IDValue>A-1</IDValue></ProductIdentifier>

Fail:
    <ProductIdentifier><ProductIDType>01</ProductIDType><IDValue>A-1</IDValue></ProductIdentifier>
"""

from __future__ import annotations

from typing import Iterator

from onixfeed.validate.rules import Hit
from onixfeed.validate.rules.identifiers import PARTY_COMPOSITES, composite_tags, type_element

CODE = "ID010"
NAME = "id-type-name-mismatch"

_PARTY = frozenset(PARTY_COMPOSITES)
_PROPRIETARY_PRICE = frozenset({"01", "02", "03", "04", "05", "06", "07"})


def proprietary_codes(composite_tag: str) -> frozenset[str]:
    if composite_tag in _PARTY:
        return frozenset({"01", "02"})
    if composite_tag == "PriceIdentifier":
        return _PROPRIETARY_PRICE
    return frozenset({"01"})


def check(product, context) -> Iterator[Hit]:
    for composite in product.iter(*composite_tags()):
        tag = composite.tag
        kind = (composite.findtext(type_element(tag)) or "").strip()
        if not kind:
            continue
        named = composite.find("IDTypeName") is not None
        proprietary = kind in proprietary_codes(tag)
        if proprietary and not named:
            yield Hit(f"<{tag}> of proprietary type {kind} has no <IDTypeName> naming the scheme", composite)
        elif named and not proprietary:
            yield Hit(f"<{tag}> of type {kind} has an <IDTypeName>, which only proprietary types take", composite)
