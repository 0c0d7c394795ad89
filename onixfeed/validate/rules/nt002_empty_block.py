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

from onixfeed.validate.rules import Hit, blocks, first_text

CODE = "NT002"
NAME = "empty-block"
SCREEN = blocks.screen  # the family's one look decides whether this rule runs

BLOCKS = blocks.OPTIONAL_BLOCKS
BLOCK_UPDATES = frozenset({"04", "88"})

# Without one of these elements in the product the rule finds nothing (the runner skips it).
NEEDS = BLOCKS


def check(product, context) -> Iterator[Hit]:
    children = context.children(product)
    if (first_text(children, "NotificationType") or "").strip() in BLOCK_UPDATES:
        return
    empty = [block for name in BLOCKS for block in children.get(name, ()) if _empty(block)]
    if len(empty) > 1:  # rare: report them in document order
        empty = [block for block in product.iterchildren(*BLOCKS) if block in empty]
    for block in empty:
        yield Hit(f"<{block.tag}> is empty; an empty block is only meaningful in a block update (04)", block)


def _empty(block) -> bool:
    """True when the block has no element child (comments do not count)."""
    if len(block) and isinstance(block[0].tag, str):
        return False  # starts with an element: the usual case
    return not any(isinstance(below.tag, str) for below in block)
