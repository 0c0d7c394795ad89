"""A market's publication date is earlier than the global publication date.

Checks:
    Each market publication date (MarketDate role 01 in MarketPublishingDetail) is not
    earlier than the publication date in PublishingDetail (PublishingDate role 01), when
    both have the same format. This is EDItEUR's strict schema assertion.

Why:
    The global publication date is the first publication anywhere; a market cannot
    publish before it, so one of the two dates is wrong.

Pass:
    <PublishingDate><PublishingDateRole>01</PublishingDateRole><Date>20250301</Date></PublishingDate>
    ... <MarketDate><MarketDateRole>01</MarketDateRole><Date>20250415</Date></MarketDate>

Fail:
    <PublishingDate><PublishingDateRole>01</PublishingDateRole><Date>20250301</Date></PublishingDate>
    ... <MarketDate><MarketDateRole>01</MarketDateRole><Date>20250201</Date></MarketDate>
"""

from __future__ import annotations

from typing import Iterator

from onixfeed.validate.rules import Hit, dates
from onixfeed.validate.rules.dates import comparable_values, role_date

CODE = "DT008"
NAME = "market-date-before-publication"
SCREEN = dates.screen  # the family's one look decides whether this rule runs

# Without one of these elements in the product the rule finds nothing (the runner skips it).
NEEDS = ("MarketDate",)


def check(product, context) -> Iterator[Hit]:
    markets = context.children_at(product, "ProductSupply", "MarketPublishingDetail")
    if not markets:
        return
    detail = context.child(product, "PublishingDetail")
    if detail is None:
        return
    published = role_date(context, detail, "PublishingDate", "01")
    if published is None:
        return
    for market in markets:
        market_date = role_date(context, market, "MarketDate", "01")
        if market_date is None:
            continue
        values = comparable_values(context, published, market_date)
        if values is not None and values[1] < values[0]:
            yield Hit(f"market publication date {values[1]} is before the publication date {values[0]}", market_date)
