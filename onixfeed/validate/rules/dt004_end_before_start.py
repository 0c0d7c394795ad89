"""An end date comes before its start date.

Checks:
    Where ONIX gives a period as two dates, the end is not before the start, exactly as
    EDItEUR's strict schema asserts (_20180109_a_1, _e_1, _f_1, _f_2, _g_1 to _g_9):
    StartDate and EndDate in SalesRestriction; PriceDate roles 14 (from) and 15 (until)
    in a Price; ContributorDate and SubjectDate roles 50 (birth) and 51 (death); and
    ContentDate roles 14/15, 27/28 (available from/until) and 31/32 (associated
    start/end) in CitedContent, ResourceVersion and TextContent. The two dates are
    compared as text, only when their dateformats are the same and they carry the same
    time zone (or none), as the schema does.

Why:
    A price or restriction whose period ends before it begins never applies; the
    recipient either ignores it or applies it forever. A death before a birth is a typo.

Pass:
    <SalesRestriction><SalesRestrictionType>04</SalesRestrictionType><StartDate>20250101</StartDate><EndDate>20251231</EndDate></SalesRestriction>

Fail:
    <SalesRestriction><SalesRestrictionType>04</SalesRestrictionType><StartDate>20251231</StartDate><EndDate>20250101</EndDate></SalesRestriction>
"""

from __future__ import annotations

from typing import Iterator

from onixfeed.validate.rules import Hit, dates, first_text
from onixfeed.validate.rules.dates import composite_format

CODE = "DT004"
NAME = "end-before-start"
SCREEN = dates.screen  # the family's one look decides whether this rule runs

# parent element -> (date composite, [(start role, end role, what the period is)]) (kept with the screen)
ROLE_PAIRS = dates.ROLE_PERIODS
COMPOSITES = dates.PERIOD_COMPOSITES


def _same_zone(start: str, end: str) -> bool:
    """The schema's condition for comparing: the same offset after '+' or '-', and Z in both or neither."""
    for sign in "+-":
        if (sign in start) != (sign in end):
            return False
        if sign in start and start.split(sign, 1)[1] != end.split(sign, 1)[1]:
            return False
    return ("Z" in start) == ("Z" in end)


def _reversed(start: str, start_format: str, end: str, end_format: str) -> bool:
    return start_format == end_format and _same_zone(start, end) and start > end

# Without one of these elements in the product the rule finds nothing (the runner skips it).
NEEDS = ("SalesRestriction", *COMPOSITES)


def check(product, context) -> Iterator[Hit]:
    for restriction in context.elements(product, "SalesRestriction"):
        children = context.children(restriction)
        start, end = children.get("StartDate"), children.get("EndDate")
        if start is None or end is None:
            continue
        start, end = start[0], end[0]
        start_text, end_text = (start.text or "").strip(), (end.text or "").strip()
        if _reversed(start_text, (start.get("dateformat") or "00").strip(),
                     end_text, (end.get("dateformat") or "00").strip()):
            yield Hit(f"<SalesRestriction> ends {end_text}, before it starts {start_text}", end)
    dated = context.elements(product, *COMPOSITES)
    if len(dated) < 2:
        return  # a period needs two dates: most products have none or one
    # parent -> {role: its first date composite}, for the parents the schema asserts on
    by_parent: dict[object, dict[str, object]] = {}
    for composite in dated:
        parent = composite.getparent()
        if parent is None or ROLE_PAIRS.get(parent.tag, ("",))[0] != composite.tag:
            continue
        role = (first_text(context.children(composite), composite.tag + "Role") or "").strip()
        by_parent.setdefault(parent, {}).setdefault(role, composite)
    for parent, by_role in by_parent.items():
        for start_role, end_role, period in ROLE_PAIRS[parent.tag][1]:
            first, last = by_role.get(start_role), by_role.get(end_role)
            if first is None or last is None:
                continue
            first_children, last_children = context.children(first), context.children(last)
            first_date, last_date = first_children.get("Date"), last_children.get("Date")
            if first_date is None or last_date is None:
                continue
            first_date, last_date = first_date[0], last_date[0]
            start_text, end_text = (first_date.text or "").strip(), (last_date.text or "").strip()
            if _reversed(start_text, composite_format(first, first_date, first_children),
                         end_text, composite_format(last, last_date, last_children)):
                yield Hit(f"<{parent.tag}> {period} ends {end_text} (role {end_role}), before it starts "
                          f"{start_text} (role {start_role})", last)
