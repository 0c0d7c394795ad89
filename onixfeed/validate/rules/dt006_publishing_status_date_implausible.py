"""The publishing status is implausible for the publication date.

Checks:
    A forthcoming product (PublishingStatus 02) whose publication date (PublishingDate
    role 01, YYYYMMDD) is already past, or an active one (04) whose publication date is
    more than a year ahead. EDItEUR's schema cannot assert this (it has no notion of
    today), so it is a warning by default.

Why:
    A stale "forthcoming" keeps a published book on pre-order; an "active" book a year
    out is sold before it exists. Both usually mean the status was not updated.

Pass:
    <PublishingDetail><PublishingStatus>04</PublishingStatus>
      <PublishingDate><PublishingDateRole>01</PublishingDateRole><Date>20240301</Date></PublishingDate></PublishingDetail>

Fail:
    <PublishingDetail><PublishingStatus>02</PublishingStatus>
      <PublishingDate><PublishingDateRole>01</PublishingDateRole><Date>20200301</Date></PublishingDate></PublishingDetail>
"""

from __future__ import annotations

from typing import Iterator

from onixfeed.validate.rules import Hit, dates, first_text
from onixfeed.validate.rules.dates import FAR_AHEAD, day_of

CODE = "DT006"
NAME = "publishing-status-date-implausible"
SCREEN = dates.screen  # the family's one look decides whether this rule runs

# Without one of these elements in the product the rule finds nothing (the runner skips it).
NEEDS = ("PublishingDate",)


def check(product, context) -> Iterator[Hit]:
    detail = context.child(product, "PublishingDetail")
    if detail is None:
        return
    children = context.children(detail)
    status = (first_text(children, "PublishingStatus") or "").strip()
    if status not in ("02", "04"):
        return
    for composite in children.get("PublishingDate", ()):
        if (first_text(context.children(composite), "PublishingDateRole") or "").strip() != "01":
            continue
        day = day_of(composite, context)
        if day is None:
            return
        if status == "02" and day < context.today:
            yield Hit(f"PublishingStatus 02 (forthcoming) but the publication date {day:%Y%m%d} has passed", composite)
        elif status == "04" and day > context.today + FAR_AHEAD:
            yield Hit(f"PublishingStatus 04 (active) but the publication date {day:%Y%m%d} is over a year ahead",
                      composite)
        return
