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

from onixfeed.validate.rules import Hit, identifiers
from onixfeed.validate.rules.identifiers import composites, proprietary_codes

CODE = "ID010"
NAME = "id-type-name-mismatch"
SCREEN = identifiers.screen  # the family's one look decides whether this rule runs


def check(product, context) -> Iterator[Hit]:
    for tag, rows in composites(product, context).items():
        proprietary_kinds = proprietary_codes(tag)
        for row in rows:
            if not row.kind:
                continue  # a missing type is the schema's finding
            named = row.type_name is not None
            proprietary = row.kind in proprietary_kinds
            if proprietary and not named:
                yield Hit(f"<{tag}> of proprietary type {row.kind} has no <IDTypeName> naming the scheme",
                          row.element)
            elif named and not proprietary:
                yield Hit(f"<{tag}> of type {row.kind} has an <IDTypeName>, which only proprietary types take",
                          row.element)
