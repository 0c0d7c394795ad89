"""Shared by the product form rules (PD001-PD006): digital forms, detail groups, standard sizes, the screen."""

from __future__ import annotations

import re

from lxml import etree

from onixfeed.validate.rules import first_text

# ProductForm codes (list 150) of digital downloads and online forms: AJ, AN, AO audio; EA-ED (PD001).
DIGITAL_FORMS = frozenset({"AJ", "AN", "AO", "EA", "EB", "EC", "ED"})
# Digital or licence forms that take no PackQuantity (PD004). The schema's pattern is unanchored;
# ProductForm codes are two characters, so this is the same set.
DIGITAL = re.compile(r"AJ|AN|AO|E.|LC")


def _codes(prefix: str, *numbers: int) -> frozenset[str]:
    return frozenset(f"{prefix}{number}" for number in numbers)


# ProductFormDetail codes (list 175) -> the ProductForm they need (PD002): (detail codes, ProductForm
# pattern, how a person reads the pattern); several groups may apply to one code (P105), and then all
# of them must hold, as in EDItEUR's strict schema.
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

# list 175 code -> (its name, {(MeasureType, unit): (expected, tolerance)}), from the strict schema (PD005).
SIZES = {
    "B104": ("A-format", {("01", "mm"): (178, 3), ("01", "cm"): (17.8, 0.3),
                          ("02", "mm"): (111, 3), ("02", "cm"): (11.1, 0.3)}),
    "B105": ("B-format", {("01", "mm"): (197, 3), ("01", "cm"): (19.7, 0.3),
                          ("02", "mm"): (129, 3), ("02", "cm"): (12.9, 0.3)}),
    "B121": ("A4", {("01", "mm"): (297, 3), ("01", "cm"): (29.7, 0.3),
                    ("02", "mm"): (210, 3), ("02", "cm"): (21.0, 0.3)}),
    "B134": ("A5", {("01", "mm"): (210, 3), ("01", "cm"): (21.0, 0.3),
                    ("02", "mm"): (148, 3), ("02", "cm"): (14.8, 0.3)}),
    "B101": ("rack-size", {("02", "in"): (4.25, 0.125)}),
    "B107": ("tall rack-size", {("02", "in"): (4.25, 0.125)}),
}
# What XPath's number() reads as a number (Python's float() also takes "1_0" and "nan").
NUMBER = re.compile(r"[ \t\n\r]*[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?[ \t\n\r]*\Z")

PROPRIETARY = "07"  # code list 9: the sender's own classification scheme (PD006)

_NONE: frozenset[str] = frozenset()
_FORM_HOLDERS = frozenset({"DescriptiveDetail", "ProductPart"})  # where PD002 reads a form and its details
# Verdicts per distinct short text: feeds repeat a handful of forms, details and measures.
_VERDICTS_LIMIT = 10_000
_DIGITAL_TEXTS: dict[str, bool] = {}
_FITS: dict[tuple[str, str], bool] = {}
_OFF_SIZE: dict[tuple[str, str, str, str], bool] = {}


def screen(product: etree._Element, context) -> frozenset[str] | set[str]:
    """PD codes that may fire on a product: a necessary condition of each rule, never its verdict.

    One look at the index's ProductForm, ProductFormDetail, Measure and classification elements,
    with verdicts cached per distinct text; Measure children are read only for a standard size.
    """
    index = context.index(product)
    suspects: set[str] = set()
    forms = index.get("ProductForm", _NONE)
    measured = "Measure" in index
    packed = "PackQuantity" in index
    if measured or packed:
        for form in forms:
            text = (form.text or "").strip()
            if measured and text in DIGITAL_FORMS:
                suspects.add("PD001")
            if packed and _digital(text):
                suspects.add("PD004")
    details = index.get("ProductFormDetail")
    if details is not None:
        codes = [(detail.text or "").strip() for detail in details]
        if len(codes) > 1 and len(set(codes)) < len(codes):
            suspects.add("PD003")
        for detail, code in zip(details, codes):
            if code in CONSTRAINED:
                holder = detail.getparent()
                if holder.tag in _FORM_HOLDERS and not _fits(code, _first_form(holder, forms)):
                    suspects.add("PD002")
        if measured:
            sizes = [code for code in codes if code in SIZES]
            if sizes and _off_size_measure(sizes, index["Measure"], context):
                suspects.add("PD005")
    if "ProductClassification" in index and (
            "ProductClassificationTypeName" in index
            or any((kind.text or "").strip() == PROPRIETARY for kind in index.get("ProductClassificationType", _NONE))):
        suspects.add("PD006")
    return suspects or _NONE


def _first_form(holder: etree._Element, forms) -> str:
    """The stripped text of `holder`'s first ProductForm child ('' without one), from the index's list."""
    for form in forms:
        if form.getparent() is holder:
            return (form.text or "").strip()
    return ""


def _remember(cache: dict, key, verdict: bool) -> bool:
    if len(cache) >= _VERDICTS_LIMIT:
        cache.clear()
    cache[key] = verdict
    return verdict


def _digital(form: str) -> bool:
    """PD004's test of a ProductForm text, cached per text."""
    verdict = _DIGITAL_TEXTS.get(form)
    if verdict is None:
        verdict = _remember(_DIGITAL_TEXTS, form, DIGITAL.search(form) is not None)
    return verdict


def _fits(code: str, form: str) -> bool:
    """True when every group holding the detail code accepts the form (PD002 then says nothing)."""
    key = (code, form)
    verdict = _FITS.get(key)
    if verdict is None:
        verdict = _remember(_FITS, key, all(forms.match(form) for codes, forms, _ in GROUPS if code in codes))
    return verdict


def _off_size_measure(sizes: list[str], measures, context) -> bool:
    """True when a Measure is off one of the named standard sizes as PD005 judges it (any Measure
    of the product against any size it names: a necessary condition of PD005's finding)."""
    for measure in measures:
        parts = context.children(measure)
        kind = (first_text(parts, "MeasureType") or "").strip()
        unit = (first_text(parts, "MeasureUnitCode") or "").strip()
        text = first_text(parts, "Measurement") or ""
        for code in sizes:
            key = (code, kind, unit, text)
            verdict = _OFF_SIZE.get(key)
            if verdict is None:
                verdict = _remember(_OFF_SIZE, key, _off_size(SIZES[code][1], (kind, unit), text))
            if verdict:
                return True
    return False


def _off_size(sizes: dict, key: tuple[str, str], text: str) -> bool:
    """PD005's verdict on one measurement: not a number, or outside the size's tolerance."""
    if key not in sizes:
        return False  # a dimension or unit the size does not fix
    expected, tolerance = sizes[key]
    value = float(text) if NUMBER.match(text) else None
    return value is None or abs(value - expected) > tolerance
