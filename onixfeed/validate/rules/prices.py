"""Shared helpers of the price and tax rules (PR...): prices, effective types, decimal amounts."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from lxml import etree

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
    return context.children_at(product, "ProductSupply", "SupplyDetail", "Price")


class TaxView:
    """One Tax composite read once: its children by name; its three amounts parsed when first asked."""

    __slots__ = ("element", "children", "_amounts")

    def __init__(self, element: etree._Element, children: dict):
        self.element = element
        self.children = children
        self._amounts: tuple | None = None

    def _read(self) -> tuple:
        if self._amounts is None:
            children = self.children
            self._amounts = (first_amount(children, "TaxableAmount"), first_amount(children, "TaxAmount"),
                             first_amount(children, "TaxRatePercent"))
        return self._amounts

    @property
    def taxable(self) -> Decimal | None:
        """TaxableAmount"""
        return self._read()[0]

    @property
    def tax(self) -> Decimal | None:
        """TaxAmount"""
        return self._read()[1]

    @property
    def rate(self) -> Decimal | None:
        """TaxRatePercent"""
        return self._read()[2]


class PriceView:
    """One Price read once for every price rule: its children by name and taxes; its amount parsed
    when first asked (most rules never need it, and a Decimal is the costliest part)."""

    __slots__ = ("element", "children", "taxes", "_amount")

    def __init__(self, element: etree._Element, children: dict, taxes: list[TaxView]):
        self.element = element
        self.children = children
        self.taxes = taxes
        self._amount = _UNSEEN

    @property
    def amount(self) -> Decimal | None:
        """PriceAmount, None when missing or not a number."""
        if self._amount is _UNSEEN:
            self._amount = first_amount(self.children, "PriceAmount")
        return self._amount


def price_views(product: etree._Element, context) -> list[PriceView]:
    """A view of every Price of `prices()`, made once per product."""
    return context.shared(product, _price_views)


def _price_views(product: etree._Element, context) -> list[PriceView]:
    views = []
    for price in prices(product, context):
        children = context.children(price)
        taxes = [TaxView(tax, context.children(tax)) for tax in children.get("Tax", ())]
        views.append(PriceView(price, children, taxes))
    return views


def first_amount(children: dict, name: str) -> Decimal | None:
    """`amount(element, name)` on a children table: the first `name` child's decimal amount."""
    same = children.get(name)
    if same is None:
        return None
    text = same[0].text
    if text is None:
        return None
    found = _AMOUNTS.get(text, _UNSEEN)
    if found is _UNSEEN:
        found = amount(same[0])
        if len(text) <= _CACHED_LENGTH:  # an amount is short: long junk is not worth keeping
            if len(_AMOUNTS) >= _AMOUNTS_LIMIT:
                _AMOUNTS.clear()
            _AMOUNTS[text] = found
    return found


# text -> its amount: feeds repeat the same prices and rates (Decimals are immutable, so shared).
_AMOUNTS: dict[str, Decimal | None] = {}
_AMOUNTS_LIMIT = 100_000
_CACHED_LENGTH = 40
_UNSEEN = object()


def view_price_type(view: PriceView, context) -> str | None:
    """`price_type` of a viewed Price."""
    own = view.children.get("PriceType")
    own = (own[0].text or "").strip() if own else ""
    return own or (context.message.default_price_type or None)


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
