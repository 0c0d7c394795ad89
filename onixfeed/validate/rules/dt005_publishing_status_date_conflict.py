"""The publishing status contradicts the presence of a publication date.

Checks:
    In PublishingDetail: a forthcoming product (PublishingStatus 02) gives a publication
    date (PublishingDate role 01); a cancelled (01) or indefinitely postponed (03) one
    does not. In MarketPublishingDetail: a cancelled (01) or indefinitely postponed (03)
    market gives no market publication date (MarketDate role 01). These are EDItEUR's
    strict schema assertions.

Why:
    A cancelled title with a publication date gets listed as coming; a forthcoming one
    without a date cannot be pre-ordered.

Pass:
    <PublishingDetail><PublishingStatus>02</PublishingStatus>
      <PublishingDate><PublishingDateRole>01</PublishingDateRole><Date>20270301</Date></PublishingDate></PublishingDetail>

Fail:
    <PublishingDetail><PublishingStatus>01</PublishingStatus>
      <PublishingDate><PublishingDateRole>01</PublishingDateRole><Date>20270301</Date></PublishingDate></PublishingDetail>
"""

from __future__ import annotations

from typing import Iterator

from onixfeed.validate.rules import Hit, dates, first_text
from onixfeed.validate.rules.dates import WITHOUT_DATE, role_date

CODE = "DT005"
NAME = "publishing-status-date-conflict"
SCREEN = dates.screen  # the family's one look decides whether this rule runs

# Without one of these elements in the product the rule finds nothing (the runner skips it).
NEEDS = ("PublishingStatus", "MarketDate")  # a status 01-03 to judge, or a market date


def check(product, context) -> Iterator[Hit]:
    detail = context.child(product, "PublishingDetail")
    if detail is not None:
        status = context.child(detail, "PublishingStatus")
        code = (status.text or "").strip() if status is not None else ""
        date = role_date(context, detail, "PublishingDate", "01")
        if code in WITHOUT_DATE and date is not None:
            yield Hit(f"PublishingStatus {code} ({WITHOUT_DATE[code]}) must not come with a publication date "
                      f"(PublishingDate role 01)", date)
        elif code == "02" and date is None:
            yield Hit("PublishingStatus 02 (forthcoming) needs a publication date (PublishingDate role 01)", status)
    for market in context.elements(product, "MarketPublishingDetail"):
        children = context.children(market)
        code = (first_text(children, "MarketPublishingStatus") or "").strip()
        if code not in WITHOUT_DATE:
            continue  # only a cancelled or indefinitely postponed status forbids the date
        date = role_date(context, market, "MarketDate", "01")
        if date is not None:
            yield Hit(f"MarketPublishingStatus {code} ({WITHOUT_DATE[code]}) must not come with a market "
                      f"publication date (MarketDate role 01)", date)
