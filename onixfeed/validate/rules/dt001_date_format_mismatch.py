"""A date does not have the shape its dateformat says.

Checks:
    Every date (PublishingDate/Date, SupplyDate/Date, MarketDate/Date, CopyrightYear,
    StartDate ... ) matches its format from list 55: the dateformat attribute, else the
    deprecated DateFormat element, else the element's default (YYYYMMDD for most, YYYY for
    CopyrightYear). Years run 1000-2099 and days must exist (no 20250230). These are
    EDItEUR's strict schema assertions; text formats (12) and non-Gregorian calendars
    are not checked.

Why:
    A date the recipient cannot parse is dropped, and a missing publication date keeps a
    book off sale.

Pass:
    <PublishingDate><PublishingDateRole>01</PublishingDateRole><Date>20250301</Date></PublishingDate>

Fail:
    <PublishingDate><PublishingDateRole>01</PublishingDateRole><Date>2025-03-01</Date></PublishingDate>
"""

from __future__ import annotations

from typing import Iterator

from onixfeed.validate.rules import Hit, dates
from onixfeed.validate.rules.dates import ALL_TAGS, FORMATS, dated_values, shape_ok

CODE = "DT001"
NAME = "date-format-mismatch"
SCREEN = dates.screen  # the family's one look decides whether this rule runs

# Without one of these elements in the product the rule finds nothing (the runner skips it).
NEEDS = ALL_TAGS  # every element holding a date or a date composite


def check(product, context) -> Iterator[Hit]:
    for element, value, fmt in dated_values(product, context):
        if not shape_ok(value, fmt):
            shape = FORMATS[fmt][1]
            yield Hit(f"<{element.tag}> {value!r} is not a valid {shape} date (dateformat {fmt}, list 55)", element)
