"""A Price whose type includes tax carries TaxExempt.

Checks:
    <TaxExempt> appears only in a Price whose type excludes tax (list 58 codes 01, 03,
    05, 06, 08, 11, 13, 15, 21, 23, 25, 31, 32, 33, 41), as EDItEUR strict assertion
    _20181026_b_1 requires.

Why:
    A tax-inclusive price marked tax exempt is a contradiction a retailer
    cannot resolve.

Pass:
    <Price><PriceType>01</PriceType><PriceAmount>10.00</PriceAmount><TaxExempt/></Price>

Fail:
    <Price><PriceType>02</PriceType><PriceAmount>10.00</PriceAmount><TaxExempt/></Price>
"""

from __future__ import annotations

from typing import Iterator

from onixfeed.validate.rules import Hit
from onixfeed.validate.rules import prices
from onixfeed.validate.rules.prices import TAX_EXCLUSIVE_TYPES, price_views, view_price_type

CODE = "PR004"
NAME = "tax-exempt-on-tax-inclusive-price"
SCREEN = prices.screen  # the family's one look decides whether this rule runs

# Without one of these elements in the product the rule finds nothing (the runner skips it).
NEEDS = ("TaxExempt",)


def check(product, context) -> Iterator[Hit]:
    for view in price_views(product, context):
        exempt = view.children.get("TaxExempt")
        if exempt is None:
            continue
        kind = view_price_type(view, context)
        if kind not in TAX_EXCLUSIVE_TYPES:
            yield Hit(f"<TaxExempt> on a price of type {kind or 'none'}; only tax-exclusive price types "
                      f"(list 58 codes such as 01, 03) may be tax exempt", exempt[0])
