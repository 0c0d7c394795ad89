"""Validate one batch of products as a document of its own: screened first (by the
current-codes schema when the checks want it, then the screening schema), then, when
screening rejects it, against the official schema, with libxml2's findings mapped to the
original file's lines and product numbers; then the checks on each product."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field, replace

from lxml import etree

from onixfeed import onix, schemas
from onixfeed.findings import Finding, Severity
from onixfeed.validate import messages, screening
from onixfeed.validate.checks import Checks, Key, MessageInfo
from onixfeed.validate.parsing import MAX_SOURCELINE, make_parser
from onixfeed.validate.split import Batch


XS = "{http://www.w3.org/2001/XMLSchema}"


@dataclass(frozen=True)
class UniqueRule:
    """A message-wide xs:unique from the schema: selector element -> field element."""

    name: str  # as libxml2 names it: '{namespace}Name'
    selector: str  # local name of the selected element (Product)
    field: str  # local name of the field element (RecordReference)


@functools.lru_cache(maxsize=None)
def unique_rules(release: str, tags: str) -> tuple[UniqueRule, ...]:
    """The identity constraints declared on the root element of a schema (read once)."""
    files = schemas.schema_files(release, tags)
    root = etree.parse(str(files.main)).getroot()
    namespace = root.get("targetNamespace") or ""
    found = []
    for element in root.findall(f"{XS}element"):
        if element.get("name") != onix.ROOTS[tags]:
            continue
        for unique in element.findall(f"{XS}unique"):
            selector = unique.find(f"{XS}selector").get("xpath")
            fields = [field.get("xpath") for field in unique.findall(f"{XS}field")]
            simple = re.fullmatch(r"\w+:(\w+)", selector)
            if simple and len(fields) == 1 and re.fullmatch(r"\w+:(\w+)", fields[0]):
                found.append(UniqueRule(f"{{{namespace}}}{unique.get('name')}", simple.group(1), fields[0].split(":")[1]))
    return tuple(found)


@dataclass(frozen=True)
class Plan:
    """Everything a worker needs to validate batches of one message (picklable)."""

    name: str
    release: str
    tags: str
    prolog: bytes  # as validated: the namespace added when the file has none
    prolog_elements: int  # top-level elements in the prolog (the Header)
    prefix: bytes  # the prolog cut at its last line end, for batches after the first
    closer: bytes  # the root's end tag
    unique: tuple[UniqueRule, ...]
    info: MessageInfo
    checks: Checks | None
    whole: bool = False  # the prolog is the entire document (no Product found by the scanner)
    # (XML declaration, root start tag without attributes) to re-parse a batch without the
    # namespace for the checks; None when the prolog declares entities or prefixes
    wrapper: tuple[bytes, bytes] | None = None
    # the prolog without its namespace, for the screening schema (see screening.py); None
    # when the file's namespace is not the official one declared on the root, or the
    # prolog alone does not pass screening (then every batch would fail it)
    screen_prolog: bytes | None = None
    # screen with the current-codes schema first: the checks read MessageInfo.codes_current
    current_codes: bool = False


@dataclass
class Outcome:
    """What a worker found in one batch (kept small: it crosses a pipe)."""

    index: int
    schema: list[Finding] = field(default_factory=list)
    checks: list[Finding] = field(default_factory=list)
    # the checks' keys as plain (kind, value, line, record) tuples: a Key pickles through Python
    # code, six times slower, and the key spool stores tuples anyway
    keys: list[tuple] = field(default_factory=list)
    unique: list[tuple[str, int, str, int]] = field(default_factory=list)  # rule, line, key, product number
    products: int = 0
    syntax: Finding | None = None
    broken: bool = False  # the batch is not well-formed beyond its own bytes: parse sequentially
    stop_schema: bool = False  # an error in the root's content model: libxml2 validates no further


def normalise(element: etree._Element, release: str, tags: str, shift: int = 0) -> etree._Element:
    """Rename an element and its descendants to reference names without namespace, in place,
    and move their source lines by `shift` (to the original file's lines)."""
    mapping = onix.short_to_reference(release) if tags == "short" else None
    for node in element.iter(etree.Element):
        name = onix.local_name(node.tag)
        node.tag = mapping.get(name, name) if mapping else name
        if shift:
            node.sourceline += shift
    return element


def _step_index(step: str) -> int:
    """'*[3]' -> 3, '*' -> 1 (libxml2 leaves out the index of an only child)."""
    match = re.search(r"\[(\d+)\]$", step)
    return int(match.group(1)) if match else 1


def _error_place(root: etree._Element, positions: dict, path: str | None) -> tuple[etree._Element | None, int]:
    """The element an error's path names (None when it names none), and the top-level
    position of the root's child it sits in (0: the root itself). libxml2 writes paths as
    /*/*[3] in a default namespace but /onix:ONIXMessage/onix:Product[2] with a prefix,
    where [2] counts Products only: so the position is read from the tree where it can be."""
    if not path:
        return None, 0
    try:
        found = root.getroottree().xpath(path, namespaces={p: uri for p, uri in root.nsmap.items() if p})
    except etree.XPathError:  # a prefix declared below the root
        found = []
    node = found[0] if found and isinstance(found[0], etree._Element) else None
    if node is None:
        steps = path.split("/")[1:]
        return None, _step_index(steps[1]) if len(steps) >= 2 else 0
    child = node
    while child.getparent() is not None and child.getparent() is not root:
        child = child.getparent()
    return node, positions.get(child, 0)


def _value_of(element: etree._Element) -> str:
    """An element's simple value as libxml2 reads it: its text and its children's tails."""
    return (element.text or "") + "".join(child.tail or "" for child in element)


def _record_of(product: etree._Element) -> str | None:
    for child in product:
        if isinstance(child.tag, str) and onix.local_name(child.tag) in ("RecordReference", "a001"):
            value = (child.text or "").strip()
            return value or None
    return None


FRAME_NAMES = {"ONIXmessage": "ONIXMessage", "header": "Header", "product": "Product"}


def _readable_xpath(element: etree._Element, product_number: int | None, release: str, tags: str) -> str:
    """/ONIXMessage/Product[12]/DescriptiveDetail/ProductForm, in reference names."""
    mapping = onix.short_to_reference(release) if tags == "short" else {}
    parts = []
    node = element
    while node is not None:
        name = onix.local_name(node.tag)
        label = FRAME_NAMES.get(name) or mapping.get(name, name)
        parent = node.getparent()
        if parent is not None and parent.getparent() is None and product_number is not None and label == "Product":
            label = f"Product[{product_number}]"
        elif parent is not None:
            same = [sibling for sibling in parent if sibling.tag == node.tag]
            if len(same) > 1:
                label = f"{label}[{same.index(node) + 1}]"
        parts.append(label)
        node = parent
    return "/" + "/".join(reversed(parts))


def _validator_failure_finding(root: etree._Element, log: etree._ListErrorLog, plan: Plan, shift: int) -> Finding:
    """A finding for content libxml2's validator gave up on: an external entity it never read,
    or a value its regular expressions cannot handle (a pattern facet on megabytes of text)."""
    entity = next(root.iter(etree.Entity), None)
    if entity is not None:
        line = entity.sourceline + shift if entity.sourceline else None
        message = f"&{entity.name}; refers to an external entity, which is never read: the content cannot be validated"
    else:
        first = log[0] if len(log) else None
        line = first.line + shift if first is not None and first.line else None
        detail = first.message.split(": ", 1)[-1].rstrip(".") if first is not None else "internal error"
        message = f"the schema validator could not check this element ({detail}), nor what follows in these products"
    return Finding("XS009", messages.RULES["XS009"], Severity.ERROR, message, plan.name, line)


def _top_level(plan: Plan, root: etree._Element) -> tuple[list[etree._Element], dict[int, int]]:
    """The root's child elements, and top-level position -> product number within the
    batch (the main process adds the products of earlier batches: only the parser knows
    which products are top-level)."""
    elements = [child for child in root if isinstance(child.tag, str)]
    selectors = {rule.selector for rule in plan.unique} | {onix.PRODUCT[plan.tags]}
    numbers: dict[int, int] = {}
    count = 0
    for position, child in enumerate(elements[plan.prolog_elements:], plan.prolog_elements + 1):
        if onix.local_name(child.tag) in selectors:
            count += 1
            numbers[position] = count
    return elements, numbers


def _screened_batch(plan: Plan, batch: Batch) -> Outcome | None:
    """A batch parsed without its namespace and passed by the screening schema: no schema
    finding, and the same tree goes to the checks (told codes_current when the current-codes
    schema passed it). None when screening rejects the batch or it does not parse: the
    official schema then says why."""
    if not plan.current_codes and screening.load_screening_schema(plan.release, plan.tags) is None:
        return None  # this schema cannot be screened: the official one says everything
    prefix = plan.screen_prolog if batch.index == 0 else prefix_of(plan.screen_prolog)
    lead = batch.lead if batch.index > 0 and prefix.endswith(b"\n") else b""
    document_line = prefix.count(b"\n") + 1
    # Blank lines before the batch put its elements on their lines in the file, where
    # lxml can hold them (up to 65,535); past that the findings are moved by `shift`.
    fits = batch.line + batch.data.count(b"\n") <= MAX_SOURCELINE and batch.line >= document_line
    padding = batch.line - document_line if fits else 0
    shift = 0 if fits else batch.line - document_line
    closing = b"" if batch.last else b"\n" + plan.closer
    try:
        root = etree.fromstring(prefix + b"\n" * padding + lead + batch.data + closing, make_parser())
        codes_current = _passes_current_codes_screening(plan, batch, root)
        # the current-codes schema accepts less than the screening one: a tree it passed is
        # screened, and the screening schema is compiled only when one does not pass
        if not codes_current:
            schema = screening.load_screening_schema(plan.release, plan.tags)
            if schema is None or not schema.validate(root.getroottree()):
                return None
    except (etree.XMLSyntaxError, etree.XMLSchemaValidateError):
        return None
    outcome = Outcome(batch.index)
    elements, numbers = _top_level(plan, root)
    outcome.products = len(numbers)
    outcome.unique = _unique_keys(plan, root, elements, numbers, shift)
    if plan.checks is not None:
        info = replace(plan.info, schema_checked=True, schema_valid=True, codes_current=codes_current,
                       ascii_text=ascii_text(prefix, batch.data))
        for position in numbers:
            product = elements[position - 1]
            if plan.tags == "short":
                normalise(product, plan.release, plan.tags)
            found, keys = plan.checks.product(product, info)
            if found or keys:
                _add_checks(outcome, found, keys, shift)
    return outcome


# Encodings in which a byte below 0x80 is that ASCII character (and every other character is not).
_ASCII_COMPATIBLE = re.compile(rb"(?:utf-?8|us-ascii|ascii|iso[-_]?8859-\d+|latin-?1|windows-125\d|cp125\d)\Z", re.I)
_DECLARED_ENCODING = re.compile(rb"""^\s*<\?xml[^>]*?\bencoding\s*=\s*["']([^"']*)["']""")


def _has_reference(data: bytes) -> bool:
    # a one-byte search runs at memchr speed, a two-byte one about eighty times slower
    return b"#" in data and b"&#" in data


def ascii_text(prolog: bytes, data: bytes) -> bool:
    """True when a batch parsed from `prolog` + `data` can hold only printable ASCII text and XML
    white space: both are ASCII bytes (checked in C, about a microsecond a product) without DEL
    (0x7F, the one other control character XML 1.0 allows), in an ASCII-compatible encoding, and
    no character reference (&#...;) or entity declaration brings in another character."""
    if not (data.isascii() and prolog.isascii()) or _has_reference(data) or _has_reference(prolog) or b"<!ENTITY" in prolog:
        return False
    if b"\x7f" in data or b"\x7f" in prolog:
        return False
    declared = _DECLARED_ENCODING.match(prolog)
    return declared is None or _ASCII_COMPATIBLE.match(declared.group(1).strip()) is not None


def _unique_keys(plan: Plan, root: etree._Element, elements: list[etree._Element], numbers: dict[int, int],
                 shift: int, terminal_at: int | None = None, unvalued: frozenset[str] | set[str] = frozenset()
                 ) -> list[tuple[str, int, str, int]]:
    """(rule, line, key, product number) for each message-wide xs:unique, from the products
    libxml2 reached (before `terminal_at`, where it stopped) whose field it could compare."""
    found = []
    for rule in plan.unique:
        for position, number in numbers.items():
            product = elements[position - 1]
            if (terminal_at is not None and position >= terminal_at) or onix.local_name(product.tag) != rule.selector:
                continue
            first = next((child for child in product if isinstance(child.tag, str)), None)
            if first is None or onix.local_name(first.tag) != rule.field:
                continue  # libxml2 never reaches a field that is out of place
            if unvalued and root.getroottree().getpath(first) in unvalued:
                continue  # an invalid value gives libxml2 no key to compare
            found.append((rule.name, product.sourceline + shift, _value_of(first), number))
    return found


def _add_checks(outcome: Outcome, found: list[Finding], keys: list[Key], moved: int) -> None:
    """The checks' findings and keys for a product, their lines moved by `moved`; the keys as
    plain tuples (see Outcome.keys)."""
    if moved:
        found = [f.moved(moved) for f in found]
        outcome.keys.extend([(kind, value, line + moved if line is not None else None, record)
                             for kind, value, line, record in keys])
    else:
        outcome.keys.extend(map(tuple, keys))
    outcome.checks.extend(found)


def prefix_of(prolog: bytes) -> bytes:
    """The prolog for batches after the first: cut at its last line end when only white
    space follows it (the batch brings its own indentation, so columns stay true)."""
    cut = prolog.rfind(b"\n") + 1
    return prolog[:cut] if cut and not prolog[cut:].strip() else prolog


# Files of one batch this process screened; past this many it compiles the current-codes schema.
SINGLE_BATCH_FILES_BEFORE_CURRENT_CODES = 3
_single_batch_files = 0


def _passes_current_codes_screening(plan: Plan, batch: Batch, root: etree._Element) -> bool:
    """Whether the current-codes schema passes a parsed batch (tried only when the checks
    want it, and only now and then while batches keep failing it)."""
    global _single_batch_files
    if not plan.current_codes or not CURRENT_CODES_PACE.worth_trying(batch.index):
        return False
    if batch.index == 0 and batch.last:
        # a file of one batch: compiling the schema (about 0.05 s) costs more than the checks
        # save on it, but not over a folder of small files, where this process sees many
        _single_batch_files += 1
        if _single_batch_files <= SINGLE_BATCH_FILES_BEFORE_CURRENT_CODES:
            return False
    schema = screening.load_screening_schema(plan.release, plan.tags, current_codes=True)
    passed = schema is not None and schema.validate(root.getroottree())
    CURRENT_CODES_PACE.record(passed)
    return passed


# Screening a batch that then fails is wasted work. Where batch after batch fails (a feed
# with an error, or a deprecated code, in every product), this process tries that screening
# only every so often until one passes.
SCREEN_RETRY_EVERY = 32


class ScreeningPace:
    """When a screening schema is worth trying on a batch: always, until two batches in a
    row fail it; then every SCREEN_RETRY_EVERY-th batch, until one passes."""

    def __init__(self) -> None:
        self.failed_in_a_row = 0

    def worth_trying(self, index: int) -> bool:
        return self.failed_in_a_row < 2 or index % SCREEN_RETRY_EVERY == 0

    def record(self, passed: bool) -> None:
        self.failed_in_a_row = 0 if passed else self.failed_in_a_row + 1


SCREENING_PACE = ScreeningPace()  # the screening schema (per process)
CURRENT_CODES_PACE = ScreeningPace()  # the current-codes schema, tried first when the checks want it


def validate_batch(plan: Plan, batch: Batch, validate: bool = True) -> Outcome:
    """Parse and validate one batch as a document of its own; lines as in the original file."""
    if (validate and plan.screen_prolog is not None and not plan.whole and b"xmlns" not in batch.data
            and SCREENING_PACE.worth_trying(batch.index)):
        screened = _screened_batch(plan, batch)
        SCREENING_PACE.record(screened is not None)
        if screened is not None:
            return screened
    outcome = Outcome(batch.index)
    prefix = plan.prolog if batch.index == 0 else plan.prefix + (batch.lead if plan.prefix.endswith(b"\n") else b"")
    document_line = prefix.count(b"\n") + 1  # the line of the batch's first byte in the document
    shift = batch.line - document_line
    closing = b"" if batch.last else b"\n" + plan.closer
    try:
        root = etree.fromstring(prefix + batch.data + closing, make_parser())
    except etree.XMLSyntaxError as error:
        line, column = error.position
        if not batch.last:
            # The error may lie beyond this batch (an element or comment left open), or libxml2
            # may place it by what follows: the main process parses on from here as one stream.
            outcome.broken = True
        else:
            shift = shift if batch.index > 0 else 0
            outcome.syntax = Finding("XS000", messages.RULES["XS000"], Severity.ERROR,
                                     messages.not_well_formed(error.msg, shift, document_line),
                                     plan.name, line + shift, None, None, column or None)
        return outcome
    elements, numbers = _top_level(plan, root)
    outcome.products = len(numbers)
    terminal_at = len(elements) + 1
    unvalued: set[str] = set()
    faulty: set[int] | None = set()  # top-level positions with an error (None: every one in doubt)
    if validate:
        schema = schemas.load_schema(plan.release, plan.tags)
        try:
            schema_valid = schema.validate(root.getroottree())
        except etree.XMLSchemaValidateError:
            outcome.schema.append(_validator_failure_finding(root, schema.error_log, plan, shift))
            schema_valid, faulty = True, None
        if not schema_valid:
            positions = {element: position for position, element in enumerate(elements, 1)}
            places = {(error.line, error.path): _error_place(root, positions, error.path) for error in schema.error_log}
            tops = {top for _, top in places.values()}
            if 0 in tops:
                faulty = None  # an error on the root: no product is vouched for
            else:
                faulty.update(tops)
            listed: set[tuple[int, str]] = set()  # list items already reported as not in their code list
            for error in schema.error_log:
                if error.type_name == "SCHEMAV_CVC_ENUMERATION_VALID":
                    listed.add((error.line, error.path))
                elif (error.line, error.path) in listed and (
                        error.type_name == "SCHEMAV_CVC_DATATYPE_VALID_1_2_2"
                        or (error.type_name == "SCHEMAV_CVC_IDC" and "No precomputed value" in error.message)):
                    # the list, or the key libxml2 could not compute, is invalid because of that value:
                    # one finding, not two (the unvalued key is still noted below via `unvalued`)
                    if error.type_name == "SCHEMAV_CVC_IDC":
                        unvalued.add(error.path)
                    continue
                steps = (error.path or "/*").split("/")[1:]
                node, top = places[(error.line, error.path)]
                in_prolog = top <= plan.prolog_elements
                if in_prolog and batch.index > 0:
                    continue  # the first batch reports the root and the Header
                if error.type_name == "SCHEMAV_CVC_IDC":
                    if "Duplicate key-sequence" in error.message and any(r.name in error.message for r in plan.unique):
                        continue  # message-wide: decided in the main process across batches
                    if "No precomputed value" in error.message:
                        unvalued.add(error.path)
                if (len(steps) == 2 and error.type_name == "SCHEMAV_ELEMENT_CONTENT" and "not expected" in error.message) or (
                    len(steps) == 1 and error.type_name == "SCHEMAV_CVC_ELT_1"
                ):
                    outcome.stop_schema = True  # libxml2 skips the rest of the root's children
                    terminal_at = min(terminal_at, top or 1)
                described = messages.describe(error.type_name, error.message, plan.release, plan.tags)
                product = elements[top - 1] if 0 < top <= len(elements) and top in numbers else None
                outcome.schema.append(Finding(
                    described.rule, messages.RULES[described.rule], Severity.ERROR, described.message, plan.name,
                    error.line + (0 if in_prolog else shift),
                    _readable_xpath(node, numbers.get(top), plan.release, plan.tags) if node is not None else None,
                    _record_of(product) if product is not None else None,
                ))
        outcome.unique = _unique_keys(plan, root, elements, numbers, shift, terminal_at, unvalued)
    if plan.checks is not None and plan.whole:
        header = next((e for e in elements if onix.local_name(e.tag) in ("Header", "header")), None)
        if header is not None:
            outcome.checks.extend(plan.checks.header(normalise(header, plan.release, plan.tags), plan.info))
    if plan.checks is not None:
        # Checks see the original file's lines where lxml can hold them (up to 65,535);
        # past that they see the batch's own lines and the engine moves what they report.
        true_lines = batch.line + batch.data.count(b"\n") <= MAX_SOURCELINE
        moved = 0 if true_lines else shift
        # libxml2 checked the products before it stopped (terminal_at); the checks skip what it reports
        checked = replace(plan.info, schema_checked=True) if validate else plan.info
        valid = replace(checked, schema_valid=True)
        reparsed = _reparsed_products(plan, batch, len(elements), batch.line if true_lines else document_line)
        for position in numbers:
            if reparsed is not None:
                product = reparsed[position - 1 - plan.prolog_elements]
            else:
                product = normalise(elements[position - 1], plan.release, plan.tags, shift if true_lines else 0)
            if position >= terminal_at:
                info = plan.info
            else:
                info = valid if validate and faulty is not None and position not in faulty else checked
            found, keys = plan.checks.product(product, info)
            _add_checks(outcome, found, keys, moved)
    return outcome


def _reparsed_products(plan: Plan, batch: Batch, elements: int, first_line: int) -> list[etree._Element] | None:
    """The batch's top-level elements parsed again without the namespace, with their lines
    starting at `first_line`, and short tags renamed: cheaper than renaming the validated
    tree. None when that parse could differ from the validated one (then rename instead)."""
    if plan.wrapper is None or b"xmlns" in batch.data:
        return None
    declaration, start = plan.wrapper
    data = batch.data
    if batch.last:
        end = data.rfind(b"</" + start[1:])
        if end < 0:
            return None
        data = data[:end]
    blank_lines = first_line - 1 - declaration.count(b"\n")
    if blank_lines < 0:
        return None
    try:
        root = etree.fromstring(declaration + b"\n" * blank_lines + start + data + b"</" + start[1:], make_parser())
    except etree.XMLSyntaxError:
        return None
    products = [child for child in root if isinstance(child.tag, str)]
    if len(products) != elements - plan.prolog_elements:
        return None
    if plan.tags == "short":
        mapping = onix.short_to_reference(plan.release)
        for product in products:
            for node in product.iter(etree.Element):
                node.tag = mapping.get(node.tag, node.tag)
    return products
