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

import re
from dataclasses import dataclass, field, replace
from typing import BinaryIO, Callable, Generator, Iterator

from lxml import etree

from onixfeed import onix, schemas
from onixfeed.findings import Finding, Severity
from onixfeed.validate import messages, screening
from onixfeed.validate.batch_validation import (FRAME_NAMES, Outcome, Plan, UniqueRule, unique_rules,
                                                 normalise, prefix_of, validate_batch)
from onixfeed.validate.checks import Checks, wants_current_codes
from onixfeed.validate.first_seen import FirstSeen
from onixfeed.validate.key_spool import KeySpool
from onixfeed.validate.prolog import (add_namespace, checks_wrapper, message_info, only_root_open,
                                      read_prolog_elements, read_root, screen_prolog, unreadable_root_findings)
from onixfeed.validate.runner import Runner, default_jobs
from onixfeed.validate.split import Batch, ProductSplitter
from onixfeed.validate.transcode import DecodeFailure, as_utf8

# ---------------------------------------------------------------------------------------
# How it works. The main process reads the stream once and cuts it, without parsing, into
# the prolog (root start tag and Header, prolog.py) and batches of whole products
# (split.py). Each batch becomes a small document: the prolog, the batch's original bytes,
# the root's end tag. The main process and the workers (together `jobs` processes,
# runner.py) parse and validate batches (batch_validation.py): first without the namespace
# against the screening schema (screening.py), whose tree the checks then read; a batch it
# rejects is validated again with the official schema, and libxml2's lines are mapped back
# (a fixed shift per batch). When the checks want to know that no code is deprecated, a batch
# is screened first by the current-codes twin, and by the screening schema only when that
# one rejects it (the same tree: one more validation, no second parse). What libxml2 would
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
    xpath = f"/ONIXMessage/{FRAME_NAMES.get(rule.selector, rule.selector)}[{number}]"
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
    result = FileResult(name)
    try:
        return (yield from _iter_utf8(as_utf8(stream), result, jobs or default_jobs(), checks, progress, batch_bytes))
    except DecodeFailure as failure:
        finding = Finding("XS000", messages.RULES["XS000"], Severity.ERROR, failure.message, name, failure.line)
        result.findings.append(finding)
        yield finding
        return result


def _iter_utf8(stream: BinaryIO, result: FileResult, jobs: int, checks: Checks | None, progress: Progress | None,
               batch_bytes: int) -> Generator[Finding, None, FileResult]:
    """iter_stream on an ASCII-compatible stream, filling `result` as it goes."""
    name = result.name
    splitter = ProductSplitter(stream, batch_bytes, BATCH_LINES)
    prolog = splitter.prolog(only_root_open)
    root = read_root(prolog.data)
    if root is None:
        data = prolog.data if prolog.whole else prolog.data + b"".join(b.data for b in splitter.batches(prolog.product_tag))
        found = unreadable_root_findings(data, name)
        result.findings.extend(found)
        yield from found
        return result
    flavour = onix.flavour_of(root.tag, root.release, root.doctype)
    result.release, result.tags, result.namespace = flavour.release, flavour.tags, flavour.namespace
    text = add_namespace(prolog.data, root, flavour.official_namespace) if not flavour.namespace else prolog.data
    closer = b"</" + root.qname + b">"
    elements, header = (0, None) if prolog.whole else read_prolog_elements(text, closer)
    if header is not None:
        normalise(header, flavour.release, flavour.tags)
    info = message_info(name, flavour, header)
    plan = Plan(name, flavour.release, flavour.tags, text, elements, prefix_of(text), closer,
                unique_rules(flavour.release, flavour.tags), info, checks, prolog.whole,
                checks_wrapper(text, root) if checks is not None else None,
                None if prolog.whole else screen_prolog(prolog.data, root, flavour),
                current_codes=checks is not None and wants_current_codes(checks, flavour.release))
    # compiled once, before workers fork (with current codes wanted, the runner compiles that
    # schema instead, and the screening one waits until a batch does not pass it)
    if plan.screen_prolog is None or (not plan.current_codes
                                      and screening.load_screening_schema(flavour.release, flavour.tags) is None):
        schemas.load_schema(flavour.release, flavour.tags)
    if checks is not None and header is not None:
        found = list(checks.header(header, info))
        result.findings.extend(found)
        yield from found
    if prolog.whole:
        batches: Iterator[Batch] = iter([Batch(0, b"", 0, text.count(b"\n") + 1, b"", 0, 0, True)])
    else:
        batches = splitter.batches(prolog.product_tag)
    runner = Runner(plan, jobs)
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
                progress(getattr(stream, "source_bytes", splitter.bytes_read), products)
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
