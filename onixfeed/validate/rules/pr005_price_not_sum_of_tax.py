"""A tax-inclusive PriceAmount is not the taxable amount plus the tax.

Checks:
    With one <Tax>: PriceAmount equals TaxableAmount plus TaxAmount, and TaxableAmount
    plus TaxRatePercent of it, where those are given (EDItEUR strict assertions
    _20171221_a_1, _20171221_a_2). With several: PriceAmount equals the sum of every
    TaxableAmount plus every TaxAmount (or TaxRatePercent of its TaxableAmount where no
    TaxAmount is given) (_20171221_b_1). Within one cent, as EDItEUR allows for rounding.

Why:
    Retailers compute the ex-tax price from the tax detail; arithmetic that does not add
    up means one of the figures is wrong.

Pass:
    <Price><PriceType>02</PriceType><PriceAmount>12.00</PriceAmount>
      <Tax><TaxRatePercent>20</TaxRatePercent><TaxableAmount>10.00</TaxableAmount><TaxAmount>2.00</TaxAmount></Tax></Price>

Fail:
    <Price><PriceType>02</PriceType><PriceAmount>12.50</PriceAmount>
      <Tax><TaxRatePercent>20</TaxRatePercent><TaxableAmount>10.00</TaxableAmount><TaxAmount>2.00</TaxAmount></Tax></Price>
"""

from __future__ import annotations

from decimal import Decimal
from typing import Iterator

from onixfeed.validate.rules import Hit
from onixfeed.validate.rules import prices
from onixfeed.validate.rules.prices import TOLERANCE, money, price_views, rate_sum_is_off, sum_is_off

CODE = "PR005"
NAME = "price-not-sum-of-tax"
SCREEN = prices.screen  # the family's one look decides whether this rule runs

# Without one of these elements in the product the rule finds nothing (the runner skips it).
NEEDS = ("Tax",)


def check(product, context) -> Iterator[Hit]:
    for view in price_views(product, context):
        total = view.amount
        taxes = view.taxes
        if total is None or not taxes:
            continue
        if len(taxes) == 1:
            yield from _single(view, total, taxes[0])
        else:
            yield from _several(view, total, taxes)


def _single(view, total: Decimal, tax) -> Iterator[Hit]:
    taxable = tax.taxable
    if taxable is None:
        return
    tax_amount = tax.tax
    rate = tax.rate
    if tax_amount is not None and sum_is_off(total, taxable, tax_amount):
        yield Hit(f"<PriceAmount> {money(total)} is not <TaxableAmount> {money(taxable)} plus <TaxAmount> "
                  f"{money(tax_amount)} (= {money(taxable + tax_amount)})", view.children["PriceAmount"][0])
    elif rate is not None and rate_sum_is_off(total, taxable, rate):
        expected = taxable + taxable * rate / 100
        yield Hit(f"<PriceAmount> {money(total)} is not <TaxableAmount> {money(taxable)} plus {rate.normalize()}% "
                  f"tax (= {money(expected)})", view.children["PriceAmount"][0])


def _several(view, total: Decimal, taxes) -> Iterator[Hit]:
    expected = Decimal(0)
    for tax in taxes:
        taxable = tax.taxable
        if taxable is None:
            return  # PR007 reports a repeated Tax without its taxable amount
        tax_amount = tax.tax
        if tax_amount is None:
            rate = tax.rate
            tax_amount = taxable * rate / 100 if rate is not None else Decimal(0)
        expected += taxable + tax_amount
    if abs(total - expected) >= TOLERANCE:
        yield Hit(f"<PriceAmount> {money(total)} is not the sum of the {len(taxes)} <Tax> composites' taxable "
                  f"amounts and tax (= {money(expected)})", view.children["PriceAmount"][0])
