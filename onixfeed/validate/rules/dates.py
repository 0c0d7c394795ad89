"""Shared by the date rules: which elements hold dates, their effective dateformat (list 55), parsing.

The shapes follow EDItEUR's strict schema: years 1000-2099, real calendar days, the
time zones it lists. Elements and their default formats are read off its assertions:
most default to 00 (YYYYMMDD), CopyrightYear, ThesisYear, ConferenceDate and EventDate
to 05 (YYYY), OccurrenceDate to 13 (YYYYMMDDThhmm).
"""

from __future__ import annotations

import datetime
import re
from lxml import etree

from onixfeed.validate.rules import child, first_text

# Composites whose value is a <Date> child (format: Date/@dateformat, else a DateFormat child, else the default).
WITH_DATE_CHILD = {
    "ContentDate": "00", "ContributorDate": "00", "MarketDate": "00", "OccurrenceDate": "13", "PriceDate": "00",
    "PublishingDate": "00", "ResourceFileDate": "00", "SubjectDate": "00", "SupplyDate": "00",
}
# Elements holding a date themselves (format: their own @dateformat, else the default).
DIRECT = {
    "ConferenceDate": "05", "CopyrightYear": "05", "EndDate": "00", "EventDate": "05", "ExpectedDate": "00",
    "ReissueDate": "00", "StartDate": "00", "ThesisYear": "05",
}
ALL_TAGS = tuple(WITH_DATE_CHILD) + tuple(DIRECT)

_YEAR = r"(?:1[0-9]{3}|20[0-9]{2})"
_DAY = _YEAR + r"(?:0[1-9]|1[0-2])(?:0[1-9]|[12][0-9]|3[01])"
_ZONE = (r"(?:Z|\+(?:0000|0100|0200|0300|0330|0400|0430|0500|0530|0545|0600|0630|0700|0800|0830|0900|0930|1000"
         r"|1030|1100|1130|1200|1245|1300|1400)|-(?:0000|0100|0200|0300|0330|0400|0500|0600|0700|0800|0900|0930"
         r"|1000|1100|1200))?")

# list 55 code -> (shape, what a person should read, length of one side of a range or None)
FORMATS: dict[str, tuple[re.Pattern, str, int | None]] = {
    "00": (re.compile(_DAY + r"\Z"), "YYYYMMDD", None),
    "01": (re.compile(_YEAR + r"(?:0[1-9]|1[0-2])\Z"), "YYYYMM", None),
    "02": (re.compile(_YEAR + r"(?:[0-4][0-9]|5[0-3])\Z"), "YYYYWW", None),
    "03": (re.compile(_YEAR + r"[1-4]\Z"), "YYYYQ", None),
    "04": (re.compile(_YEAR + r"[1-4]\Z"), "YYYYS", None),
    "05": (re.compile(_YEAR + r"\Z"), "YYYY", None),
    "06": (re.compile(f"(?:{_DAY}){{2}}\\Z"), "YYYYMMDDYYYYMMDD", 8),
    "07": (re.compile(f"(?:{_YEAR}(?:0[1-9]|1[0-2])){{2}}\\Z"), "YYYYMMYYYYMM", 6),
    "08": (re.compile(f"(?:{_YEAR}(?:[0-4][0-9]|5[0-3])){{2}}\\Z"), "YYYYWWYYYYWW", 6),
    "09": (re.compile(f"(?:{_YEAR}[1-4]){{2}}\\Z"), "YYYYQYYYYQ", 5),
    "10": (re.compile(f"(?:{_YEAR}[1-4]){{2}}\\Z"), "YYYYSYYYYS", 5),
    "11": (re.compile(f"(?:{_YEAR}){{2}}\\Z"), "YYYYYYYY", 4),
    "13": (re.compile(_DAY + r"T(?:(?:[01][0-9]|2[0-3])[0-5][0-9]|2400)" + _ZONE + r"\Z"), "YYYYMMDDThhmm", None),
    "14": (re.compile(_DAY + r"T(?:(?:[01][0-9]|2[0-3])[0-5][0-9][0-5][0-9]|240000)" + _ZONE + r"\Z"), "YYYYMMDDThhmmss", None),
}
# Formats whose value starts with one or two YYYYMMDD days that must exist in the calendar.
_DAY_COUNT = {"00": 1, "06": 2, "13": 1, "14": 1}


def dated_values(product: etree._Element, context) -> list[tuple[etree._Element, str, str]]:
    """(element holding the value, stripped value, effective list 55 format) for every date of a product."""
    return context.shared(product, _all_dates)


def _all_dates(product: etree._Element, context) -> list[tuple[etree._Element, str, str]]:
    found = []
    for element in context.elements(product, *ALL_TAGS):
        tag = element.tag
        if tag in DIRECT:
            attribute = element.get("dateformat")
            fmt = attribute.strip() if attribute is not None else DIRECT[tag]
            found.append((element, (element.text or "").strip(), fmt))
            continue
        children = context.children(element)
        dates = children.get("Date")
        if dates is not None:
            date = dates[0]
            found.append((date, (date.text or "").strip(), composite_format(element, date, children)))
    return found


def composite_format(composite: etree._Element, date: etree._Element, children: dict | None = None) -> str:
    """A date composite's effective format: Date/@dateformat, else a DateFormat child, else the default."""
    attribute = date.get("dateformat")
    if attribute is not None:
        return attribute.strip()
    if children is None:
        legacy = child(composite, "DateFormat")
    else:
        legacy = children.get("DateFormat")
        legacy = legacy[0] if legacy else None
    if legacy is not None:
        return (legacy.text or "").strip()
    return WITH_DATE_CHILD.get(composite.tag, "00")


# (value, format) -> shape_ok's verdict: feeds repeat the same dates product after product.
_SHAPES: dict[tuple[str, str], bool] = {}
_SHAPES_LIMIT = 100_000


def shape_ok(value: str, fmt: str) -> bool:
    """True when the value has the shape of its format (and real calendar days); unknown formats pass."""
    key = (value, fmt)
    verdict = _SHAPES.get(key)
    if verdict is None:
        verdict = _shape_ok(value, fmt)
        if len(value) <= 40:  # a date is short: long junk is not worth keeping
            if len(_SHAPES) >= _SHAPES_LIMIT:
                _SHAPES.clear()
            _SHAPES[key] = verdict
    return verdict


def _shape_ok(value: str, fmt: str) -> bool:
    known = FORMATS.get(fmt)
    if known is None:
        return True
    if not known[0].match(value):
        return False
    for index in range(_DAY_COUNT.get(fmt, 0)):
        if calendar_day(value[index * 8: index * 8 + 8]) is None:
            return False
    return True


def calendar_day(text: str) -> datetime.date | None:
    """YYYYMMDD -> date, None when it is not a real day."""
    try:
        return datetime.date(int(text[0:4]), int(text[4:6]), int(text[6:8]))
    except ValueError:
        return None


def range_sides(value: str, fmt: str) -> tuple[str, str] | None:
    """The start and end of a range format's value (06-11), None for other formats."""
    known = FORMATS.get(fmt)
    if known is None or known[2] is None:
        return None
    width = known[2]
    return value[:width], value[width:]


def day_of(composite: etree._Element, context) -> datetime.date | None:
    """The day a date composite gives, when its format is YYYYMMDD (00) and the value is a real day."""
    children = context.children(composite)
    dates = children.get("Date")
    if dates is None:
        return None
    date = dates[0]
    if composite_format(composite, date, children) != "00":
        return None
    text = (date.text or "").strip()
    return calendar_day(text) if FORMATS["00"][0].match(text) else None


def role_date(context, parent: etree._Element, composite: str, role: str) -> etree._Element | None:
    """The first `composite` child of `parent` whose `<composite>Role` is `role` (e.g. PublishingDate 01)."""
    role_tag = composite + "Role"
    for element in context.children(parent).get(composite, ()):
        if (first_text(context.children(element), role_tag) or "").strip() == role:
            return element
    return None


def comparable_values(context, first: etree._Element, second: etree._Element) -> tuple[str, str] | None:
    """Both date composites' values when they can be compared as text: same format, no time zone.

    EDItEUR's strict schema compares such dates as strings when formats and time zones
    agree; values with a zone are left alone here (fewer findings, never a wrong one).
    """
    first_children, second_children = context.children(first), context.children(second)
    first_date, second_date = first_children.get("Date"), second_children.get("Date")
    if first_date is None or second_date is None:
        return None
    first_date, second_date = first_date[0], second_date[0]
    if composite_format(first, first_date, first_children) != composite_format(second, second_date, second_children):
        return None
    a, b = (first_date.text or "").strip(), (second_date.text or "").strip()
    if not a or not b or any(mark in a + b for mark in "+-Z"):
        return None
    return a, b
