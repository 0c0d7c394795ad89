"""Shared helpers of the code list rules (CL...): which list each element uses, code shapes,
and second-order lists (which list a value comes from, by its type), all read from
EDItEUR's code list and schema XSDs through onixfeed.codelists, never typed by hand."""

from __future__ import annotations

import functools
import operator
import re
from itertools import chain
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
def _looked_at(release: str, schema_valid: bool) -> tuple[frozenset[str], frozenset[str] | None, frozenset[str]]:
    """The names `_deprecated` looks up in the index: coded elements whose list has deprecated
    codes; the elements the schema lets carry such an attribute (None: not schema-valid, or not
    known); and both together."""
    coded = _deprecated_name_set(release)
    attributes = _deprecated_names(release)[1]
    holders = _attribute_holders(release, tuple(sorted(attributes))) if schema_valid else None
    return coded, holders, coded | (holders or frozenset())


@functools.lru_cache(maxsize=None)
def _attribute_finder(names: tuple[str, ...]) -> etree.XPath:
    return etree.XPath(" | ".join(f"descendant-or-self::*/@{name}" for name in names))


def _deprecated(product: etree._Element, context) -> list[tuple[etree._Element, str, str, int]]:
    """(element, where, value, list) for each deprecated code of a product, in document order.

    Deprecated codes are valid ones, so this does not depend on the schema: only the
    names whose list has deprecated codes are looked at (49 of 164), and a value costs a
    set lookup. The result equals the deprecated part of the full classification.
    """
    release = context.message.release
    elements, attributes = _deprecated_names(release)
    index = context.index(product)
    coded, holders, wanted = _looked_at(release, context.message.schema_valid)
    present = wanted.intersection(index)  # one C pass over the product's names for both parts below
    clean_texts = _clean_texts(release)
    found = []
    # any order of names will do: the findings are put in document order below (one element, one name)
    for tag in present & coded:
        group = index[tag]
        clean = clean_texts[tag]
        if clean.issuperset(map(_TEXT, group)):
            continue  # every text already judged free of deprecated codes (feeds repeat their codes), in C
        number, multi, deprecated = elements[tag]
        if len(clean) >= _CLEAN_TEXTS_LIMIT:
            clean.clear()  # free text in coded elements must not grow it without bound
        for element in group:
            text = element.text
            if not text:
                clean.add(text)
                continue
            if multi:
                if deprecated.isdisjoint(text.split()):
                    if len(text) <= _CLEAN_TEXT_LENGTH:
                        clean.add(text)
                    continue  # the usual case, decided in C
                for value in text.split():
                    if value in deprecated:
                        found.append((element, f"<{tag}>", value, number))
            else:
                value = text.strip()
                if value in deprecated:
                    found.append((element, f"<{tag}>", value, number))
                elif len(text) <= _CLEAN_TEXT_LENGTH:
                    clean.add(text)
    if holders is not None:
        # the schema placed every attribute: look only at the elements it lets carry one (those present)
        held = present & holders
        if held and _attribute_suspects(release, list(chain.from_iterable(map(index.__getitem__, held)))):
            _deprecated_attributes(index, held, attributes, found)
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


def _deprecated_attributes(index: dict, held: set[str], attributes: dict[str, tuple[int, frozenset[str]]],
                           found: list) -> None:
    """Add (element, where, value, list) for each deprecated code in an attribute of the elements named `held`."""
    for tag in held:
        for element in index[tag]:
            for name, value in element.items():  # in document order, as the XPath in _deprecated gives them
                listed = attributes.get(name)
                if listed is not None and value.strip() in listed[1]:
                    found.append((element, f"<{tag}> @{name}", value.strip(), listed[0]))


def _attribute_suspects(release: str, holders: list[etree._Element]) -> bool:
    """Whether any of `holders` carries a deprecated code in an attribute: a necessary condition,
    read in C (one `get` per element and attribute name); most products carry none of them."""
    for getter, deprecated in _attribute_getters(release):
        values = set(map(getter, holders))
        values.discard(None)
        if values and not deprecated.isdisjoint(map(str.strip, values)):
            return True
    return False


@functools.lru_cache(maxsize=None)
def _attribute_getters(release: str) -> tuple[tuple[operator.methodcaller, frozenset[str]], ...]:
    """(reads the attribute off an element, its deprecated codes) for each attribute whose list has some."""
    return tuple((operator.methodcaller("get", name), deprecated)
                 for name, (_, deprecated) in sorted(_deprecated_names(release)[1].items()))


_TEXT = operator.attrgetter("text")
# release -> coded element name -> raw texts known to hold none of its list's deprecated codes.
# A verdict depends only on (release, name, text), and feeds repeat their codes product after
# product, so a clean product's texts are all found here by one C-level superset test per name.
_CLEAN_TEXTS: dict[str, dict[str, set[str | None]]] = {}
_CLEAN_TEXTS_LIMIT = 2048  # per name
_CLEAN_TEXT_LENGTH = 800  # a list of every country fits; free text pasted into a coded element is not kept


def _clean_texts(release: str) -> dict[str, set[str | None]]:
    found = _CLEAN_TEXTS.get(release)
    if found is None:
        found = _CLEAN_TEXTS[release] = {name: set() for name in _deprecated_names(release)[0]}
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


_NONE: frozenset[str] = frozenset()
_CODE_OF_KIND = ((DEPRECATED, "CL001"), (UNKNOWN, "CL002"), (MALFORMED, "CL003"))
_SECOND_ORDER_COMPOSITES = frozenset(composite for composite, _, _ in SECOND_ORDER_PAIRS)
_SECOND_ORDER_NAMES = {composite: (type_name, value_name) for composite, type_name, value_name in SECOND_ORDER_PAIRS}


def screen(product: etree._Element, context) -> frozenset[str] | set[str]:
    """CL codes that may fire (see SCREEN in rules/__init__.py): CL001 when the product holds a
    deprecated code (none when the current-codes schema passed it: MessageInfo.codes_current),
    CL002/CL003 when no schema checked it and it holds an unknown or malformed code, CL004 when
    a second-order value may be outside the list its type calls for. The first three are the
    rules' own shared findings (worked out once, read again by the rule that runs)."""
    message = context.message
    suspects = None
    if message.schema_checked or message.schema_valid:
        if not message.codes_current and deprecated_codes(product, context):
            suspects = {"CL001"}
    else:
        # the full classification CL002/CL003 read holds CL001's findings too (deprecated_codes
        # equals its deprecated part): one pass over the coded values decides all three
        kinds = {problem[4] for problem in context.shared(product, _classify)}
        suspects = {code for kind, code in _CODE_OF_KIND if kind in kinds}
        if message.codes_current:
            suspects.discard("CL001")
    if _second_order_suspect(product, context):
        suspects = (suspects or set()) | {"CL004"}
    return suspects or _NONE


@functools.lru_cache(maxsize=None)
def _second_order_codes(release: str) -> dict[tuple[str, str], frozenset[str]]:
    """(type element, type code) -> the codes of the list its value element's codes come from."""
    tables = codelists.load_codelists(release)
    return {key: frozenset(tables[number].codes) for key, number in second_order(release).items()}


def _second_order_suspect(product: etree._Element, context) -> bool:
    """A necessary condition of CL004: some type element of a second-order composite present
    calls for a list, and some element named as that composite's value holds a code outside
    it. Read from the index by name (a type or value element elsewhere only costs speed)."""
    index = context.index(product)
    present = index.keys() & _SECOND_ORDER_COMPOSITES
    if not present:
        return False
    lists = _second_order_codes(context.message.release)
    for composite in present:
        type_name, value_name = _SECOND_ORDER_NAMES[composite]
        values = None
        for type_element in index.get(type_name, ()):
            codes = lists.get((type_name, (type_element.text or "").strip()))
            if codes is None:
                continue  # a type whose notes name no single list: nothing to check
            if values is None:
                values = set(map(_TEXT, index.get(value_name, ())))
                values.discard(None)
            if not codes.issuperset(values) and any(value.strip() not in codes for value in values if value.strip()):
                return True
    return False
