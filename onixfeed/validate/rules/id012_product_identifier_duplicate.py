"""Two products in one message share an ISBN-13 or GTIN-13.

Checks:
    The ISBN-13 (ProductIDType 15) and GTIN-13 (03) values at product level are unique
    within the message, as EDItEUR's schema asserts across products.

Why:
    Two records for one ISBN make the recipient keep whichever arrives last, usually not
    the one intended.

Pass:
    <Product>...<ProductIDType>15</ProductIDType><IDValue>9780306406157</IDValue>...</Product>
    <Product>...<ProductIDType>15</ProductIDType><IDValue>9780367874827</IDValue>...</Product>

Fail:
    <Product>...<ProductIDType>15</ProductIDType><IDValue>9780306406157</IDValue>...</Product>
    <Product>...<ProductIDType>15</ProductIDType><IDValue>9780306406157</IDValue>...</Product>
"""

from __future__ import annotations

from typing import Iterator, Sequence

from onixfeed.validate.checks import Key
from onixfeed.validate.rules import Hit
from onixfeed.validate.rules.identifiers import composites

CODE = "ID012"
NAME = "product-identifier-duplicate"
SCOPE = "message"
KINDS = {"15": "ISBN", "03": "GTIN"}


def keys(product, context) -> Iterator[Key]:
    record = (product.findtext("RecordReference") or "").strip() or None
    seen = set()
    for row in composites(product, context).get("ProductIdentifier", ()):
        kind = KINDS.get(row.kind)
        if kind is None or not row.value or row.element.getparent() is not product:
            continue
        if (kind, row.value) not in seen:
            seen.add((kind, row.value))
            yield Key(kind, row.value, row.value_element.sourceline, record)


def check(all_keys: Sequence[Key], context) -> Iterator[Hit]:
    first: dict[tuple[str, str], Key] = {}
    wanted = set(KINDS.values())
    for key in all_keys:
        if key.kind not in wanted:
            continue
        earlier = first.get((key.kind, key.value))
        if earlier is None:
            first[(key.kind, key.value)] = key
            continue
        where = f" on line {earlier.line}" if earlier.line else ""
        owner = f" (record {earlier.record})" if earlier.record else ""
        yield Hit(f"{key.kind} {key.value} is already used by an earlier product{where}{owner}",
                  line=key.line, record=key.record)
