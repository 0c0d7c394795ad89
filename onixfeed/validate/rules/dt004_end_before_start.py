"""An end date comes before its start date.

Checks:
    Where ONIX gives a period as two dates, the end is not before the start: StartDate and
    EndDate in SalesRestriction, and PriceDate roles 14 (from) and 15 (until) in a Price.
    Only full days (YYYYMMDD) are compared. EDItEUR's schema does not assert this, so it
    is a warning by default.

Why:
    A price or restriction whose period ends before it begins never applies; the
    recipient either ignores it or applies it forever.

Pass:
    <SalesRestriction><SalesRestrictionType>04</SalesRestrictionType><StartDate>20250101</StartDate><EndDate>20251231</EndDate></SalesRestriction>

Fail:
    <SalesRestriction><SalesRestrictionType>04</SalesRestrictionType><StartDate>20251231</StartDate><EndDate>20250101</EndDate></SalesRestriction>
"""

from __future__ import annotations

from typing import Iterator

from onixfeed.validate.rules import Hit
from onixfeed.validate.rules.dates import FORMATS, calendar_day, day_of

CODE = "DT004"
NAME = "end-before-start"


def _direct_day(element) -> object:
    if element is None or element.get("dateformat", "00").strip() != "00":
        return None
    text = (element.text or "").strip()
    return calendar_day(text) if FORMATS["00"][0].match(text) else None


def check(product, context) -> Iterator[Hit]:
    for restriction in context.elements(product, "SalesRestriction"):
        start = _direct_day(restriction.find("StartDate"))
        end_element = restriction.find("EndDate")
        end = _direct_day(end_element)
        if start and end and end < start:
            yield Hit(f"<SalesRestriction> ends {end:%Y%m%d}, before it starts {start:%Y%m%d}", end_element)
    for price in context.elements(product, "Price"):
        days = {}
        for price_date in price.iterchildren("PriceDate"):
            role = (price_date.findtext("PriceDateRole") or "").strip()
            if role in ("14", "15"):
                days[role] = (day_of(price_date), price_date)
        if "14" in days and "15" in days:
            (start, _), (end, element) = days["14"], days["15"]
            if start and end and end < start:
                yield Hit(f"<Price> is valid until {end:%Y%m%d}, before it is valid from {start:%Y%m%d}", element)
