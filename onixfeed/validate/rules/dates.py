"""Shared by the date rules (DT001-DT008): date elements, their dateformat (list 55), parsing, the screen.

The shapes follow EDItEUR's strict schema: years 1000-2099, real calendar days, the
time zones it lists. Elements and their default formats are read off its assertions:
most default to 00 (YYYYMMDD), CopyrightYear, ThesisYear, ConferenceDate and EventDate
to 05 (YYYY), OccurrenceDate to 13 (YYYYMMDDThhmm).
"""

from __future__ import annotations

import calendar
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
# The range formats (06-11): two sides, each of the width given in FORMATS.
RANGE_FORMATS = frozenset(code for code, (_, _, width) in FORMATS.items() if width is not None)

# date composite -> the parents in which its role must be unique (DT002, from the strict schema)
ROLE_UNIQUE_IN = {
    "PublishingDate": ("PublishingDetail",),
    "SupplyDate": ("SupplyDetail",),
    "MarketDate": ("MarketPublishingDetail",),
    "PriceDate": ("Price",),
    "ContributorDate": ("Contributor",),
    "SubjectDate": ("NameAsSubject",),
    "ContentDate": ("TextContent", "CitedContent", "ResourceVersion"),
}
# parent element -> (date composite, [(start role, end role, what the period is)]) (DT004)
ROLE_PERIODS = {
    "Price": ("PriceDate", [("14", "15", "price validity")]),
    "Contributor": ("ContributorDate", [("50", "51", "life")]),
    "NameAsSubject": ("SubjectDate", [("50", "51", "life")]),
}
_CONTENT_PERIODS = ("ContentDate", [("14", "15", "content period"), ("27", "28", "availability"),
                                    ("31", "32", "associated period")])
for _parent in ("CitedContent", "ResourceVersion", "TextContent"):
    ROLE_PERIODS[_parent] = _CONTENT_PERIODS
PERIOD_COMPOSITES = tuple(sorted({composite for composite, _ in ROLE_PERIODS.values()}))
# PublishingStatus and MarketPublishingStatus codes (list 64) that forbid a publication date (DT005).
WITHOUT_DATE = {"01": "cancelled", "03": "postponed indefinitely"}
# How far ahead an active product's publication date may lie before DT006 doubts it.
FAR_AHEAD = datetime.timedelta(days=366)


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
    if fmt == "00":
        return day_shape_ok(value)
    known = FORMATS.get(fmt)
    if known is None:
        return True
    if not known[0].match(value):
        return False
    for index in range(_DAY_COUNT.get(fmt, 0)):
        if calendar_day(value[index * 8: index * 8 + 8]) is None:
            return False
    return True


def day_shape_ok(value: str) -> bool:
    """True when `value` is a real calendar day as YYYYMMDD (format 00), as FORMATS["00"] and
    calendar_day judge it together, at a quarter of their cost: most products' dates are days,
    and a feed's days are too many to be cached one by one."""
    # ASCII digits only (str.isdigit alone takes other scripts' digits, which [0-9] does not);
    # two digits compare as text as they do as numbers
    return (len(value) == 8 and value.isascii() and value.isdigit()
            and "01" <= value[6:] <= (_LAST_DAYS.get(value[:6]) or _last_day(value[:6])))


# YYYYMM -> its last day as two digits, or "" (no day is at most "") when FORMATS["00"] rejects the month
_LAST_DAYS: dict[str, str] = {}
_MONTH = re.compile(_YEAR + r"(?:0[1-9]|1[0-2])\Z")


def _last_day(month: str) -> str:
    found = "" if not _MONTH.match(month) else f"{calendar.monthrange(int(month[:4]), int(month[4:]))[1]:02d}"
    if len(_LAST_DAYS) >= 20_000:  # only junk years and months get this far (there are 13,200 real ones)
        _LAST_DAYS.clear()
    _LAST_DAYS[month] = found
    return found


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



_NONE: frozenset[str] = frozenset()
_ROLE_UNIQUE = frozenset(ROLE_UNIQUE_IN)
_PERIODS = frozenset(PERIOD_COMPOSITES)
_REPEATABLE = _ROLE_UNIQUE | _PERIODS
# The names, besides Date and PublishingDate (judged with its PublishingDetail), whose presence
# may name a date rule; most products hold none of them.
_SCREENED_NAMES = (frozenset(DIRECT) | _REPEATABLE | {"SalesRestriction", "MarketDate"}) - {"PublishingDate"}
_STATUS_NEEDS_ROLES = frozenset(WITHOUT_DATE) | {"02"}  # DT005 then asks which roles are given
# context.today -> (today, today + FAR_AHEAD) as YYYYMMDD: a run has one today, tests a few.
_DAY_TEXTS: dict[datetime.date, tuple[str, str]] = {}


def screen(product: etree._Element, context) -> frozenset[str] | set[str]:
    """DT codes that may fire on a product: a necessary condition of each rule, never its verdict.

    One look at the index's date elements (shape verdicts from the shared cache) and at the
    PublishingDetail's status and dates; no children table is built unless a legacy DateFormat
    is present. Values are compared as text where the rules compare them as text or as
    YYYYMMDD days (the same order for eight digits), so a rule is named whenever it could fire.
    """
    index = context.index(product)
    suspects: set[str] = set()
    values = _judge_date_composites(index, context, suspects)
    if not index.keys().isdisjoint(_SCREENED_NAMES):  # in C, no set made: most products hold none
        _judge_other_dates(index.keys() & _SCREENED_NAMES, index, suspects)
    details = context.children(product).get("PublishingDetail")
    if details is not None:
        _judge_publishing_detail(details[0], index, values, context.today, suspects)
    elif len(index.get("PublishingDate", _NONE)) > 1:
        suspects.add("DT002")
    return suspects or _NONE


def _judge_other_dates(names: set[str], index: dict, suspects: set[str]) -> None:
    """Judge the dates held by elements themselves (DT001, DT003), repeated date composites (DT002,
    DT004), sales restriction periods (DT004) and dated markets that may not have a date (DT005)."""
    for tag in names:
        if tag in DIRECT:
            default = DIRECT[tag]
            for element in index[tag]:
                attribute = element.get("dateformat")
                _judge_shape((element.text or "").strip(), attribute.strip() if attribute is not None else default,
                             suspects)
        elif len(index[tag]) > 1:  # a repeat or a period takes two of one kind
            _judge_roles(tag, index, suspects)
    if "SalesRestriction" in names and "StartDate" in names and "EndDate" in names:
        suspects.add("DT004")
    if "MarketDate" in names and any((status.text or "").strip() in WITHOUT_DATE
                                     for status in index.get("MarketPublishingStatus", _NONE)):
        suspects.add("DT005")


def _judge_roles(tag: str, index: dict, suspects: set[str]) -> None:
    """Name DT002 where two `tag` composites of one parent have the same (first) role, and DT004
    where one parent holds both roles of a period, reading the roles from the index."""
    first_roles: dict = {}  # element -> its first <tag>Role child
    for role in index.get(tag + "Role", _NONE):
        first_roles.setdefault(role.getparent(), role)
    by_parent: dict = {}  # parent -> the roles of its `tag` composites ('' for none), in order
    for composite in index[tag]:
        role = first_roles.get(composite)
        by_parent.setdefault(composite.getparent(), []).append((role.text or "").strip() if role is not None else "")
    unique_in = ROLE_UNIQUE_IN.get(tag, ())
    for parent, roles in by_parent.items():
        if len(roles) < 2:
            continue
        if parent.tag in unique_in and len(set(roles)) < len(roles):
            suspects.add("DT002")
        periods = ROLE_PERIODS.get(parent.tag)
        if periods is not None and periods[0] == tag and any(start in roles and end in roles
                                                             for start, end, _ in periods[1]):
            suspects.add("DT004")


def _judge_date_composites(index: dict, context, suspects: set[str]) -> dict:
    """Judge every date composite's value (DT001, DT003); returns {composite: its first Date's
    stripped text}, the value the rules read."""
    values: dict = {}
    legacy = "DateFormat" in index
    for date in index.get("Date", _NONE):
        composite = date.getparent()
        default = WITH_DATE_CHILD.get(composite.tag)
        if default is None or composite in values:
            continue  # not a date composite the rules read, or not its first Date
        attribute = date.get("dateformat")
        if attribute is not None:
            fmt = attribute.strip()
        elif legacy:
            fmt = composite_format(composite, date, context.children(composite))
        else:
            fmt = default
        value = values[composite] = (date.text or "").strip()
        verdict = _SHAPES.get((value, fmt))  # inlined shape_ok: this runs for every date of every product
        if not (verdict if verdict is not None else shape_ok(value, fmt)):
            suspects.add("DT001")
        if fmt in RANGE_FORMATS:
            suspects.add("DT003")
    return values


def _judge_shape(value: str, fmt: str, suspects: set[str]) -> None:
    """Name DT001 for a value its format rejects and DT003 for a range format."""
    if not shape_ok(value, fmt):
        suspects.add("DT001")
    if fmt in RANGE_FORMATS:
        suspects.add("DT003")


def _judge_publishing_detail(detail: etree._Element, index: dict, values: dict, today: datetime.date,
                             suspects: set[str]) -> None:
    """Name DT002 and DT005-DT008 where the product's (first) PublishingDetail may have a repeated
    role, or a status, publication, embargo or market date in conflict, read as the rules read them."""
    status = ""
    for element in index.get("PublishingStatus", _NONE):
        if element.getparent() is detail:  # the first PublishingStatus of the detail, as DT005 and DT006 read it
            status = (element.text or "").strip()
            break
    published_dates = index.get("PublishingDate", _NONE)
    if len(published_dates) < 2 and status not in _STATUS_NEEDS_ROLES and "MarketDate" not in index:
        # the usual product: one date at most, so no repeat, no embargo to compare, no market
        # date, and DT005 has nothing to say; DT006 is judged on whatever date there is
        if status == "04":
            far = _day_texts(today)[1]
            for composite in published_dates:
                if values.get(composite, "") > far:  # no Date: no day, nothing to say
                    suspects.add("DT006")
        return
    roles: dict = {}  # role -> the first PublishingDate of the detail whose (first) role it is
    seen: set = set()
    for role in index.get("PublishingDateRole", _NONE):
        composite = role.getparent()
        if composite in seen:
            continue  # a second role in one date: the rules read the first
        seen.add(composite)
        if composite.tag == "PublishingDate" and composite.getparent() is detail:
            roles.setdefault((role.text or "").strip(), composite)
    if len(roles) < len(published_dates) > 1:
        suspects.add("DT002")  # not every date sits in this detail with a role of its own
    published = roles.get("01")
    if (status in WITHOUT_DATE and published is not None) or (status == "02" and published is None):
        suspects.add("DT005")
    value = values.get(published) if published is not None else None
    if value is None:
        return  # DT006-DT008 all read the publication date's value
    if status == "02" or status == "04":
        now, far = _day_texts(today)
        if (status == "02" and value < now) or (status == "04" and value > far):
            suspects.add("DT006")
    embargo = roles.get("02")
    if embargo is not None:
        if values.get(embargo, "") > value:  # no Date: nothing to compare
            suspects.add("DT007")
    for market in index.get("MarketDate", _NONE):
        market_value = values.get(market)
        if market_value is not None and market_value < value:
            suspects.add("DT008")
            break


def _day_texts(today: datetime.date) -> tuple[str, str]:
    """Today and today + FAR_AHEAD as YYYYMMDD, made once per distinct today."""
    found = _DAY_TEXTS.get(today)
    if found is None:
        if len(_DAY_TEXTS) > 64:
            _DAY_TEXTS.clear()
        far = today + FAR_AHEAD
        found = _DAY_TEXTS[today] = (f"{today.year:04d}{today.month:02d}{today.day:02d}",
                                     f"{far.year:04d}{far.month:02d}{far.day:02d}")
    return found
