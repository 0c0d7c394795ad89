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

from onixfeed.validate.rules import Hit, child
from onixfeed.validate.rules.prices import TOLERANCE, amount, money, price_taxes, prices

CODE = "PR005"
NAME = "price-not-sum-of-tax"


def check(product, context) -> Iterator[Hit]:
    for price in prices(product, context):
        total = amount(price, "PriceAmount")
        taxes = price_taxes(price)
        if total is None or not taxes:
            continue
        if len(taxes) == 1:
            yield from _single(price, total, taxes[0])
        else:
            yield from _several(price, total, taxes)


def _single(price, total: Decimal, tax) -> Iterator[Hit]:
    taxable = amount(tax, "TaxableAmount")
    if taxable is None:
        return
    tax_amount = amount(tax, "TaxAmount")
    rate = amount(tax, "TaxRatePercent")
    if tax_amount is not None and abs(total - taxable - tax_amount) >= TOLERANCE:
        yield Hit(f"<PriceAmount> {money(total)} is not <TaxableAmount> {money(taxable)} plus <TaxAmount> "
                  f"{money(tax_amount)} (= {money(taxable + tax_amount)})", child(price, "PriceAmount"))
    elif rate is not None and abs(total - taxable - taxable * rate / 100) >= TOLERANCE:
        expected = taxable + taxable * rate / 100
        yield Hit(f"<PriceAmount> {money(total)} is not <TaxableAmount> {money(taxable)} plus {rate.normalize()}% "
                  f"tax (= {money(expected)})", child(price, "PriceAmount"))


def _several(price, total: Decimal, taxes) -> Iterator[Hit]:
    expected = Decimal(0)
    for tax in taxes:
        taxable = amount(tax, "TaxableAmount")
        if taxable is None:
            return  # PR007 reports a repeated Tax without its taxable amount
        tax_amount = amount(tax, "TaxAmount")
        if tax_amount is None:
            rate = amount(tax, "TaxRatePercent")
            tax_amount = taxable * rate / 100 if rate is not None else Decimal(0)
        expected += taxable + tax_amount
    if abs(total - expected) >= TOLERANCE:
        yield Hit(f"<PriceAmount> {money(total)} is not the sum of the {len(taxes)} <Tax> composites' taxable "
                  f"amounts and tax (= {money(expected)})", child(price, "PriceAmount"))
