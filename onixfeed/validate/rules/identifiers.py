"""Shared by the identifier rules: finding typed identifier composites and computing check digits.

The check digit arithmetic follows what EDItEUR's strict schema asserts for each scheme
(ISBN and GTIN mod 10 with weights 1-3, ISBN-10 and SAN mod 11, ISNI and ORCID ISO 7064
MOD 11-2), so the native rules and the strict schema agree on which values are valid.
"""

from __future__ import annotations

import functools
import operator
import re
from typing import Iterator, NamedTuple

from lxml import etree

# Composites whose type comes from list 44 (name identifiers) or list 92 (supplier and
# agent identifiers): the strict schema checks GLN, SAN, ISNI and ORCID in all of them.
PARTY_COMPOSITES = tuple(
    f"{party}Identifier"
    for party in (
        "Addressee", "Agent", "ConferenceSponsor", "CopyrightOwner", "EventSponsor", "Imprint", "Location",
        "Name", "ProductContact", "Publisher", "RecordSource", "Sender", "Supplier", "SupplyContact",
    )
)


def type_element(composite_tag: str) -> str:
    """`PublisherIdentifier` -> `PublisherIDType` (every ONIX identifier composite is named so)."""
    return composite_tag[: -len("Identifier")] + "IDType"


class Composite(NamedTuple):
    """One identifier composite of a product, read once and shared by the identifier rules."""

    element: etree._Element
    tag: str
    kind: str  # the stripped type code ('' when missing)
    value_element: etree._Element | None
    value: str  # the stripped IDValue ('' when missing)
    type_name: str | None  # IDTypeName as written, None when absent


def all_composites(root: etree._Element, context) -> dict[str, list[Composite]]:
    """Every identifier composite of a product by tag (use through `context.shared`)."""
    found: dict[str, list[Composite]] = {}
    index = context.index(root)
    present = index.keys() & _composite_set()  # in C: a product holds a few of the 24
    if not present:
        return found
    for tag, type_tag in _type_tags():
        if tag not in present:
            continue
        elements = index[tag]
        rows = found[tag] = []
        for composite in elements:
            # one pass over the few children: a loop in Python beats three iterchildren() calls
            kind, value, type_name = None, None, None
            for child in composite:
                name = child.tag
                if name == type_tag:
                    if kind is None:
                        kind = child.text or ""
                elif name == "IDValue":
                    if value is None:
                        value = child
                elif name == "IDTypeName" and type_name is None:
                    type_name = child.text or ""
            rows.append(Composite(composite, tag, (kind or "").strip(), value,
                                  (value.text or "").strip() if value is not None else "", type_name))
    return found


def composites(root: etree._Element, context) -> dict[str, list[Composite]]:
    return context.shared(root, all_composites)


def typed_values(root: etree._Element, context, wanted: dict[str, frozenset[str]]) -> Iterator[tuple[str, etree._Element, str]]:
    """(type code, IDValue element, stripped value) for each composite in `wanted` whose type is listed."""
    found = composites(root, context)
    if _wanted_pairs(wanted).isdisjoint(context.shared(root, _typed_pairs)):
        return  # no composite of a wanted type (most schemes are absent from most products)
    for tag, rows in found.items():  # the few composites present, not every name wanted
        kinds = wanted.get(tag)
        if kinds is None:
            continue
        for row in rows:
            if row.kind in kinds and row.value_element is not None:
                yield row.kind, row.value_element, row.value


def _typed_pairs(root: etree._Element, context) -> frozenset[tuple[str, str]]:
    """(composite, type code) of every identifier composite of a product, read once."""
    return frozenset((tag, row.kind) for tag, rows in composites(root, context).items() for row in rows)


# id of a rule's `wanted` mapping -> (that mapping, kept so its id is not reused; its (composite, type) pairs)
_WANTED_PAIRS: dict[int, tuple[dict, frozenset[tuple[str, str]]]] = {}


def _wanted_pairs(wanted: dict[str, frozenset[str]]) -> frozenset[tuple[str, str]]:
    found = _WANTED_PAIRS.get(id(wanted))
    if found is None or found[0] is not wanted:
        if len(_WANTED_PAIRS) > 256:
            _WANTED_PAIRS.clear()
        found = _WANTED_PAIRS[id(wanted)] = (wanted, frozenset((tag, kind) for tag, kinds in wanted.items()
                                                                for kind in kinds))
    return found[1]


def _digit(char: str) -> int:
    return 10 if char in "Xx" else int(char)


def mod10_ok(digits: str) -> bool:
    """GTIN family (ISBN-13, ISMN-13, GTIN-13/14, UPC-12, GLN): weights 3 and 1 from the right."""
    if digits.isascii() and digits.isdigit():
        # sum() over the bytes adds in C: every digit once, every second from the right twice more
        data = digits.encode()
        odd = data[-2::-2]
        return (sum(data) - 48 * len(data) + 2 * (sum(odd) - 48 * len(odd))) % 10 == 0
    total = 0
    for position, char in enumerate(reversed(digits)):
        total += int(char) * (3 if position % 2 else 1)
    return total % 10 == 0


def mod10_expected(digits: str) -> str:
    """The check digit a GTIN-family value should end with."""
    body = digits[:-1]
    total = sum(int(char) * (1 if position % 2 else 3) for position, char in enumerate(reversed(body)))
    return str((10 - total % 10) % 10)


def isbn10_ok(value: str) -> bool:
    return sum((10 - i) * _digit(char) for i, char in enumerate(value)) % 11 == 0


def isbn10_expected(value: str) -> str:
    remainder = (11 - sum((10 - i) * int(char) for i, char in enumerate(value[:9])) % 11) % 11
    return "X" if remainder == 10 else str(remainder)


def san_ok(value: str) -> bool:
    return sum((7 - i) * _digit(char) for i, char in enumerate(value)) % 11 == 0


def san_expected(value: str) -> str:
    remainder = (11 - sum((7 - i) * int(char) for i, char in enumerate(value[:6])) % 11) % 11
    return "X" if remainder == 10 else str(remainder)


def mod11_2_expected(value: str) -> str:
    """ISO 7064 MOD 11-2 check character of a 16-character ISNI or ORCID (without separators)."""
    head = value[:15]
    if len(head) == 15 and head.isascii() and head.isdigit():
        # the loop below sums digit i times 2 ** (15 - i); only its remainder by 11 matters
        total = sum(map(operator.mul, head.encode(), _MOD11_2_WEIGHTS)) - _MOD11_2_ZEROS
    else:
        total = 0
        for char in head:
            total = (total + int(char)) * 2
    result = (12 - total % 11) % 11
    return "X" if result == 10 else str(result)


_MOD11_2_WEIGHTS = tuple(pow(2, 15 - position, 11) for position in range(15))
_MOD11_2_ZEROS = 48 * sum(_MOD11_2_WEIGHTS)  # what the ASCII codes of the digits add beyond their values


def mod11_2_ok(value: str) -> bool:
    return mod11_2_expected(value) == value[15:16].upper()


ISBN13_SHAPE = re.compile(r"(?:978[0-9]{10}|979[1-9][0-9]{9})\Z")
DIGITS = re.compile(r"[0-9]+\Z")


def composite_tags() -> tuple[str, ...]:
    """Every identifier composite of ONIX 3.0 (`XxxIdentifier` for each `XxxIDType` in the schema)."""
    return _composite_tags()


@functools.lru_cache(maxsize=None)
def _composite_tags() -> tuple[str, ...]:
    from onixfeed import codelists

    names = [name for name in codelists.element_lists("3.0") if name.endswith("IDType") and not name.startswith("@")]
    return tuple(sorted(name[: -len("IDType")] + "Identifier" for name in names))


@functools.lru_cache(maxsize=None)
def _composite_set() -> frozenset[str]:
    return frozenset(_composite_tags())


@functools.lru_cache(maxsize=None)
def _type_tags() -> tuple[tuple[str, str], ...]:
    """(composite name, its type element's name) for every identifier composite."""
    return tuple((tag, type_element(tag)) for tag in _composite_tags())


# Where the strict schema asserts that a legacy identifier (ISBN-10, ISMN-10) comes with its
# 13-digit form among the sibling ProductIdentifiers.
SIBLING_PARENTS = frozenset({
    "Product", "ProductPart", "RelatedProduct", "ComparisonProductPrice", "PriceCondition", "SalesRights", "Tax",
})


def sibling_groups(rows: list[Composite]) -> dict:
    """ProductIdentifier rows grouped by their parent element, for the parents in SIBLING_PARENTS."""
    groups: dict = {}
    for row in rows:
        parent = row.element.getparent()
        if parent is not None and parent.tag in SIBLING_PARENTS:
            groups.setdefault(parent, []).append(row)
    return groups
