"""Shared by the identifier rules: their typed composites, check digits and the family screen.

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


def _read(root: etree._Element, context) -> tuple[dict[str, list[Composite]], frozenset[str] | set[str],
                                                  list[Composite] | tuple]:
    """The product's identifier composites by tag, the ID codes that may fire on them, and the
    product-level ISBN-13 and GTIN-13 rows with an IDValue (what ID012 keys every product by).

    One pass does all three: the screen runs on every product and needs every field a composite
    row holds, so judging each composite as it is read saves a second loop over the rows
    (about 2 us a bench product). What the screen names is explained in `screen`.
    """
    found: dict[str, list[Composite]] = {}
    suspects: set[str] = set()
    carriers: list[Composite] | tuple = _NO_ROWS
    present = context.index(root).get
    for tag, type_tag, proprietary, by_kind in _composite_plans():
        # 24 dict lookups: cheaper than intersecting the names with the index's hundred keys
        elements = present(tag)
        if elements is None:
            continue
        rows = found[tag] = []
        product_identifiers = tag == "ProductIdentifier"
        if product_identifiers:
            isbns: set[str] = set()
            gtins: list[str] = []
            carriers = []
        for composite in elements:
            if len(composite) == 2 and composite[0].tag == type_tag and composite[1].tag == "IDValue":
                # the usual shape, type then IDValue: two children by position cost less than
                # an iterator over them
                value_element = composite[1]
                kind = (composite[0].text or "").strip()
                value = (value_element.text or "").strip()
                type_name = None
                if kind in proprietary:
                    suspects.add("ID010")  # a proprietary type without its IDTypeName
            else:
                # one pass over the few children: a loop in Python beats three iterchildren() calls
                kind, value_element, type_name = None, None, None
                for child in composite:
                    name = child.tag
                    if name == type_tag:
                        if kind is None:
                            kind = child.text or ""
                    elif name == "IDValue":
                        if value_element is None:
                            value_element = child
                    elif name == "IDTypeName" and type_name is None:
                        type_name = child.text or ""
                kind = (kind or "").strip()
                value = (value_element.text or "").strip() if value_element is not None else ""
                if kind and (kind in proprietary) is (type_name is None):
                    suspects.add("ID010")
            # tuple.__new__ skips the Python-level __new__ a NamedTuple call goes through
            row = _new_row(Composite, (composite, tag, kind, value_element, value, type_name))
            rows.append(row)
            if value_element is None:
                continue  # the value rules, ID009, ID014 and ID015 read IDValue
            checks = by_kind.get(kind)
            if checks is not None:
                for code, valid, accepted, implied in checks:
                    if value in accepted:
                        continue
                    if valid(kind, value):
                        if len(accepted) >= _ACCEPTED_LIMIT:
                            accepted.clear()
                        accepted.add(value)
                        if implied is not None:  # an ISBN-13 is a valid GTIN-13 too: see ACCEPTED_TOO
                            if len(implied) >= _ACCEPTED_LIMIT:
                                implied.clear()
                            implied.add(value)
                    else:
                        suspects.add(code)
            if product_identifiers:
                if kind in _ISBN_OR_GTIN and composite.getparent() is root:
                    carriers.append(row)  # ID012 reads these on every product: found here, not looked for again
                    if kind == "15":
                        isbns.add(value)
                    else:
                        gtins.append(value)
                elif kind in _LEGACY:
                    suspects.add(_LEGACY[kind])
        if len(rows) > 1 and alike_rows(rows):
            suspects.add("ID013")
        if product_identifiers and isbns and not isbns.issuperset(gtins):
            suspects.add("ID009")
    return found, suspects or _NO_SUSPECTS, carriers


_new_row = tuple.__new__
_NO_ROWS: tuple = ()


def alike_rows(rows: list[Composite]) -> bool:
    """True when two of `rows` share type, IDTypeName and value (what ID013 looks for among siblings)."""
    count = len(rows)
    # products hold two or three of a composite: comparing the pairs, value first (it differs
    # most often), costs half of building a set of signatures. By position: [2] kind, [4] value,
    # [5] type_name (test_identifier_screen builds rows by field name and holds this to the set)
    if count == 2:
        first, second = rows
        return first[4] == second[4] and first[2] == second[2] and first[5] == second[5]
    if count == 3:
        first, second, third = rows
        return ((first[4] == second[4] and first[2] == second[2] and first[5] == second[5])
                or (first[4] == third[4] and first[2] == third[2] and first[5] == third[5])
                or (second[4] == third[4] and second[2] == third[2] and second[5] == third[5]))
    return len(set(map(_SIGNATURE, rows))) < count


def composites(root: etree._Element, context) -> dict[str, list[Composite]]:
    """Every identifier composite of a product by tag, read once per product for every rule that asks."""
    return context.shared(root, _read)[0]


def product_isbns_and_gtins(root: etree._Element, context) -> list[Composite] | tuple:
    """The ProductIdentifier rows of `root` itself (not of a part or related product) typed ISBN-13
    (15) or GTIN-13 (03) that have an IDValue, in document order."""
    return context.shared(root, _read)[2]


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
        return ascii_mod10_ok(digits)
    total = 0
    for position, char in enumerate(reversed(digits)):
        total += int(char) * (3 if position % 2 else 1)
    return total % 10 == 0


def ascii_mod10_ok(digits: str) -> bool:
    """`mod10_ok` of a string its caller knows to be ASCII digits (a shape regex matched it)."""
    # every digit once, every second from the right twice more: read in base 11 by int() (in C),
    # digits leave their digit sum by 10, since every power of 11 leaves 1
    return (int(digits, 11) + 2 * int(digits[-2::-2] or "0", 11)) % 10 == 0


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
        # the loop below sums digit i times 2 ** (15 - i); only its remainder by 11 matters, and
        # 13 leaves 2 by 11, so reading the digits in base 13 (in C) gives half that sum modulo 11
        total = 2 * int(head, 13)
    else:
        total = 0
        for char in head:
            total = (total + int(char)) * 2
    return _CHECK_CHARACTERS[(12 - total % 11) % 11]


_CHECK_CHARACTERS = "0123456789X"  # ISO 7064 MOD 11-2 writes the remainder 10 as X


def ascii_mod11_2_ok(value: str) -> bool:
    """`mod11_2_ok` of fifteen ASCII digits and a check character (a shape regex matched them)."""
    # mod11_2_expected's base-13 way, without its checks: the screen asks this of every ISNI and ORCID
    return _CHECK_CHARACTERS[(12 - 2 * int(value[:15], 13)) % 11] == value[15:16].upper()


def mod11_2_ok(value: str) -> bool:
    head = value[:15]
    if len(head) == 15 and head.isascii() and head.isdigit():
        return ascii_mod11_2_ok(value)
    return mod11_2_expected(value) == value[15:16].upper()


ISBN13_SHAPE = re.compile(r"(?:978[0-9]{10}|979[1-9][0-9]{9})\Z")
DIGITS = re.compile(r"[0-9]+\Z")


@functools.lru_cache(maxsize=None)
def _composite_tags() -> tuple[str, ...]:
    """Every identifier composite of ONIX 3.0 (`XxxIdentifier` for each `XxxIDType` in the schema)."""
    from onixfeed import codelists

    names = [name for name in codelists.element_lists("3.0") if name.endswith("IDType") and not name.startswith("@")]
    return tuple(sorted(name[: -len("IDType")] + "Identifier" for name in names))


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


# Proprietary identifier types (the ones that take an IDTypeName): list 44 and 92 use 01 and 02,
# list 217 (prices) 01 to 07, the other lists 01 only.
_PARTY = frozenset(PARTY_COMPOSITES)
_PROPRIETARY_PARTY = frozenset({"01", "02"})
_PROPRIETARY_PRICE = frozenset({"01", "02", "03", "04", "05", "06", "07"})
_PROPRIETARY_OTHER = frozenset({"01"})


def proprietary_codes(composite_tag: str) -> frozenset[str]:
    """The type codes of `composite_tag` that name a proprietary scheme."""
    if composite_tag in _PARTY:
        return _PROPRIETARY_PARTY
    if composite_tag == "PriceIdentifier":
        return _PROPRIETARY_PRICE
    return _PROPRIETARY_OTHER


_NO_SUSPECTS: frozenset[str] = frozenset()
_ISBN_OR_GTIN = frozenset({"15", "03"})
# ProductIdentifier types whose mere presence lets a rule run: ISBN-10 (ID014), ISMN-10 (ID015).
_LEGACY = {"02": "ID014", "05": "ID015"}
_SIGNATURE = operator.itemgetter(*(Composite._fields.index(name) for name in ("kind", "type_name", "value")))
# Values a rule accepted, remembered per (rule, type): feeds repeat suppliers, contributors and
# related products, and a set lookup costs a fraction of a check digit. Cleared when this full,
# so a feed of unique ISBNs holds a worker to about 1.5 MB a set.
_ACCEPTED_LIMIT = 16384
# rule -> (rule, type) whose valid() accepts every value the first rule's valid() accepts, of any
# type it checks: an ISBN-13 (978 or 979, 13 ASCII digits, mod 10) is a GTIN-13 (13 ASCII digits,
# mod 10). Products carry one value as both ISBN-13 and GTIN-13, and the GTIN's check is then
# a set lookup. test_identifier_screen.py holds every entry to that over edge and random values.
ACCEPTED_TOO = {"ID001": ("ID003", "03")}


def screen(product: etree._Element, context) -> frozenset[str] | set[str]:
    """ID codes that may fire on a product: a necessary condition of each rule, never its verdict.

    Judged in the one pass that reads the composites the rules share (`_read`): a value
    rule (ID001-ID008) is named only when its own `valid()` rejects a value of a type it checks,
    ID009 when a GTIN-13 differs from the product's ISBN-13s, ID010 when a type and its
    IDTypeName disagree, ID013 when two composites of a name share type, name and value,
    ID014 and ID015 when an ISBN-10 or ISMN-10 is there at all.
    """
    return context.shared(product, _read)[1]


@functools.lru_cache(maxsize=None)
def _screen_plans() -> dict[str, tuple[frozenset[str], dict[str, tuple[tuple[str, object, set[str]], ...]]]]:
    """Every composite -> (its proprietary type codes, type code -> (rule code, the rule's `valid(kind,
    value)`, the values it accepted, the values another rule then accepts too or None) for every
    rule screened here that judges values). Read from
    the rules themselves (their TYPES and valid), so the screen and the rules cannot disagree on
    which types a rule checks or which values it accepts."""
    from onixfeed.validate.rules import registry  # the rules import this module: look them up when first asked

    checks: dict[str, dict[str, list]] = {}
    accepted: dict[tuple[str, str], set[str]] = {}  # valid() reads the type, never the composite
    for rule in registry():
        module = rule.module
        if rule.screen is screen and callable(getattr(module, "valid", None)):
            for tag, kinds in module.TYPES.items():
                for kind in kinds:
                    memory = accepted.setdefault((rule.code, kind), set())
                    implied = ACCEPTED_TOO.get(rule.code)
                    implied_memory = accepted.setdefault(implied, set()) if implied is not None else None
                    checks.setdefault(tag, {}).setdefault(kind, []).append((rule.code, module.valid, memory,
                                                                           implied_memory))
    return {tag: (proprietary_codes(tag), {kind: tuple(rows) for kind, rows in checks.get(tag, {}).items()})
            for tag in _composite_tags()}


@functools.lru_cache(maxsize=None)
def _composite_plans() -> tuple[tuple[str, str, frozenset[str], dict], ...]:
    """(composite name, its type element's name, then `_screen_plans`' two) for every identifier composite."""
    plans = _screen_plans()
    return tuple((tag, type_element(tag), *plans[tag]) for tag in _composite_tags())
