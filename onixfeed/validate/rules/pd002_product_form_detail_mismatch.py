"""A ProductFormDetail code does not fit the ProductForm.

Checks:
    ProductFormDetail codes (list 175) that only make sense for some forms are used with
    one of them, exactly as EDItEUR's strict schema asserts: e.g. B101-B107 (mass-market
    and trade paperback formats) only with BC (paperback), B115 and B306 only with BB
    (hardback), B201-B223 (binding details) only with B forms, A103-A112 (audio formats)
    only with audio, digital or disc forms, P1xx (calendar details) only with PC and
    related forms. Applies to DescriptiveDetail and ProductPart.

Why:
    A paperback format code on a hardback, or an audio format on a book, means the form
    or the detail is wrong, and retailers file the product under the wrong format.

Pass:
    <ProductForm>BC</ProductForm><ProductFormDetail>B105</ProductFormDetail>

Fail:
    <ProductForm>BB</ProductForm><ProductFormDetail>B105</ProductFormDetail>
"""

from __future__ import annotations

from typing import Iterator

from onixfeed.validate.rules import Hit, first_text, product_form
# the family's facts live with its screen (product_form.py)
from onixfeed.validate.rules.product_form import CONSTRAINED, GROUPS

CODE = "PD002"
NAME = "product-form-detail-mismatch"
SCREEN = product_form.screen  # the family's one look decides whether this rule runs

# Without one of these elements in the product the rule finds nothing (the runner skips it).
NEEDS = ("ProductFormDetail",)


def check(product, context) -> Iterator[Hit]:
    for detail in context.elements(product, "DescriptiveDetail", "ProductPart"):
        children = context.children(detail)
        details = children.get("ProductFormDetail")
        if details is None:
            continue
        form = (first_text(children, "ProductForm") or "").strip()
        for element in details:
            code = (element.text or "").strip()
            if code not in CONSTRAINED:
                continue
            for codes, forms, readable in GROUPS:
                if code in codes and not forms.match(form):
                    yield Hit(f"ProductFormDetail {code} needs ProductForm {readable}, not {form or '(none)'}", element)
                    break
