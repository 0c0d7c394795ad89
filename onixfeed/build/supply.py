"""Block 6, <ProductSupply>: supplier, availability, supply dates and prices with their tax."""

from __future__ import annotations

from lxml import etree

from onixfeed.build.elements import add, dated, territory
from onixfeed.model import Format, Price


def build_product_supply(product: etree._Element, fmt: Format) -> etree._Element | None:
    """Append <ProductSupply> when the format has a supplier (None otherwise)."""
    if fmt.supplier is None or fmt.availability is None or not (fmt.prices or fmt.unpriced):
        return None
    supply = add(product, "ProductSupply")
    if fmt.market is not None:
        territory(add(supply, "Market"), fmt.market)
    detail = add(supply, "SupplyDetail")
    supplier = add(detail, "Supplier")
    add(supplier, "SupplierRole", fmt.supplier.role)
    for kind, value in fmt.supplier.identifiers:
        identifier = add(supplier, "SupplierIdentifier")
        add(identifier, "SupplierIDType", kind)
        add(identifier, "IDValue", value)
    add(supplier, "SupplierName", fmt.supplier.name)
    add(detail, "ProductAvailability", fmt.availability)
    for event in fmt.supply_dates:
        dated(detail, "SupplyDate", "SupplyDateRole", event)
    if fmt.prices:
        for price in fmt.prices:
            build_price(detail, price)
    else:
        add(detail, "UnpricedItemType", fmt.unpriced)
    return supply


def build_price(detail: etree._Element, price: Price) -> etree._Element:
    """<Price>: type, amount, tax, currency and territory, in the schema's order."""
    node = add(detail, "Price")
    if price.type:
        add(node, "PriceType", price.type)
    add(node, "PriceAmount", price.amount)
    for tax in price.taxes:
        part = add(node, "Tax")
        if tax.type:
            add(part, "TaxType", tax.type)
        if tax.rate_code:
            add(part, "TaxRateCode", tax.rate_code)
        if tax.percent is not None:
            add(part, "TaxRatePercent", tax.percent)
        if tax.taxable_amount is not None:
            add(part, "TaxableAmount", tax.taxable_amount)
        if tax.amount is not None:
            add(part, "TaxAmount", tax.amount)
    add(node, "CurrencyCode", price.currency)
    if price.territory:
        territory(node, price.territory)
    return node
