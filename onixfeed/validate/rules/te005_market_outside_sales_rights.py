"""A Market names a country the product has no sales rights in.

Checks:
    When the product has "for sale" SalesRights (list 46 codes 01, 02) and a Market,
    every country in the Market's CountriesIncluded is in the CountriesIncluded of a
    for-sale SalesRights territory, or in a for-sale WORLD territory that does not
    exclude it (EDItEUR strict assertion _20180109_h_1).

Why:
    Supplying a market where the publisher has no right to sell is at best ignored by
    the retailer and at worst a rights breach.

Pass:
    <SalesRights><SalesRightsType>01</SalesRightsType><Territory><CountriesIncluded>GB IE</CountriesIncluded></Territory></SalesRights>
    ... <Market><Territory><CountriesIncluded>GB</CountriesIncluded></Territory></Market>

Fail:
    <SalesRights><SalesRightsType>01</SalesRightsType><Territory><CountriesIncluded>GB IE</CountriesIncluded></Territory></SalesRights>
    ... <Market><Territory><CountriesIncluded>US</CountriesIncluded></Territory></Market>
"""

from __future__ import annotations

from typing import Iterator

from onixfeed.validate.rules import Hit
from onixfeed.validate.rules.territories import codes, for_sale, sales_rights, screen, territory_views, view_of

CODE = "TE005"
NAME = "market-outside-sales-rights"
SCREEN = screen  # the family's one look decides whether this rule runs

# Without one of these elements in the product the rule finds nothing (the runner skips it).
NEEDS = ("Market",)


def check(product, context) -> Iterator[Hit]:
    selling_rights = [composite for composite in sales_rights(product, context) if for_sale(composite, context)]
    if not selling_rights:
        return
    markets = context.children_at(product, "ProductSupply", "Market", "Territory", "CountriesIncluded")
    if not markets:
        return
    views = territory_views(product, context)
    selling = [view_of(views, territory) for territory in
               (context.child(composite, "Territory") for composite in selling_rights) if territory is not None]
    covered: set[str] = set()
    world_exclusions: list[set[str]] = []
    for view in selling:
        covered.update(view.included)
        if view.world:
            world_exclusions.append(set(view.excluded))
    for market in markets:
        outside = [code for code in codes(market) if code not in covered
                   and not any(code not in excluded for excluded in world_exclusions)]
        if outside:
            yield Hit(f"<Market> country {' '.join(outside)} is outside the product's for-sale <SalesRights>", market)
