"""Shared helpers of the price and tax rules (PR...): prices, effective types, decimal amounts."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from lxml import etree

from onixfeed.validate.rules import children_at

# List 58 price types that include tax: only these may carry <Tax> (EDItEUR strict
# assertion _20171219_c_1). List 58 types that exclude tax: only these may carry
# <TaxExempt> (_20181026_b_1).
TAX_INCLUSIVE_TYPES = frozenset({"02", "04", "07", "09", "12", "14", "17", "22", "24", "27", "34", "42"})
TAX_EXCLUSIVE_TYPES = frozenset({"01", "03", "05", "06", "08", "11", "13", "15", "21", "23", "25", "31", "32", "33", "41"})
# EDItEUR's strict schema compares amounts "within rounding": a difference under one cent.
TOLERANCE = Decimal("0.01")


def prices(product: etree._Element, context) -> list[etree._Element]:
    """Every Price of the product's supply details (where EDItEUR's price assertions look),
    found once per product for all the price rules."""
    return context.shared(product, _supply_prices)


def _supply_prices(product: etree._Element, context) -> list[etree._Element]:
    return children_at(product, "ProductSupply", "SupplyDetail", "Price")


def price_taxes(price: etree._Element) -> list[etree._Element]:
    """A Price's Tax composites (iterchildren filters in C, twice as fast as findall's ElementPath)."""
    return list(price.iterchildren("Tax"))


def amount(element: etree._Element | None, name: str | None = None) -> Decimal | None:
    """A decimal amount from an element (or its first child `name`); None when missing or not a number."""
    if element is None:
        return None
    if name:
        child = next(element.iterchildren(name), None)
        element = child
        if element is None:
            return None
    text = element.text
    if text is None:
        return None
    try:
        value = Decimal(text.strip())
    except (InvalidOperation, ValueError):
        return None
    # No price has 30 digits: such junk (1e999999999) would overflow the arithmetic.
    return value if value.is_finite() and abs(value.adjusted()) <= 30 else None


def price_type(price: etree._Element, context) -> str | None:
    """The Price's PriceType, or the Header's DefaultPriceType when it has none."""
    child = next(price.iterchildren("PriceType"), None)
    own = (child.text or "").strip() if child is not None else ""
    return own or (context.message.default_price_type or None)


def money(value: Decimal) -> str:
    """An amount as a person writes it, to two decimals or more when given."""
    try:
        cents = value.quantize(Decimal("0.01"))
    except InvalidOperation:  # more digits than the decimal context holds: show it as given
        return str(value)
    return f"{value:.2f}" if value == cents else f"{value.normalize()}"
