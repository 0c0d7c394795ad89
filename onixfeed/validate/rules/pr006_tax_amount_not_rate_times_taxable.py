"""A TaxAmount is not TaxRatePercent of its TaxableAmount.

Checks:
    In every <Tax> of a Price that gives TaxRatePercent, TaxableAmount and TaxAmount,
    TaxAmount equals TaxableAmount times TaxRatePercent / 100 within one cent (EDItEUR
    strict assertion _20171221_c_1).

Why:
    A tax amount that does not match its own rate means the rate or one of the amounts
    is wrong, and the retailer cannot know which.

Pass:
    <Tax><TaxRatePercent>20</TaxRatePercent><TaxableAmount>10.00</TaxableAmount><TaxAmount>2.00</TaxAmount></Tax>

Fail:
    <Tax><TaxRatePercent>20</TaxRatePercent><TaxableAmount>10.00</TaxableAmount><TaxAmount>2.50</TaxAmount></Tax>
"""

from __future__ import annotations

from typing import Iterator

from onixfeed.validate.rules import Hit
from onixfeed.validate.rules import prices
from onixfeed.validate.rules.prices import money, price_views, tax_is_off

CODE = "PR006"
NAME = "tax-amount-not-rate-times-taxable"
SCREEN = prices.screen  # the family's one look decides whether this rule runs

# Without one of these elements in the product the rule finds nothing (the runner skips it).
NEEDS = ("TaxAmount",)


def check(product, context) -> Iterator[Hit]:
    for view in price_views(product, context):
        for tax in view.taxes:
            rate, taxable, tax_amount = tax.rate, tax.taxable, tax.tax
            if rate is None or taxable is None or tax_amount is None:
                continue
            if tax_is_off(tax_amount, taxable, rate):  # the arithmetic the family's screen does too
                expected = taxable * rate / 100
                yield Hit(f"<TaxAmount> {money(tax_amount)} is not {rate.normalize()}% of <TaxableAmount> "
                          f"{money(taxable)} (= {money(expected)})", tax.children["TaxAmount"][0])
