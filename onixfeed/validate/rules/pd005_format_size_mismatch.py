"""A paperback format code whose height or width is not that format's size.

Checks:
    Where ProductFormDetail names a standard size, the product's Measure of height (type
    01) and width (type 02) in mm or cm is that size within 3 mm, as EDItEUR's strict
    schema asserts (_20180308_b_1 to _b_9): B104 A-format 178 x 111 mm, B105 B-format
    197 x 129 mm, B121 A4 297 x 210 mm, B134 A5 210 x 148 mm, and B101/B107 rack-size
    4.25 in wide (within 0.125 in). A measurement that is not a number fails too. Measures
    in other units are not compared. The schema's rack-size height checks (_b_1 with a
    3.125 in tolerance, _b_2 reading the width as the height) are left out: the first
    rejects nothing, the second rejects every tall rack-size paperback given in inches.

Why:
    Retailers use the format code to shelve and to price postage; a "B-format" that
    measures 234 mm means the code or the measures are wrong.

Pass:
    <ProductFormDetail>B105</ProductFormDetail>
    <Measure><MeasureType>01</MeasureType><Measurement>198</Measurement><MeasureUnitCode>mm</MeasureUnitCode></Measure>

Fail:
    <ProductFormDetail>B105</ProductFormDetail>
    <Measure><MeasureType>01</MeasureType><Measurement>234</Measurement><MeasureUnitCode>mm</MeasureUnitCode></Measure>
"""

from __future__ import annotations

from typing import Iterator

from onixfeed.validate.rules import Hit, first_text, product_form
# the family's facts live with its screen (product_form.py)
from onixfeed.validate.rules.product_form import NUMBER, SIZES

CODE = "PD005"
NAME = "format-size-mismatch"
SCREEN = product_form.screen  # the family's one look decides whether this rule runs

_DIMENSION = {"01": "height", "02": "width"}

# Without one of these elements in the product the rule finds nothing (the runner skips it).
NEEDS = ("Measure",)


def check(product, context) -> Iterator[Hit]:
    if not any((element.text or "").strip() in SIZES for element in context.elements(product, "ProductFormDetail")):
        return  # no standard size named: most products
    for detail in context.elements(product, "DescriptiveDetail"):
        children = context.children(detail)
        formats = [SIZES[code] for code in
                   {(element.text or "").strip() for element in children.get("ProductFormDetail", ())}
                   if code in SIZES]
        if not formats:
            continue
        for measure in children.get("Measure", ()):
            parts = context.children(measure)
            key = ((first_text(parts, "MeasureType") or "").strip(), (first_text(parts, "MeasureUnitCode") or "").strip())
            for name, sizes in formats:
                if key not in sizes:
                    continue
                expected, tolerance = sizes[key]
                text = first_text(parts, "Measurement") or ""
                value = float(text) if NUMBER.match(text) else None
                if value is None or abs(value - expected) > tolerance:
                    yield Hit(f"{name} {_DIMENSION[key[0]]} should be {expected} {key[1]} (within {tolerance}), "
                              f"not {text.strip() or '(none)'}", measure)
