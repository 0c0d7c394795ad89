"""A date range ends before it starts.

Checks:
    A date in a range format (dateformat 06 to 11, e.g. YYYYMMDDYYYYMMDD) has its second
    half on or after its first, as EDItEUR's strict schema asserts.

Why:
    A reversed range is empty: a recipient reading it literally never shows the date.

Pass:
    <ContentDate><ContentDateRole>01</ContentDateRole><Date dateformat="06">2024010120241231</Date></ContentDate>

Fail:
    <ContentDate><ContentDateRole>01</ContentDateRole><Date dateformat="06">2024123120240101</Date></ContentDate>
"""

from __future__ import annotations

from typing import Iterator

from onixfeed.validate.rules import Hit, dates
from onixfeed.validate.rules.dates import ALL_TAGS, RANGE_FORMATS, dated_values, range_sides, shape_ok

CODE = "DT003"
NAME = "date-range-reversed"
SCREEN = dates.screen  # the family's one look decides whether this rule runs

# Without one of these elements in the product the rule finds nothing (the runner skips it).
NEEDS = ALL_TAGS


def check(product, context) -> Iterator[Hit]:
    for element, value, fmt in dated_values(product, context):
        if fmt not in RANGE_FORMATS or not shape_ok(value, fmt):
            continue  # a malformed value is DT001's finding
        start, end = range_sides(value, fmt)
        if end < start:
            yield Hit(f"<{element.tag}> range {value} ends ({end}) before it starts ({start})", element)
