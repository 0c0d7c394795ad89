"""Block 5, <RelatedMaterial>: the other formats of the same title, as alternative formats."""

from __future__ import annotations

from lxml import etree

from onixfeed.build.elements import add
from onixfeed.model import Format, Record

ALTERNATIVE_FORMAT = "06"  # list 51
ISBN_13 = "15"  # list 5


def build_related_material(product: etree._Element, record: Record, fmt: Format) -> etree._Element | None:
    """Append <RelatedMaterial> linking every other format of the record (None for a single format)."""
    others = [other for other in record.formats if other.isbn != fmt.isbn]
    if not others:
        return None
    material = add(product, "RelatedMaterial")
    for other in others:
        related = add(material, "RelatedProduct")
        add(related, "ProductRelationCode", ALTERNATIVE_FORMAT)
        identifier = add(related, "ProductIdentifier")
        add(identifier, "ProductIDType", ISBN_13)
        add(identifier, "IDValue", other.isbn)
        add(related, "ProductForm", other.form)
        for code in other.form_details:
            add(related, "ProductFormDetail", code)
    return material
