"""Shared helpers of the territory rules (TE...): code lists of a Territory and sales rights."""

from __future__ import annotations

from typing import NamedTuple, Sequence

from lxml import etree

WORLD = "WORLD"
FOR_SALE = frozenset({"01", "02"})  # list 46: for sale with exclusive / non-exclusive rights
LIST_ELEMENTS = ("CountriesIncluded", "RegionsIncluded", "CountriesExcluded", "RegionsExcluded")


def codes(element: etree._Element | None, name: str | None = None) -> tuple[str, ...]:
    """The space-separated codes of an element (or of its child `name`), in order."""
    if element is not None and name is not None:
        # a child by name: iterchildren filters in C, twice as fast as find() (ElementPath)
        element = next(element.iterchildren(name), None)
    if element is None:
        return ()
    text = element.text
    if not text:
        return ()
    found = _CODES.get(text)
    if found is None:
        found = tuple(text.split())
        if len(text) <= 2_000:  # a long junk text is read, not kept
            if len(_CODES) >= _CODES_LIMIT:
                _CODES.clear()
            _CODES[text] = found
    return found


# list text -> its codes: feeds repeat the same territories product after product (tuples, so shared safely).
_CODES: dict[str, tuple[str, ...]] = {}
_CODES_LIMIT = 10_000


def territories(product: etree._Element, context) -> Sequence[etree._Element]:
    """Every Territory composite anywhere in the product (from the runner's shared index)."""
    return context.elements(product, "Territory")


def is_world(territory: etree._Element | None) -> bool:
    """True when the Territory's RegionsIncluded is WORLD (as EDItEUR's `RegionsIncluded = 'WORLD'`)."""
    return territory is not None and WORLD in codes(territory, "RegionsIncluded")


class TerritoryView(NamedTuple):
    """One Territory read once: the first of each of its lists, and their codes."""

    element: etree._Element
    countries_in: etree._Element | None
    regions_in: etree._Element | None
    countries_out: etree._Element | None
    regions_out: etree._Element | None
    included: tuple[str, ...]  # codes of countries_in
    regions: tuple[str, ...]  # codes of regions_in
    excluded: tuple[str, ...]  # codes of countries_out
    regions_excluded: tuple[str, ...]  # codes of regions_out
    world: bool  # RegionsIncluded holds WORLD (is_world)


def territory_views(product: etree._Element, context) -> dict[etree._Element, TerritoryView]:
    """Every Territory of the product (document order) and its view, read once for all the territory rules."""
    return context.shared(product, _territory_views)


def _territory_views(product: etree._Element, context) -> dict[etree._Element, TerritoryView]:
    return {territory: read_territory(territory) for territory in context.elements(product, "Territory")}


def view_of(views: dict[etree._Element, TerritoryView], territory: etree._Element) -> TerritoryView:
    """A Territory's view (read now if it lies outside the product the views were made for)."""
    view = views.get(territory)
    return view if view is not None else read_territory(territory)


def read_territory(territory: etree._Element) -> TerritoryView:
    first: dict = {}
    for below in territory:  # one pass over the few children, not four iterchildren() calls
        first.setdefault(below.tag, below)
    countries_in, regions_in = first.get("CountriesIncluded"), first.get("RegionsIncluded")
    countries_out, regions_out = first.get("CountriesExcluded"), first.get("RegionsExcluded")
    regions = codes(regions_in)
    return TerritoryView(territory, countries_in, regions_in, countries_out, regions_out, codes(countries_in),
                         regions, codes(countries_out), codes(regions_out), WORLD in regions)


def first_territory(context, composite: etree._Element) -> etree._Element | None:
    """A composite's first Territory child (SalesRights, Market, Price)."""
    return context.child(composite, "Territory")


def sales_rights(product: etree._Element, context) -> list[etree._Element]:
    """The product's SalesRights composites, found once per product for the territory rules."""
    return context.shared(product, _sales_rights)


def _sales_rights(product: etree._Element, context) -> list[etree._Element]:
    return context.children_at(product, "PublishingDetail", "SalesRights")


def for_sale(rights: etree._Element, context=None) -> bool:
    """True when the SalesRights' type (its first SalesRightsType) is for sale (list 46: 01 or 02)."""
    if context is None:
        kind = next(rights.iterchildren("SalesRightsType"), None)
        return kind is not None and (kind.text or "").strip() in FOR_SALE
    return (context.child_text(rights, "SalesRightsType") or "").strip() in FOR_SALE
