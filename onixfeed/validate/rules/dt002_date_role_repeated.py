"""A date role is given twice in one place.

Checks:
    Repeats of PublishingDate in PublishingDetail, SupplyDate in SupplyDetail, MarketDate
    in MarketPublishingDetail, PriceDate in Price, ContributorDate in Contributor,
    SubjectDate in NameAsSubject and ContentDate in TextContent, CitedContent and
    ResourceVersion each have a distinct role, as EDItEUR's strict schema asserts.

Why:
    Two publication dates leave the recipient to pick one, usually the wrong one.

Pass:
    <PublishingDate><PublishingDateRole>01</PublishingDateRole><Date>20250301</Date></PublishingDate>
    <PublishingDate><PublishingDateRole>02</PublishingDateRole><Date>20250220</Date></PublishingDate>

Fail:
    <PublishingDate><PublishingDateRole>01</PublishingDateRole><Date>20250301</Date></PublishingDate>
    <PublishingDate><PublishingDateRole>01</PublishingDateRole><Date>20250401</Date></PublishingDate>
"""

from __future__ import annotations

from typing import Iterator

from onixfeed.validate.rules import Hit, dates, first_text

CODE = "DT002"
NAME = "date-role-repeated"
SCREEN = dates.screen  # the family's one look decides whether this rule runs

# date composite -> the parents in which its role must be unique (kept with the family's screen)
PARENTS = dates.ROLE_UNIQUE_IN

# Without one of these elements in the product the rule finds nothing (the runner skips it).
NEEDS = tuple(PARENTS)


def check(product, context) -> Iterator[Hit]:
    composites = context.elements(product, *PARENTS)
    if len(composites) < 2:
        return  # a repeat needs two dates: most products have one or none
    seen: dict = {}
    for composite in composites:
        parent = composite.getparent()
        if parent is None or parent.tag not in PARENTS[composite.tag]:
            continue
        role = (first_text(context.children(composite), composite.tag + "Role") or "").strip()
        key = (parent, composite.tag, role)
        if key in seen:
            yield Hit(f"<{composite.tag}> role {role or '(none)'} repeats the one on line {seen[key]} "
                      f"in the same <{parent.tag}>", composite)
        else:
            seen[key] = composite.sourceline
