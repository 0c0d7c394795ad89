"""Native ONIX rules: the rule interface, the registry that finds them, and the runner (a `Checks`).

How to write a rule
-------------------
A rule is one module in this package whose file name starts with its code in lower case
(`id001_isbn13_check_digit.py`). The registry imports every module named that way; helper
modules (`checkdigits.py`, `dates.py`) have no code prefix and are never registered.

A rule module defines:

- `CODE`: a stable code, two capitals for the ONIX block (see FAMILIES) and three digits.
  Codes are never reused: retire a rule by deleting the module, not by recycling its code.
- `NAME`: a kebab-case phrase stating the problem (`isbn13-check-digit`).
- a docstring: a one-line summary, then the sections `Checks:`, `Why:`, `Pass:` and
  `Fail:` (the last two hold small XML examples). `onixfeed rules CODE` prints them.
- `SCOPE` (optional, default "product"): "product", "header" or "message".
- `NEEDS` (optional, product rules): element names without one of which the rule cannot
  find anything; the runner skips the rule on a product that holds none of them (one set
  test against the index). Leave it out when the rule can fire on an absence.
- `SCREEN` (optional, product rules): a family's screen, `screen(product, context) ->
  set of codes`, run once per product for every rule that names it; the runner runs the
  rule only when its code is in the set. A screen is a necessary condition, computed in
  one pass over the family's data: it may name a rule that then finds nothing (only
  speed is lost), never leave out one that would find something. `tests/rules/
  test_rule_screens.py` holds every screen to that: the findings with and without
  screens must be equal on every case, junk and mutated product.
- for "product": `check(product, context) -> Iterator[Hit]`; `product` is a Product
  element with reference tag names and no namespace (see onixfeed/validate/checks.py).
- for "header": `check(header, context) -> Iterator[Hit]` on the Header element.
- for "message": `keys(product, context) -> Iterable[Key]` runs in the worker on each
  product; `check(keys, context) -> Iterator[Hit]` runs once in the main process with
  every product's keys (all rules' keys: filter on `Key.kind`). Hits carry `line` and
  `record` since there is no element.

`context` is a `Context`: the MessageInfo (header defaults such as DefaultCurrencyCode)
and `today`, so date rules are testable. A rule yields `Hit(message, element=...)`; the
runner adds the code, name, severity, file, line, xpath and the product's RecordReference.

Rules never choose their severity: default severities live under `rules:` in the base
profile `onixfeed/profiles/onix-3.0.yaml` (CODE: error | warning | info | off), and a
recipient profile overrides them. Every registered rule must appear there.

Rules must be fast: they run on every product of multi-gigabyte files, and together may add
at most half the schema's time (about a hundred microseconds a product). Each rule called
costs about two microseconds before it does any work, so every product rule belongs to a
family whose SCREEN rules it out of a clean product: on the bench file no rule runs at all,
and the cost is the index and the nine screens. A screen is the place to be fast: one pass
over its family's elements, verdicts cached per distinct text, no view built unless a rule
may fire. The engine tells the checks what it proved in C, so screens skip that work:
`context.message.codes_current` (the batch passed the current-codes screening schema: no
deprecated code anywhere) and `ascii_text` (the batch's bytes are ASCII without DEL: its text
is printable ASCII and white space, so in NFC).

Where the time goes on the bench file (about 100 us a product in the engine): the index
about 40-50 (184 elements: a proxy, a tag string and a list append each), the nine screens
about 50, the keys and the runner the rest. Measured and dropped, so as not to try again:
an index of only the names the screens read (2-3 us: the screens then make the proxies of
the children they read), intersecting the index with the 24 identifier composites instead
of 24 lookups (not measurable), XPath over the whole batch (12 us a product for one ISBN
check-digit expression, 15 for one descendant search), reading the products in reverse
after validation (no cache gain), gc.freeze() (none).

Find elements anywhere in the product with
`context.elements(product, "Tag", ...)` (one shared index per product, not a walk per
rule); read a composite's children with `context.children(element)` (a table by name,
built once per element and shared by every rule: one `iterchildren(name)` costs as much
as reading all of a small composite's children) or `context.child`/`context.child_text`/
`context.children_at`; read a family's data from its shared view (`prices.price_views`,
`territories.territory_views`, `textformats.text_views`, `identifiers.composites`,
`dates.dated_values`, `codes.deprecated_codes`), each made once per product through
`context.shared(product, compute)`; take the cheap way out first (a set lookup, a missing
element, ASCII text) before any expensive work (string(), itertext(), a regex, Decimal);
precompile lookups at import time, and never compile a regex per product; cache verdicts
per distinct short text where feeds repeat values (territory lists, date shapes, amounts).

When `context.message.schema_valid` is True the official schema has passed the product:
leave out what it already excludes, through a fact `structure.py` reads from the XSD of the
release (which elements may carry an attribute, whether a type excludes zero, whether the
XHTML subset is closed), never from an assumption, so a schema that allowed more keeps
the rule running. Reaching elements along the schema's paths instead of the index was
measured and dropped: in Python each element reached costs what the index's one walk
costs per element (all of 132 names the rules ask for: 58 us a product along the paths,
37 us for the index), since the rules need most elements of a product anyway. They must
survive junk (missing children, empty text, unexpected values) without raising; the
runner still guards every call and turns an exception into an RL001 finding instead of
crashing the validation.

Test cases are data: `tests/rules/cases/<CODE>.yaml` holds passing and failing fragments.
"""

from __future__ import annotations

import datetime
import functools
import importlib
import operator
import pkgutil
import re
import time
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Callable, Container, Iterable, NamedTuple, Sequence

from lxml import etree

from onixfeed.findings import Finding, InputError, Severity
from onixfeed.validate.checks import Key, MessageInfo

FAMILIES = {
    "ID": "identifiers",
    "NT": "notification and blocks",
    "DT": "dates",
    "PR": "prices and tax",
    "TE": "territories",
    "CL": "code lists",
    "TX": "text",
    "PD": "product form",
    "BP": "best practice",
    "MS": "message and header",
    "RL": "rule engine",
}
SCOPES = ("product", "header", "message")
# The rules are written against the ONIX 3 model; a 2.1 message has other blocks and names.
RELEASES = frozenset({"3.0", "3.1"})
SECTIONS = ("Checks", "Why", "Pass", "Fail")
BASE_PROFILE = Path(__file__).resolve().parents[2] / "profiles" / "onix-3.0.yaml"

# The finding a crashing rule becomes: a bug in onixfeed, reported without stopping the run.
INTERNAL_ERROR_CODE = "RL001"
INTERNAL_ERROR_NAME = "rule-internal-error"

_MODULE_NAME = re.compile(r"^([a-z]{2})(\d{3})_[a-z0-9_]+$")
_SECTION_LINE = re.compile(r"^(%s):\s*(.*)$" % "|".join(SECTIONS))


class Hit(NamedTuple):
    """What a rule reports: a message, and where (an element, or a line for message rules)."""

    message: str
    element: etree._Element | None = None
    line: int | None = None
    record: str | None = None


class Context:
    """What a rule may know beyond the element: the message's header defaults, today's date,
    and `elements()`, a per-product index of elements by name.

    The runner makes one Context per Product. Walking a Product once and looking names up
    afterwards is several times faster than each rule walking it with `iter(*tags)`. A plain
    class with slots: the runner makes one per product, and a dataclass costs several times more.
    """

    __slots__ = ("message", "today", "_root", "_index", "_shared", "_children")

    def __init__(self, message: MessageInfo, today: datetime.date | None = None) -> None:
        self.message = message
        self.today = today if today is not None else datetime.date.today()
        self._root: etree._Element | None = None
        self._index: dict = {}
        self._shared: dict = {}
        self._children: dict = {}

    def elements(self, root: etree._Element, *tags: str) -> Sequence[etree._Element]:
        """Every element named in `tags` within `root` (root included); each name's in document order."""
        if root is not self._root:
            self._bind(root)
        index = self._index
        if len(tags) == 1:
            return index.get(tags[0], _NONE)
        present = index.keys() & _name_set(tags)  # in C: most of the names asked for are absent
        if not present:
            return _NONE
        return [element for tag in tags if tag in present for element in index[tag]]

    def index(self, root: etree._Element) -> dict[str, list[etree._Element]]:
        """Every element within `root` (root included) by name, each name's in document order."""
        if root is not self._root:
            self._bind(root)
        return self._index

    def shared(self, root: etree._Element, compute: Callable[[etree._Element, "Context"], object]) -> object:
        """`compute(root, context)`, worked out once per product for every rule that asks (by function)."""
        if root is not self._root:
            self._bind(root)
        try:
            return self._shared[compute]
        except KeyError:
            value = self._shared[compute] = compute(root, self)
            return value

    def children(self, element: etree._Element) -> dict[str, list[etree._Element]]:
        """`element`'s children by name, each name's in document order, read once per element.

        One pass over the children costs about what one `iterchildren(name)` does (its
        tag matcher is set up per call), and rules ask the same composites several names.
        """
        found = self._children.get(element)
        if found is None:
            found = self._children[element] = children_by_name(element)
        return found

    def child(self, element: etree._Element, name: str) -> etree._Element | None:
        """The first child named `name`, from the `children` table."""
        same = self.children(element).get(name)
        return same[0] if same else None

    def child_text(self, element: etree._Element, name: str) -> str | None:
        """The first child's text ('' when empty), None when there is no such child."""
        same = self.children(element).get(name)
        return (same[0].text or "") if same else None

    def children_at(self, element: etree._Element, *names: str) -> list[etree._Element]:
        """`children_at` from the `children` tables: every element down the path of child names, in order."""
        found = [element]
        for name in names:
            found = [below for parent in found for below in self.children(parent).get(name, _NONE)]
        return found

    def _bind(self, root: etree._Element) -> None:
        self._index = _index_by_name(root)
        self._shared = {}
        self._children = {}
        self._root = root


_NONE: tuple = ()
_NAME_SETS: dict[tuple[str, ...], frozenset[str]] = {}


def _name_set(tags: tuple[str, ...]) -> frozenset[str]:
    """The names of a (repeated) `elements()` request as a set, made once per distinct request."""
    found = _NAME_SETS.get(tags)
    if found is None:
        if len(_NAME_SETS) > 1024:  # callers ask with a few fixed name lists; never grow without bound
            _NAME_SETS.clear()
        found = _NAME_SETS[tags] = frozenset(tags)
    return found


def child(element: etree._Element, name: str) -> etree._Element | None:
    """`element.find(name)` for a plain child name: iterchildren filters in C, about twice as
    fast as find's ElementPath, and rules ask for children hundreds of times a product."""
    return next(element.iterchildren(name), None)


def children_at(element: etree._Element, *names: str) -> list[etree._Element]:
    """`element.findall("A/B/C")` for plain child names A, B, C, in document order, without ElementPath."""
    found = [element]
    for name in names:
        found = [below for parent in found for below in parent.iterchildren(name)]
    return found


def child_text(element: etree._Element, name: str) -> str | None:
    """`element.findtext(name)` for a plain child name: its text ('' when empty), None when absent."""
    for found in element.iterchildren(name):
        return found.text or ""
    return None


def children_by_name(element: etree._Element) -> dict[str, list[etree._Element]]:
    """Every child of `element` by name, each name's in document order (comments and
    processing instructions are keyed by their non-string tag, so no name finds them)."""
    found: dict = {}
    for below in element:
        tag = below.tag
        same = found.get(tag)
        if same is None:
            found[tag] = [below]
        else:
            same.append(below)
    return found


def first_text(children: dict[str, list[etree._Element]], name: str) -> str | None:
    """`child_text` on a `children_by_name` table: the first child's text ('' when empty), None when absent."""
    same = children.get(name)
    if same is None:
        return None
    return same[0].text or ""


def _index_by_name(root: etree._Element) -> dict[str, list[etree._Element]]:
    # Every name, in one walk: as fast as lxml filtering the hundred names the rules ask for
    # (its matcher tries each name per element), and the code list rules need the rest.
    index: dict[str, list[etree._Element]] = {}
    get = index.get  # bound once: this loop runs for every element of every product
    for element in root.iter(etree.Element):
        tag = element.tag
        found = get(tag)
        if found is None:
            index[tag] = [element]
        else:
            found.append(element)
    return index


@dataclass(frozen=True)
class Rule:
    """A registered rule: its identity and documentation, and the module's functions."""

    code: str
    name: str
    scope: str
    doc: str
    module: ModuleType

    @property
    def family(self) -> str:
        return FAMILIES.get(self.code[:2], "other")

    @property
    def summary(self) -> str:
        return self.doc.strip().splitlines()[0].strip() if self.doc.strip() else ""

    @property
    def sections(self) -> dict[str, str]:
        return doc_sections(self.doc)

    @property
    def check(self) -> Callable:
        return self.module.check

    @property
    def keys(self) -> Callable | None:
        return getattr(self.module, "keys", None)

    @property
    def screen(self) -> Callable | None:
        """The family screen that decides whether the rule runs on a product (None: always run)."""
        return getattr(self.module, "SCREEN", None)

    @property
    def needs(self) -> frozenset[str] | None:
        """The element names without one of which the rule cannot find anything (None: always run)."""
        names = getattr(self.module, "NEEDS", None)
        return frozenset(names) if names is not None else None


def doc_sections(doc: str) -> dict[str, str]:
    """A rule docstring's sections (Checks, Why, Pass, Fail) as dedented text."""
    found: dict[str, list[str]] = {}
    current: str | None = None
    for line in (doc or "").splitlines():
        stripped = line.strip()
        match = _SECTION_LINE.match(stripped)
        if match:
            current = match.group(1)
            found[current] = [match.group(2)] if match.group(2) else []
        elif current is not None:
            found[current].append(line)
    return {name: _dedent(lines) for name, lines in found.items()}


def _dedent(lines: list[str]) -> str:
    indents = [len(line) - len(line.lstrip()) for line in lines if line.strip()]
    cut = min(indents) if indents else 0
    return "\n".join(line[cut:] if line.strip() else "" for line in lines).strip()


@functools.lru_cache(maxsize=None)
def registry() -> tuple[Rule, ...]:
    """Every rule of this package, sorted by code; a malformed rule module is a bug and raises."""
    rules: list[Rule] = []
    seen: dict[str, str] = {}
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda info: info.name):
        match = _MODULE_NAME.match(info.name)
        if not match:
            continue
        module = importlib.import_module(f"{__name__}.{info.name}")
        code = getattr(module, "CODE", None)
        expected = (match.group(1) + match.group(2)).upper()
        if code != expected:
            raise RuntimeError(f"rule module {info.name} must define CODE = {expected!r}, not {code!r}")
        if code in seen:
            raise RuntimeError(f"rule code {code} used by both {seen[code]} and {info.name}")
        seen[code] = info.name
        scope = getattr(module, "SCOPE", "product")
        if scope not in SCOPES:
            raise RuntimeError(f"rule module {info.name}: SCOPE must be one of {SCOPES}, not {scope!r}")
        needed = ("check", "keys") if scope == "message" else ("check",)
        missing = [name for name in needed if not callable(getattr(module, name, None))]
        if missing:
            raise RuntimeError(f"rule module {info.name} ({scope} scope) must define {' and '.join(missing)}()")
        rules.append(Rule(code, getattr(module, "NAME", ""), scope, module.__doc__ or "", module))
    return tuple(rules)


def rules_by_code() -> dict[str, Rule]:
    return {rule.code: rule for rule in registry()}


def find_rule(code: str) -> Rule:
    """One rule by code (case-insensitive); InputError naming the closest codes otherwise."""
    wanted = code.strip().upper()
    rules = rules_by_code()
    if wanted in rules:
        return rules[wanted]
    same_family = [known for known in rules if known[:2] == wanted[:2]][:5]
    hint = f"; codes of that family: {', '.join(same_family)}" if same_family else ""
    raise InputError(f"no rule with code {code!r}{hint} (`onixfeed rules` lists them all)")


@functools.lru_cache(maxsize=None)
def default_severities(path: Path = BASE_PROFILE) -> dict[str, str]:
    """The `rules:` mapping of the base profile: code -> error | warning | info | off."""
    from onixfeed import profile  # the profile loader checks the file: keys, rule codes, levels

    return profile.load(path).rule_severities()


def element_path(element: etree._Element) -> str:
    """`Product/ProductIdentifier[2]/IDValue`: where an element sits inside its Product or Header."""
    if isinstance(element.tag, str):
        # libxml2 writes the path in C, numbering a step as `walked_path` does (among same-named
        # siblings only), in a third of the time; a path outside a Product or Header, or with a
        # namespace (written as *), is walked
        path = element.getroottree().getpath(element)
        found = _LAST_PRODUCT_OR_HEADER.match(path)
        if found is not None and "*" not in path:
            return found.group(1).split("[", 1)[0] + path[found.end(1):]
    return walked_path(element)


_LAST_PRODUCT_OR_HEADER = re.compile(r"^.*/((?:Product|Header)(?:\[\d+\])?)(?=/|$)")


def walked_path(element: etree._Element) -> str:
    """`element_path`, found by walking up from the element."""
    steps: list[str] = []
    node: etree._Element | None = element
    while node is not None and isinstance(node.tag, str):
        parent = node.getparent()
        step = node.tag
        if parent is not None and node.tag not in ("Product", "Header"):
            same = [sibling for sibling in parent.iterchildren(node.tag)]
            if len(same) > 1:
                step = f"{node.tag}[{same.index(node) + 1}]"
        steps.append(step)
        if node.tag in ("Product", "Header"):
            break
        node = parent
    return "/".join(reversed(steps))


@dataclass(frozen=True)
class RuleChecks:
    """The native rules as a `Checks` (picklable: plain data, rules resolved in each process).

    `severities` maps codes to error | warning | info | off (the base profile's defaults
    when None); rules set to off, or missing from the mapping, do not run. `today`
    fixes the date for date rules (tests); None means the real date.
    """

    severities: tuple[tuple[str, str], ...] | None = None
    today: datetime.date | None = None
    screens: bool = True  # False runs every rule on every product (tests compare both ways)

    @classmethod
    def from_mapping(cls, severities: dict[str, str] | None = None, today: datetime.date | None = None,
                     screens: bool = True) -> "RuleChecks":
        return cls(tuple(sorted(severities.items())) if severities is not None else None, today, screens)

    def wants_current_codes(self, release: str) -> bool:
        """True when CL001 runs on the release: the engine then screens with the current-codes
        schema, and CL001 may trust MessageInfo.codes_current (see onixfeed/validate/checks.py)."""
        return release in RELEASES and any(rule.code == "CL001" for rule, _ in self._active("product"))

    def _active(self, scope: str) -> list[tuple[Rule, Severity]]:
        # by the mapping's identity: hashing 68 pairs for the lru_cache key, twice a product, costs
        # more than many rules do
        key = (id(self.severities), scope)
        found = _ACTIVE_BY_IDENTITY.get(key)
        if found is None or found[0] is not self.severities:
            if len(_ACTIVE_BY_IDENTITY) > 256:
                _ACTIVE_BY_IDENTITY.clear()
            found = _ACTIVE_BY_IDENTITY[key] = (self.severities, _active_rules(self.severities, scope))
        return found[1]

    def _active_checks(self) -> "_ProductPlan":
        """The active product rules with what the per-product loop needs of each, looked up once."""
        key = (id(self.severities), "product checks", self.screens)
        found = _ACTIVE_BY_IDENTITY.get(key)
        if found is None or found[0] is not self.severities:
            if len(_ACTIVE_BY_IDENTITY) > 256:
                _ACTIVE_BY_IDENTITY.clear()
            found = _ACTIVE_BY_IDENTITY[key] = (self.severities, _ProductPlan.of(
                self._active("product"), [rule for rule, _ in self._active("message")], self.screens))
        return found[1]

    def _context(self, message: MessageInfo) -> Context:
        return Context(message, self.today or _today())

    def header(self, header: etree._Element, message: MessageInfo) -> list[Finding]:
        if message.release not in RELEASES:
            return []
        context = self._context(message)
        findings: list[Finding] = []
        for rule, severity in self._active("header"):
            _run(rule, severity, rule.check, header, context, None, findings)
        return findings

    def product(self, product: etree._Element, message: MessageInfo) -> tuple[list[Finding], list[Key]]:
        if message.release not in RELEASES:
            return [], []
        context = self._context(message)
        present = context.index(product).keys()  # the names in the product, for the rules' NEEDS
        # after the index: binding a product to the context clears its children tables
        record = (context.child_text(product, "RecordReference") or "").strip() or None
        findings: list[Finding] = []
        keys: list[Key] = []
        plan = self._active_checks()
        screens = plan.screens
        try:
            verdicts = [screen(product, context) for screen in screens]
        except Exception:  # rare: run them one by one, each failure letting its family run
            verdicts = [_screen(screen, product, context) for screen in screens]
        # a clean product: every screen rules its family out, only the unscreened rules are left
        steps = plan.named(verdicts) if any(verdicts) else plan.unscreened
        for rule, severity, needs, _ in steps:
            if needs is not None and present.isdisjoint(needs):
                continue  # none of the elements the rule looks at: it cannot find anything
            # inlined rather than a call to _run: this loop runs for every rule of every product
            try:
                for hit in rule.module.check(product, context):
                    findings.append(_finding(rule, severity, hit, context, record))
            except Exception as exc:  # a rule bug must not stop a multi-gigabyte run
                findings.append(_internal_error(rule, exc, context, product.sourceline, record))
        for rule in plan.key_rules:
            try:
                keys.extend(rule.module.keys(product, context))
            except Exception as exc:  # a rule bug must not stop a multi-gigabyte run
                findings.append(_internal_error(rule, exc, context, product.sourceline, record))
        return findings, keys

    def message(self, keys: Sequence[Key], message: MessageInfo) -> list[Finding]:
        if message.release not in RELEASES:
            return []
        context = self._context(message)
        findings: list[Finding] = []
        for rule, severity in self._active("message"):
            _run(rule, severity, rule.check, keys, context, None, findings)
        return findings


@dataclass(frozen=True)
class _ProductPlan:
    """The active product rules in code order, as (rule, severity, NEEDS, screen or None), and
    the screens they name; `unscreened` are the steps left when every screen rules its family out;
    the message rules whose keys every product gives; and, for each screen, its family's steps
    with their places in `steps`."""

    steps: tuple[tuple[Rule, Severity, frozenset[str] | None, Callable | None], ...]
    unscreened: tuple[tuple[Rule, Severity, frozenset[str] | None, None], ...]
    screens: tuple[Callable, ...]
    key_rules: tuple[Rule, ...]  # the active message rules, whose keys() run on every product
    families: tuple[tuple[tuple[int, tuple], ...], ...]  # per screen: (place in steps, step)
    unscreened_at: tuple[tuple[int, tuple], ...]  # `unscreened` with their places in steps

    @classmethod
    def of(cls, active: list[tuple[Rule, Severity]], key_rules: list[Rule], screens: bool) -> "_ProductPlan":
        steps = tuple((rule, severity, rule.needs, rule.screen if screens else None) for rule, severity in active)
        named = tuple(dict.fromkeys(step[3] for step in steps if step[3] is not None))
        families = tuple(tuple((place, step) for place, step in enumerate(steps) if step[3] is screen) for screen in named)
        unscreened_at = tuple((place, step) for place, step in enumerate(steps) if step[3] is None)
        return cls(steps, tuple(step for _, step in unscreened_at), named, tuple(key_rules), families, unscreened_at)

    def named(self, verdicts: list[Container[str]]) -> list[tuple]:
        """The steps to run when screens named some codes (`verdicts`, one per screen): those codes'
        rules and the unscreened ones, in code order. Only the named families are looked through:
        a product one rule fires on would otherwise pass over every active rule."""
        chosen = list(self.unscreened_at)
        for family, verdict in zip(self.families, verdicts):
            if verdict:
                chosen.extend(item for item in family if item[1][0].code in verdict)
        chosen.sort(key=_FIRST)
        return [step for _, step in chosen]


_FIRST = operator.itemgetter(0)


_TODAY: tuple[float, datetime.date | None] = (0.0, None)  # (monotonic time to ask again, the date)


def _today() -> datetime.date:
    """Today's date, asked of the clock at most once a second: the runner needs it for every
    product, and date.today() costs half a microsecond."""
    global _TODAY
    now = time.monotonic()
    if now >= _TODAY[0] or _TODAY[1] is None:
        _TODAY = (now + 1.0, datetime.date.today())
    return _TODAY[1]


# (id of a severities mapping, scope) -> (that mapping, kept so its id is not reused; its active rules)
_ACTIVE_BY_IDENTITY: dict[tuple[int, str], tuple[object, list]] = {}


@functools.lru_cache(maxsize=64)
def _active_rules(levels: tuple[tuple[str, str], ...] | None, scope: str) -> list[tuple[Rule, Severity]]:
    chosen = dict(levels) if levels is not None else default_severities()
    active = []
    for rule in registry():
        level = chosen.get(rule.code, "off")
        if rule.scope == scope and level != "off":
            active.append((rule, Severity(level)))
    return active


def _screen(screen: Callable, product: etree._Element, context: Context) -> Container[str]:
    """The codes a family screen lets run; every code when it fails (the rules then say why)."""
    try:
        return screen(product, context)
    except Exception:  # a screen bug must cost speed, never a finding
        return _EVERY_CODE


class _Everything:
    """Contains every code: what a failed screen lets run."""

    def __contains__(self, code: object) -> bool:
        return True


_EVERY_CODE = _Everything()


def _run(rule: Rule, severity: Severity, function: Callable, target: object, context: Context,
         record: str | None, findings: list[Finding]) -> None:
    """Run one rule and collect its hits as findings; an exception becomes an RL001 finding."""
    line = getattr(target, "sourceline", None)
    try:
        for hit in function(target, context):
            findings.append(_finding(rule, severity, hit, context, record))
    except Exception as exc:  # a rule bug must not stop a multi-gigabyte run
        findings.append(_internal_error(rule, exc, context, line, record))


def _finding(rule: Rule, severity: Severity, hit: Hit, context: Context, record: str | None) -> Finding:
    element = hit.element
    line = hit.line
    xpath = None
    if element is not None:
        line = line or element.sourceline
        xpath = element_path(element)
    return Finding(rule.code, rule.name, severity, hit.message, context.message.file, line, xpath,
                   hit.record or record)


def _internal_error(rule: Rule, exc: Exception, context: Context, line: int | None, record: str | None) -> Finding:
    return Finding(
        INTERNAL_ERROR_CODE, INTERNAL_ERROR_NAME, Severity.WARNING,
        f"rule {rule.code} ({rule.name}) failed with {type(exc).__name__}: {exc}; the check was skipped",
        context.message.file, line, None, record,
    )


def run_rules(elements: Iterable[etree._Element], message: MessageInfo,
              checks: RuleChecks | None = None) -> list[Finding]:
    """All findings of the rules on some products (a library shortcut for tests and tools)."""
    checks = checks or RuleChecks()
    findings: list[Finding] = []
    keys: list[Key] = []
    for element in elements:
        more, more_keys = checks.product(element, message)
        findings.extend(more)
        keys.extend(more_keys)
    findings.extend(checks.message(keys, message))
    return findings


__all__ = [
    "Context", "FAMILIES", "Hit", "child", "child_text", "children_at", "Key", "MessageInfo", "Rule", "RuleChecks", "default_severities",
    "doc_sections", "element_path", "find_rule", "registry", "rules_by_code", "run_rules",
]
