"""ProductClassificationTypeName is missing from a proprietary classification, or present on a standard one.

Checks:
    In every ProductClassification, ProductClassificationTypeName is present if and only
    if ProductClassificationType is 07 (the sender's own scheme, list 9). This is
    EDItEUR's strict schema assertion (_20191031_d_2).

Why:
    A proprietary classification code means nothing without the scheme's name; a name
    on a standard scheme (customs tariff, UNSPSC) suggests the type code is wrong.

Pass:
    <ProductClassification><ProductClassificationType>07</ProductClassificationType><ProductClassificationTypeName>House</ProductClassificationTypeName><ProductClassificationCode>X1</ProductClassificationCode></ProductClassification>

Fail:
    <ProductClassification><ProductClassificationType>02</ProductClassificationType><ProductClassificationTypeName>Tariff</ProductClassificationTypeName><ProductClassificationCode>49019900</ProductClassificationCode></ProductClassification>
"""

from __future__ import annotations

from typing import Iterator

from onixfeed.validate.rules import Hit, first_text, product_form
from onixfeed.validate.rules.product_form import PROPRIETARY

CODE = "PD006"
NAME = "classification-type-name-mismatch"
SCREEN = product_form.screen  # the family's one look decides whether this rule runs

# Without one of these elements in the product the rule finds nothing (the runner skips it).
NEEDS = ("ProductClassification",)


def check(product, context) -> Iterator[Hit]:
    for classification in context.elements(product, "ProductClassification"):
        children = context.children(classification)
        kind = (first_text(children, "ProductClassificationType") or "").strip()
        named = "ProductClassificationTypeName" in children
        if kind == PROPRIETARY and not named:
            yield Hit("<ProductClassification> of the sender's own scheme (type 07) has no "
                      "<ProductClassificationTypeName>", classification)
        elif named and kind != PROPRIETARY:
            yield Hit(f"<ProductClassification> of type {kind or '(none)'} has a <ProductClassificationTypeName>, "
                      f"which only type 07 takes", classification)
