"""The validation engine: one ONIX byte stream -> schema findings and checks' findings.

Entry points (what the input layer and the CLI call):

    validate_stream(stream: BinaryIO, name: str, *, jobs=None, checks=None, progress=None) -> FileResult
    iter_stream(stream, name, *, jobs=None, checks=None, progress=None)
        -> Generator[Finding, None, FileResult]   # findings as soon as known; `return`s the FileResult

`stream` is an open binary stream positioned at the start of the document (a file, a gzip
member, stdin's buffer); `name` is what findings name as their file. `jobs` is the number
of processes validating at once, this one included (None: every core; 1: this one only). `checks` implements
onixfeed.validate.checks.Checks and runs after the schema on the Header and each Product
(in the workers), with reference names, no namespace and the original file's lines (past
line 65,535, which lxml cannot hold, the engine moves the lines of what the checks return).
`progress(bytes_read, products_done)` is called as the stream is consumed.
"""

from __future__ import annotations

import functools
import io
import multiprocessing
import os
import re
from collections import deque
from dataclasses import dataclass, field, replace
from typing import BinaryIO, Callable, Generator, Iterator

from lxml import etree

from onixfeed import onix, schemas
from onixfeed.findings import Finding, Severity
from onixfeed.validate import messages, screening
from onixfeed.validate.checks import Checks, Key, MessageInfo
from onixfeed.validate.first_seen import FirstSeen
from onixfeed.validate.key_spool import KeySpool
from onixfeed.validate.split import Batch, ProductSplitter, ascii_compatible

# ---------------------------------------------------------------------------------------
# How it works. The main process reads the stream once and cuts it, without parsing, into
# the prolog (root start tag and Header) and batches of whole products (split.py). Each
# batch becomes a small document: the prolog, the batch's original bytes, the root's end
# tag. The main process and the workers (together `jobs` processes) parse and validate
# batches: first without the namespace against the screening schema (screening.py), whose
# tree the checks then read; a batch it rejects is validated again with the official
# schema, and libxml2's lines are mapped back (a fixed shift per batch). What libxml2 would
# do differently on the whole document is handled here: errors in the root and Header are
# reported once (from the first batch); after an error in the root's content model libxml2
# validates nothing further, so neither does the engine; the message-wide xs:unique on
# RecordReference is checked in the main process from each product's key; a
# well-formedness error stops everything, like a parser.
# ---------------------------------------------------------------------------------------

Progress = Callable[[int, int], None]


@dataclass
class FileResult:
    """What validating one file found: its flavour, how many products, and the findings."""

    name: str
    release: str | None = None
    tags: str | None = None
    namespace: str | None = None
    products: int = 0
    findings: list[Finding] = field(default_factory=list)

    @property
    def valid(self) -> bool:
        """No finding of error severity."""
        return not any(finding.severity is Severity.ERROR for finding in self.findings)


BATCH_BYTES = 1 << 20  # about 1 MB: large enough to amortise a task, small enough to keep trees small
BATCH_LINES = 40_000  # keep a batch document's lines well below libxml2's 65,535 line limit
IN_FLIGHT_PER_JOB = 2  # batches queued per worker: keeps workers busy, memory flat
XS = "{http://www.w3.org/2001/XMLSchema}"
MAX_SOURCELINE = 65_535  # lxml keeps an element's line in 16 bits


def default_jobs() -> int:
    """Worker processes by default: every core this process may run on."""
    try:
        return len(os.sched_getaffinity(0)) or 1
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


def make_parser() -> etree.XMLParser:
    """The parser for every document the engine validates (and the conformance test's reference)."""
    return etree.XMLParser(huge_tree=True, no_network=True, resolve_entities=False)


@dataclass(frozen=True)
class UniqueRule:
    """A message-wide xs:unique from the schema: selector element -> field element."""

    name: str  # as libxml2 names it: '{namespace}Name'
    selector: str  # local name of the selected element (Product)
    field: str  # local name of the field element (RecordReference)


def unique_rules(release: str, tags: str) -> tuple[UniqueRule, ...]:
    """The identity constraints declared on the root element of a schema."""
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


@dataclass
class Outcome:
    """What a worker found in one batch (kept small: it crosses a pipe)."""

    index: int
    schema: list[Finding] = field(default_factory=list)
    checks: list[Finding] = field(default_factory=list)
    keys: list[Key] = field(default_factory=list)
    unique: list[tuple[str, int, str, int]] = field(default_factory=list)  # rule, line, key, product number
    products: int = 0
    syntax: Finding | None = None
    broken: bool = False  # the batch is not well-formed beyond its own bytes: parse sequentially
    stop_schema: bool = False  # an error in the root's content model: libxml2 validates no further


@dataclass(frozen=True)
class RootInfo:
    tag: str
    release: str | None
    qname: bytes
    name_end: int  # offset just after the root's name in the prolog
    doctype: str


_ROOT_TOKEN = re.compile(rb"<!--.*?-->|<\?.*?\?>|<!DOCTYPE(?:[^\[>]|\[.*?\])*>|<([^\s/>!?]+)", re.S)
_START_TAG = re.compile(rb"<([^\s/>]+)(?:[^>\"']|\"[^\"]*\"|'[^']*')*>")
_DECLARATION = re.compile(rb"^\s*<\?xml[^>]*\?>")
_DEFAULT_NAMESPACE = re.compile(rb"\sxmlns\s*=")


def read_root(prolog: bytes) -> RootInfo | None:
    """The root element's tag, release and name, from its start tag; None if not readable."""
    for match in _ROOT_TOKEN.finditer(prolog):
        if match.group(1) is None:
            continue
        start_tag = _START_TAG.match(prolog, match.start())
        if start_tag is None:
            return None
        qname = match.group(1)
        declaration = _DECLARATION.match(prolog)
        fragment = (declaration.group(0) if declaration else b"") + start_tag.group(0) + b"</" + qname + b">"
        try:
            element = etree.fromstring(fragment, make_parser())
        except etree.XMLSyntaxError:
            return None
        doctype = re.search(rb"<!DOCTYPE[^>\[]*", prolog[: match.start()])
        return RootInfo(element.tag, element.get("release"), qname, match.end(1),
                        doctype.group(0).decode("latin-1") if doctype else "")
    return None


def _only_root_open(prolog: bytes) -> bool | None:
    """True when the bytes before a Product start tag leave only the root element open, so
    that Product is a child of the root (not, say, inside a Header left open); False when
    more is open; None when those bytes are not well-formed XML before their end."""
    root = read_root(prolog)
    if root is None:
        return False
    try:
        etree.fromstring(prolog + b"\n</" + root.qname + b">", make_parser())
    except etree.XMLSyntaxError as error:
        return False if error.position[0] > prolog.count(b"\n") else None
    return True


def _message_info(name: str, flavour: onix.Flavour, header: etree._Element | None) -> MessageInfo:
    def text(tag: str) -> str | None:
        found = header.find(tag) if header is not None else None
        return found.text.strip() if found is not None and found.text else None

    return MessageInfo(name, flavour.release, flavour.tags, text("DefaultCurrencyCode"),
                       text("DefaultLanguageOfText"), text("DefaultPriceType"), text("MessageNumber"))


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


def _read_prolog_elements(plan_prolog: bytes, closer: bytes) -> tuple[int, etree._Element | None]:
    """How many top-level elements the prolog holds, and its Header (None if unparsable)."""
    try:
        root = etree.fromstring(plan_prolog + b"\n" + closer, make_parser())
    except etree.XMLSyntaxError:
        return 0, None
    elements = [child for child in root if isinstance(child.tag, str)]
    header = next((child for child in elements if onix.local_name(child.tag) in ("Header", "header")), None)
    return len(elements), header


def _step_index(step: str) -> int:
    """'*[3]' -> 3, '*' -> 1 (libxml2 leaves out the index of an only child)."""
    match = re.search(r"\[(\d+)\]$", step)
    return int(match.group(1)) if match else 1


def _value_of(element: etree._Element) -> str:
    """An element's simple value as libxml2 reads it: its text and its children's tails."""
    return (element.text or "") + "".join(child.tail or "" for child in element)


def _record_of(product: etree._Element) -> str | None:
    for child in product:
        if isinstance(child.tag, str) and onix.local_name(child.tag) in ("RecordReference", "a001"):
            value = (child.text or "").strip()
            return value or None
    return None


_FRAME_NAMES = {"ONIXmessage": "ONIXMessage", "header": "Header", "product": "Product"}


def _readable_xpath(element: etree._Element, product_number: int | None, release: str, tags: str) -> str:
    """/ONIXMessage/Product[12]/DescriptiveDetail/ProductForm, in reference names."""
    mapping = onix.short_to_reference(release) if tags == "short" else {}
    parts = []
    node = element
    while node is not None:
        name = onix.local_name(node.tag)
        label = _FRAME_NAMES.get(name) or mapping.get(name, name)
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
    finding, and the same tree goes to the checks. None when screening rejects the batch
    or it does not parse: the official schema then says why."""
    schema = screening.load_screening_schema(plan.release, plan.tags)
    if schema is None:
        return None
    prefix = plan.screen_prolog if batch.index == 0 else _prefix_of(plan.screen_prolog)
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
        if not schema.validate(root.getroottree()):
            return None
    except (etree.XMLSyntaxError, etree.XMLSchemaValidateError):
        return None
    outcome = Outcome(batch.index)
    elements, numbers = _top_level(plan, root)
    outcome.products = len(numbers)
    for rule in plan.unique:
        for position, number in numbers.items():
            product = elements[position - 1]
            first = next((child for child in product if isinstance(child.tag, str)), None)
            if onix.local_name(product.tag) == rule.selector and first is not None and first.tag == rule.field:
                outcome.unique.append((rule.name, product.sourceline + shift, _value_of(first), number))
    if plan.checks is not None:
        info = replace(plan.info, schema_checked=True)
        mapping = onix.short_to_reference(plan.release) if plan.tags == "short" else None
        for position in numbers:
            product = elements[position - 1]
            if mapping is not None:
                for node in product.iter(etree.Element):
                    node.tag = mapping.get(node.tag, node.tag)
            found, keys = plan.checks.product(product, info)
            _add_checks(outcome, found, keys, shift)
    return outcome


def _add_checks(outcome: Outcome, found: list[Finding], keys: list[Key], moved: int) -> None:
    """The checks' findings and keys for a product, their lines moved by `moved`."""
    if moved:
        found = [replace(f, line=f.line + moved) if f.line is not None else f for f in found]
        keys = [key._replace(line=key.line + moved) if key.line is not None else key for key in keys]
    outcome.checks.extend(found)
    outcome.keys.extend(keys)


def _prefix_of(prolog: bytes) -> bytes:
    """The prolog for batches after the first: cut at its last line end when only white
    space follows it (the batch brings its own indentation, so columns stay true)."""
    cut = prolog.rfind(b"\n") + 1
    return prolog[:cut] if cut and not prolog[cut:].strip() else prolog


def validate_batch(plan: Plan, batch: Batch, validate: bool = True) -> Outcome:
    """Parse and validate one batch as a document of its own; lines as in the original file."""
    if validate and plan.screen_prolog is not None and not plan.whole and b"xmlns" not in batch.data:
        screened = _screened_batch(plan, batch)
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
    if validate:
        schema = schemas.load_schema(plan.release, plan.tags)
        try:
            schema_valid = schema.validate(root.getroottree())
        except etree.XMLSchemaValidateError:
            outcome.schema.append(_validator_failure_finding(root, schema.error_log, plan, shift))
            schema_valid = True
        if not schema_valid:
            tree = root.getroottree()
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
                top = _step_index(steps[1]) if len(steps) >= 2 else 0
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
                found = tree.xpath(error.path) if error.path else []
                node = found[0] if found and isinstance(found[0], etree._Element) else None
                product = elements[top - 1] if 0 < top <= len(elements) and top in numbers else None
                outcome.schema.append(Finding(
                    described.rule, messages.RULES[described.rule], Severity.ERROR, described.message, plan.name,
                    error.line + (0 if in_prolog else shift),
                    _readable_xpath(node, numbers.get(top), plan.release, plan.tags) if node is not None else None,
                    _record_of(product) if product is not None else None,
                ))
        for rule in plan.unique:
            for position, number in numbers.items():
                product = elements[position - 1]
                if position >= terminal_at or onix.local_name(product.tag) != rule.selector:
                    continue
                first = next((child for child in product if isinstance(child.tag, str)), None)
                if first is None or onix.local_name(first.tag) != rule.field:
                    continue  # libxml2 never reaches a field that is out of place
                if unvalued and root.getroottree().getpath(first) in unvalued:
                    continue  # an invalid value gives libxml2 no key to compare
                outcome.unique.append((rule.name, product.sourceline + shift, _value_of(first), number))
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
        reparsed = _reparsed_products(plan, batch, len(elements), batch.line if true_lines else document_line)
        for position in numbers:
            if reparsed is not None:
                product = reparsed[position - 1 - plan.prolog_elements]
            else:
                product = normalise(elements[position - 1], plan.release, plan.tags, shift if true_lines else 0)
            found, keys = plan.checks.product(product, checked if position < terminal_at else plan.info)
            _add_checks(outcome, found, keys, moved)
    return outcome


def checks_wrapper(prolog: bytes, root: RootInfo) -> tuple[bytes, bytes] | None:
    """What `_reparsed_products` wraps a batch in; None when the prolog declares entities or
    namespace prefixes (a batch without them would not parse alike)."""
    start = root.name_end - len(root.qname) - 1
    start_tag = _START_TAG.match(prolog, start)
    if b"<!DOCTYPE" in prolog[:start] or b":" in root.qname or start_tag is None or b"xmlns:" in start_tag.group(0):
        return None
    declaration = _DECLARATION.match(prolog)
    return (declaration.group(0).lstrip() if declaration else b""), b"<" + root.qname + b">"


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


_WORKER_PLAN: Plan | None = None


def _start_worker(plan: Plan) -> None:
    global _WORKER_PLAN
    _WORKER_PLAN = plan


def _validate_in_worker(batch: Batch, validate: bool) -> Outcome:
    return validate_batch(_WORKER_PLAN, batch, validate)


@functools.lru_cache(maxsize=None)
def _unique_rules_cached(release: str, tags: str) -> tuple[UniqueRule, ...]:
    return unique_rules(release, tags)


def _screen_prolog(prolog: bytes, root: RootInfo, flavour: onix.Flavour, closer: bytes) -> bytes | None:
    """The prolog as the screening schema reads it: without the official namespace, which
    must be the root's default one (or absent); None when screening cannot apply or the
    prolog alone does not pass it (then no batch would: the official schema is used)."""
    if b":" in root.qname:
        return None
    start_tag = _START_TAG.match(prolog, root.name_end - len(root.qname) - 1)
    if start_tag is None:
        return None
    if flavour.namespace:
        if flavour.namespace != flavour.official_namespace:
            return None
        declaration = re.compile(rb"""\sxmlns\s*=\s*(["'])""" + re.escape(flavour.namespace.encode()) + rb"\1")
        tag, found = declaration.subn(b"", start_tag.group(0))
        if found != 1:
            return None
        screened = prolog[: start_tag.start()] + tag + prolog[start_tag.end():]
    else:
        screened = prolog
    if _DEFAULT_NAMESPACE.search(screened):
        # xmlns="" on the Header would be no change without the root's namespace, where the
        # official schema sees an element in no namespace (prefixes do no such harm: an
        # element in any namespace fails screening)
        return None
    schema = screening.load_screening_schema(flavour.release, flavour.tags)
    try:
        if schema is None:
            return None
        alone = etree.fromstring(screened + b"\n" + closer, make_parser())
        schema.validate(alone.getroottree())
    except (etree.XMLSyntaxError, etree.XMLSchemaValidateError):
        return None
    # Without its products the root lacks children; any other error is in the prolog.
    root_path = "/" + alone.tag
    if any(error.path != root_path or error.type_name != "SCHEMAV_ELEMENT_CONTENT"
           or "Missing child" not in error.message for error in schema.error_log):
        return None
    return screened


def _add_namespace(prolog: bytes, root: RootInfo, namespace: str) -> bytes:
    """The root start tag with the official default namespace declared, on the same line."""
    return prolog[: root.name_end] + f' xmlns="{namespace}"'.encode("ascii") + prolog[root.name_end:]


def _as_utf8(data: bytes) -> tuple[bytes, str | None]:
    """A UTF-16 or UTF-32 document as UTF-8 with the same lines, or why it cannot be decoded."""
    if data.startswith((b"\x00\x00\xfe\xff", b"\xff\xfe\x00\x00")):
        codec = "utf-32"
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        codec = "utf-16"
    else:
        codec = "utf-16-le" if data[:2] == b"<\x00" else "utf-16-be" if data[:2] == b"\x00<" else "utf-32"
    try:
        text = data.decode(codec)
    except UnicodeDecodeError as exc:
        return b"", f"cannot decode the document as {codec.upper()}: {exc.reason} at byte {exc.start}"
    text = re.sub(r"""^(\ufeff?\s*<\?xml[^>]*?encoding\s*=\s*)["'][^"']*["']""", r'\1"UTF-8"', text.lstrip("\ufeff"))
    return text.encode("utf-8"), None


def _validate_unreadable_root(data: bytes, name: str) -> list[Finding]:
    """A document whose root start tag cannot be read: the parser says why."""
    try:
        etree.fromstring(data, make_parser())
    except etree.XMLSyntaxError as error:
        line, column = error.position
        return [Finding("XS000", messages.RULES["XS000"], Severity.ERROR, messages.not_well_formed(error.msg),
                        name, line or 1, None, None, column or None)]
    return [Finding("XS006", messages.RULES["XS006"], Severity.ERROR,
                    "the document has no element that can be read as the root of an ONIX message", name, 1)]


def _first_syntax_error(plan: Plan, batch: Batch, more: Iterator[bytes]) -> tuple[Finding | None, bytes]:
    """Parse from `batch` to the end of the file as one stream, keeping no tree; the first
    well-formedness error as a finding, and the bytes read (to validate when none)."""
    prefix = plan.prolog if batch.index == 0 else plan.prefix + (batch.lead if plan.prefix.endswith(b"\n") else b"")
    shift = batch.line - (prefix.count(b"\n") + 1)
    parser = etree.XMLPullParser(events=("end",), huge_tree=True, no_network=True, resolve_entities=False)
    kept = [batch.data]
    try:
        parser.feed(prefix)
        for chunk in _chain(batch.data, more, kept):
            for start in range(0, len(chunk), 1 << 20):
                parser.feed(chunk[start:start + (1 << 20)])
                for _, element in parser.read_events():
                    element.clear()
        parser.close()
    except etree.XMLSyntaxError as error:
        line, column = error.position
        shift = shift if batch.index > 0 else 0
        message = messages.not_well_formed(error.msg, shift, batch.line - shift)
        return Finding("XS000", messages.RULES["XS000"], Severity.ERROR, message,
                       plan.name, line + shift, None, None, column or None), b""
    return None, b"".join(kept)


def _chain(first: bytes, more: Iterator[bytes], kept: list[bytes]) -> Iterator[bytes]:
    yield first
    for chunk in more:
        kept.append(chunk)
        yield chunk


def _unique_finding(plan: Plan, rule: UniqueRule, line: int, key: str, number: int, first: int) -> Finding:
    """libxml2's 'Duplicate key-sequence' error, at the later element as libxml2 reports it."""
    selector = _element_name(rule.selector, plan)
    field_name = _element_name(rule.field, plan)
    message = (f"{selector} {field_name} '{key}' is already used by the product at line {first}; "
               f"it must be unique in a message ({rule.name.rsplit('}', 1)[-1]})")
    xpath = f"/ONIXMessage/{_FRAME_NAMES.get(rule.selector, rule.selector)}[{number}]"
    return Finding("XS005", messages.RULES["XS005"], Severity.ERROR, message, plan.name, line, xpath,
                   key.strip() or None)


def _element_name(name: str, plan: Plan) -> str:
    reference = onix.short_to_reference(plan.release).get(name, name) if plan.tags == "short" else name
    return f"<{name}> ({reference})" if reference != name else f"<{name}>"


def iter_stream(
    stream: BinaryIO,
    name: str,
    *,
    jobs: int | None = None,
    checks: Checks | None = None,
    progress: Progress | None = None,
    batch_bytes: int = BATCH_BYTES,
) -> Generator[Finding, None, FileResult]:
    """Validate one ONIX stream, yielding findings as they are known; returns the FileResult.

    `batch_bytes` is how much of the file (whole products) one task validates.
    """
    jobs = jobs or default_jobs()
    result = FileResult(name)
    splitter = ProductSplitter(stream, batch_bytes, BATCH_LINES)
    prolog = splitter.prolog(_only_root_open)
    if prolog.whole and not ascii_compatible(prolog.data[:4]):
        utf8, problem = _as_utf8(prolog.data)
        if problem is None:
            return (yield from iter_stream(io.BytesIO(utf8), name, jobs=1, checks=checks, progress=progress))
        result.findings.append(Finding("XS000", messages.RULES["XS000"], Severity.ERROR, problem, name, 1))
        yield result.findings[0]
        return result
    root = read_root(prolog.data)
    if root is None:
        data = prolog.data if prolog.whole else prolog.data + b"".join(b.data for b in splitter.batches(prolog.product_tag))
        found = _validate_unreadable_root(data, name)
        result.findings.extend(found)
        yield from found
        return result
    flavour = onix.flavour_of(root.tag, root.release, root.doctype)
    result.release, result.tags, result.namespace = flavour.release, flavour.tags, flavour.namespace
    text = _add_namespace(prolog.data, root, flavour.official_namespace) if not flavour.namespace else prolog.data
    closer = b"</" + root.qname + b">"
    elements, header = (0, None) if prolog.whole else _read_prolog_elements(text, closer)
    if header is not None:
        normalise(header, flavour.release, flavour.tags)
    info = _message_info(name, flavour, header)
    plan = Plan(name, flavour.release, flavour.tags, text, elements, _prefix_of(text), closer,
                _unique_rules_cached(flavour.release, flavour.tags), info, checks, prolog.whole,
                checks_wrapper(text, root) if checks is not None else None,
                None if prolog.whole else _screen_prolog(prolog.data, root, flavour, closer))
    if plan.screen_prolog is None:
        schemas.load_schema(flavour.release, flavour.tags)  # compile once, before workers fork
    if checks is not None and header is not None:
        found = list(checks.header(header, info))
        result.findings.extend(found)
        yield from found
    if prolog.whole:
        batches: Iterator[Batch] = iter([Batch(0, b"", 0, text.count(b"\n") + 1, b"", 0, 0, True)])
    else:
        batches = splitter.batches(prolog.product_tag)
    runner = _Runner(plan, jobs)
    seen = {rule.name: FirstSeen() for rule in plan.unique}
    keys = KeySpool()
    products = 0
    validate = True
    try:
        for batch, outcome in runner.run(batches):
            found: list[Finding] = []
            broken = outcome.broken
            if broken:
                rest = (b.data for b in runner.abandon())
                syntax, data = _first_syntax_error(plan, batch, rest)
                if syntax is None:
                    whole = replace(batch, data=data, last=True)
                    outcome = validate_batch(plan, whole, validate)
                else:
                    outcome = Outcome(batch.index, syntax=syntax)
            if outcome.syntax is not None:
                found.append(outcome.syntax)
            if validate:
                found.extend(_renumbered(finding, products) for finding in outcome.schema)
                for rule_name, line, key, number in outcome.unique:
                    first = seen[rule_name].first(key, line)
                    if first is not None:
                        rule = next(r for r in plan.unique if r.name == rule_name)
                        found.append(_unique_finding(plan, rule, line, key, number + products, first))
                if outcome.stop_schema:
                    validate = False
                    runner.validate = False
            products += outcome.products
            found.extend(outcome.checks)
            keys.extend(outcome.keys)
            found.sort(key=lambda f: (f.line or 0, f.column or 0))
            result.findings.extend(found)
            yield from found
            if progress is not None:
                progress(splitter.bytes_read, products)
            if outcome.syntax is not None or broken:
                break  # like the parser: nothing after a well-formedness error counts
        result.products = products
        if checks is not None:
            found = list(checks.message(keys, info))
            result.findings.extend(found)
            yield from found
    finally:
        runner.close()
        keys.close()
    return result


_PRODUCT_STEP = re.compile(r"^(/\w+/Product\[)(\d+)\]")


def _renumbered_path(xpath: str | None, earlier: int) -> str | None:
    """A batch's product number in an xpath made the product's number in the message."""
    if not xpath or not earlier:
        return xpath
    return _PRODUCT_STEP.sub(lambda m: f"{m.group(1)}{int(m.group(2)) + earlier}]", xpath, count=1)


def _renumbered(finding: Finding, earlier: int) -> Finding:
    xpath = _renumbered_path(finding.xpath, earlier)
    return finding if xpath == finding.xpath else replace(finding, xpath=xpath)


def validate_stream(
    stream: BinaryIO,
    name: str,
    *,
    jobs: int | None = None,
    checks: Checks | None = None,
    progress: Progress | None = None,
    batch_bytes: int = BATCH_BYTES,
) -> FileResult:
    """Validate one ONIX stream; every finding is in the returned FileResult."""
    walker = iter_stream(stream, name, jobs=jobs, checks=checks, progress=progress, batch_bytes=batch_bytes)
    while True:
        try:
            next(walker)
        except StopIteration as finished:
            return finished.value


class _Runner:
    """Validate batches in this process (jobs=1, or a single batch) or in a pool, in order,
    with a bounded number in flight so memory stays flat."""

    def __init__(self, plan: Plan, jobs: int):
        self.plan = plan
        self.jobs = jobs
        self.validate = True
        self.pool = None
        self.pending: deque = deque()
        self.unread: Iterator[Batch] = iter(())

    def run(self, batches: Iterator[Batch]) -> Iterator[tuple[Batch, Outcome]]:
        first = next(batches, None)
        if first is None:
            return
        second = None if first.last else next(batches, None)
        self.unread = _prepend(first, second, batches) if second is not None else iter([first])
        if self.jobs == 1 or second is None:
            for batch in self.unread:
                yield batch, validate_batch(self.plan, batch, self.validate)
            return
        # This process is one of the `jobs`: it validates a batch itself whenever the
        # workers have enough queued, which saves a process's memory and a batch's trip
        # through a pipe.
        context = multiprocessing.get_context("fork")
        self.pool = context.Pool(self.jobs - 1, initializer=_start_worker, initargs=(self.plan,))
        queue_limit = (self.jobs - 1) * IN_FLIGHT_PER_JOB
        for batch in self.unread:
            queued = sum(1 for _, waiting in self.pending if not waiting.ready())
            if queued < queue_limit:
                self.pending.append((batch, self.pool.apply_async(_validate_in_worker, (batch, self.validate))))
            else:
                self.pending.append((batch, _Done(validate_batch(self.plan, batch, self.validate))))
            while self.pending and (self.pending[0][1].ready() or len(self.pending) > 2 * queue_limit):
                batch_done, waiting = self.pending.popleft()
                yield batch_done, waiting.get()
        while self.pending:
            batch_done, waiting = self.pending.popleft()
            yield batch_done, waiting.get()

    def abandon(self) -> Iterator[Batch]:
        """The batches not yet handed back (in flight, then unread), dropping their work."""
        while self.pending:
            yield self.pending.popleft()[0]
        yield from self.unread

    def close(self) -> None:
        if self.pool is not None:
            self.pool.terminate()
            self.pool.join()
            self.pool = None


class _Done:
    """A batch validated in this process, queued beside the workers' results."""

    def __init__(self, outcome: Outcome):
        self.outcome = outcome

    def ready(self) -> bool:
        return True

    def get(self) -> Outcome:
        return self.outcome


def _prepend(first: Batch, second: Batch, rest: Iterator[Batch]) -> Iterator[Batch]:
    yield first
    yield second
    yield from rest
