"""A complete record lacks DescriptiveDetail (block 1) or PublishingDetail (block 4).

Checks:
    Products with NotificationType 01, 02 or 03 (complete records) carry both
    DescriptiveDetail and PublishingDetail; only block updates (04) and deletions (05)
    may omit them. This is EDItEUR's strict schema assertion.

Why:
    A complete record replaces what the recipient holds: without block 1 or block 4 it
    wipes the title, form and publisher the recipient had.

Pass:
    <Product><NotificationType>03</NotificationType><DescriptiveDetail>...</DescriptiveDetail><PublishingDetail>...</PublishingDetail></Product>

Fail:
    <Product><NotificationType>03</NotificationType><PublishingDetail>...</PublishingDetail></Product>
"""

from __future__ import annotations

from typing import Iterator

from onixfeed.validate.rules import Hit, blocks

CODE = "NT001"
NAME = "required-block-missing"
SCREEN = blocks.screen  # the family's one look decides whether this rule runs

# 88 is a test-only notification type the strict schema also exempts.
EXEMPT = frozenset({"04", "05", "88"})
BLOCKS = (("DescriptiveDetail", "block 1"), ("PublishingDetail", "block 4"))


def check(product, context) -> Iterator[Hit]:
    children = context.children(product)
    notification = children.get("NotificationType")
    notification = notification[0] if notification else None
    kind = (notification.text or "").strip() if notification is not None else ""
    if kind in EXEMPT:
        return
    for tag, block in BLOCKS:
        if tag not in children:
            shown = kind or "missing"
            yield Hit(f"<{tag}> ({block}) is required in a complete record (NotificationType {shown}); "
                      f"only block updates (04) and deletions (05) omit it", notification if notification is not None else product)
