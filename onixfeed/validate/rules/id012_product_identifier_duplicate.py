"""Two products in one message share an ISBN-13 or GTIN-13.

Checks:
    The ISBN-13 (ProductIDType 15) and GTIN-13 (03) values at product level are unique
    within the message. EDItEUR's strict schema asserts this by counting the products that
    carry one against the distinct values; duplicates are reported when that count fails.

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
from onixfeed.validate.rules.identifiers import product_isbns_and_gtins

CODE = "ID012"
NAME = "product-identifier-duplicate"
SCOPE = "message"
KINDS = {"15": "ISBN", "03": "GTIN"}


# The first value of a kind in a product is keyed by the kind itself, so those keys count the
# products that carry one; a product's further distinct values of the kind are keyed apart.
FURTHER = {kind: f"{kind} further" for kind in KINDS.values()}


def keys(product, context) -> list[Key]:
    # a list, not a generator: this runs on every product, and most give one or two keys
    found: list[Key] = []
    record = None
    seen: set = set()  # the kinds and the (kind, value) pairs given so far
    # the family screen's product-level ISBN-13 and GTIN-13 rows: no other row to pass over
    for _, _, code, value_element, value, _ in product_isbns_and_gtins(product, context):
        if not value:
            continue
        if not found:
            record = (context.child_text(product, "RecordReference") or "").strip() or None
        kind = KINDS[code]
        pair = (kind, value)
        if pair in seen:
            continue
        seen.add(pair)
        keyed = kind if kind not in seen else FURTHER[kind]
        seen.add(kind)
        found.append(_new_key(Key, (keyed, value, value_element.sourceline, record)))
    return found


_new_key = tuple.__new__  # skips the Python-level __new__ a NamedTuple call goes through


def check(all_keys: Sequence[Key], context) -> Iterator[Hit]:
    # The strict schema asserts that as many products carry the identifier as there are
    # distinct values; only when that fails (more carriers than values) is a duplicate reported.
    carriers = {kind: 0 for kind in KINDS.values()}
    values: dict[str, set[str]] = {kind: set() for kind in KINDS.values()}
    for key in all_keys:
        if key.kind in carriers:
            carriers[key.kind] += 1
            values[key.kind].add(key.value)
        elif key.kind in _KIND_OF_FURTHER:
            values[_KIND_OF_FURTHER[key.kind]].add(key.value)
    failing = {kind for kind in values if carriers[kind] > len(values[kind])}
    if not failing:
        return
    first: dict[tuple[str, str], Key] = {}
    for key in all_keys:
        kind = _KIND_OF_FURTHER.get(key.kind, key.kind)
        if kind not in failing:
            continue
        earlier = first.get((kind, key.value))
        if earlier is None:
            first[(kind, key.value)] = key
            continue
        where = f" on line {earlier.line}" if earlier.line else ""
        owner = f" (record {earlier.record})" if earlier.record else ""
        yield Hit(f"{kind} {key.value} is already used by an earlier product{where}{owner}",
                  line=key.line, record=key.record)


_KIND_OF_FURTHER = {further: kind for kind, further in FURTHER.items()}
