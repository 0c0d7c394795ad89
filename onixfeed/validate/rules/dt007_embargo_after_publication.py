"""A sales embargo date is later than the publication date.

Checks:
    In PublishingDetail, the sales embargo date (PublishingDate role 02) is not later than
    the publication date (role 01), when both have the same format. This is EDItEUR's
    strict schema assertion.

Why:
    An embargo that lifts after publication keeps a published book off sale; usually the
    two dates were swapped.

Pass:
    <PublishingDate><PublishingDateRole>01</PublishingDateRole><Date>20250301</Date></PublishingDate>
    <PublishingDate><PublishingDateRole>02</PublishingDateRole><Date>20250301</Date></PublishingDate>

Fail:
    <PublishingDate><PublishingDateRole>01</PublishingDateRole><Date>20250301</Date></PublishingDate>
    <PublishingDate><PublishingDateRole>02</PublishingDateRole><Date>20250315</Date></PublishingDate>
"""

from __future__ import annotations

from typing import Iterator

from onixfeed.validate.rules import Hit, dates
from onixfeed.validate.rules.dates import comparable_values, role_date

CODE = "DT007"
NAME = "embargo-after-publication"
SCREEN = dates.screen  # the family's one look decides whether this rule runs

# Without one of these elements in the product the rule finds nothing (the runner skips it).
NEEDS = ("PublishingDate",)


def check(product, context) -> Iterator[Hit]:
    detail = context.child(product, "PublishingDetail")
    if detail is None:
        return
    embargo = role_date(context, detail, "PublishingDate", "02")
    if embargo is None:
        return  # few products have an embargo: look for it first
    published = role_date(context, detail, "PublishingDate", "01")
    if published is None:
        return
    values = comparable_values(context, published, embargo)
    if values is not None and values[1] > values[0]:
        yield Hit(f"sales embargo date {values[1]} is after the publication date {values[0]}", embargo)
