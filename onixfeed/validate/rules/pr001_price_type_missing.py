"""A Price has no PriceType and the Header gives no DefaultPriceType.

Checks:
    Every Price in ProductSupply/SupplyDetail carries <PriceType>, unless the Header
    carries <DefaultPriceType> (EDItEUR strict assertion _20180105_a_1).

Why:
    Without a type a retailer cannot tell an RRP from a net or agency price, nor whether
    the amount includes tax.

Pass:
    <Price><PriceType>02</PriceType><PriceAmount>12.00</PriceAmount><CurrencyCode>GBP</CurrencyCode></Price>

Fail:
    <Price><PriceAmount>12.00</PriceAmount><CurrencyCode>GBP</CurrencyCode></Price>
"""

from __future__ import annotations

from typing import Iterator

from onixfeed.validate.rules import Hit
from onixfeed.validate.rules import prices
from onixfeed.validate.rules.prices import price_views

CODE = "PR001"
NAME = "price-type-missing"
SCREEN = prices.screen  # the family's one look decides whether this rule runs

# Without one of these elements in the product the rule finds nothing (the runner skips it).
NEEDS = ("Price",)


def check(product, context) -> Iterator[Hit]:
    if context.message.default_price_type:
        return
    for view in price_views(product, context):
        if "PriceType" not in view.children:
            yield Hit("<Price> has no <PriceType> and the Header has no <DefaultPriceType>", view.element)
