"""A code is not in its list and does not even have the shape of the list's codes.

Checks:
    Every coded element, attribute and country or region list item whose value is not in
    its list and whose shape (length, digits, letters) matches none of the list's codes:
    "1" or "BCX" for a two-character list, "uk" for the three-letter language codes.
    Where the official XSD has checked the product (`validate`), it reports such a value
    itself (XS002), so this rule stays silent there: one finding per problem.

Why:
    A malformed code is a data error (a label typed for a code, a dropped leading zero),
    not a newer code list.

Pass:
    <NotificationType>03</NotificationType>

Fail:
    <NotificationType>3</NotificationType>
"""

from __future__ import annotations

from typing import Iterator

from onixfeed import codelists
from onixfeed.validate.rules import Hit
from onixfeed.validate.rules import codes
from onixfeed.validate.rules.codes import MALFORMED, coded_problems

CODE = "CL003"
NAME = "code-malformed"
SCREEN = codes.screen  # the family's one look decides whether this rule runs


def check(product, context) -> Iterator[Hit]:
    if context.message.schema_checked or context.message.schema_valid:
        return  # the XSD's enumerations already reported it as XS002, or found every code in its list
    tables = codelists.load_codelists(context.message.release)
    for element, where, value, number in coded_problems(product, context, MALFORMED):
        table = tables[number]
        yield Hit(f"{where} {value!r} is not a code of list {number} ({table.name}); "
                  f"closest: {table.describe_closest(value)}", element)
