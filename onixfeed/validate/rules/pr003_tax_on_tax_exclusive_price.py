"""A Price whose type excludes tax carries Tax.

Checks:
    <Tax> appears only in a Price whose type (its PriceType, or the Header's
    DefaultPriceType) includes tax: list 58 codes 02, 04, 07, 09, 12, 14, 17, 22, 24, 27,
    34, 42 (EDItEUR strict assertion _20171219_c_1). Unlike the strict assertion, which
    reads only the Price's own PriceType, a price typed by DefaultPriceType is judged by
    that default, as ONIX defines it.

Why:
    Tax detail explains how a tax-inclusive amount splits into taxable amount and tax;
    on an ex-tax price it contradicts the price type.

Pass:
    <Price><PriceType>02</PriceType><PriceAmount>12.00</PriceAmount><Tax><TaxRatePercent>0</TaxRatePercent></Tax></Price>

Fail:
    <Price><PriceType>01</PriceType><PriceAmount>10.00</PriceAmount><Tax><TaxRatePercent>0</TaxRatePercent></Tax></Price>
"""

from __future__ import annotations

from typing import Iterator

from onixfeed.validate.rules import Hit
from onixfeed.validate.rules import prices
from onixfeed.validate.rules.prices import TAX_INCLUSIVE_TYPES, price_views, view_price_type

CODE = "PR003"
NAME = "tax-on-tax-exclusive-price"
SCREEN = prices.screen  # the family's one look decides whether this rule runs

# Without one of these elements in the product the rule finds nothing (the runner skips it).
NEEDS = ("Tax",)


def check(product, context) -> Iterator[Hit]:
    for view in price_views(product, context):
        if not view.taxes:
            continue
        kind = view_price_type(view, context)
        if kind not in TAX_INCLUSIVE_TYPES:
            shown = kind if kind else "none"
            yield Hit(f"<Tax> on a price of type {shown}; only tax-inclusive price types (list 58 "
                      f"codes such as 02, 04) carry tax detail", view.taxes[0].element)
