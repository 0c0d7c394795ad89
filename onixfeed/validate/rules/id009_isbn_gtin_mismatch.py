"""A product's GTIN-13 differs from its ISBN-13.

Checks:
    When a Product carries both an ISBN-13 (ProductIDType 15) and a GTIN-13 (03) at
    product level, the GTIN-13 equals one of its ISBN-13s. EDItEUR's schema does not
    assert this, so it is best practice (a warning by default).

Why:
    For a book the GTIN-13 is the ISBN-13 (the barcode carries it); two different values
    make recipients guess which one identifies the product.

Pass:
    <Product>
      <ProductIdentifier><ProductIDType>15</ProductIDType><IDValue>9780306406157</IDValue></ProductIdentifier>
      <ProductIdentifier><ProductIDType>03</ProductIDType><IDValue>9780306406157</IDValue></ProductIdentifier>
    </Product>

Fail:
    <Product>
      <ProductIdentifier><ProductIDType>15</ProductIDType><IDValue>9780306406157</IDValue></ProductIdentifier>
      <ProductIdentifier><ProductIDType>03</ProductIDType><IDValue>9780367874827</IDValue></ProductIdentifier>
    </Product>
"""

from __future__ import annotations

from typing import Iterator

from onixfeed.validate.rules import Hit, identifiers
from onixfeed.validate.rules.identifiers import composites

CODE = "ID009"
NAME = "isbn-gtin-mismatch"
SCREEN = identifiers.screen  # the family's one look decides whether this rule runs


def check(product, context) -> Iterator[Hit]:
    isbns: set[str] = set()
    gtins = []
    for row in composites(product, context).get("ProductIdentifier", ()):
        if row.value_element is None or row.element.getparent() is not product:
            continue
        if row.kind == "15":
            isbns.add(row.value)
        elif row.kind == "03":
            gtins.append(row)
    if not isbns:
        return
    for row in gtins:
        if row.value not in isbns:
            listed = ", ".join(sorted(isbns))
            yield Hit(f"GTIN-13 {row.value} differs from the product's ISBN-13 {listed}", row.value_element)
