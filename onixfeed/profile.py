"""Recipient profiles: find, load, check, resolve `extends:` and remember where each value came from."""

from __future__ import annotations

import functools
import re
import string
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

from lxml import etree
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import YAMLError

from onixfeed import codelists, schemas
from onixfeed.findings import InputError, Severity

BUILTIN_DIR = Path(__file__).resolve().parent / "profiles"
BASE = "onix-3.0"
NAME_PATTERN = re.compile(r"[a-z0-9][a-z0-9.-]*")
RULE_LEVELS = ("off", "info", "warning", "error")
TRANSPORTS = ("folder", "sftp", "ftps", "ftp")
NAME_FIELDS = ("sender", "recipient", "utc", "seq")
DELETION_METHODS = ("notification-05", "publishing-status")


class ProfileError(InputError):
    """A profile that cannot be used: unreadable, an unknown key, a bad value, a bad `extends:`."""


@dataclass(frozen=True)
class Origin:
    """Where a resolved value was written: file, line, and the comment beside it (its source)."""

    file: str
    line: int | None
    comment: str | None = None


@dataclass(frozen=True)
class Requirement:
    """One fact a recipient needs beyond the schema, checked on each Product (or the Header)."""

    id: str
    path: str
    message: str
    source: str
    severity: str = "error"
    scope: str = "product"  # "product" or "header": the element `path` is evaluated on
    when: str | None = None
    min_count: int | None = None
    max_count: int | None = None
    codes: tuple[str, ...] = ()
    min_length: int | None = None
    max_length: int | None = None
    pattern: str | None = None


@dataclass(frozen=True, eq=False)
class Profile:
    """A resolved profile: its own file merged over everything it extends."""

    name: str
    path: Path
    data: dict
    origins: dict[str, Origin]
    chain: tuple[Path, ...]

    def section(self, key: str) -> dict:
        return self.data.get(key) or {}

    @property
    def version(self) -> str:
        return str(self.data.get("version", "0"))

    @property
    def release(self) -> str:
        return str(self.section("onix").get("release", "3.0"))

    @property
    def tags(self) -> str:
        return str(self.section("onix").get("tags", "reference"))

    def rule_severities(self) -> dict[str, str]:
        return dict(self.section("rules"))

    def requirements(self) -> tuple[Requirement, ...]:
        """The `require:` list, plus what the `header:` and `notification:` settings ask of a message."""
        listed = [_requirement(item) for item in self.data.get("require", []) if item.get("severity") != "off"]
        taken = {requirement.id for requirement in listed}
        return tuple(listed + [r for r in self._implied() if r.id not in taken])

    def _implied(self) -> list[Requirement]:
        def source(key: str) -> str:
            origin = self.origins.get(key)
            return (origin.comment or f"{origin.file}:{origin.line}") if origin else self.path.name

        implied = []
        header = self.section("header")
        if header.get("sender_name"):
            implied.append(Requirement("header-sender-name", "Sender/SenderName", "the Header must carry <SenderName>",
                                       source("header.sender_name"), scope="header", min_count=1))
        if header.get("sent_date_time") == "date-time":
            implied.append(Requirement("header-sent-date-time", "SentDateTime",
                                       "<SentDateTime> must include a time (YYYYMMDDThhmm)",
                                       source("header.sent_date_time"), scope="header", pattern=r"\d{8}T\d{4}.*"))
        allowed = self.section("notification").get("allowed")
        if allowed:
            implied.append(Requirement("notification-type", "NotificationType",
                                       f"<NotificationType> must be {', '.join(allowed)}",
                                       source("notification.allowed"), codes=tuple(allowed)))
        return implied


# --- where profiles live ---------------------------------------------------------------


def project_dir(config=None) -> Path | None:
    """The project's own profiles folder: onixfeed.toml's [profiles] path, else ./profiles."""
    from onixfeed.config import load_config

    config = config or load_config()
    if config.profiles_path:
        return Path(config.profiles_path)
    base = config.path.parent if config.path else Path.cwd()
    return base / "profiles"


def available(config=None) -> dict[str, Path]:
    """Every profile name -> its file; a project file overrides a built-in of the same name."""
    found = {path.stem: path for path in sorted(BUILTIN_DIR.glob("*.yaml"))}
    folder = project_dir(config)
    if folder is not None and folder.is_dir():
        found.update({path.stem: path for path in sorted(folder.glob("*.yaml"))})
    return found


def load(name_or_path: str | Path, config=None) -> Profile:
    """A profile by name (project first, then built-in) or by file path, fully resolved."""
    candidate = Path(str(name_or_path))
    # a bare word is always a profile name, even when a file of that name sits in the folder
    if isinstance(name_or_path, Path) or candidate.suffix in (".yaml", ".yml") or len(candidate.parts) > 1:
        if not candidate.is_file():
            raise ProfileError(f"{candidate}: profile file not found")
        return _resolve(candidate, config, ())
    names = available(config)
    if str(name_or_path) not in names:
        raise ProfileError(f"unknown profile {str(name_or_path)!r}; available: {', '.join(sorted(names))}")
    return _resolve(names[str(name_or_path)], config, ())


def load_many(names: str, config=None) -> list[Profile]:
    """'kobo,google-play-books' -> the profiles, each named once, in the order given."""
    wanted = [name.strip() for name in names.split(",") if name.strip()]
    if not wanted:
        raise ProfileError("no profile named: give one or more names separated by commas")
    return [load(name, config) for name in dict.fromkeys(wanted)]


# --- reading one file ------------------------------------------------------------------


def _read(path: Path) -> CommentedMap:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ProfileError(f"{path}: cannot read profile: {exc.strerror}") from exc
    except UnicodeDecodeError as exc:
        raise ProfileError(f"{path}: profile is not UTF-8: {exc}") from exc
    try:
        data = YAML(typ="rt").load(text)
    except YAMLError as exc:
        raise ProfileError(f"{path}: not valid YAML: {exc}") from exc
    if data is None:
        data = CommentedMap()
    if not isinstance(data, CommentedMap):
        raise ProfileError(f"{path}: a profile must be a mapping of keys (extends, onix, require, ...)")
    return data


def _resolve(path: Path, config, seen: tuple[Path, ...]) -> Profile:
    path = path.resolve()
    if path in seen:
        cycle = " -> ".join(p.stem for p in (*seen, path))
        raise ProfileError(f"{path}: extends: forms a cycle ({cycle})")
    raw = _read(path)
    release = str(raw.get("onix", {}).get("release", "3.0")) if isinstance(raw.get("onix"), dict) else "3.0"
    if release not in ("3.0", "3.1"):
        release = "3.0"  # the check below reports the bad value; code lists still need a release
    data, origins = _check_file(raw, path, release)
    parent_name = data.pop("extends", None)
    origins.pop("extends", None)
    if parent_name is None and path != (BUILTIN_DIR / f"{BASE}.yaml").resolve():
        parent_name = BASE  # every profile sits on the generic base unless it names another
    if parent_name is None:
        return Profile(path.stem, path, data, origins, (path,))
    parent = _resolve(_parent_path(str(parent_name), path, config), config, (*seen, path))
    merged, merged_origins = _merge(parent.data, parent.origins, data, origins)
    return Profile(path.stem, path, merged, merged_origins, (path, *parent.chain))


def _parent_path(name: str, child: Path, config) -> Path:
    """The file `extends: name` means; a project file may extend the built-in of its own name."""
    names = available(config)
    target = names.get(name)
    if target is not None and target.resolve() == child:
        target = BUILTIN_DIR / f"{name}.yaml"
        if not target.is_file():
            target = None
    if target is None:
        raise ProfileError(f"{child}: extends: unknown profile {name!r}; available: {', '.join(sorted(names))}")
    return target


def _merge(parent: dict, parent_origins: dict, child: dict, child_origins: dict) -> tuple[dict, dict]:
    """Child over parent: mappings merge key by key, lists are replaced, `require` merges by id."""
    origins = dict(parent_origins)

    def drop(prefix: str) -> None:
        for key in [k for k in origins if k == prefix or k.startswith(prefix + ".") or k.startswith(prefix + "[")]:
            del origins[key]

    def merge(base: dict, over: dict, prefix: str) -> dict:
        result = dict(base)
        for key, value in over.items():
            dotted = f"{prefix}{key}"
            if key == "require" and not prefix:
                result[key] = _merge_requirements(base.get(key, []), value, drop)
            elif isinstance(value, dict) and isinstance(base.get(key), dict):
                result[key] = merge(base[key], value, dotted + ".")
            else:
                drop(dotted)
                result[key] = value
        return result

    merged = merge(parent, child, "")
    origins.update(child_origins)
    return merged, origins


def _merge_requirements(base: list, over: list, drop: Callable[[str], None]) -> list:
    by_id = {item["id"]: item for item in base}
    for item in over:
        drop(f"require[{item['id']}]")
        by_id[item["id"]] = item
    return list(by_id.values())


# --- checking one file -----------------------------------------------------------------


class _Checker:
    """Walks one profile file, converting it to plain data and recording each value's origin."""

    def __init__(self, path: Path, release: str):
        self.path = path
        self.release = release
        self.origins: dict[str, Origin] = {}

    def fail(self, node: Any, key: Any, dotted: str, expected: str) -> None:
        line = _line_of(node, key)
        where = f"{self.path}:{line}" if line else str(self.path)
        raise ProfileError(f"{where}: {dotted}: {expected}")

    def note(self, node: Any, key: Any, dotted: str) -> None:
        self.origins[dotted] = Origin(str(self.path), _line_of(node, key), _comment_of(node, key))

    def mapping(self, node: Any, key: Any, dotted: str, fields: dict[str, Callable]) -> dict:
        value = node[key] if key is not None else node
        if not isinstance(value, dict):
            self.fail(node, key, dotted or "(top)", "expected a mapping")
        result = {}
        for name in value:
            if name not in fields:
                self.fail(value, name, f"{dotted}.{name}" if dotted else str(name),
                          f"unknown key; expected one of {', '.join(sorted(fields))}")
            result[name] = fields[name](self, value, name, f"{dotted}.{name}" if dotted else str(name))
        return result


def _line_of(node: Any, key: Any) -> int | None:
    try:
        if isinstance(node, CommentedMap) and key is not None:
            return node.lc.key(key)[0] + 1
        if isinstance(node, CommentedSeq) and key is not None:
            return node.lc.item(key)[0] + 1
        return node.lc.line + 1
    except (AttributeError, KeyError, IndexError, TypeError):
        return None


def _comment_of(node: Any, key: Any) -> str | None:
    """The comment written at the end of a value's line: where profiles cite each fact's source."""
    items = getattr(getattr(node, "ca", None), "items", {}) or {}
    tokens = items.get(key) or []
    for token in tokens:
        if token is None:
            continue
        for item in token if isinstance(token, list) else [token]:
            value = getattr(item, "value", None)
            # only a comment on the value's own line; a comment on the lines below belongs to what follows
            if value and value.lstrip(" \t").startswith("#"):
                return value.lstrip(" \t").splitlines()[0].lstrip("#").strip() or None
    value = node[key] if key is not None and isinstance(node, (dict, list)) else None
    if isinstance(value, CommentedSeq) and value and not isinstance(value[-1], dict):
        return _comment_of(value, len(value) - 1)  # a flow list's comment sits after its last item
    return None


# Field checkers: each takes (checker, parent node, key, dotted name) and returns plain data.


def _text(checker: _Checker, node, key, dotted) -> str:
    value = node[key]
    if not isinstance(value, (str, int, float)) or isinstance(value, bool) or str(value).strip() == "":
        checker.fail(node, key, dotted, "expected non-empty text")
    checker.note(node, key, dotted)
    return str(value)


def _choice(*allowed: str) -> Callable:
    def check(checker: _Checker, node, key, dotted) -> str:
        value = str(node[key]) if not isinstance(node[key], bool) else node[key]
        if value not in allowed:
            checker.fail(node, key, dotted, f"{node[key]!r} is not one of {', '.join(allowed)}")
        checker.note(node, key, dotted)
        return value

    return check


def _boolean(checker: _Checker, node, key, dotted) -> bool:
    if not isinstance(node[key], bool):
        checker.fail(node, key, dotted, "expected true or false")
    checker.note(node, key, dotted)
    return node[key]


def _count(minimum: int) -> Callable:
    def check(checker: _Checker, node, key, dotted) -> int:
        value = node[key]
        if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
            checker.fail(node, key, dotted, f"expected a whole number of at least {minimum}")
        checker.note(node, key, dotted)
        return int(value)

    return check


def _text_list(checker: _Checker, node, key, dotted) -> list[str]:
    value = node[key]
    if not isinstance(value, list) or not value:
        checker.fail(node, key, dotted, "expected a non-empty list")
    for index, item in enumerate(value):
        if not isinstance(item, (str, int)) or isinstance(item, bool):
            checker.fail(value, index, f"{dotted}[{index}]", "expected text")
    checker.note(node, key, dotted)
    return [str(item) for item in value]


def _codes(list_number: int | tuple[int, ...]) -> Callable:
    numbers = list_number if isinstance(list_number, tuple) else (list_number,)

    def check(checker: _Checker, node, key, dotted) -> list[str]:
        values = _text_list(checker, node, key, dotted)
        for index, value in enumerate(values):
            if not any(value in codelists.codelist(n, checker.release) for n in numbers):
                lists = " or ".join(f"list {n} ({codelists.codelist(n, checker.release).name})" for n in numbers)
                checker.fail(node[key], index, f"{dotted}[{index}]", f"unknown code {value!r}; expected a code of {lists}")
        return values

    return check


def _code(list_number: int) -> Callable:
    def check(checker: _Checker, node, key, dotted) -> str:
        value = _text(checker, node, key, dotted)
        table = codelists.codelist(list_number, checker.release)
        if value not in table:
            checker.fail(node, key, dotted, f"unknown code {value!r} in list {list_number} ({table.name}); "
                                            f"closest: {table.describe_closest(value)}")
        return value

    return check


def _rules(checker: _Checker, node, key, dotted) -> dict[str, str]:
    value = node[key]
    if not isinstance(value, dict):
        checker.fail(node, key, dotted, "expected a mapping of rule code to off, info, warning or error")
    known = known_rule_codes()
    result = {}
    for code, level in value.items():
        if str(code) not in known and not is_strict_code(str(code)):
            checker.fail(value, code, f"{dotted}.{code}", "unknown rule code (`onixfeed rules` lists them)")
        if str(level) not in RULE_LEVELS:
            checker.fail(value, code, f"{dotted}.{code}", f"{level!r} is not one of {', '.join(RULE_LEVELS)}")
        checker.note(value, code, f"{dotted}.{code}")
        result[str(code)] = str(level)
    return result


def is_strict_code(code: str) -> bool:
    """Codes of EDItEUR strict-XSD findings (SX, SX000, SX_<assertion id>): `validate --strict-xsd`."""
    from onixfeed.validate.strict import is_strict_code as strict_code

    return strict_code(code)


def known_rule_codes() -> set[str]:
    """The native rule codes from the rules registry (onixfeed/validate/rules/)."""
    from onixfeed.validate import rules as registry

    return set(registry.rules_by_code())


def _xpath(checker: _Checker, node, key, dotted) -> str:
    value = _text(checker, node, key, dotted)
    try:
        etree.XPath(value)
    except etree.XPathSyntaxError as exc:
        checker.fail(node, key, dotted, f"not a valid XPath ({exc}): {value!r}")
    known = element_names(checker.release)
    for name in element_names_in(value):
        if name not in known:
            checker.fail(node, key, dotted, f"<{name}> is not an ONIX {checker.release} element")
    return value


def _name_template(checker: _Checker, node, key, dotted) -> str:
    value = _text(checker, node, key, dotted)
    try:
        fields = [name for _, name, _, _ in string.Formatter().parse(value) if name is not None]
        value.format(sender="s", recipient="r", utc="20260101T000000Z", seq=1)
    except (ValueError, KeyError, IndexError) as exc:
        checker.fail(node, key, dotted, f"bad file-name template {value!r} ({exc}); fields: {', '.join(NAME_FIELDS)}")
    for name in fields:
        if name not in NAME_FIELDS:
            checker.fail(node, key, dotted, f"unknown field {{{name}}}; expected {', '.join(NAME_FIELDS)}")
    if "seq" not in fields:
        checker.fail(node, key, dotted, "the template needs {seq} so that the files of one run get distinct names")
    if "/" in value or "\\" in value:
        checker.fail(node, key, dotted, "a file name, not a path: no / or \\")
    return value


def _identifiers(checker: _Checker, node, key, dotted) -> list[dict]:
    value = node[key]
    if not isinstance(value, list):
        checker.fail(node, key, dotted, "expected a list of {type, value}")
    result = []
    for index, item in enumerate(value):
        result.append(checker.mapping(value, index, f"{dotted}[{index}]", {"type": _code(44), "value": _text}))
        for required in ("type", "value"):
            if required not in item:
                checker.fail(value, index, f"{dotted}[{index}]", f"missing {required}")
    return result


def _mapping(fields: dict[str, Callable]) -> Callable:
    def check(checker: _Checker, node, key, dotted) -> dict:
        return checker.mapping(node, key, dotted, fields)

    return check


def _requirements(checker: _Checker, node, key, dotted) -> list[dict]:
    value = node[key]
    if not isinstance(value, list):
        checker.fail(node, key, dotted, "expected a list of requirements")
    seen: set[str] = set()
    result = []
    for index, item in enumerate(value):
        if not isinstance(item, dict):
            checker.fail(value, index, f"{dotted}[{index}]", "expected a mapping with id, path, message, source")
        ident = str(item.get("id", ""))
        if not NAME_PATTERN.fullmatch(ident):
            checker.fail(value, index, f"{dotted}[{index}].id", "expected a kebab-case id (lower case, digits, -)")
        if ident in seen:
            checker.fail(value, index, f"{dotted}[{ident}]", "id used twice in this file")
        seen.add(ident)
        where = f"{dotted}[{ident}]"
        entry = checker.mapping(value, index, where, _REQUIREMENT_FIELDS)
        missing = [name for name in ("path", "message", "source") if name not in entry and entry.get("severity") != "off"]
        if missing:
            checker.fail(value, index, where, f"missing {', '.join(missing)} (every fact carries its source)")
        if "codes" in entry and "path" in entry:
            _check_codes_for_path(checker, item, where, entry)
        if "pattern" in entry:
            try:
                re.compile(entry["pattern"])
            except re.error as exc:
                checker.fail(item, "pattern", f"{where}.pattern", f"not a valid regular expression: {exc}")
        for dotted_key in [k for k in checker.origins if k.startswith(where + ".")]:
            del checker.origins[dotted_key]  # a requirement is shown as one fact with its source
        checker.origins[where] = Origin(str(checker.path), _line_of(value, index), entry.get("source"))
        result.append(entry)
    return result


def _cardinality(checker: _Checker, node, key, dotted) -> str:
    value = str(node[key]).strip()
    if not re.fullmatch(r"\d+(\.\.(\d+|\*))?", value):
        checker.fail(node, key, dotted, f"{value!r} is not a count like 1, 0..1, 1..* or 2..5")
    low, _, high = value.partition("..")
    if high and high != "*" and int(high) < int(low):
        checker.fail(node, key, dotted, f"{value!r}: the upper bound is below the lower bound")
    checker.note(node, key, dotted)
    return value


_REQUIREMENT_FIELDS: dict[str, Callable] = {
    "id": _text,
    "path": _xpath,
    "in": _choice("product", "header"),
    "when": _xpath,
    "count": _cardinality,
    "codes": _text_list,
    "min_length": _count(0),
    "max_length": _count(1),
    "pattern": _text,
    "severity": _choice(*RULE_LEVELS),
    "message": _text,
    "source": _text,
}


def _check_codes_for_path(checker: _Checker, item, where: str, entry: dict) -> None:
    """Allowed codes must belong to the code list of the element (or attribute) the path ends at."""
    last = last_step(entry["path"])
    number = codelists.element_lists(checker.release).get(last)
    if number is None:
        return
    table = codelists.codelist(number, checker.release)
    for index, code in enumerate(entry["codes"]):
        if code not in table:
            checker.fail(item["codes"], index, f"{where}.codes[{index}]",
                         f"unknown code {code!r} for <{last}> (list {number}, {table.name}); "
                         f"closest: {table.describe_closest(code)}")


def _map_codes(checker: _Checker, node, key, dotted) -> list[dict]:
    value = node[key]
    if not isinstance(value, list):
        checker.fail(node, key, dotted, "expected a list of {path, from, to}")
    result = []
    for index, item in enumerate(value):
        entry = checker.mapping(value, index, f"{dotted}[{index}]", {"path": _xpath, "from": _text, "to": _text})
        for required in ("path", "from", "to"):
            if required not in entry:
                checker.fail(value, index, f"{dotted}[{index}]", f"missing {required}")
        number = codelists.element_lists(checker.release).get(last_step(entry["path"]))
        if number is not None:
            table = codelists.codelist(number, checker.release)
            for side in ("from", "to"):
                if entry[side] not in table:
                    checker.fail(item, side, f"{dotted}[{index}].{side}",
                                 f"unknown code {entry[side]!r} in list {number} ({table.name})")
        result.append(entry)
    return result


def _xpath_list(checker: _Checker, node, key, dotted) -> list[str]:
    values = _text_list(checker, node, key, dotted)
    for index in range(len(values)):
        _xpath(checker, node[key], index, f"{dotted}[{index}]")
    return values


def _releases(checker: _Checker, node, key, dotted) -> list[str]:
    values = _text_list(checker, node, key, dotted)
    for index, value in enumerate(values):
        if value not in ("2.1", "3.0", "3.1"):
            checker.fail(node[key], index, f"{dotted}[{index}]", f"{value!r} is not an ONIX release (2.1, 3.0, 3.1)")
    return values


_FIELDS = {
    "extends": _text,
    "description": _text,
    "version": _text,
    "unknown": _text_list,
    "onix": _mapping({"release": _choice("3.0", "3.1"), "tags": _choice("reference", "short"), "accepts": _releases}),
    "header": _mapping({
        "sender_name": _boolean,
        "sent_date_time": _choice("date", "date-time"),
        "addressee": _mapping({"name": _text, "identifiers": _identifiers}),
    }),
    "scope": _mapping({
        "product_forms": _codes(150),
        "countries": _codes(91),
        "regions": _codes(49),
        "publishing_statuses": _codes(64),
    }),
    "require": _requirements,
    "rules": _rules,
    "transforms": _mapping({
        "drop": _xpath_list,
        "map_codes": _map_codes,
        "identifiers": _codes(5),
        "gtin_from_isbn": _boolean,
    }),
    "batch": _mapping({
        "max_products": _count(1),
        "max_bytes": _count(1024),
        "compression": _choice("none", "gzip", "zip"),
        "name": _name_template,
    }),
    "deletion": _mapping({"method": _choice(*DELETION_METHODS), "publishing_status": _code(64)}),
    "notification": _mapping({"by_publication_date": _boolean, "early_days": _count(1), "allowed": _codes(1)}),
    "delivery": _mapping({
        "transport": _choice(*TRANSPORTS),
        "host_env": _text, "port": _count(1), "user_env": _text, "password_env": _text, "key_env": _text,
        "dir": _text, "atomic": _choice("temp_suffix", "none"),
    }),
}


def _check_file(raw: CommentedMap, path: Path, release: str) -> tuple[dict, dict[str, Origin]]:
    if not NAME_PATTERN.fullmatch(path.stem):
        raise ProfileError(f"{path}: a profile file name must be lower case letters, digits, dots and hyphens")
    checker = _Checker(path, release)
    data = checker.mapping(raw, None, "", _FIELDS)
    if "deletion" in data and data["deletion"].get("method") == "publishing-status" \
            and "publishing_status" not in data["deletion"]:
        checker.fail(raw["deletion"], "method", "deletion.publishing_status",
                     "needed when method is publishing-status (e.g. 07 or 08, list 64)")
    return data, checker.origins


# --- XPath helpers shared with requirements and transforms ------------------------------


def _strip_predicates(path: str) -> str:
    previous = None
    while previous != path:
        previous, path = path, re.sub(r"\[[^\[\]]*\]", "", path)
    return path


def last_step(path: str) -> str:
    """The element (or '@attribute') a path ends at: 'Price[PriceType]/PriceAmount' -> 'PriceAmount'."""
    steps = [step for step in _strip_predicates(path).split("/") if step.strip()]
    return steps[-1].strip().split("::")[-1] if steps else ""


def element_names_in(path: str) -> list[str]:
    """The ONIX element names an XPath mentions (capitalised names outside quotes)."""
    unquoted = re.sub(r"'[^']*'|\"[^\"]*\"", "", path)
    return [name for name in re.findall(r"(?<![@\w-])([A-Z][A-Za-z0-9]*)\b(?!\s*\()", unquoted)]


@functools.lru_cache(maxsize=None)
def element_names(release: str) -> frozenset[str]:
    """Every element name the official reference schema of a release declares."""
    tree = etree.parse(str(schemas.schema_files(release, "reference").main))
    return frozenset(e.get("name") for e in tree.iter("{http://www.w3.org/2001/XMLSchema}element") if e.get("name"))


def _requirement(item: dict) -> Requirement:
    low = high = None
    count = item.get("count")
    if count is None and not any(k in item for k in ("codes", "min_length", "max_length", "pattern")):
        count = "1..*"  # a bare path means: must be present
    if count is not None:
        first, _, second = str(count).partition("..")
        low = int(first)
        high = None if second == "*" else int(second or first)
    return Requirement(
        id=item["id"], path=item["path"], message=item["message"], source=item["source"],
        severity=item.get("severity", "error"), scope=item.get("in", "product"), when=item.get("when"),
        min_count=low, max_count=high, codes=tuple(item.get("codes", ())),
        min_length=item.get("min_length"), max_length=item.get("max_length"), pattern=item.get("pattern"),
    )


# --- showing a resolved profile ----------------------------------------------------------


def describe(profile: Profile) -> list[dict]:
    """Each resolved value with the file and line it came from and the source written beside it."""
    rows = []
    for dotted, origin in sorted(profile.origins.items(), key=lambda kv: kv[0]):
        rows.append({"key": dotted, "value": _lookup(profile.data, dotted), "file": origin.file,
                     "line": origin.line, "source": origin.comment})
    return rows


def _lookup(data: dict, dotted: str) -> Any:
    match = re.fullmatch(r"require\[([^\]]+)\](?:\.(.+))?", dotted)
    if match:
        item = next((r for r in data.get("require", []) if r["id"] == match.group(1)), {})
        return item.get(match.group(2)) if match.group(2) else {k: v for k, v in item.items() if k != "id"}
    value: Any = data
    for part in dotted.split("."):
        value = value.get(part) if isinstance(value, dict) else None
    return value


def rule_severity(profile: Profile, code: str, default: Severity | None) -> Severity | None:
    """A rule's severity under a profile: None when the profile turns it off."""
    level = profile.rule_severities().get(code)
    if level is None:
        return default
    return None if level == "off" else Severity(level)
