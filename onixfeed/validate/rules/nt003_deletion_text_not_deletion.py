"""DeletionText is sent in a product that is not a deletion.

Checks:
    DeletionText (the reason for deleting a record) appears only with NotificationType
    05, as EDItEUR's strict schema asserts.

Why:
    A reason for deletion on a live record suggests the sender meant to delete it, or
    used 05-style wording for out-of-print (which is PublishingStatus, not a deletion).

Pass:
    <Product><NotificationType>05</NotificationType><DeletionText>Sent in error</DeletionText></Product>

Fail:
    <Product><NotificationType>03</NotificationType><DeletionText>Out of print</DeletionText></Product>
"""

from __future__ import annotations

from typing import Iterator

from onixfeed.validate.rules import Hit, blocks, first_text

CODE = "NT003"
NAME = "deletion-text-not-deletion"
SCREEN = blocks.screen  # the family's one look decides whether this rule runs

# Without one of these elements in the product the rule finds nothing (the runner skips it).
NEEDS = ("DeletionText",)


def check(product, context) -> Iterator[Hit]:
    children = context.children(product)
    text = children.get("DeletionText")
    if text is None:
        return
    kind = (first_text(children, "NotificationType") or "").strip()
    if kind != "05":
        yield Hit(f"<DeletionText> is only for deletions (NotificationType 05), this product is {kind or 'untyped'}",
                  text[0])
