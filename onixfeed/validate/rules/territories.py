"""Shared helpers of the territory rules (TE...): code lists of a Territory and sales rights."""

from __future__ import annotations

from typing import Sequence

from lxml import etree

from onixfeed.validate.rules import children_at

WORLD = "WORLD"
FOR_SALE = frozenset({"01", "02"})  # list 46: for sale with exclusive / non-exclusive rights
LIST_ELEMENTS = ("CountriesIncluded", "RegionsIncluded", "CountriesExcluded", "RegionsExcluded")


def codes(element: etree._Element | None, name: str | None = None) -> list[str]:
    """The space-separated codes of an element (or of its child `name`), in order."""
    if element is not None and name is not None:
        # a child by name: iterchildren filters in C, twice as fast as find() (ElementPath)
        element = next(element.iterchildren(name), None)
    if element is None or not element.text:
        return []
    return element.text.split()


def territories(product: etree._Element, context) -> Sequence[etree._Element]:
    """Every Territory composite anywhere in the product (from the runner's shared index)."""
    return context.elements(product, "Territory")


def is_world(territory: etree._Element | None) -> bool:
    """True when the Territory's RegionsIncluded is WORLD (as EDItEUR's `RegionsIncluded = 'WORLD'`)."""
    return territory is not None and WORLD in codes(territory, "RegionsIncluded")


def sales_rights(product: etree._Element, context) -> list[etree._Element]:
    """The product's SalesRights composites, found once per product for the territory rules."""
    return context.shared(product, _sales_rights)


def _sales_rights(product: etree._Element, context) -> list[etree._Element]:
    return children_at(product, "PublishingDetail", "SalesRights")


def for_sale(rights: etree._Element) -> bool:
    kind = next(rights.iterchildren("SalesRightsType"), None)
    return kind is not None and (kind.text or "").strip() in FOR_SALE
