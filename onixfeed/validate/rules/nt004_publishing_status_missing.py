"""PublishingStatus is missing and not every market gives a MarketPublishingStatus.

Checks:
    A product has PublishingDetail/PublishingStatus, unless every ProductSupply has a
    MarketPublishingDetail/MarketPublishingStatus (or it is a block update without
    PublishingDetail or ProductSupply). This is EDItEUR's strict schema assertion.

Why:
    Whether a book is forthcoming, active or out of print is what a retailer needs first
    to decide whether to list it.

Pass:
    <PublishingDetail><PublishingStatus>04</PublishingStatus></PublishingDetail>

Fail:
    <PublishingDetail><Publisher>...</Publisher></PublishingDetail>
    <ProductSupply><SupplyDetail>...</SupplyDetail></ProductSupply>
"""

from __future__ import annotations

from typing import Iterator

from onixfeed.validate.rules import Hit, blocks, first_text

CODE = "NT004"
NAME = "publishing-status-missing"
SCREEN = blocks.screen  # the family's one look decides whether this rule runs


def check(product, context) -> Iterator[Hit]:
    children = context.children(product)
    detail = children.get("PublishingDetail")
    detail = detail[0] if detail else None
    supplies = children.get("ProductSupply", ())
    if (detail is None or not supplies) and (first_text(children, "NotificationType") or "").strip() == "04":
        return
    if detail is not None and "PublishingStatus" in context.children(detail):
        return
    for supply in supplies:
        if not context.children_at(supply, "MarketPublishingDetail", "MarketPublishingStatus"):
            where = detail if detail is not None else supply
            yield Hit("no <PublishingStatus> in <PublishingDetail>, and a <ProductSupply> has no "
                      "<MarketPublishingStatus>", where)
            return
