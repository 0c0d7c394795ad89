"""Shared helpers of the price and tax rules (PR...): prices, effective types, amounts, the family's screen."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from lxml import etree

from onixfeed.validate.rules.structure import above_zero

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
    return element_amount(same[0])


def element_amount(element: etree._Element) -> Decimal | None:
    """`amount(element)`, worked out once per distinct text."""
    text = element.text
    if text is None:
        return None
    found = _AMOUNTS.get(text, _UNSEEN)
    if found is _UNSEEN:
        found = amount(element)
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


def sum_is_off(total: Decimal, taxable: Decimal, tax_amount: Decimal) -> bool:
    """PriceAmount is not TaxableAmount plus TaxAmount, within rounding (PR005, one Tax)."""
    return abs(total - taxable - tax_amount) >= TOLERANCE


def rate_sum_is_off(total: Decimal, taxable: Decimal, rate: Decimal) -> bool:
    """PriceAmount is not TaxableAmount plus TaxRatePercent of it, within rounding (PR005, one Tax)."""
    return abs(total - taxable - taxable * rate / 100) >= TOLERANCE


def tax_is_off(tax_amount: Decimal, taxable: Decimal, rate: Decimal) -> bool:
    """TaxAmount is not TaxRatePercent of TaxableAmount, within rounding (PR006)."""
    return abs(tax_amount - taxable * rate / 100) >= TOLERANCE


def money(value: Decimal) -> str:
    """An amount as a person writes it, to two decimals or more when given."""
    try:
        cents = value.quantize(Decimal("0.01"))
    except InvalidOperation:  # more digits than the decimal context holds: show it as given
        return str(value)
    return f"{value:.2f}" if value == cents else f"{value.normalize()}"


_NONE: frozenset[str] = frozenset()
_NO_ELEMENTS: tuple = ()
# lxml hands back the one proxy it keeps per element (the index holds them all), so parents
# compare and hash by identity; mapped over the index's lists these run in C.
_parent = etree._Element.getparent
# release -> whether its schema types PriceAmount above zero (PR008's way out on a schema-valid product)
_ABOVE_ZERO: dict[str, bool] = {}


def screen(product: etree._Element, context) -> frozenset[str] | set[str]:
    """PR codes that may fire: a necessary condition of each rule (for PR005 and PR006, their own
    arithmetic), never fewer codes than fire.

    Read from the index's lists of the family's elements (their parents, by identity) rather
    than from the price views, so that a clean product builds no view at all. Every Price of
    the index stands in for the supply prices the rules read (a superset: speed only).
    """
    index = context.index(product)
    prices = index.get("Price")
    if prices is None:
        return _NONE  # every price rule reads Price elements
    get = index.get
    message = context.message
    suspects: set[str] = set()
    types = _first_by_parent(get("PriceType", _NO_ELEMENTS))  # price -> its first PriceType
    if not message.default_price_type and not all(map(types.__contains__, prices)):
        suspects.add("PR001")
    amounts = get("PriceAmount", _NO_ELEMENTS)
    if amounts and not message.default_currency:
        with_currency = set(map(_parent, get("CurrencyCode", _NO_ELEMENTS)))
        # every Price holding a currency is the usual case and leaves no Price without one: no
        # need to find the amounts' parents (any that are not prices do not count)
        if not with_currency.issuperset(prices) and not with_currency.issuperset(map(_parent, amounts)):
            without = set(map(_parent, amounts)) - with_currency
            if not without.isdisjoint(prices):
                suspects.add("PR002")
    default = message.default_price_type or None
    taxes = get("Tax")
    if taxes is not None:
        taxed_prices = set(map(_parent, taxes))
        several = len(taxed_prices) < len(taxes)  # some Price holds several Tax
        for price in taxed_prices:  # a loop, not any(): _effective_type inlined, most have one or two
            kind = types.get(price)
            if (((kind.text or "").strip() if kind is not None else "") or default) not in TAX_INCLUSIVE_TYPES:
                suspects.add("PR003")
                break
        taxables = get("TaxableAmount", _NO_ELEMENTS)
        if taxables:
            suspects.update(_arithmetic_suspects(index, taxes, several, taxables, amounts))
        if several and not set(map(_parent, taxables)).issuperset(taxes):
            suspects.add("PR007")
    exempt = get("TaxExempt")
    if exempt is not None and any(_effective_type(types.get(price), default) not in TAX_EXCLUSIVE_TYPES
                                  for price in map(_parent, exempt)):
        suspects.add("PR004")
    if amounts and not (message.schema_valid and _above_zero(message.release)):
        if any(value is not None and value <= 0 for value in map(element_amount, amounts)):
            suspects.add("PR008")
    return suspects or _NONE


def _arithmetic_suspects(index: dict, taxes: list, several: bool, taxables: list, amounts) -> set[str]:
    """PR005 and PR006 where their sums may be off: the rules' own arithmetic (the functions they
    call) on each Tax's first amounts, found by parent in the index's lists, so that feeds which
    send tax detail (most with one Tax a Price) build no price view when it adds up. `several`:
    whether some Price holds more than one Tax."""
    found: set[str] = set()
    taxable_of = _first_by_parent(taxables)
    tax_of = _first_by_parent(index.get("TaxAmount", _NO_ELEMENTS))
    rate_of = _first_by_parent(index.get("TaxRatePercent", _NO_ELEMENTS))
    total_of = _first_by_parent(amounts)
    if several and amounts:
        found.add("PR005")  # it sums a Price's several Tax: left to the rule
    for tax, price in zip(taxes, map(_parent, taxes)):
        element = taxable_of.get(tax)
        taxable = element_amount(element) if element is not None else None
        if taxable is None:
            continue  # neither rule reads a Tax without its taxable amount
        element = tax_of.get(tax)
        tax_amount = element_amount(element) if element is not None else None
        element = rate_of.get(tax)
        rate = element_amount(element) if element is not None else None
        if tax_amount is not None and rate is not None and tax_is_off(tax_amount, taxable, rate):
            found.add("PR006")
        if not several:
            element = total_of.get(price)
            total = element_amount(element) if element is not None else None
            if total is not None and (tax_amount is not None and sum_is_off(total, taxable, tax_amount)
                                      or rate is not None and rate_sum_is_off(total, taxable, rate)):
                found.add("PR005")
    return found


def _first_by_parent(elements) -> dict:
    """Each parent's first element of `elements` (one name's index list, in document order)."""
    found = dict(zip(map(_parent, elements), elements))
    if len(found) < len(elements):  # a parent holds several: the first must win, so store it last
        backwards = elements[::-1]
        found = dict(zip(map(_parent, backwards), backwards))
    return found


def _effective_type(element: etree._Element | None, default: str | None) -> str | None:
    """`view_price_type` from a Price's first PriceType (None when it has none)."""
    return ((element.text or "").strip() if element is not None else "") or default


def _above_zero(release: str) -> bool:
    """`above_zero(release, "PriceAmount")`, looked up in a dict rather than an lru_cache's hashed key."""
    found = _ABOVE_ZERO.get(release)
    if found is None:
        found = _ABOVE_ZERO[release] = above_zero(release, "PriceAmount")
    return found
