"""The RecordReference is only the product's ISBN.

Checks:
    RecordReference is not a bare ISBN (10 or 13 digits, or the same with hyphens). ONIX
    allows it, so this is best practice (a warning by default).

Why:
    ONIX asks for a reference that stays unique across senders and over time, such as a
    reversed domain plus your own key (`com.example.9780306406157`). A bare ISBN collides
    when a distributor and a publisher both send the title, and cannot follow a product
    whose ISBN was issued in error.

Pass:
    <RecordReference>com.example.9780306406157</RecordReference>

Fail:
    <RecordReference>9780306406157</RecordReference>
"""

from __future__ import annotations

from typing import Iterator

from onixfeed.validate.rules import Hit, practice
from onixfeed.validate.rules.practice import BARE_ISBN

CODE = "BP002"
NAME = "record-reference-is-isbn"
SCREEN = practice.screen  # the family's one look decides whether this rule runs


def check(product, context) -> Iterator[Hit]:
    reference = context.child(product, "RecordReference")
    if reference is None:
        return
    value = (reference.text or "").strip()
    if BARE_ISBN.match(value.replace("-", "")):
        yield Hit(f"RecordReference {value!r} is only an ISBN; prefix it with your reversed domain "
                  f"(com.example.{value.replace('-', '')}) so it is unique across senders", reference)
