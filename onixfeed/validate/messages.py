"""Turn libxml2's schema and parser errors into rule codes and messages people can act on."""

from __future__ import annotations

import re
from dataclasses import dataclass

from onixfeed import codelists, onix

# Stable codes, one per kind of schema finding; never reuse a code for another kind.
RULES = {
    "XS000": "not-well-formed",
    "XS001": "element-out-of-place",
    "XS002": "code-not-in-list",
    "XS003": "invalid-value",
    "XS004": "attribute-not-allowed",
    "XS005": "duplicate-key",
    "XS006": "not-an-onix-root",
    "XS009": "schema-violation",
}

_ELEMENT = re.compile(r"^Element '([^']*)'(?:, attribute '([^']*)')?: ")
_CLARK = re.compile(r"\{[^}]*\}")
_ENUMERATION = re.compile(r"The value '(.*)' is not an element of the set", re.S)
_EXPECTED = re.compile(r"Expected is (?:one of )?\( (.*) \)")
_VALUE = re.compile(r"^'(.*)' is not a valid value of the (?:atomic|union|list) type '([^']*)'", re.S)


@dataclass(frozen=True)
class Described:
    """A schema error as a rule code and a message."""

    rule: str
    message: str


def _names(text: str) -> str:
    return _CLARK.sub("", text)


def _element_label(name: str, release: str, tags: str) -> str:
    """`<ProductForm>`, or `<b012> (ProductForm)` for short tags, so either reader follows."""
    if tags == "short":
        reference = onix.short_to_reference(release).get(name)
        if reference and reference != name:
            return f"<{name}> ({reference})"
    return f"<{name}>"


def _reference_name(name: str, release: str, tags: str) -> str:
    return onix.short_to_reference(release).get(name, name) if tags == "short" else name


def _code_list_message(element: str, attribute: str | None, value: str, release: str, tags: str) -> str | None:
    """`'BX' is not in list 150 (Product form); closest: ...` when the element uses a code list."""
    lists = codelists.element_lists("3.1" if release == "3.1" else "3.0")
    key = "@" + attribute if attribute else _reference_name(element, release, tags)
    from onixfeed.validate.rules import codes  # the code list rules' shapes: one reading of "may be newer"

    number = lists.get(key, codes.MULTI_VALUED.get(key))  # an item of a country or region list too
    if number is None or release == "2.1":
        return None
    table = codelists.codelist(number, "3.1" if release == "3.1" else "3.0")
    closest = table.describe_closest(value)
    flavour = "3.1" if release == "3.1" else "3.0"
    if codes.shape(value) in codes.shapes(flavour, number):
        return (f"'{value}' is not in list {number} ({table.name}) of code list issue {codes.issue(flavour)}, "
                f"may be newer; closest: {closest}")
    return f"'{value}' is not in list {number} ({table.name}); closest: {closest}"


def describe(type_name: str, message: str, release: str, tags: str) -> Described:
    """The rule code and a person's message for one libxml2 schema error."""
    text = message.strip()
    match = _ELEMENT.match(text)
    element = local = attribute = None
    if match:
        element = _names(match.group(1))
        attribute = match.group(2)
        text = text[match.end():]
    local = _element_label(element, release, tags) if element else "the document"
    subject = f"{local} attribute {attribute}" if attribute else local
    detail = _names(text).rstrip(".")

    if type_name == "SCHEMAV_ELEMENT_CONTENT" or type_name.startswith("SCHEMAV_CVC_COMPLEX_TYPE_2"):
        expected = _EXPECTED.search(text)
        wanted = ""
        if expected:
            names = [_element_label(_names(part).strip(), release, tags) for part in expected.group(1).split(",")]
            wanted = " or ".join(names[:6]) + (" ..." if len(names) > 6 else "")
        if "Missing child element" in text:
            return Described("XS001", f"{subject} is incomplete: expected {wanted} before its end tag"
                             if wanted else f"{subject} is incomplete")
        if "not expected" in text:
            return Described("XS001", f"{subject} is not allowed here; expected {wanted}"
                             if wanted else f"{subject} is not allowed here")
        return Described("XS001", f"{subject}: {detail}")
    if type_name == "SCHEMAV_CVC_ENUMERATION_VALID":
        value = _ENUMERATION.search(text)
        if value:
            described = _code_list_message(element or "", attribute, value.group(1), release, tags)
            if described:
                return Described("XS002", f"{subject} {described}")
            allowed = re.search(r"set \{(.*)\}", text, re.S)
            return Described("XS003", f"{subject} '{value.group(1)}' is not one of {allowed.group(1) if allowed else 'the allowed values'}")
    if type_name == "SCHEMAV_CVC_IDC":
        return Described("XS005", f"{subject}: {detail}")
    if type_name in ("SCHEMAV_CVC_COMPLEX_TYPE_3_2_1", "SCHEMAV_CVC_COMPLEX_TYPE_3_2_2", "SCHEMAV_CVC_COMPLEX_TYPE_4"):
        return Described("XS004", f"{local}: {detail[0].lower() + detail[1:] if detail else detail}")
    if type_name == "SCHEMAV_CVC_ELT_1":
        return Described("XS006", f"{subject} is not the root of an ONIX message of this release "
                                  "(check the element name and its namespace)")
    if type_name.startswith("SCHEMAV_CVC_") or type_name.startswith("SCHEMAV_"):
        value = _VALUE.match(text)
        if value:
            kind = _names(value.group(2)).replace("dt.", "")
            return Described("XS003", f"{subject} '{value.group(1)}' is not a valid {kind}")
        facet = re.match(r"\[facet '(\w+)'\] (.*)", text, re.S)
        if facet:
            return Described("XS003", f"{subject}: {_names(facet.group(2)).rstrip('.')}")
        if type_name.startswith("SCHEMAV_CVC_"):
            return Described("XS003" if "value" in text else "XS009", f"{subject}: {detail}")
    return Described("XS009", f"{subject}: {detail}")


def not_well_formed(message: str, shift: int = 0, first_shifted: int = 0) -> str:
    """libxml2's parser message, trimmed (it already names what was expected), with the
    lines it mentions from `first_shifted` on moved by `shift` back to the original file's."""
    text = re.sub(r", line \d+, column \d+$", "", message.strip())
    if shift:
        text = re.sub(r"\bline (\d+)", lambda m: f"line {int(m.group(1)) + (shift if int(m.group(1)) >= first_shifted else 0)}", text)
    return text[0].lower() + text[1:] if text else "the document is not well-formed XML"
