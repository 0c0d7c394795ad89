"""A digital product carries physical measurements.

Checks:
    A DescriptiveDetail or ProductPart whose ProductForm is a digital download or online
    form (AJ, AN, AO audio; EA, EB, EC, ED e-book and digital) has no Measure, as EDItEUR's
    strict schema asserts.

Why:
    Height and weight on an e-book are copied from the print edition; retailers then show
    shipping costs or shelf sizes for a file.

Pass:
    <DescriptiveDetail><ProductComposition>00</ProductComposition><ProductForm>ED</ProductForm></DescriptiveDetail>

Fail:
    <DescriptiveDetail><ProductComposition>00</ProductComposition><ProductForm>ED</ProductForm>
      <Measure><MeasureType>01</MeasureType><Measurement>234</Measurement><MeasureUnitCode>mm</MeasureUnitCode></Measure></DescriptiveDetail>
"""

from __future__ import annotations

from typing import Iterator

from onixfeed.validate.rules import Hit, first_text, product_form
from onixfeed.validate.rules.product_form import DIGITAL_FORMS

CODE = "PD001"
NAME = "digital-product-with-measures"
SCREEN = product_form.screen  # the family's one look decides whether this rule runs

# Without one of these elements in the product the rule finds nothing (the runner skips it).
NEEDS = ("Measure",)


def check(product, context) -> Iterator[Hit]:
    for detail in context.elements(product, "DescriptiveDetail", "ProductPart"):
        children = context.children(detail)
        form = (first_text(children, "ProductForm") or "").strip()
        if form in DIGITAL_FORMS:
            measure = children.get("Measure")
            if measure is not None:
                yield Hit(f"<Measure> on a digital product (ProductForm {form}): only physical products have "
                          f"measurements", measure[0])
