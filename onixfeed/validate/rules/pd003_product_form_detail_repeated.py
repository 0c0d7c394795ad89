"""A ProductFormDetail code is repeated.

Checks:
    The ProductFormDetail codes of one DescriptiveDetail, ProductPart or RelatedProduct are
    distinct, as EDItEUR's strict schema asserts.

Why:
    A repeated detail usually means a different detail was meant and lost in a mapping.

Pass:
    <ProductFormDetail>B105</ProductFormDetail><ProductFormDetail>B304</ProductFormDetail>

Fail:
    <ProductFormDetail>B105</ProductFormDetail><ProductFormDetail>B105</ProductFormDetail>
"""

from __future__ import annotations

from typing import Iterator

from onixfeed.validate.rules import Hit, product_form

CODE = "PD003"
NAME = "product-form-detail-repeated"
SCREEN = product_form.screen  # the family's one look decides whether this rule runs

# Without one of these elements in the product the rule finds nothing (the runner skips it).
NEEDS = ("ProductFormDetail",)


def check(product, context) -> Iterator[Hit]:
    for detail in context.elements(product, "DescriptiveDetail", "ProductPart", "RelatedProduct"):
        details = context.children(detail).get("ProductFormDetail")
        if details is None or len(details) < 2:
            continue  # a repeat needs two
        seen: set[str] = set()
        for element in details:
            code = (element.text or "").strip()
            if code in seen:
                yield Hit(f"ProductFormDetail {code} is given twice in <{detail.tag}>", element)
            seen.add(code)
