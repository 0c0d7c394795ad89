"""A block is sent empty outside a block update.

Checks:
    CollateralDetail (block 2), ContentDetail (3), RelatedMaterial (5), PromotionDetail
    (7) and ProductionDetail (8) may be empty only in a block update (NotificationType
    04), where an empty block deletes what the recipient holds. This is EDItEUR's strict
    schema assertion.

Why:
    In a complete record an empty block carries nothing and usually means a build step
    dropped its content.

Pass:
    <Product><NotificationType>04</NotificationType><CollateralDetail/></Product>

Fail:
    <Product><NotificationType>03</NotificationType><CollateralDetail/></Product>
"""

from __future__ import annotations

from typing import Iterator

from lxml import etree

from onixfeed.validate.rules import Hit, child_text

CODE = "NT002"
NAME = "empty-block"

BLOCKS = ("CollateralDetail", "ContentDetail", "RelatedMaterial", "PromotionDetail", "ProductionDetail")
BLOCK_UPDATES = frozenset({"04", "88"})


def check(product, context) -> Iterator[Hit]:
    if (child_text(product, "NotificationType") or "").strip() in BLOCK_UPDATES:
        return
    for block in product.iterchildren(*BLOCKS):
        if next(block.iterchildren(etree.Element), None) is None:
            yield Hit(f"<{block.tag}> is empty; an empty block is only meaningful in a block update (04)", block)
