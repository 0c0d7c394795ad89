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

from onixfeed.validate.rules import Hit, child, child_text, children_at

CODE = "NT004"
NAME = "publishing-status-missing"


def check(product, context) -> Iterator[Hit]:
    detail = child(product, "PublishingDetail")
    supplies = list(product.iterchildren("ProductSupply"))
    if (detail is None or not supplies) and (child_text(product, "NotificationType") or "").strip() == "04":
        return
    if detail is not None and child(detail, "PublishingStatus") is not None:
        return
    for supply in supplies:
        if not children_at(supply, "MarketPublishingDetail", "MarketPublishingStatus"):
            where = detail if detail is not None else supply
            yield Hit("no <PublishingStatus> in <PublishingDetail>, and a <ProductSupply> has no "
                      "<MarketPublishingStatus>", where)
            return
