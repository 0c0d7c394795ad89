"""A digital product gives a PackQuantity.

Checks:
    No SupplyDetail gives a PackQuantity when the product's form is digital or a licence
    (ProductForm AJ, AN, AO, E* or LC), as EDItEUR's strict schema asserts.

Why:
    Pack quantities tell a retailer how many copies come in a carton; for a file the
    number is meaningless and breaks ordering in multiples.

Pass:
    <ProductForm>BC</ProductForm> ... <SupplyDetail>...<PackQuantity>20</PackQuantity></SupplyDetail>

Fail:
    <ProductForm>ED</ProductForm> ... <SupplyDetail>...<PackQuantity>1</PackQuantity></SupplyDetail>
"""

from __future__ import annotations

from typing import Iterator

from onixfeed.validate.rules import Hit, product_form
from onixfeed.validate.rules.product_form import DIGITAL

CODE = "PD004"
NAME = "digital-product-with-pack-quantity"
SCREEN = product_form.screen  # the family's one look decides whether this rule runs

# Without one of these elements in the product the rule finds nothing (the runner skips it).
NEEDS = ("PackQuantity",)


def check(product, context) -> Iterator[Hit]:
    forms = context.children_at(product, "DescriptiveDetail", "ProductForm")
    form = (forms[0].text or "").strip() if forms else ""
    if not DIGITAL.search(form):
        return
    for quantity in context.children_at(product, "ProductSupply", "SupplyDetail", "PackQuantity"):
        yield Hit(f"<PackQuantity> on a digital product (ProductForm {form})", quantity)
