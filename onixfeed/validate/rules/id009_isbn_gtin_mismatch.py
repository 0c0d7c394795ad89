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

from onixfeed.validate.rules import Hit

CODE = "ID009"
NAME = "isbn-gtin-mismatch"


def check(product, context) -> Iterator[Hit]:
    isbns: set[str] = set()
    gtins = []
    for composite in product.iterchildren("ProductIdentifier"):
        kind = (composite.findtext("ProductIDType") or "").strip()
        if kind in ("15", "03"):
            value = composite.find("IDValue")
            if value is None:
                continue
            if kind == "15":
                isbns.add((value.text or "").strip())
            else:
                gtins.append(value)
    if not isbns:
        return
    for value in gtins:
        text = (value.text or "").strip()
        if text not in isbns:
            listed = ", ".join(sorted(isbns))
            yield Hit(f"GTIN-13 {text} differs from the product's ISBN-13 {listed}", value)
