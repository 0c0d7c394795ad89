"""A Price with an amount has no CurrencyCode and the Header gives no DefaultCurrencyCode.

Checks:
    Every Price in ProductSupply/SupplyDetail that carries <PriceAmount> also carries
    <CurrencyCode>, unless the Header carries <DefaultCurrencyCode> (EDItEUR strict
    assertion _20180105_a_2).

Why:
    12.00 means nothing without its currency; retailers reject or, worse, guess.

Pass:
    <Price><PriceType>02</PriceType><PriceAmount>12.00</PriceAmount><CurrencyCode>GBP</CurrencyCode></Price>

Fail:
    <Price><PriceType>02</PriceType><PriceAmount>12.00</PriceAmount></Price>
"""

from __future__ import annotations

from typing import Iterator

from onixfeed.validate.rules import Hit, first_text
from onixfeed.validate.rules import prices
from onixfeed.validate.rules.prices import price_views

CODE = "PR002"
NAME = "price-currency-missing"
SCREEN = prices.screen  # the family's one look decides whether this rule runs

# Without one of these elements in the product the rule finds nothing (the runner skips it).
NEEDS = ("Price",)


def check(product, context) -> Iterator[Hit]:
    if context.message.default_currency:
        return
    for view in price_views(product, context):
        children = view.children
        if "PriceAmount" in children and "CurrencyCode" not in children:
            amount = (first_text(children, "PriceAmount") or "").strip()
            yield Hit(f"<Price> of {amount} has no <CurrencyCode> and the Header has no <DefaultCurrencyCode>",
                      view.element)
