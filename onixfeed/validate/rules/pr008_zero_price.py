"""A Price has an amount of zero (or less) instead of an unpriced-item code.

Checks:
    No <PriceAmount> is zero (or negative). A free product is sent with
    <UnpricedItemType> 01 (free of charge, list 57) in place of the amount, and a product
    without a price yet with <UnpricedItemType> 02 (price to be announced). EDItEUR's
    schemas type PriceAmount as a strictly positive decimal, so they reject it too; this
    rule says what to send instead.

Why:
    Retailers read a zero amount as a data error, or sell the book for nothing; the
    unpriced codes say what is meant.

Pass:
    <Price><PriceType>02</PriceType><UnpricedItemType>01</UnpricedItemType></Price>

Fail:
    <Price><PriceType>02</PriceType><PriceAmount>0.00</PriceAmount><CurrencyCode>GBP</CurrencyCode></Price>
"""

from __future__ import annotations

from typing import Iterator

from onixfeed.validate.rules import Hit
from onixfeed.validate.rules import prices
from onixfeed.validate.rules.prices import price_views
from onixfeed.validate.rules.structure import above_zero

CODE = "PR008"
NAME = "zero-price"
SCREEN = prices.screen  # the family's one look decides whether this rule runs

# Without one of these elements in the product the rule finds nothing (the runner skips it).
NEEDS = ("PriceAmount",)


def check(product, context) -> Iterator[Hit]:
    if context.message.schema_valid and above_zero(context.message.release, "PriceAmount"):
        return  # the schema's type for <PriceAmount> already excludes zero and below
    for view in price_views(product, context):
        value = view.amount
        if value is not None and value <= 0:
            yield Hit(f"<PriceAmount> is {value}: use <UnpricedItemType> 01 (free of charge) or 02 (price to be "
                      "announced) instead of an amount", view.children["PriceAmount"][0])
