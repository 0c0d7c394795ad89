"""Read record files (YAML, one title each) into Records; every problem becomes a finding.

Parsing uses libyaml (PyYAML's C parser) with YAML 1.2-style scalars, so `NO` stays the
country code of Norway and `2016-05-01` stays a string; the node tree keeps line numbers,
which are looked up only when a finding needs one. Field names, the friendly names of
codes and the derived RecordReference are documented in docs/records.md.
"""

from __future__ import annotations

import datetime
import difflib
import functools
import html
import os
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, Iterable

import yaml
from lxml import etree

from onixfeed import codelists, model
from onixfeed.findings import Finding, InputError, Severity

RULES = {
    "yaml-syntax": "RC001",
    "unknown-field": "RC002",
    "wrong-type": "RC003",
    "isbn-check-digit": "RC004",
    "isbn-format": "RC005",
    "unknown-code": "RC006",
    "missing-title": "RC007",
    "missing-identifier": "RC008",
    "duplicate-isbn": "RC009",
    "duplicate-reference": "RC010",
    "missing-field": "RC011",
    "bad-date": "RC012",
    "invalid-xhtml": "RC013",
    "bad-number": "RC014",
    "bad-name-identifier": "RC015",
    "bad-character": "RC016",
}
RECORD_SUFFIXES = (".yaml", ".yml")

# Fields a format may set for itself; set at the top of a record they apply to every format.
SHARED_FIELDS = {
    "pages", "extents", "publishing_status", "publication_date", "on_sale_date",
    "supplier", "availability", "supply_dates", "unpriced", "market",
}
FORMAT_FIELDS = SHARED_FIELDS | {"isbn", "reference", "form", "form_detail", "prices"}
WORK_FIELDS = SHARED_FIELDS | {
    "reference_prefix", "title", "subtitle", "series", "contributors", "contributor_statement",
    "edition", "edition_statement", "language", "original_language", "illustrations",
    "subjects", "keywords", "audience", "short_description", "description", "table_of_contents",
    "reviews", "resources", "publisher", "imprint", "city_of_publication", "country_of_publication",
    "copyright_year", "copyright_owner", "sales_rights", "formats",
}
CONTRIBUTOR_FIELDS = {
    "role", "sequence", "name", "names_before_key", "key_names", "names_after_key", "corporate_name",
    "biography", "orcid", "isni",
}
SERIES_FIELDS = {"title", "number"}
EXTENT_FIELDS = {"type", "value", "unit"}
ILLUSTRATION_FIELDS = {"note", "content"}
ANCILLARY_FIELDS = {"type", "number", "description"}
SUBJECT_FIELDS = {"scheme", "code", "heading", "main"}
TEXT_FIELDS = {"text", "xhtml"}
REVIEW_FIELDS = {"text", "xhtml", "author", "affiliation", "source_title", "source_corporate"}
RESOURCE_FIELDS = {"type", "url", "mode", "form"}
TERRITORY_FIELDS = {"countries", "regions", "except_countries"}
SALES_RIGHTS_FIELDS = {"type"} | TERRITORY_FIELDS
PRICE_FIELDS = {"amount", "currency", "type", "territory", "tax"}
TAX_FIELDS = {"type", "rate_code", "percent", "taxable_amount", "amount"}
SUPPLIER_FIELDS = {"name", "role", "gln", "san"}
SUPPLY_DATE_FIELDS = {"role", "date"}

# Characters XML 1.0 does not allow (control characters, surrogates, U+FFFE/U+FFFF)
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
# YYYY-MM-DD, YYYY-MM, YYYY or YYYYMMDD
_DATE = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?|(\d{2})(\d{2}))?")
# Resource types that are images by definition (list 158: covers, spine), so `mode` may be left out.
IMAGE_RESOURCES = {"01", "02", "03", "56", "57"}
XHTML_NAMESPACE = "http://www.w3.org/1999/xhtml"


class _RecordLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
    """libyaml with YAML 1.2 core scalars: only true/false are booleans, no dates, no sexagesimals."""

    # Records use no path resolvers, so the generic bookkeeping PyYAML does per node is skipped:
    # resolving is a fifth of the reading time at 100,000 records.
    def descend_resolver(self, current_node, current_index) -> None:
        return None

    def ascend_resolver(self) -> None:
        return None

    def resolve(self, kind, value, implicit):
        if kind is yaml.ScalarNode:
            if implicit[0]:
                for tag, pattern in self.yaml_implicit_resolvers.get(value[:1], ()):
                    if pattern.match(value):
                        return tag
            return self.DEFAULT_SCALAR_TAG
        return self.DEFAULT_SEQUENCE_TAG if kind is yaml.SequenceNode else self.DEFAULT_MAPPING_TAG


_RecordLoader.yaml_implicit_resolvers = {}
_RecordLoader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)
_RecordLoader.add_implicit_resolver(
    "tag:yaml.org,2002:int", re.compile(r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$"), list("-+0123456789")
)
_RecordLoader.add_implicit_resolver(
    "tag:yaml.org,2002:float",
    re.compile(r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$"),
    list("-+0123456789."),
)
_RecordLoader.add_implicit_resolver("tag:yaml.org,2002:null", re.compile(r"^(?:~|null|Null|NULL|)$"), ["~", "n", "N", ""])


@dataclass(frozen=True, slots=True)
class Key:
    """A value that must be unique across records: an ISBN or a RecordReference."""

    kind: str  # "isbn" or "reference"
    value: str
    file: str
    line: int | None
    field: str


@dataclass
class RecordResult:
    """What reading one file gave: the record (None when it has errors), findings and keys."""

    file: str
    record: model.Record | None
    findings: list[Finding] = field(default_factory=list)
    keys: list[Key] = field(default_factory=list)


def discover(paths: Iterable[str | Path]) -> list[str]:
    """The record files named by paths (files, or folders searched recursively, hidden folders
    skipped), sorted and unique; plain strings, as a large project has 100,000 of them."""
    found: set[str] = set()
    for given in paths:
        path = os.fspath(given)
        if os.path.isdir(path):
            for folder, folders, names in os.walk(path):
                folders[:] = [name for name in folders if not name.startswith(".")]
                found.update(os.path.join(folder, name) for name in names if name.lower().endswith(RECORD_SUFFIXES))
        elif os.path.isfile(path):
            found.add(path)
        else:
            raise InputError(f"{path}: no such file or folder of records")
    return sorted(found)


def read_record(path: str | Path, release: str = "3.0") -> RecordResult:
    """Read one record file; unreadable files raise InputError, everything else is a finding."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise InputError(f"{path}: cannot read record: {exc.strerror}") from exc
    result = RecordResult(str(path), None)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        result.findings.append(_finding("yaml-syntax", str(path), line, None, f"not UTF-8 text: byte {raw[exc.start]:#04x} at line {line}"))
        return result
    loader = _RecordLoader(text)
    repeated: list[yaml.Node] = []
    try:
        node = loader.get_single_node()
        data = _to_python(node, repeated) if node is not None else None
    except RecursionError:
        result.findings.append(_finding("yaml-syntax", str(path), None, None, "not a record: lists or mappings nested too deeply"))
        return result
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        problem = " ".join(part for part in (exc.context, exc.problem) if part)
        result.findings.append(_finding("yaml-syntax", str(path), line, None, f"not valid YAML: {problem}"))
        return result
    except yaml.YAMLError as exc:
        result.findings.append(_finding("yaml-syntax", str(path), None, None, f"not valid YAML: {exc}"))
        return result
    finally:
        loader.dispose()
    reader = _Reader(str(path), node, release)
    for key_node in repeated:
        reader.findings.append(
            _finding("yaml-syntax", str(path), key_node.start_mark.line + 1, None, f"key {key_node.value!r} appears twice in one mapping")
        )
    record = reader.record(data)
    result.findings.extend(reader.findings)
    result.keys.extend(reader.keys)
    if not result.findings:
        result.record = record
    return result


def load_records(paths: Iterable[str | Path], release: str = "3.0") -> tuple[list[model.Record], list[Finding]]:
    """Every valid record under paths, and the findings of all of them (duplicates included)."""
    results = [read_record(path, release) for path in discover(paths)]
    findings = [f for result in results for f in result.findings]
    seen = UniqueKeys()
    records = []
    for result in results:
        clashes = seen.add(result.keys)
        findings.extend(clashes)
        if result.record is not None and not clashes:
            records.append(result.record)
    return records, findings


class UniqueKeys:
    """ISBNs and RecordReferences seen so far; a second use is a finding (the first use wins)."""

    def __init__(self) -> None:
        # value -> (file, line) of its first use, per kind; kept small, as it holds every product
        self._seen: dict[str, dict[str, tuple[str, int | None]]] = {"isbn": {}, "reference": {}}

    def add(self, keys: Iterable[Key]) -> list[Finding]:
        clashes = []
        for key in keys:
            seen = self._seen[key.kind]
            first = seen.get(key.value)
            if first is None:
                seen[key.value] = (key.file, key.line)
            else:
                name = "duplicate-isbn" if key.kind == "isbn" else "duplicate-reference"
                what = "ISBN" if key.kind == "isbn" else "record reference"
                where = f"{first[0]}:{first[1]}" if first[1] else first[0]
                clashes.append(
                    _finding(name, key.file, key.line, key.field, f"{key.field}: {what} {key.value} is already used by {where}", key.value)
                )
        return clashes


def _finding(name: str, file: str, line: int | None, path: str | None, message: str, record: str | None = None) -> Finding:
    return Finding(RULES[name], name, Severity.ERROR, message, file=file, line=line, xpath=path, record=record)


_TAG = "tag:yaml.org,2002:"


def _to_python(node: yaml.Node, repeated: list) -> Any:
    """Node tree -> plain values, faster than PyYAML's generic constructor.

    Keys repeated within one mapping (PyYAML would silently keep the last) are appended to
    `repeated`; an unsupported tag raises a MarkedYAMLError like any other syntax problem.
    """
    if isinstance(node, yaml.ScalarNode):
        return _scalar(node)
    if isinstance(node, yaml.SequenceNode):
        return [_to_python(item, repeated) for item in node.value]
    if isinstance(node, yaml.MappingNode):
        result: dict = {}
        for key_node, value_node in node.value:
            key = _to_python(key_node, repeated)
            if isinstance(key, (list, dict)):
                raise yaml.MarkedYAMLError(problem="a mapping key must be a plain value", problem_mark=key_node.start_mark)
            if key in result:
                repeated.append(key_node)
            result[key] = _to_python(value_node, repeated)
        return result
    raise yaml.MarkedYAMLError(problem=f"unsupported YAML node {node.tag}", problem_mark=node.start_mark)


def _scalar(node: yaml.ScalarNode) -> Any:
    tag, value = node.tag, node.value
    if tag == _TAG + "str":
        return value
    if tag == _TAG + "int":
        return int(value, 0) if value[:2] in ("0o", "0x") else int(value)
    if tag == _TAG + "float":
        lowered = value.lower()
        return float(lowered.replace(".inf", "inf").replace(".nan", "nan"))
    if tag == _TAG + "bool":
        return value.lower() == "true"
    if tag == _TAG + "null":
        return None
    raise yaml.MarkedYAMLError(problem=f"unsupported tag {tag}; write the value as plain text", problem_mark=node.start_mark)


@functools.lru_cache(maxsize=4096)
def _resolved(number: int, text: str, release: str) -> str | None:
    try:
        return codelists.resolve(number, text, release)
    except codelists.UnknownCode:
        return None


@functools.lru_cache(maxsize=None)
def _friendly_names(number: int, release: str) -> dict[str, str]:
    return codelists.friendly_names(number, release)


def derive_reference(prefix: str, isbn: str) -> str:
    """The default RecordReference: '<prefix>.<ISBN-13>', prefix a lower-case slug."""
    return f"{codelists.slug(prefix) or 'onixfeed'}.{isbn}"


class _Reader:
    """Turns one parsed record into a model.Record, collecting findings with their lines."""

    def __init__(self, file: str, root: yaml.Node | None, release: str):
        self.file = file
        self.root = root
        self.release = release
        self.findings: list[Finding] = []
        self.keys: list[Key] = []

    # -- findings and lines ------------------------------------------------------------

    def line(self, path: tuple, key: bool = False) -> int | None:
        """The line of the value at path (or of its key), from the node tree."""
        node = self.root
        key_node = None
        for step in path:
            if isinstance(node, yaml.MappingNode):
                match = next(((k, v) for k, v in node.value if isinstance(k, yaml.ScalarNode) and k.value == step), None)
                if match is None:
                    break
                key_node, node = match
            elif isinstance(node, yaml.SequenceNode) and isinstance(step, int) and step < len(node.value):
                key_node, node = None, node.value[step]
            else:
                break
        target = key_node if key and key_node is not None else node
        return target.start_mark.line + 1 if target is not None else None

    def error(self, name: str, path: tuple, message: str, key: bool = False) -> None:
        shown = _path_text(path)
        self.findings.append(_finding(name, self.file, self.line(path, key), shown or None, f"{shown}: {message}" if shown else message))

    # -- typed values ------------------------------------------------------------------

    def mapping(self, value: Any, path: tuple, allowed: set[str]) -> dict | None:
        if value is None:
            return None
        if not isinstance(value, dict):
            self.error("wrong-type", path, f"expected a mapping of fields, got {_kind(value)} {_shown(value)}")
            return None
        for name in value:
            if name not in allowed:
                hint = difflib.get_close_matches(str(name), sorted(allowed), n=1, cutoff=0.6)
                meant = f"; did you mean {hint[0]!r}?" if hint else f"; expected one of {', '.join(sorted(allowed))}"
                self.error("unknown-field", (*path, name), f"unknown field {name!r}{meant}", key=True)
        return value

    def items(self, value: Any, path: tuple) -> list:
        """A list; a single value is accepted as a list of one."""
        if value is None:
            return []
        return value if isinstance(value, list) else [value]

    def string(self, value: Any, path: tuple) -> str | None:
        if value is None:
            return None
        if isinstance(value, bool) or isinstance(value, (dict, list)):
            self.error("wrong-type", path, f"expected text, got {_kind(value)} {_shown(value)}")
            return None
        text = str(value).strip()
        bad = _NOT_XML.search(text)
        if bad:
            self.error("bad-character", path, f"character U+{ord(bad.group()):04X} at position {bad.start() + 1} cannot appear in XML")
            return None
        return text or None

    def integer(self, value: Any, path: tuple, minimum: int = 0) -> int | None:
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, (int, str)) or not re.fullmatch(r"\s*\d+\s*", str(value)):
            self.error("wrong-type", path, f"expected a whole number, got {_kind(value)} {_shown(value)}")
            return None
        number = int(value)
        if number < minimum:
            self.error("bad-number", path, f"{number} is below the minimum {minimum}")
            return None
        return number

    def decimal(self, value: Any, path: tuple) -> str | None:
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, (int, float, str)):
            self.error("wrong-type", path, f"expected a number, got {_kind(value)} {_shown(value)}")
            return None
        try:
            number = Decimal(str(value).strip())
        except InvalidOperation:
            self.error("bad-number", path, f"{_shown(value)} is not a number such as 12.99")
            return None
        if not number.is_finite():
            self.error("bad-number", path, f"{_shown(value)} is not a finite number")
            return None
        if number < 0:
            self.error("bad-number", path, f"{_shown(value)} must be zero or more")
            return None
        if number.adjusted() >= 12:
            self.error("bad-number", path, f"{_shown(value)} is implausibly large (a trillion or more)")
            return None
        return format(number, "f")

    def flag(self, value: Any, path: tuple) -> bool:
        if value is None:
            return False
        if not isinstance(value, bool):
            self.error("wrong-type", path, f"expected true or false, got {_kind(value)} {_shown(value)}")
            return False
        return value

    def code(self, number: int, value: Any, path: tuple) -> str | None:
        """A code of list `number`, given as the code itself or a friendly name."""
        if value is None:
            return None
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            self.error("wrong-type", path, f"expected a code or a name from list {number}, got the number {value}; quote codes such as '01'")
            return None
        text = self.string(value, path)
        if text is None:
            return None
        found = _resolved(number, text, self.release)
        if found is None:
            table = codelists.codelist(number, self.release)
            names = _friendly_names(number, self.release)
            close = difflib.get_close_matches(codelists.slug(text), sorted(names), n=3, cutoff=0.5)
            closest = ", ".join(f"{name} ({names[name]})" for name in close) or table.describe_closest(text)
            self.error("unknown-code", path, f"{text!r} is not a code or name in list {number} ({table.name}); closest: {closest}")
        return found

    def codes(self, number: int, value: Any, path: tuple) -> tuple[str, ...]:
        """Several codes: a list, or text separated by spaces (as ONIX writes country lists)."""
        if isinstance(value, str):
            value = value.split()
        values = self.items(value, path)
        found = [self.code(number, item, (*path, index) if len(values) > 1 else path) for index, item in enumerate(values)]
        return tuple(dict.fromkeys(code for code in found if code))

    def date(self, value: Any, path: tuple) -> tuple[str, str | None] | None:
        """A date as YYYY-MM-DD, YYYY-MM or YYYY -> (ONIX date, list 55 format or None)."""
        if value is None:
            return None
        text = str(value).strip()
        match = _DATE.fullmatch(text) if not isinstance(value, bool) else None
        if match:
            year, month, day = match.group(1), match.group(2) or match.group(4), match.group(3) or match.group(5)
            try:
                datetime.date(int(year), int(month or 1), int(day or 1))
            except ValueError:
                match = None
        if match is None:
            self.error("bad-date", path, f"{_shown(value)} is not a date; expected YYYY-MM-DD, YYYY-MM or YYYY")
            return None
        if day:
            return f"{year}{month}{day}", None
        return (f"{year}{month}", "01") if month else (year, "05")  # list 55: 01 YYYYMM, 05 YYYY

    def isbn(self, value: Any, path: tuple) -> str | None:
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, (int, str)):
            self.error("wrong-type", path, f"expected an ISBN-13, got {_kind(value)} {_shown(value)}")
            return None
        digits = re.sub(r"[\s-]", "", str(value))
        if not re.fullmatch(r"97[89]\d{10}", digits):
            self.error("isbn-format", path, f"ISBN {str(value).strip()!r} is not an ISBN-13: expected 13 digits beginning 978 or 979")
            return None
        expected = _ean_check_digit(digits[:12])
        if digits[12] != expected:
            self.error("isbn-check-digit", path, f"ISBN {digits} has check digit {digits[12]}, expected {expected}")
            return None
        return digits

    def text(self, value: Any, path: tuple) -> model.Text | None:
        """Plain text, or a mapping {xhtml: ...} / {text: ...}."""
        if isinstance(value, dict):
            fields = self.mapping(value, path, TEXT_FIELDS) or {}
            if "xhtml" in fields:
                return self.xhtml(fields["xhtml"], (*path, "xhtml"))
            value, path = fields.get("text"), (*path, "text")
        body = self.string(value, path)
        return model.Text(body) if body else None

    def xhtml(self, value: Any, path: tuple) -> model.Text | None:
        body = self.string(value, path)
        if body is None:
            return None
        try:
            etree.fromstring(f'<div xmlns="{XHTML_NAMESPACE}">{body}</div>')
        except etree.XMLSyntaxError as exc:
            self.error("invalid-xhtml", path, f"not well-formed XHTML: {exc.msg}")
            return None
        return model.Text(body, xhtml=True)

    # -- the record --------------------------------------------------------------------

    def record(self, data: Any) -> model.Record | None:
        if not isinstance(data, dict):
            self.error("wrong-type", (), f"a record must be a mapping of fields, got {_kind(data)}")
            return None
        self.mapping(data, (), WORK_FIELDS)
        title = self.string(data.get("title"), ("title",))
        if title is None and not isinstance(data.get("title"), (dict, list, bool)):
            self.error("missing-title", ("title",) if "title" in data else (), "the record has no title")
        publisher = self.string(data.get("publisher"), ("publisher",))
        imprint = self.string(data.get("imprint"), ("imprint",))
        prefix = self.string(data.get("reference_prefix"), ("reference_prefix",)) or publisher or imprint or "onixfeed"
        formats = self.formats(data, prefix)
        edition = self.integer(data.get("edition"), ("edition",), minimum=1)
        languages = tuple(
            (role, code)
            for role, key in (("01", "language"), ("02", "original_language"))
            for code in self.codes(74, data.get(key), (key,))
        )
        note, ancillary = self.illustrations(data.get("illustrations"), ("illustrations",))
        return model.Record(
            file=self.file,
            title=title or "",
            formats=formats,
            subtitle=self.string(data.get("subtitle"), ("subtitle",)),
            series=self.series(data.get("series"), ("series",)),
            contributors=self.contributors(data.get("contributors"), ("contributors",)),
            contributor_statement=self.string(data.get("contributor_statement"), ("contributor_statement",)),
            edition_number=edition,
            edition_statement=self.string(data.get("edition_statement"), ("edition_statement",)),
            languages=languages,
            illustrations_note=note,
            ancillary_content=ancillary,
            subjects=self.subjects(data),
            audiences=self.codes(28, data.get("audience"), ("audience",)),
            short_description=self.text(data.get("short_description"), ("short_description",)),
            description=self.text(data.get("description"), ("description",)),
            table_of_contents=self.contents(data.get("table_of_contents"), ("table_of_contents",)),
            reviews=self.reviews(data.get("reviews"), ("reviews",)),
            resources=self.resources(data.get("resources"), ("resources",)),
            publisher=publisher,
            imprint=imprint,
            city_of_publication=self.string(data.get("city_of_publication"), ("city_of_publication",)),
            country_of_publication=self.code(91, data.get("country_of_publication"), ("country_of_publication",)),
            copyright_year=self.integer(data.get("copyright_year"), ("copyright_year",), minimum=1000),
            copyright_owner=self.copyright_owner(data.get("copyright_owner"), ("copyright_owner",)),
            sales_rights=self.sales_rights(data.get("sales_rights"), ("sales_rights",)),
        )

    def copyright_owner(self, value: Any, path: tuple) -> tuple[str, str] | None:
        """('corporate' or 'person', name): text is a corporate owner, {person: ...} a person."""
        if isinstance(value, dict):
            fields = self.mapping(value, path, {"person", "corporate"}) or {}
            if len(fields) != 1:
                self.error("wrong-type", path, "expected one of person or corporate")
                return None
            kind = next(iter(fields))
            name = self.string(fields[kind], (*path, kind))
            return (kind, name) if name else None
        name = self.string(value, path)
        return ("corporate", name) if name else None

    def formats(self, data: dict, prefix: str) -> tuple[model.Format, ...]:
        entries = data.get("formats")
        if entries is None:
            self.error("missing-identifier", (), "the record has no formats: each format needs an isbn and a form")
            return ()
        if not isinstance(entries, list) or not entries:
            self.error("wrong-type", ("formats",), f"expected a list of formats, got {_kind(entries)} {_shown(entries)}")
            return ()
        shared = {name: data[name] for name in SHARED_FIELDS if name in data}
        built = []
        for index, entry in enumerate(entries):
            path = ("formats", index)
            fields = self.mapping(entry, path, FORMAT_FIELDS)
            if fields is None:
                if entry is None:
                    self.error("missing-identifier", path, "the format is empty: it needs an isbn and a form")
                continue
            built_format = self.one_format(fields, shared, path, prefix)
            if built_format is not None:
                built.append(built_format)
        return tuple(built)

    def one_format(self, fields: dict, shared: dict, path: tuple, prefix: str) -> model.Format | None:
        def pick(name: str) -> tuple[Any, tuple]:
            # a format's own value wins over the record-wide one
            if name in fields:
                return fields[name], (*path, name)
            return shared.get(name), (name,)

        isbn = self.isbn(fields.get("isbn"), (*path, "isbn"))
        if "isbn" not in fields or fields.get("isbn") is None:
            self.error("missing-identifier", path, "the format has no isbn")
        form = self.code(150, fields.get("form"), (*path, "form"))
        if fields.get("form") is None:
            self.error("missing-field", path, "the format has no form (e.g. paperback, hardback, ebook)")
        reference = self.string(fields.get("reference"), (*path, "reference"))
        if isbn:
            reference = reference or derive_reference(prefix, isbn)
            self.keys.append(Key("isbn", isbn, self.file, self.line((*path, "isbn")), _path_text((*path, "isbn"))))
        if reference:
            field_path = (*path, "reference") if "reference" in fields else (*path, "isbn")
            self.keys.append(Key("reference", reference, self.file, self.line(field_path), _path_text(field_path)))
        pages, pages_path = pick("pages")
        extents, extents_path = pick("extents")
        all_extents = self.extents(pages, pages_path, extents, extents_path)
        dates = []
        for role, name in (("01", "publication_date"), ("02", "on_sale_date")):
            value, where = pick(name)
            parsed = self.date(value, where)
            if parsed:
                dates.append(model.DatedEvent(role, *parsed))
        supplier = self.supplier(*pick("supplier"))
        availability = self.code(65, *pick("availability"))
        prices = self.prices(fields.get("prices"), (*path, "prices"))
        unpriced = self.code(57, *pick("unpriced"))
        # judged on what the record says, so a wrong price is not reported again as a missing one
        given = {name: pick(name)[0] is not None for name in ("supplier", "availability", "unpriced")}
        given["prices"] = fields.get("prices") is not None
        if (given["prices"] or given["unpriced"]) and not (given["supplier"] and given["availability"]):
            self.error("missing-field", path, "prices need a supplier and an availability (ONIX SupplyDetail requires both)")
        if (given["supplier"] or given["availability"]) and not (given["prices"] or given["unpriced"]):
            self.error("missing-field", path, "a supplier or availability needs prices, or 'unpriced' with a list 57 code")
        market = self.market(*pick("market"))
        if market is not None and not (given["prices"] or given["unpriced"]):
            self.error("missing-field", path, "a market goes with the supply: give prices (or 'unpriced'), a supplier and an availability")
        if not (isbn and form and reference):
            return None
        return model.Format(
            reference=reference,
            isbn=isbn,
            form=form,
            form_details=self.codes(175, fields.get("form_detail"), (*path, "form_detail")),
            extents=all_extents,
            publishing_status=self.code(64, *pick("publishing_status")),
            publishing_dates=tuple(dates),
            supplier=supplier,
            availability=availability,
            supply_dates=self.supply_dates(*pick("supply_dates")),
            prices=prices,
            unpriced=unpriced,
            market=market,
        )

    def extents(self, pages: Any, pages_path: tuple, extents: Any, extents_path: tuple) -> tuple[model.Extent, ...]:
        found = []
        count = self.integer(pages, pages_path, minimum=1)
        if count is not None:
            found.append(model.Extent("00", str(count), "03"))  # list 23: main content page count; list 24: pages
        for index, entry in enumerate(self.items(extents, extents_path)):
            path = (*extents_path, index)
            fields = self.mapping(entry, path, EXTENT_FIELDS)
            if fields is None:
                continue
            kind = self.code(23, fields.get("type"), (*path, "type"))
            unit = self.code(24, fields.get("unit"), (*path, "unit"))
            value = self.decimal(fields.get("value"), (*path, "value"))
            for name in ("type", "value", "unit"):
                if fields.get(name) is None:
                    self.error("missing-field", path, f"an extent needs {name}")
            if kind and unit and value:
                found.append(model.Extent(kind, value, unit))
        return tuple(found)

    def contributors(self, value: Any, path: tuple) -> tuple[model.Contributor, ...]:
        found = []
        for index, entry in enumerate(self.items(value, path)):
            where = (*path, index)
            fields = self.mapping(entry, where, CONTRIBUTOR_FIELDS)
            if fields is None:
                continue
            roles = self.codes(17, fields.get("role"), (*where, "role"))
            if fields.get("role") is None:
                self.error("missing-field", where, "a contributor needs a role (e.g. author, editor)")
            names = {key: self.string(fields.get(key), (*where, key)) for key in
                     ("name", "names_before_key", "key_names", "names_after_key", "corporate_name")}
            if not (names["name"] or names["key_names"] or names["corporate_name"]):
                self.error("missing-field", where, "a contributor needs a name, key_names or corporate_name")
            if names["corporate_name"] and (names["name"] or names["key_names"]):
                self.error("wrong-type", (*where, "corporate_name"), "a contributor is a person or a corporate body, not both")
            if (names["names_before_key"] or names["names_after_key"]) and not names["key_names"]:
                self.error("missing-field", where, "names_before_key and names_after_key need key_names")
            identifiers = []
            orcid = self.string(fields.get("orcid"), (*where, "orcid"))
            if orcid:
                checked = _orcid(orcid)
                if checked is None:
                    self.error("bad-name-identifier", (*where, "orcid"), f"ORCID {orcid!r} is not valid: expected 0000-0000-0000-000X with a correct check character")
                else:
                    identifiers.append(("21", checked))
            isni = self.string(fields.get("isni"), (*where, "isni"))
            if isni:
                checked = _isni(isni)
                if checked is None:
                    self.error("bad-name-identifier", (*where, "isni"), f"ISNI {isni!r} is not valid: expected 16 characters with a correct check character")
                else:
                    identifiers.append(("16", checked))
            found.append(model.Contributor(
                sequence=self.integer(fields.get("sequence"), (*where, "sequence"), minimum=1) or index + 1,
                roles=roles,
                person_name=names["name"],
                names_before_key=names["names_before_key"],
                key_names=names["key_names"],
                names_after_key=names["names_after_key"],
                corporate_name=names["corporate_name"],
                biography=self.text(fields.get("biography"), (*where, "biography")),
                identifiers=tuple(identifiers),
            ))
        return tuple(found)

    def series(self, value: Any, path: tuple) -> model.Series | None:
        if isinstance(value, str):
            title = self.string(value, path)
            return model.Series(title) if title else None
        fields = self.mapping(value, path, SERIES_FIELDS)
        if fields is None:
            return None
        title = self.string(fields.get("title"), (*path, "title"))
        if title is None:
            self.error("missing-field", path, "a series needs a title")
            return None
        return model.Series(title, self.string(fields.get("number"), (*path, "number")))

    def illustrations(self, value: Any, path: tuple) -> tuple[str | None, tuple[model.AncillaryContent, ...]]:
        if isinstance(value, str):
            return self.string(value, path), ()
        fields = self.mapping(value, path, ILLUSTRATION_FIELDS)
        if fields is None:
            return None, ()
        found = []
        for index, entry in enumerate(self.items(fields.get("content"), (*path, "content"))):
            where = (*path, "content", index)
            item = self.mapping(entry, where, ANCILLARY_FIELDS)
            if item is None:
                continue
            kind = self.code(25, item.get("type"), (*where, "type"))
            if item.get("type") is None:
                self.error("missing-field", where, "illustration content needs a type (list 25)")
            if kind:
                found.append(model.AncillaryContent(
                    kind, self.integer(item.get("number"), (*where, "number"), minimum=1),
                    self.string(item.get("description"), (*where, "description")),
                ))
        return self.string(fields.get("note"), (*path, "note")), tuple(found)

    def subjects(self, data: dict) -> tuple[model.Subject, ...]:
        found = []
        for index, entry in enumerate(self.items(data.get("subjects"), ("subjects",))):
            where = ("subjects", index)
            fields = self.mapping(entry, where, SUBJECT_FIELDS)
            if fields is None:
                continue
            scheme = self.code(27, fields.get("scheme"), (*where, "scheme"))
            code = self.string(fields.get("code"), (*where, "code"))
            heading = self.string(fields.get("heading"), (*where, "heading"))
            if fields.get("scheme") is None:
                self.error("missing-field", where, "a subject needs a scheme (e.g. bisac, thema, bic)")
            if code is None and heading is None:
                self.error("missing-field", where, "a subject needs a code or a heading")
            if scheme and (code or heading):
                found.append(model.Subject(scheme, code, heading, self.flag(fields.get("main"), (*where, "main"))))
        keywords = [self.string(word, ("keywords", index)) for index, word in enumerate(self.items(data.get("keywords"), ("keywords",)))]
        keywords = [word for word in keywords if word]
        if keywords:
            found.append(model.Subject("20", heading="; ".join(keywords)))  # list 27: 20 keywords
        if sum(subject.main for subject in found) > 1:
            self.error("wrong-type", ("subjects",), "only one subject can be the main subject")
        return tuple(found)

    def contents(self, value: Any, path: tuple) -> model.Text | None:
        """A table of contents: text, or a list of entries (written as an XHTML ordered list)."""
        if not isinstance(value, list):
            return self.text(value, path)
        entries = [self.string(item, (*path, index)) for index, item in enumerate(value)]
        items = "".join(f"<li>{html.escape(entry, quote=False)}</li>" for entry in entries if entry)
        return model.Text(f"<ol>{items}</ol>", xhtml=True) if items else None

    def reviews(self, value: Any, path: tuple) -> tuple[model.Review, ...]:
        found = []
        for index, entry in enumerate(self.items(value, path)):
            where = (*path, index)
            fields = self.mapping(entry, where, REVIEW_FIELDS)
            if fields is None:
                continue
            if "xhtml" in fields:
                text = self.xhtml(fields["xhtml"], (*where, "xhtml"))
            else:
                text = self.text(fields.get("text"), (*where, "text"))
                if fields.get("text") is None:
                    self.error("missing-field", where, "a review needs its text")
            strings = {key: self.string(fields.get(key), (*where, key)) for key in
                       ("author", "affiliation", "source_title", "source_corporate")}
            if text:
                found.append(model.Review(text, **strings))
        return tuple(found)

    def resources(self, value: Any, path: tuple) -> tuple[model.Resource, ...]:
        found = []
        for index, entry in enumerate(self.items(value, path)):
            where = (*path, index)
            fields = self.mapping(entry, where, RESOURCE_FIELDS)
            if fields is None:
                continue
            kind = self.code(158, fields.get("type"), (*where, "type"))
            url = self.string(fields.get("url"), (*where, "url"))
            mode = self.code(159, fields.get("mode"), (*where, "mode"))
            form = self.code(161, fields.get("form"), (*where, "form")) or "02"
            if url is None:
                self.error("missing-field", where, "a resource needs a url")
            elif not re.match(r"https?://\S+$", url):
                self.error("wrong-type", (*where, "url"), f"{url!r} is not an http(s) URL")
                url = None
            if fields.get("type") is None:
                self.error("missing-field", where, "a resource needs a type (list 158, e.g. front-cover)")
            if mode is None and kind in IMAGE_RESOURCES:
                mode = "03"  # list 159: image
            elif mode is None and fields.get("mode") is None:
                self.error("missing-field", where, "a resource needs a mode (list 159, e.g. image, text)")
            if kind and url and mode:
                found.append(model.Resource(kind, mode, url, form))
        return tuple(found)

    def territory(self, fields: dict, path: tuple) -> model.Territory | None:
        territory = model.Territory(
            countries=self.codes(91, fields.get("countries"), (*path, "countries")),
            regions=self.codes(49, fields.get("regions"), (*path, "regions")),
            countries_excluded=self.codes(91, fields.get("except_countries"), (*path, "except_countries")),
        )
        if not (territory.countries or territory.regions):
            if any(fields.get(key) is not None for key in TERRITORY_FIELDS):
                return None  # the codes were wrong and are reported already
            self.error("missing-field", path, "a territory needs countries or regions (e.g. regions: WORLD)")
            return None
        if territory.countries and territory.countries_excluded:
            self.error("wrong-type", (*path, "except_countries"), "except_countries goes with regions, not with countries")
            return None
        return territory

    def market(self, value: Any, path: tuple) -> model.Territory | None:
        """The territory the supply details apply to (ProductSupply/Market)."""
        if value is None:
            return None
        fields = self.mapping(value, path, TERRITORY_FIELDS)
        return self.territory(fields, path) if fields is not None else None

    def sales_rights(self, value: Any, path: tuple) -> tuple[model.SalesRights, ...]:
        found = []
        for index, entry in enumerate(self.items(value, path)):
            where = (*path, index)
            fields = self.mapping(entry, where, SALES_RIGHTS_FIELDS)
            if fields is None:
                continue
            kind = self.code(46, fields.get("type"), (*where, "type"))
            if fields.get("type") is None:
                self.error("missing-field", where, "sales rights need a type (list 46, e.g. exclusive)")
            territory = self.territory(fields, where)
            if kind and territory:
                found.append(model.SalesRights(kind, territory))
        return tuple(found)

    def prices(self, value: Any, path: tuple) -> tuple[model.Price, ...]:
        found = []
        for index, entry in enumerate(self.items(value, path)):
            where = (*path, index)
            fields = self.mapping(entry, where, PRICE_FIELDS)
            if fields is None:
                continue
            amount = self.decimal(fields.get("amount"), (*where, "amount"))
            currency = self.code(96, fields.get("currency"), (*where, "currency"))
            for name in ("amount", "currency"):
                if fields.get(name) is None:
                    self.error("missing-field", where, f"a price needs {name}")
            kind = self.code(58, fields.get("type"), (*where, "type"))
            territory = None
            if fields.get("territory") is not None:
                area = self.mapping(fields["territory"], (*where, "territory"), TERRITORY_FIELDS)
                territory = self.territory(area, (*where, "territory")) if area is not None else None
            taxes = self.taxes(fields.get("tax"), (*where, "tax"))
            if amount is not None and Decimal(amount) == 0:
                self.error("bad-number", (*where, "amount"), "a price must be above zero; for a free product use unpriced: free-of-charge")
                amount = None
            if amount is not None and Decimal(amount).as_tuple().exponent > -2:
                amount = format(Decimal(amount).quantize(Decimal("0.01")), "f")  # 20 -> 20.00, as prices are shown
            if amount is not None and currency:
                found.append(model.Price(kind, amount, currency, territory, taxes))
        return tuple(found)

    def taxes(self, value: Any, path: tuple) -> tuple[model.Tax, ...]:
        """One tax (a mapping) or several (a list of mappings)."""
        if isinstance(value, list):
            found = [self.tax(item, (*path, index)) for index, item in enumerate(value)]
        else:
            found = [self.tax(value, path)]
        return tuple(tax for tax in found if tax)

    def tax(self, value: Any, path: tuple) -> model.Tax | None:
        fields = self.mapping(value, path, TAX_FIELDS)
        if fields is None:
            return None
        tax = model.Tax(
            type=self.code(171, fields.get("type"), (*path, "type")),
            rate_code=self.code(62, fields.get("rate_code"), (*path, "rate_code")),
            percent=self.decimal(fields.get("percent"), (*path, "percent")),
            taxable_amount=self.decimal(fields.get("taxable_amount"), (*path, "taxable_amount")),
            amount=self.decimal(fields.get("amount"), (*path, "amount")),
        )
        if tax.percent is None and tax.amount is None:
            self.error("missing-field", path, "a tax needs percent or amount")
            return None
        return tax

    def supplier(self, value: Any, path: tuple) -> model.Supplier | None:
        if isinstance(value, str):
            name = self.string(value, path)
            return model.Supplier(name) if name else None
        fields = self.mapping(value, path, SUPPLIER_FIELDS)
        if fields is None:
            return None
        name = self.string(fields.get("name"), (*path, "name"))
        if name is None:
            self.error("missing-field", path, "a supplier needs a name")
            return None
        identifiers = []
        gln = self.string(fields.get("gln"), (*path, "gln"))
        if gln:
            if re.fullmatch(r"\d{13}", gln) and _ean_check_digit(gln[:12]) == gln[12]:
                identifiers.append(("06", gln))  # list 92: GLN
            else:
                self.error("bad-name-identifier", (*path, "gln"), f"GLN {gln!r} is not 13 digits with a correct check digit")
        san = self.string(fields.get("san"), (*path, "san"))
        if san:
            identifiers.append(("07", san))  # list 92: SAN
        role = self.code(93, fields.get("role"), (*path, "role")) or "01"
        return model.Supplier(name, role, tuple(identifiers))

    def supply_dates(self, value: Any, path: tuple) -> tuple[model.DatedEvent, ...]:
        found = []
        for index, entry in enumerate(self.items(value, path)):
            where = (*path, index)
            fields = self.mapping(entry, where, SUPPLY_DATE_FIELDS)
            if fields is None:
                continue
            role = self.code(166, fields.get("role"), (*where, "role"))
            date = self.date(fields.get("date"), (*where, "date"))
            for name in ("role", "date"):
                if fields.get(name) is None:
                    self.error("missing-field", where, f"a supply date needs {name}")
            if role and date:
                found.append(model.DatedEvent(role, *date))
        return tuple(found)


def _ean_check_digit(first12: str) -> str:
    total = sum(int(digit) * (3 if index % 2 else 1) for index, digit in enumerate(first12))
    return str((10 - total % 10) % 10)


def _mod11_2(digits: str) -> str:
    """ISO 7064 MOD 11-2 check character, used by ORCID and ISNI."""
    total = 0
    for digit in digits:
        total = (total + int(digit)) * 2
    result = (12 - total % 11) % 11
    return "X" if result == 10 else str(result)


def _orcid(value: str) -> str | None:
    text = re.sub(r"^https?://orcid\.org/", "", value.strip())
    compact = text.replace("-", "").upper()
    if not re.fullmatch(r"\d{15}[\dX]", compact) or _mod11_2(compact[:15]) != compact[15]:
        return None
    return compact  # list 44: "in ONIX the hyphens should be omitted"


def _isni(value: str) -> str | None:
    compact = re.sub(r"[\s-]", "", value).upper()
    if not re.fullmatch(r"\d{15}[\dX]", compact) or _mod11_2(compact[:15]) != compact[15]:
        return None
    return compact


def _path_text(path: tuple) -> str:
    text = ""
    for step in path:
        text += f"[{step}]" if isinstance(step, int) else (f".{step}" if text else str(step))
    return text


def _kind(value: Any) -> str:
    return {bool: "a boolean", int: "a number", float: "a number", str: "text", list: "a list",
            dict: "a mapping", type(None): "nothing"}.get(type(value), type(value).__name__)


def _shown(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."
