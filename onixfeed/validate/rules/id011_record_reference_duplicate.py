"""Two products in one message share a RecordReference.

Checks:
    Each Product's RecordReference is unique within the message (EDItEUR's schema
    asserts this across products, which a product-by-product validator must do apart).

Why:
    The RecordReference is the key a recipient updates and deletes by: a second product
    with the same reference silently replaces the first.

Pass:
    <Product><RecordReference>com.example.1</RecordReference>...</Product>
    <Product><RecordReference>com.example.2</RecordReference>...</Product>

Fail:
    <Product><RecordReference>com.example.1</RecordReference>...</Product>
    <Product><RecordReference>com.example.1</RecordReference>...</Product>
"""

from __future__ import annotations

from typing import Iterator, Sequence

from onixfeed.validate.checks import Key
from onixfeed.validate.rules import Hit

CODE = "ID011"
NAME = "record-reference-duplicate"
SCOPE = "message"
KIND = "RecordReference"


def keys(product, context) -> tuple[Key, ...]:
    # a tuple, not a generator: this runs on every product for its one key
    element = context.child(product, "RecordReference")
    if element is None:
        return ()
    value = (element.text or "").strip()
    return (Key(KIND, value, element.sourceline, value),) if value else ()


def check(all_keys: Sequence[Key], context) -> Iterator[Hit]:
    first_line: dict[str, int | None] = {}
    for key in all_keys:
        if key.kind != KIND:
            continue
        if key.value in first_line:
            where = f" (first on line {first_line[key.value]})" if first_line[key.value] else ""
            yield Hit(f"RecordReference {key.value!r} is used by an earlier product{where}", line=key.line,
                      record=key.record)
        else:
            first_line[key.value] = key.line
