"""A Price has no territory, explicit or implied.

Checks:
    Each Price has a Territory of its own, or its ProductSupply has a Market territory,
    or the product has for-sale SalesRights or a for-sale ROWSalesRightsType (list 46
    codes 01, 02) from which the territory follows; a block update (NotificationType 04)
    without PublishingDetail is exempt (EDItEUR strict assertion _20180214_f_1).

Why:
    A price is valid somewhere; with no territory at all, a retailer cannot tell where.

Pass:
    <ProductSupply><Market><Territory><CountriesIncluded>GB</CountriesIncluded></Territory></Market>
      <SupplyDetail>... <Price>...</Price></SupplyDetail></ProductSupply>

Fail:
    <ProductSupply><SupplyDetail>... <Price>...</Price></SupplyDetail></ProductSupply>
    (and no for-sale SalesRights)
"""

from __future__ import annotations

from typing import Iterator

from onixfeed.validate.rules import Hit
from onixfeed.validate.rules.territories import FOR_SALE, for_sale, sales_rights, screen

CODE = "TE008"
NAME = "price-without-territory"
SCREEN = screen  # the family's one look decides whether this rule runs

# Without one of these elements in the product the rule finds nothing (the runner skips it).
NEEDS = ("Price",)


def check(product, context) -> Iterator[Hit]:
    supplies = context.children(product).get("ProductSupply", ())
    unplaced = [(supply, price) for supply in supplies for price in context.children_at(supply, "SupplyDetail", "Price")
                if "Territory" not in context.children(price)]
    if not unplaced:
        return
    if all(context.children_at(supply, "Market", "Territory") for supply, _ in unplaced):
        return
    if any(for_sale(composite, context) for composite in sales_rights(product, context)):
        return
    detail = context.child(product, "PublishingDetail")
    if detail is not None and (context.child_text(detail, "ROWSalesRightsType") or "").strip() in FOR_SALE:
        return
    if detail is None and (context.child_text(product, "NotificationType") or "").strip() == "04":
        return
    for supply, price in unplaced:
        if not context.children_at(supply, "Market", "Territory"):
            yield Hit("<Price> has no <Territory>, its <ProductSupply> no <Market> territory and the product no "
                      "for-sale <SalesRights>: where is the price valid?", price)
