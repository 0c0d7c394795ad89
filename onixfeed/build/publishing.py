"""Block 4, <PublishingDetail>: imprint, publisher, place, status, dates, copyright, sales rights."""

from __future__ import annotations

from lxml import etree

from onixfeed.build.elements import add, dated, territory
from onixfeed.model import Format, Record

PUBLISHER = "01"  # list 45


def build_publishing_detail(product: etree._Element, record: Record, fmt: Format) -> etree._Element | None:
    """Append <PublishingDetail> when there is anything to say in it (None otherwise)."""
    if not (record.publisher or record.imprint or fmt.publishing_status or fmt.publishing_dates
            or record.copyright_year or record.copyright_owner or record.sales_rights):
        return None
    detail = add(product, "PublishingDetail")
    if record.imprint:
        add(add(detail, "Imprint"), "ImprintName", record.imprint)
    if record.publisher:
        publisher = add(detail, "Publisher")
        add(publisher, "PublishingRole", PUBLISHER)
        add(publisher, "PublisherName", record.publisher)
    if record.city_of_publication:
        add(detail, "CityOfPublication", record.city_of_publication)
    if record.country_of_publication:
        add(detail, "CountryOfPublication", record.country_of_publication)
    if fmt.publishing_status:
        add(detail, "PublishingStatus", fmt.publishing_status)
    for event in fmt.publishing_dates:
        dated(detail, "PublishingDate", "PublishingDateRole", event)
    if record.copyright_year or record.copyright_owner:
        statement = add(detail, "CopyrightStatement")
        if record.copyright_year:
            add(statement, "CopyrightYear", record.copyright_year)
        if record.copyright_owner:
            kind, name = record.copyright_owner
            add(add(statement, "CopyrightOwner"), "PersonName" if kind == "person" else "CorporateName", name)
    for rights in record.sales_rights:
        node = add(detail, "SalesRights")
        add(node, "SalesRightsType", rights.type)
        territory(node, rights.territory)
    return detail
