"""One format of a record -> a complete <Product>, its blocks in the order the 3.0 XSD requires."""

from __future__ import annotations

from lxml import etree

from onixfeed.build.collateral import build_collateral_detail
from onixfeed.build.descriptive import build_descriptive_detail
from onixfeed.build.elements import add, element
from onixfeed.build.publishing import build_publishing_detail
from onixfeed.build.related import ISBN_13, build_related_material
from onixfeed.build.supply import build_product_supply
from onixfeed.model import Format, Record

# list 1: 03 "notification confirmed on publication"; 02 "advance notification" before it
CONFIRMED, ADVANCE = "03", "02"
FORTHCOMING = {"02", "03"}  # list 64: forthcoming, postponed indefinitely


def build_product(record: Record, fmt: Format) -> etree._Element:
    """The <Product> for one format (a parentless element in the ONIX 3.0 namespace)."""
    product = element("Product")
    add(product, "RecordReference", fmt.reference)
    add(product, "NotificationType", ADVANCE if fmt.publishing_status in FORTHCOMING else CONFIRMED)
    identifier = add(product, "ProductIdentifier")
    add(identifier, "ProductIDType", ISBN_13)
    add(identifier, "IDValue", fmt.isbn)
    build_descriptive_detail(product, record, fmt)
    build_collateral_detail(product, record)
    build_publishing_detail(product, record, fmt)
    build_related_material(product, record, fmt)
    build_product_supply(product, fmt)
    return product


def build_products(record: Record) -> list[etree._Element]:
    """Every format of a record, in the record's order."""
    return [build_product(record, fmt) for fmt in record.formats]
