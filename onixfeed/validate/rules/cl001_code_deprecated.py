"""A code is deprecated in its ONIX code list.

Checks:
    Every coded element, attribute and country or region list item whose code EDItEUR's
    code list marks as deprecated (read from the code list XSD's annotations, issue in
    use). EDItEUR's schemas still accept deprecated codes, so this is a warning.

Why:
    Deprecated codes are on their way out; retailers stop reading them without notice.

Pass:
    <ProductIDType>15</ProductIDType>

Fail:
    <RegionsIncluded>GB-IOM</RegionsIncluded>   (deprecated: use country code IM)
"""

from __future__ import annotations

from typing import Iterator

from onixfeed import codelists
from onixfeed.validate.rules import Hit
from onixfeed.validate.rules import codes
from onixfeed.validate.rules.codes import deprecated_codes

CODE = "CL001"
NAME = "code-deprecated"
SCREEN = codes.screen  # the family's one look decides whether this rule runs


def check(product, context) -> Iterator[Hit]:
    if context.message.codes_current:
        return  # the current-codes schema, which leaves deprecated codes out of every list, passed it
    tables = codelists.load_codelists(context.message.release)
    for element, where, value, number in deprecated_codes(product, context):
        code = tables[number].codes[value]
        detail = f": {code.notes}" if code.notes else ""
        yield Hit(f"{where} {value} ({code.label}) is deprecated in list {number}{detail}", element)
