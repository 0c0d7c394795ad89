"""A code has the right shape for its list but is not in the code list issue in use.

Checks:
    Every coded element, attribute and country or region list item whose value is not in
    its list but has the shape of the list's codes (same length and mix of digits and
    letters: "B999" for list 175, two digits for list 5). Such a code may come from a
    newer code list issue than the one onixfeed checks against; a value of the wrong
    shape is CL003 instead. Where the official XSD has checked the product (`validate`),
    it reports such a value itself (XS002, worded "may be newer"), so this rule stays
    silent there: one finding per problem. It speaks where no XSD ran (feeds built
    without a per-product schema check, library callers).

Why:
    EDItEUR adds codes every quarter. Telling "unknown to issue 75, may be newer" from
    "wrong" shows where updating the schemas is the fix rather than editing the data.

Pass:
    <ProductForm>BC</ProductForm>

Fail:
    <ProductForm>BZ</ProductForm>
"""

from __future__ import annotations

from typing import Iterator

from onixfeed import codelists
from onixfeed.validate.rules import Hit
from onixfeed.validate.rules import codes
from onixfeed.validate.rules.codes import UNKNOWN, coded_problems, issue

CODE = "CL002"
NAME = "code-unknown-may-be-newer"
SCREEN = codes.screen  # the family's one look decides whether this rule runs


def check(product, context) -> Iterator[Hit]:
    if context.message.schema_checked or context.message.schema_valid:
        return  # the XSD's enumerations already reported it as XS002, or found every code in its list
    release = context.message.release
    tables = codelists.load_codelists(release)
    for element, where, value, number in coded_problems(product, context, UNKNOWN):
        table = tables[number]
        yield Hit(f"{where} {value} is unknown to code list issue {issue(release)} (list {number}, {table.name}), "
                  f"may be newer; closest: {table.describe_closest(value)}", element)
