"""ROWSalesRightsType is missing where rights elsewhere are unstated, or present where WORLD is covered.

Checks:
    In PublishingDetail with SalesRights (EDItEUR strict assertions _20180101_a_1 to
    _a_3): without a WORLD territory, <ROWSalesRightsType> is required; with a WORLD
    territory that excludes nothing, it is omitted; with a WORLD territory whose
    exclusions are not all covered by other SalesRights, it is required.

Why:
    The rest of the world is whatever no SalesRights names; ROWSalesRightsType says what
    the product's rights are there, so retailers there know whether they may sell it.

Pass:
    <SalesRights><SalesRightsType>01</SalesRightsType><Territory><CountriesIncluded>GB</CountriesIncluded></Territory></SalesRights>
    <ROWSalesRightsType>03</ROWSalesRightsType>

Fail:
    <SalesRights><SalesRightsType>01</SalesRightsType><Territory><CountriesIncluded>GB</CountriesIncluded></Territory></SalesRights>
"""

from __future__ import annotations

from typing import Iterator

from onixfeed.validate.rules import Hit
from onixfeed.validate.rules.territories import screen, territory_views, view_of

CODE = "TE007"
NAME = "row-sales-rights-type"
SCREEN = screen  # the family's one look decides whether this rule runs

# Without one of these elements in the product the rule finds nothing (the runner skips it).
NEEDS = ("SalesRights",)


def check(product, context) -> Iterator[Hit]:
    detail = context.child(product, "PublishingDetail")
    if detail is None:
        return
    children = context.children(detail)
    rights = children.get("SalesRights")
    if not rights:
        return
    row = children.get("ROWSalesRightsType")
    row = row[0] if row else None
    views = territory_views(product, context)
    territories = [context.child(composite, "Territory") for composite in rights]
    territories = [view_of(views, territory) for territory in territories if territory is not None]
    worlds = [view for view in territories if view.world]
    if not worlds:
        if row is None:
            yield Hit("<SalesRights> name no WORLD territory: <ROWSalesRightsType> is required for the rest of "
                      "the world", detail)
        return
    exclusions = [view for view in worlds if view.countries_out is not None or view.regions_out is not None]
    if not exclusions:
        if row is not None:
            yield Hit("<ROWSalesRightsType> with a WORLD <SalesRights> that excludes nothing: there is no rest of "
                      "the world", row)
        return
    if row is not None:
        return
    included_countries = {code for view in territories for code in view.included}
    included_regions = {code for view in territories for code in view.regions}
    uncovered = [code for view in exclusions for code in view.excluded if code not in included_countries]
    uncovered += [code for view in exclusions for code in view.regions_excluded if code not in included_regions]
    if uncovered:
        yield Hit(f"WORLD <SalesRights> excludes {' '.join(uncovered)} which no other <SalesRights> covers: "
                  f"<ROWSalesRightsType> is required", detail)
