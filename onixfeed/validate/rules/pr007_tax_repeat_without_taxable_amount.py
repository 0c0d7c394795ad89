"""A Price with several Tax composites has one without TaxableAmount.

Checks:
    When a Price carries more than one <Tax> (for example two VAT rates on a book with
    an e-book part), each carries <TaxableAmount> (EDItEUR strict assertion _20171219_d_1).

Why:
    With several rates the price splits into parts; a part without its taxable amount
    cannot be taxed.

Pass:
    <Price><PriceType>02</PriceType><PriceAmount>11.00</PriceAmount>
      <Tax><TaxRatePercent>0</TaxRatePercent><TaxableAmount>5.00</TaxableAmount></Tax>
      <Tax><TaxRatePercent>20</TaxRatePercent><TaxableAmount>5.00</TaxableAmount></Tax></Price>

Fail:
    <Price><PriceType>02</PriceType><PriceAmount>11.00</PriceAmount>
      <Tax><TaxRatePercent>0</TaxRatePercent><TaxableAmount>5.00</TaxableAmount></Tax>
      <Tax><TaxRatePercent>20</TaxRatePercent></Tax></Price>
"""

from __future__ import annotations

from typing import Iterator

from onixfeed.validate.rules import Hit
from onixfeed.validate.rules import prices
from onixfeed.validate.rules.prices import price_views

CODE = "PR007"
NAME = "tax-repeat-without-taxable-amount"
SCREEN = prices.screen  # the family's one look decides whether this rule runs

# Without one of these elements in the product the rule finds nothing (the runner skips it).
NEEDS = ("Tax",)


def check(product, context) -> Iterator[Hit]:
    for view in price_views(product, context):
        taxes = view.taxes
        if len(taxes) < 2:
            continue
        for position, tax in enumerate(taxes, 1):
            if "TaxableAmount" not in tax.children:
                yield Hit(f"<Tax> {position} of {len(taxes)} has no <TaxableAmount>", tax.element)
