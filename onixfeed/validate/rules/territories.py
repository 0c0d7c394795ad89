"""Shared helpers of the territory rules (TE...): code lists of a Territory, sales rights, the family's screen."""

from __future__ import annotations

import operator
from typing import NamedTuple, Sequence

from lxml import etree

WORLD = "WORLD"
FOR_SALE = frozenset({"01", "02"})  # list 46: for sale with exclusive / non-exclusive rights


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


# What a list's text says, as bits (see _list_facts): the screen's questions about one list.
_REPEATS = 1  # a code twice (TE002)
_NAMES_WORLD = 2  # WORLD among the codes
_WORLD_AND_MORE = 4  # WORLD and another code (TE001)
_NONE: frozenset[str] = frozenset()
# Called through map() so that reading every list's text and parent loops in C, not in bytecode.
_text_of = operator.attrgetter("text")
_parent_of = etree._Element.getparent


def screen(product: etree._Element, context) -> frozenset[str] | set[str]:
    """TE codes that may fire: a necessary condition of each rule (for TE006's Territory lists, the
    rule's own question), never a finding.

    One look at the lists in the product's shared index: their texts (known quiet texts pass
    in one set test, since feeds repeat territories) and whose children they are. The territory
    views are read only when a Territory pairs exclusions or regions with other lists.
    """
    index = context.index(product)
    countries_in = index.get("CountriesIncluded", _NONE)
    regions_in = index.get("RegionsIncluded", _NONE)
    countries_out = index.get("CountriesExcluded", _NONE)
    regions_out = index.get("RegionsExcluded", _NONE)
    suspects: set[str] = set()
    for elements in (countries_in, regions_in, countries_out, regions_out):
        if elements and not _QUIET.issuperset(map(_text_of, elements)):
            _list_suspects(elements, suspects)
    holders = set(map(_parent_of, countries_in))  # the Territory composites that list countries
    if countries_out or regions_out or (holders and regions_in
                                        and not holders.isdisjoint(map(_parent_of, regions_in))):
        _territory_suspects(territory_views(product, context), suspects)
    if "RegionCode" in index:
        suspects.add("TE006")  # beside a CountryCode (TE006), or WORLD itself (TE001)
        if any((region.text or "").strip() == WORLD for region in index["RegionCode"]):
            suspects.add("TE001")
    if "PrizeRegion" in index:
        suspects.add("TE006")
    rights = index.get("SalesRights", _NONE)
    if len(rights) > 1:
        suspects.add("TE004")
    if rights and _row_rights_suspect(product, context, index, regions_in, bool(countries_out or regions_out)):
        suspects.add("TE007")
    markets = index.get("Market")
    if markets and holders:
        holders.discard(None)  # a country list at the root has no Market above it
        if not set(markets).isdisjoint(map(_parent_of, holders)):
            suspects.add("TE005")  # a Market's Territory lists countries
    prices = index.get("Price")
    if prices and not set(map(_parent_of, index.get("Territory", _NONE))).issuperset(prices):
        # a Price without a Territory of its own; for-sale SalesRights place it (TE008's way out)
        if not any(for_sale(rights, context) for rights in sales_rights(product, context)):
            suspects.add("TE008")
    return suspects or _NONE


def _list_suspects(elements: list[etree._Element], suspects: set[str]) -> None:
    """Adds TE002 for a list naming a code twice, TE001 for RegionsIncluded naming WORLD and more."""
    regions = elements[0].tag == "RegionsIncluded"
    for element in elements:
        facts = _list_facts(element.text)
        if facts & _REPEATS:
            suspects.add("TE002")
        if regions and facts & _WORLD_AND_MORE:
            suspects.add("TE001")


def _territory_suspects(views: dict[etree._Element, TerritoryView], suspects: set[str]) -> None:
    """Adds the Territory-level codes (TE001, TE003, TE006) whose rule's condition some view meets."""
    for view in views.values():
        if view.world and (len(view.regions) > 1 or view.countries_in is not None):
            suspects.add("TE001")
        if WORLD in view.regions_excluded:
            suspects.add("TE001")
        if (view.regions_excluded or (view.included and view.regions)) and _regions_misplaced(view):
            suspects.add("TE006")
        if ((view.countries_out is not None or view.regions_out is not None)
                and view.countries_in is None and not view.world):
            suspects.add("TE003")


def _regions_misplaced(view: TerritoryView) -> bool:
    """TE006's question of a Territory: a region excluded outside the included countries or within
    an excluded one, or a region included within an included country (by its first two letters)."""
    included, excluded = view.included, view.excluded
    return (any((included and region[:2] not in included) or region[:2] in excluded
                for region in view.regions_excluded)
            or bool(included) and any(region[:2] in included for region in view.regions))


def _row_rights_suspect(product: etree._Element, context, index: dict, regions_in: list[etree._Element],
                        exclusions: bool) -> bool:
    """False when TE007 can find nothing: its first PublishingDetail has no SalesRights, or has a
    ROWSalesRightsType and the product no WORLD list, or has a WORLD territory, no
    ROWSalesRightsType and the product no exclusions, as the rule asks."""
    detail = context.child(product, "PublishingDetail")
    if detail is None:
        return False
    if "ROWSalesRightsType" in index:
        children = context.children(detail)
        if "SalesRights" not in children:
            return False
        if "ROWSalesRightsType" in children:
            # a ROWSalesRightsType is only wrong beside a WORLD territory
            return any(_list_facts(region.text) & _NAMES_WORLD for region in regions_in)
    if exclusions:
        return True  # WORLD's exclusions may be uncovered: the rule weighs them
    # Upwards from the WORLD lists (by identity and names, no children tables): is one the first
    # RegionsIncluded of the first Territory of one of this PublishingDetail's SalesRights?
    for region in regions_in:
        if _list_facts(region.text) & _NAMES_WORLD:
            territory = region.getparent()
            rights = territory.getparent() if territory is not None else None
            if (rights is not None and rights.getparent() is detail and rights.tag == "SalesRights"
                    and territory.tag == "Territory" and _first_of_its_name(territory)
                    and _first_of_its_name(region)):
                return False  # a WORLD territory without ROWSalesRightsType or exclusions: as the rule asks
    return True


def _first_of_its_name(element: etree._Element) -> bool:
    """True when no earlier sibling of `element` has its name (the one `context.child` finds)."""
    tag = element.tag
    sibling = element.getprevious()
    while sibling is not None:
        if sibling.tag == tag:
            return False
        sibling = sibling.getprevious()
    return True


def _list_facts(text: str | None) -> int:
    """What a list text says (the _REPEATS, _NAMES_WORLD, _WORLD_AND_MORE bits), cached per text;
    a text that neither repeats a code nor names WORLD beside another joins _QUIET."""
    if not text:
        return 0
    facts = _FACTS.get(text)
    if facts is None:
        listed = text.split()
        facts = _REPEATS if len(set(listed)) != len(listed) else 0
        if WORLD in listed:
            facts |= _NAMES_WORLD
            if any(code != WORLD for code in listed):
                facts |= _WORLD_AND_MORE
        if len(text) <= 2_000:  # a long junk text is judged, not kept
            if len(_FACTS) >= _CODES_LIMIT:
                _FACTS.clear()
                _QUIET.clear()
                _QUIET.update(_ALWAYS_QUIET)
            _FACTS[text] = facts
            if not facts & (_REPEATS | _WORLD_AND_MORE):
                _QUIET.add(text)
    return facts


# list text -> its facts (an int), kept as _CODES is: feeds repeat the same lists product after product.
_FACTS: dict[str, int] = {}
# The list texts known to say nothing to TE001 or TE002 (an empty list says nothing either).
_ALWAYS_QUIET = frozenset({None, ""})
_QUIET: set[str | None] = set(_ALWAYS_QUIET)
