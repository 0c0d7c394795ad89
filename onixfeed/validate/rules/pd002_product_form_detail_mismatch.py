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

import re
from typing import Iterator

from onixfeed.validate.rules import Hit, first_text

CODE = "PD002"
NAME = "product-form-detail-mismatch"


def _codes(prefix: str, *numbers: int) -> frozenset[str]:
    return frozenset(f"{prefix}{number}" for number in numbers)


# (detail codes, ProductForm pattern they need, how a person reads the pattern); several
# groups may apply to one code (P105), and then all of them must hold, as in the schema.
GROUPS = (
    (_codes("A", 101, 102), re.compile(r"A[AC]\Z"), "AA or AC"),
    (_codes("A", *range(103, 113)), re.compile(r"(?:A[AEHJKLNO]|D.|E.)\Z"), "AA, AE, AH, AJ, AK, AL, AN, AO, D* or E*"),
    (_codes("A", *range(301, 306)), re.compile(r"[ADEV].\Z"), "A*, D*, E* or V*"),
    (_codes("B", *range(101, 108), 113, 114, 116, 117, 118, 131, 132, 412), re.compile(r"BC\Z"), "BC"),
    (_codes("B", 115, 306), re.compile(r"BB\Z"), "BB"),
    (_codes("B", 133), re.compile(r"B[BC]\Z"), "BB or BC"),
    (_codes("B", 301, 302, 303), re.compile(r"BD\Z"), "BD"),
    (_codes("B", 201, 202, *range(204, 211), *range(212, 217), 221, 222, 223), re.compile(r"B.\Z"), "B*"),
    (_codes("B", 311, 312, 313, 314), re.compile(r"BE\Z"), "BE"),
    (_codes("B", 403, 404, 405), re.compile(r"BG\Z"), "BG"),
    (_codes("D", *range(201, 208)), re.compile(r"D.\Z"), "D*"),
    (_codes("P", 104, 105, 106, 108, 111, 112), re.compile(r"PC\Z"), "PC"),
    (_codes("P", 105, 115), re.compile(r"P[CK]\Z"), "PC or PK"),
    (_codes("P", 101, 102, 103, 107, 110), re.compile(r"P[CF]\Z"), "PC or PF"),
    (_codes("P", 109), re.compile(r"P[CT]\Z"), "PC or PT"),
    (_codes("P", 113), re.compile(r"P[CFS]\Z"), "PC, PF or PS"),
)
CONSTRAINED = frozenset().union(*(codes for codes, _, _ in GROUPS))

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
