"""Shared helpers of the code list rules (CL...): which list each element uses, code shapes,
and second-order lists (which list a value comes from, by its type), all read from
EDItEUR's code list and schema XSDs through onixfeed.codelists, never typed by hand."""

from __future__ import annotations

import functools
import re
from typing import Iterator

from lxml import etree

from onixfeed import codelists, schemas
from onixfeed.validate.rules import structure

# Elements typed as space-separated lists of codes (dt.CountryCodeList, dt.RegionCodeList
# in EDItEUR's schema): each item comes from list 91 (countries) or 49 (regions).
MULTI_VALUED = {"CountriesIncluded": 91, "CountriesExcluded": 91, "RegionsIncluded": 49, "RegionsExcluded": 49}

# Composites whose value element draws on a list chosen by their type element, as EDItEUR's
# strict schema asserts: (composite, type element, value element).
SECOND_ORDER_PAIRS = (
    ("ProductFormFeature", "ProductFormFeatureType", "ProductFormFeatureValue"),
    ("Audience", "AudienceCodeType", "AudienceCodeValue"),
    ("AudienceRange", "AudienceRangeQualifier", "AudienceRangeValue"),
    ("ReturnsConditions", "ReturnsCodeType", "ReturnsCode"),
    ("ResourceFeature", "ResourceFeatureType", "FeatureValue"),
    ("ResourceVersionFeature", "ResourceVersionFeatureType", "FeatureValue"),
    ("ResourceFileFeature", "ResourceFileFeatureType", "ResourceFileFeatureValue"),
    ("ReligiousTextFeature", "ReligiousTextFeatureType", "ReligiousTextFeatureCode"),
    ("SalesOutletIdentifier", "SalesOutletIDType", "IDValue"),
    ("SpecificationFeature", "SpecificationFeatureType", "SpecificationFeatureValue"),
)

_SENTENCE_BREAK = re.compile(r"(?<=[.;])\s+")
_LIST_REFERENCE = re.compile(r"\b(?:code\s*list|codelist|list)\s+(\d+)\b", re.I)
# A sentence that says where the value comes from ("values see code list 98", "is a code
# from List 184", "using a code from List 28", "see List 238").
_NAMES_VALUE_LIST = re.compile(r"value|codes?\s+(?:must be taken\s+)?from|IDs from|\bsee\s+(?:code\s*)?list", re.I)
# ...but not one that describes a composite format, an integer, or a deprecation.
_NOT_A_PLAIN_CODE = re.compile(r"optional|space-separated|integer|\bURI\b|followed by|version number|deprecated"
                               r"|in error", re.I)


@functools.lru_cache(maxsize=None)
def element_list_numbers(release: str) -> dict[str, int]:
    """Element name (or '@attribute') -> list number, for elements holding one code."""
    return codelists.element_lists(release)


@functools.lru_cache(maxsize=None)
def issue(release: str) -> int | None:
    """The code list issue in use (75 for the bundled schemas)."""
    return schemas.codelist_issue(schemas.schema_files(release, "reference").codelists)


def shape(value: str) -> str:
    """A code's shape: digits as 9, capitals as A, small letters as a, the rest as is."""
    return re.sub(r"[a-z]", "a", re.sub(r"[A-Z]", "A", re.sub(r"[0-9]", "9", value)))


@functools.lru_cache(maxsize=None)
def shapes(release: str, number: int) -> frozenset[str]:
    """Every shape the codes of a list have (lists 74 and 91 are all 'aaa' and 'AA')."""
    return frozenset(shape(code) for code in codelists.load_codelists(release)[number].codes)


DEPRECATED, UNKNOWN, MALFORMED = "deprecated", "unknown", "malformed"


@functools.lru_cache(maxsize=None)
def _tables(release: str) -> dict[int, tuple[dict, frozenset[str], frozenset[str]]]:
    """list number -> (codes, deprecated codes, shapes), looked up per value."""
    tables = {}
    for number, table in codelists.load_codelists(release).items():
        deprecated = frozenset(code.value for code in table.codes.values() if code.deprecated)
        tables[number] = (table.codes, deprecated, shapes(release, number))
    return tables


@functools.lru_cache(maxsize=None)
def _coded_names(release: str) -> tuple[dict[str, tuple[int, bool]], dict[str, int]]:
    """Coded element name -> (list, holds a space-separated list); coded attribute -> list."""
    lists = element_list_numbers(release)
    elements = {name: (number, False) for name, number in lists.items() if not name.startswith("@")}
    elements.update({name: (number, True) for name, number in MULTI_VALUED.items()})
    attributes = {name[1:]: number for name, number in lists.items() if name.startswith("@")}
    return elements, attributes


# (release, element or attribute name, raw text) -> its problems. Feeds repeat the same
# codes product after product, so most values are judged once per process.
_VERDICTS: dict[tuple[str, str, str], tuple[tuple[str, int, str], ...]] = {}
_VERDICTS_LIMIT = 200_000  # free-text junk in coded elements must not grow it without bound


def _verdict(release: str, name: str, raw: str, number: int, multi: bool) -> tuple[tuple[str, int, str], ...]:
    key = (release, name, raw)
    found = _VERDICTS.get(key)
    if found is None:
        table = _tables(release).get(number)
        problems = []
        if table is not None:
            codes, deprecated, known_shapes = table
            for value in raw.split() if multi else (raw.strip(),):
                if not value:
                    continue
                if value in codes:
                    if value in deprecated:
                        problems.append((value, number, DEPRECATED))
                else:
                    problems.append((value, number, UNKNOWN if shape(value) in known_shapes else MALFORMED))
        if len(_VERDICTS) >= _VERDICTS_LIMIT:
            _VERDICTS.clear()
        found = _VERDICTS[key] = tuple(problems)
    return found


_ATTRIBUTE_VALUES = etree.XPath("descendant-or-self::*/@*")  # smart strings: .attrname, .getparent()


def _classify(product: etree._Element, context) -> list[tuple[etree._Element, str, str, int, str]]:
    """(element, where, value, list, kind) for each coded value that is deprecated, unknown
    (right shape) or malformed, in document order: worked out once per product for
    CL001-CL003, from the shared element index (no walk of its own)."""
    release = context.message.release
    elements, attributes = _coded_names(release)
    verdicts = _VERDICTS
    found = []
    for tag, group in context.index(product).items():
        coded = elements.get(tag)
        if coded is None:
            continue
        for element in group:
            text = element.text
            if text:
                problems = verdicts.get((release, tag, text))
                if problems is None:
                    problems = _verdict(release, tag, text, *coded)
                for value, number, kind in problems:
                    found.append((element, f"<{tag}>", value, number, kind))
    for raw in _ATTRIBUTE_VALUES(product):
        name = raw.attrname
        number = attributes.get(name)
        if number is not None:
            element = raw.getparent()
            for value, list_number, kind in _verdict(release, "@" + name, str(raw), number, False):
                found.append((element, f"<{element.tag}> @{name}", value, list_number, kind))
    if len(found) > 1:  # rare: a clean product has none
        order = {element: position for position, element in enumerate(product.iter(etree.Element))}
        found.sort(key=lambda item: order[item[0]])
    return found


@functools.lru_cache(maxsize=None)
def _deprecated_names(release: str) -> tuple[dict[str, tuple[int, bool, frozenset[str]]], dict[str, tuple[int, frozenset[str]]]]:
    """Only the coded names whose list has deprecated codes: element name -> (list, holds a
    space-separated list, its deprecated codes); attribute name -> (list, its deprecated codes)."""
    tables = _tables(release)
    elements, attributes = _coded_names(release)
    with_elements = {name: (number, multi, tables[number][1]) for name, (number, multi) in elements.items()
                     if number in tables and tables[number][1]}
    with_attributes = {name: (number, tables[number][1]) for name, number in attributes.items()
                       if number in tables and tables[number][1]}
    return with_elements, with_attributes


@functools.lru_cache(maxsize=None)
def _deprecated_name_set(release: str) -> frozenset[str]:
    return frozenset(_deprecated_names(release)[0])


@functools.lru_cache(maxsize=None)
def _attribute_holders(release: str, names: tuple[str, ...]) -> frozenset[str] | None:
    """The elements a schema-valid product may carry any of the attributes `names` on (None: not known)."""
    try:
        return frozenset().union(*(structure.attribute_holders(release, name) for name in names))
    except LookupError:
        return None


@functools.lru_cache(maxsize=None)
def _attribute_finder(names: tuple[str, ...]) -> etree.XPath:
    return etree.XPath(" | ".join(f"descendant-or-self::*/@{name}" for name in names))


def _deprecated(product: etree._Element, context) -> list[tuple[etree._Element, str, str, int]]:
    """(element, where, value, list) for each deprecated code of a product, in document order.

    Deprecated codes are valid ones, so this does not depend on the schema: only the
    names whose list has deprecated codes are looked at (49 of 164), and a value costs a
    set lookup. The result equals the deprecated part of the full classification.
    """
    elements, attributes = _deprecated_names(context.message.release)
    index = context.index(product)
    found = []
    # any order of names will do: the findings are put in document order below (one element, one name)
    for tag in index.keys() & _deprecated_name_set(context.message.release):
        number, multi, deprecated = elements[tag]
        for element in index[tag]:
            text = element.text
            if not text:
                continue
            if multi:
                if deprecated.isdisjoint(text.split()):
                    continue  # the usual case, decided in C
                for value in text.split():
                    if value in deprecated:
                        found.append((element, f"<{tag}>", value, number))
            else:
                value = text.strip()
                if value in deprecated:
                    found.append((element, f"<{tag}>", value, number))
    holders = _attribute_holders(context.message.release, tuple(sorted(attributes))) if context.message.schema_valid else None
    if holders is not None:
        # the schema placed every attribute: look only at the elements it lets carry one (those present)
        for tag in index.keys() & holders:
            for element in index[tag]:
                for name, value in element.items():  # in document order, as the XPath below gives them
                    listed = attributes.get(name)
                    if listed is not None and value.strip() in listed[1]:
                        found.append((element, f"<{tag}> @{name}", value.strip(), listed[0]))
    elif attributes:
        for raw in _attribute_finder(tuple(sorted(attributes)))(product):
            name = raw.attrname
            number, deprecated = attributes[name]
            value = str(raw).strip()
            if value in deprecated:
                element = raw.getparent()
                found.append((element, f"<{element.tag}> @{name}", value, number))
    if len(found) > 1:  # rare: a clean product has none
        order = {element: position for position, element in enumerate(product.iter(etree.Element))}
        found.sort(key=lambda item: order[item[0]])
    return found


def deprecated_codes(product: etree._Element, context) -> list[tuple[etree._Element, str, str, int]]:
    """(element, where, value, list) for each deprecated code of a product (CL001's findings)."""
    return context.shared(product, _deprecated)


def coded_problems(product: etree._Element, context, kind: str) -> Iterator[tuple[etree._Element, str, str, int]]:
    """(element, where, value, list) for each coded value of one kind: deprecated, unknown or malformed."""
    for element, where, value, number, found_kind in context.shared(product, _classify):
        if found_kind == kind:
            yield element, where, value, number


@functools.lru_cache(maxsize=None)
def second_order(release: str) -> dict[tuple[str, str], int]:
    """(type element, type code) -> the list its value element's codes come from.

    Read from the notes of the type element's own code list ("For Product Form Feature
    values see code list 98"), which is where EDItEUR documents the second-order lists.
    """
    lists = element_list_numbers(release)
    tables = codelists.load_codelists(release)
    found: dict[tuple[str, str], int] = {}
    for _, type_element, _ in SECOND_ORDER_PAIRS:
        number = lists.get(type_element)
        if number is None or number not in tables:
            continue
        for code in tables[number].codes.values():
            target = _value_list(code.notes)
            if target is not None and target in tables:
                found[(type_element, code.value)] = target
    return found


def _value_list(notes: str) -> int | None:
    for sentence in _SENTENCE_BREAK.split(notes or ""):
        if _NAMES_VALUE_LIST.search(sentence) and not _NOT_A_PLAIN_CODE.search(sentence):
            match = _LIST_REFERENCE.search(sentence)
            if match:
                return int(match.group(1))
    return None
