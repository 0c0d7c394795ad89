"""ONIX code lists read from EDItEUR's code list XSD: labels, deprecations, closest codes,
which element or attribute uses which list, and friendly names <-> codes.

Friendly names are derived from the official labels ("Paperback / softback" ->
`paperback-softback`) plus a short table of common aliases; every alias is checked
against the official list when it is used, so a code list change cannot make an alias
silently point at the wrong code.
"""

from __future__ import annotations

import functools
import hashlib
import marshal
import os
import re
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from onixfeed import schemas

XS = "{http://www.w3.org/2001/XMLSchema}"


@dataclass(frozen=True)
class Code:
    value: str
    label: str
    notes: str
    deprecated: bool


@dataclass(frozen=True)
class CodeList:
    number: int
    name: str
    codes: dict[str, Code]

    def __contains__(self, value: str) -> bool:
        return value in self.codes

    def label(self, value: str) -> str | None:
        code = self.codes.get(value)
        return code.label if code else None

    def closest(self, value: str, count: int = 3) -> list[Code]:
        """The current codes a person most likely meant: fewest (keyboard-weighted) typos."""
        wanted = (value or "").strip().upper()
        key = (id(self), wanted, count)
        cached = _CLOSEST.get(key)
        if cached is not None and cached[0] is self:
            return list(cached[1])
        candidates = [code for code in self.codes.values() if not code.deprecated]
        # A value far longer than every code is a label or junk: its first characters pick the
        # suggestion, and the edit distance's cost stays bounded by the codes' length.
        longest = max((len(code.value) for code in candidates), default=0)
        cut = wanted[: longest + 3]
        found = sorted(candidates, key=lambda code: (_typo_distance(cut, code.value.upper()), code.value))[:count]
        if len(_CLOSEST) >= _CLOSEST_LIMIT:
            _CLOSEST.clear()
        _CLOSEST[key] = (self, tuple(found))  # the list itself is kept so its id is not reused
        return found

    def describe_closest(self, value: str, count: int = 2) -> str:
        return ", ".join(f"{code.value} ({code.label})" for code in self.closest(value, count))


# (list id, value, count) -> (the list, its closest codes): a feed repeats the same wrong code
# product after product, and each costs an edit distance to every code of its list.
_CLOSEST: dict[tuple[int, str, int], tuple["CodeList", tuple[Code, ...]]] = {}
_CLOSEST_LIMIT = 20_000

_KEYBOARD = ["1234567890", "QWERTYUIOP", "ASDFGHJKL", "ZXCVBNM"]
_KEY_POSITION = {key: (row, col + 0.5 * row) for row, keys in enumerate(_KEYBOARD) for col, key in enumerate(keys)}


def _key_cost(a: str, b: str) -> float:
    """Substituting b for a: cheap for neighbouring keys, since most wrong codes are typos."""
    if a == b:
        return 0.0
    if a in _KEY_POSITION and b in _KEY_POSITION:
        (ra, ca), (rb, cb) = _KEY_POSITION[a], _KEY_POSITION[b]
        return min(1.0, 0.4 + 0.3 * ((ra - rb) ** 2 + (ca - cb) ** 2) ** 0.5)
    return 1.0


# Every substitution cost between two keys, worked out once (other characters cost 1).
_KEY_COSTS = {(a, b): _key_cost(a, b) for a in _KEY_POSITION for b in _KEY_POSITION}


def _typo_distance(a: str, b: str) -> float:
    """Edit distance with keyboard-weighted substitutions."""
    costs = _KEY_COSTS
    previous = [float(i) for i in range(len(b) + 1)]
    for i, char_a in enumerate(a, 1):
        current = [float(i)]
        for j, char_b in enumerate(b, 1):
            swap = 0.0 if char_a == char_b else costs.get((char_a, char_b), 1.0)
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + swap))
        previous = current
    return previous[-1]


class UnknownCode(ValueError):
    """A value that is neither a code nor a friendly name of a list."""

    def __init__(self, codelist: CodeList, value: str):
        self.codelist = codelist
        self.value = value
        super().__init__(
            f"{value!r} is not in list {codelist.number} ({codelist.name}); "
            f"closest: {codelist.describe_closest(value)}"
        )


@functools.lru_cache(maxsize=None)
def load_codelists(release: str = "3.0") -> dict[int, CodeList]:
    """All code lists of a release's code list XSD, by list number: read from the cache when
    this XSD and this module were read before (parsing the XSD costs about 70 ms a run)."""
    source = schemas.schema_files(release, "reference").codelists
    data = source.read_bytes()
    key = hashlib.sha256(data + Path(__file__).read_bytes()).hexdigest()[:24]
    cached = schemas.cache_folder("codelists") / f"{key}.marshal"
    try:
        rows = marshal.loads(cached.read_bytes())
        schemas.cache_entry_used(cached)
        return {number: CodeList(number, name, {value: Code(value, label, notes, deprecated)
                                                for value, label, notes, deprecated in codes})
                for number, name, codes in rows}
    except (OSError, EOFError, ValueError, TypeError):
        pass  # not cached yet, or damaged: read the XSD
    lists = _parse_codelists(data)
    rows = [(table.number, table.name, [(code.value, code.label, code.notes, code.deprecated)
                                        for code in table.codes.values()]) for table in lists.values()]
    try:
        cached.parent.mkdir(parents=True, exist_ok=True)
        building = cached.with_name(f"{cached.name}.{os.getpid()}.tmp")
        building.write_bytes(marshal.dumps(rows))
        building.replace(cached)  # whole or not at all: another process may read it meanwhile
        schemas.prune_cache(cached.parent, cached)
    except OSError:
        pass  # a read-only home: parse each run
    return lists


def _parse_codelists(data: bytes) -> dict[int, CodeList]:
    root = etree.fromstring(data)
    lists: dict[int, CodeList] = {}
    for simple in root.iter(f"{XS}simpleType"):
        match = re.fullmatch(r"List(\d+)", simple.get("name") or "")
        if not match:
            continue
        docs = simple.findall(f"{XS}annotation/{XS}documentation")
        name = (docs[0].text or "").strip() if docs else ""
        codes = {}
        for enum in simple.iter(f"{XS}enumeration"):
            texts = [(d.text or "").strip() for d in enum.findall(f"{XS}annotation/{XS}documentation")]
            label = texts[0] if texts else ""
            notes = texts[1] if len(texts) > 1 else ""
            deprecated = bool(re.search(r"\bDeprecated\b", f"{label} {notes}"))
            codes[enum.get("value")] = Code(enum.get("value"), label, notes, deprecated)
        lists[int(match.group(1))] = CodeList(int(match.group(1)), name, codes)
    return lists


def codelist(number: int, release: str = "3.0") -> CodeList:
    return load_codelists(release)[number]


@functools.lru_cache(maxsize=None)
def element_lists(release: str = "3.0") -> dict[str, int]:
    """Reference element name (or '@attribute') -> the code list its value must come from."""
    root = schemas.schema_document(release)
    found: dict[str, int] = {}
    # from each extension up to its element (element/complexType/simpleContent/extension):
    # a find() from each of the schema's elements costs ten times more
    for extension in root.iter(f"{XS}extension"):
        content = extension.getparent()
        kind = content.getparent() if content is not None else None
        element = kind.getparent() if kind is not None else None
        if (element is None or content.tag != f"{XS}simpleContent" or kind.tag != f"{XS}complexType"
                or element.tag != f"{XS}element" or not element.get("name")):
            continue
        match = re.fullmatch(r"List(\d+)", extension.get("base") or "")
        if match:
            found[element.get("name")] = int(match.group(1))
    for attribute in root.iter(f"{XS}attribute"):
        match = re.fullmatch(r"List(\d+)", attribute.get("type") or "")
        if attribute.get("name") and match:
            found.setdefault("@" + attribute.get("name"), int(match.group(1)))
    return found


def slug(label: str) -> str:
    """A label as a friendly name: lower case words joined by hyphens."""
    text = label.lower().replace("&", " and ").replace("/", " ").replace("+", " plus ")
    return "-".join(re.findall(r"[a-z0-9]+", text))


# Common friendly names that are not the slug of a label. Each maps to (code, a word the
# official label must contain): resolve() checks that word, so a changed list fails loudly.
ALIASES: dict[int, dict[str, tuple[str, str]]] = {
    5: {"isbn": ("15", "isbn-13"), "gtin": ("03", "gtin-13")},  # Product identifier type
    15: {"main": ("01", "distinctive title")},  # Title type
    17: {  # Contributor role
        "author": ("A01", "author"),
        "editor": ("B01", "edited by"),
        "translator": ("B06", "translated by"),
        "illustrator": ("A12", "illustrated by"),
        "foreword": ("A23", "foreword by"),
        "introduction": ("A24", "introduction by"),
        "narrator": ("E07", "read by"),
        "photographer": ("A13", "photographs by"),
    },
    23: {"pages": ("00", "main content page count")},  # Extent type
    24: {"pages": ("03", "pages"), "words": ("02", "words"), "hours": ("04", "hours"),  # Extent unit
         "minutes": ("05", "minutes"), "seconds": ("06", "seconds")},
    25: {  # Illustration and other content type
        "black-and-white-illustrations": ("01", "illustrations, black and white"),
        "colour-illustrations": ("02", "illustrations, color"),
        "color-illustrations": ("02", "illustrations, color"),
        "illustrations": ("09", "illustrations, unspecified"),
    },
    27: {"bisac": ("10", "bisac subject heading"), "bic": ("12", "bic subject category"),
         "thema": ("93", "thema subject category"), "keywords": ("20", "keywords")},
    44: {"proprietary": ("01", "proprietary name id scheme"), "gln": ("06", "gln"), "san": ("07", "san")},
    46: {"exclusive": ("01", "exclusive publishing rights"), "non-exclusive": ("02", "non-exclusive publishing rights"),
         "not-for-sale": ("03", "not for sale in the specified territory (reason unspecified)")},
    62: {"zero": ("Z", "zero-rated"), "standard": ("S", "standard rate"), "reduced": ("R", "lower rate")},  # Tax rate
    171: {"vat": ("01", "value-added tax"), "sales-tax": ("02", "sales tax")},  # Tax type
    58: {"rrp-excluding-tax": ("01", "rrp excluding tax"), "rrp-including-tax": ("02", "rrp including tax")},
    93: {"publisher": ("01", "publisher to resellers"), "distributor": ("02", "exclusive distributor to resellers")},
    150: {"hardback": ("BB", "hardback"), "paperback": ("BC", "paperback"), "ebook": ("ED", "digital"),
          "audiobook": ("AJ", "downloadable audio file"), "audio-cd": ("AC", "cd-audio")},
    153: {"short-description": ("02", "short description"), "toc": ("04", "table of contents"),
          "biography": ("12", "biographical note")},
    161: {"linkable": ("01", "linkable resource"), "downloadable": ("02", "downloadable file")},
    175: {"epub": ("E101", "epub"), "pdf": ("E107", "pdf"), "mp3": ("A103", "mp3")},
}


class AliasMismatch(RuntimeError):
    """An alias whose code no longer carries the label it was chosen for."""


def resolve(number: int, value: object, release: str = "3.0") -> str:
    """A raw code, an alias, or the slug of a label -> the code; UnknownCode otherwise."""
    table = codelist(number, release)
    text = str(value).strip()
    if text in table.codes:
        return text
    friendly = slug(text)
    alias = ALIASES.get(number, {}).get(friendly)
    if alias is not None:
        code, word = alias
        found = table.codes.get(code)
        if found is None or word not in found.label.lower().replace("’", "'"):
            raise AliasMismatch(f"alias {friendly!r} of list {number} expects {code} to mean {word!r}")
        return code
    matches = [code.value for code in table.codes.values() if slug(code.label) == friendly]
    if len(matches) == 1:
        return matches[0]
    raise UnknownCode(table, text)


def friendly_names(number: int, release: str = "3.0") -> dict[str, str]:
    """Every friendly name a list accepts -> its code (label slugs, then aliases)."""
    table = codelist(number, release)
    names: dict[str, list[str]] = {}
    for code in table.codes.values():
        names.setdefault(slug(code.label), []).append(code.value)
    result = {name: codes[0] for name, codes in names.items() if len(codes) == 1 and name}
    result.update({name: code for name, (code, _) in ALIASES.get(number, {}).items()})
    return result
