"""`onixfeed export`: records -> one ONIX 3.0 message, validated against the XSD, written atomically.

The pipeline is a chain of small steps, so a retailer profile can be slotted in:

    discover files -> read, build and validate products (in worker processes, in chunks),
        then run the native rules on them (same workers) -> drop duplicates across records
        -> stream products to a temporary file -> message-level rules -> rename

Workers receive chunks of file paths and return serialised Products, so the main process
only writes bytes and memory stays flat however many records there are. Chunks come back
in order, so the same records give the same products, byte for byte.
"""

from __future__ import annotations

import datetime
import gc
import multiprocessing
import os
import signal
from collections import deque
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Callable, Iterable, Iterator, Sequence

from lxml import etree

from onixfeed import codelists, records, schemas, state
from onixfeed.build.elements import add, element
from onixfeed.build.header import build_header
from onixfeed.build.message import AtomicFile, MessageWriter, product_bytes, wrap
from onixfeed.build.product import build_products
from onixfeed.config import Config
from onixfeed.findings import Finding, InputError, Severity, has_failures
from onixfeed.product_checks import RecipientChecks, base_checks, check_products, message_info, plain_product
from onixfeed.profile import Profile
from onixfeed.validate.checks import Checks, Key, MessageInfo
from onixfeed.validate.rules import default_severities

RELEASE = "3.0"
SCHEMA_RULE, SCHEMA_NAME = "XS001", "schema-violation"
CHUNK_SIZE = 64  # records per worker task: big enough to amortise the XSD call, small for flat memory
PARALLEL_FROM = 256  # fewer records than this are faster in one process than starting workers

# A step applied to each Product element after it is built and before it is validated
# (a retailer profile's adjustments); it runs in worker processes, so it must be picklable.
ProductStep = Callable[[etree._Element], None]
# The checks run on each product after the schema, and the message they run in (picklable).
CheckSetup = tuple[Checks, MessageInfo]


@dataclass
class RecordOutcome:
    """One record file after reading, building and validating: its findings, keys and products."""

    file: str
    findings: list[Finding]
    keys: list[records.Key]
    products: list[bytes] = field(default_factory=list)
    rule_keys: list[Key] = field(default_factory=list)  # for the message-level rules (unique identifiers)


@dataclass
class ExportResult:
    """What a run did: the feed written (None when none was), counts and every finding."""

    feed: Path | None
    message_number: int
    records: int
    products: int
    skipped_records: int
    findings: list[Finding]
    recipients: list[RecipientChecks] = field(default_factory=list)

    @property
    def failed(self) -> bool:
        return has_failures(self.findings)


def export(
    paths: Sequence[str | Path],
    out: Path,
    config: Config,
    *,
    skip_invalid: bool = False,
    workers: int | None = None,
    now: datetime.datetime | None = None,
    step: ProductStep | None = None,
    checks: Checks | None = None,
    rules: bool = True,
    check_for: Sequence[Profile] = (),
) -> ExportResult:
    """Export the records under `paths` to one message in `out`; InputError when it cannot run.

    `checks` run on every built product after the schema (default: the native rules at the
    base profile's severities; none when `rules` is False). `check_for` profiles see every product written, as their
    feeds would, without a file: what they would reject comes back as warnings.
    """
    files = records.discover(paths)
    if not files:
        raise InputError(f"no record files ({', '.join(records.RECORD_SUFFIXES)}) in {', '.join(map(str, paths))}")
    state_folder = config.resolve(config.state)
    number = state.next_message_number(state_folder)
    sent = now or datetime.datetime.now(datetime.timezone.utc)
    header = build_header(config, number, sent)
    check_header(header, config)
    target = Path(out) / feed_name(config, number, sent)
    checked = None
    if rules or checks is not None:
        checked = (checks if checks is not None else base_checks_for_export(),
                   message_info(config, str(target), RELEASE, "reference", schema_checked=True, schema_valid=True))
    recipients = [RecipientChecks.for_profile(profile, config, str(Path(out) / profile.name), sent.date())
                  for profile in check_for]
    outcomes = convert(files, etree.tostring(header), workers, step, checked)
    written = write_feed(target, header, outcomes, skip_invalid, checked, recipients)
    if written.products:
        state.save_message_number(state_folder, number)
    return ExportResult(target if written.products else None, number, len(files), written.products,
                        written.skipped_records, written.findings, recipients)


def base_checks_for_export() -> Checks:
    """The native rules at the base profile's severities (a broken base profile is an InputError here)."""
    default_severities()  # read in the main process, so a bad profile is named once, not in each worker
    return base_checks()


@dataclass
class Written:
    """What write_feed did: products written (0: no feed), records left out, their findings."""

    products: int
    skipped_records: int
    findings: list[Finding]


def write_feed(target: Path, header: etree._Element, outcomes: Iterable[RecordOutcome], skip_invalid: bool,
               checked: CheckSetup | None = None, recipients: Sequence[RecipientChecks] = ()) -> Written:
    """Stream the products of good records into target, atomically; records with errors,
    or whose ISBN or reference an earlier record used, are left out. Without skip_invalid,
    any error leaves no feed at all; an error of the message-level rules (across the
    products written) leaves no feed even with it, since the products are already in place."""
    findings: list[Finding] = []
    unique = records.UniqueKeys()
    rule_keys: list[Key] = []
    skipped = 0
    with AtomicFile(target) as feed:
        writer = MessageWriter(feed.handle, header)
        for outcome in outcomes:
            clashes = unique.add(outcome.keys)
            findings.extend(outcome.findings)
            findings.extend(clashes)
            if has_failures(outcome.findings) or clashes:
                skipped += 1
                continue
            rule_keys.extend(outcome.rule_keys)
            for product in outcome.products:
                writer.write(product)
                if recipients:
                    findings.extend(recipient_warnings(recipients, outcome.file, plain_product(product)))
        writer.close()
        message_findings = list(checked[0].message(rule_keys, checked[1])) if checked is not None else []
        findings.extend(message_findings)
        findings.extend(f for recipient in recipients for f in map(as_warning, recipient.message()))
        if writer.count and not has_failures(message_findings) and (skip_invalid or not has_failures(findings)):
            feed.commit()
            return Written(writer.count, skipped, findings)
    return Written(0, skipped, findings)


def recipient_warnings(recipients: Sequence[RecipientChecks], file: str, product: etree._Element) -> list[Finding]:
    """What each `check_for` recipient would say of one product, as warnings for this feed."""
    record = (product.findtext("RecordReference") or "").strip()
    found: list[Finding] = []
    for recipient in recipients:
        checked = recipient.product(file, record, product)
        if checked is not None:
            found.extend(map(as_warning, checked[0]))
    return found


def as_warning(finding: Finding) -> Finding:
    """Another recipient's error is this feed's warning: it does not block the feed."""
    return replace(finding, severity=Severity.WARNING) if finding.severity is Severity.ERROR else finding


def feed_name(config: Config, number: int, sent: datetime.datetime) -> str:
    """<sender>_<UTC time>_<message number>.xml: sortable, and never the same twice."""
    stamp = sent.astimezone(datetime.timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    return f"{codelists.slug(config.sender_name) or 'onixfeed'}_{stamp}_{number:06d}.xml"


def check_header(header: etree._Element, config: Config) -> None:
    """Validate the Header (with a minimal product) so a bad setting is named once, as config."""
    product = element("Product")
    add(product, "RecordReference", "header-check")
    add(product, "NotificationType", "03")
    identifier = add(product, "ProductIdentifier")
    add(identifier, "ProductIDType", "01")
    add(identifier, "IDValue", "header-check")
    schema = schemas.load_schema(RELEASE)
    if not schema.validate(wrap(header, [product])):
        errors = "; ".join(error.message for error in schema.error_log)
        where = config.path or "the default configuration"
        raise InputError(f"{where}: the Header built from [sender] and [defaults] is not valid ONIX 3.0: {errors}")


def convert(files: Sequence[str], header_xml: bytes, workers: int | None = None,
            step: ProductStep | None = None, checked: CheckSetup | None = None) -> Iterator[RecordOutcome]:
    """Read, build and validate every file (and run `checked` on its valid products); outcomes
    come back in the files' order."""
    # a generator: chunks are read only as the window of tasks in flight moves on
    chunks = ((tuple(files[start:start + CHUNK_SIZE]), header_xml, step, checked)
              for start in range(0, len(files), CHUNK_SIZE))
    count = workers if workers is not None else (os.cpu_count() or 1)
    if count <= 1 or len(files) < PARALLEL_FROM:
        for chunk in chunks:
            yield from convert_chunk(chunk)
        return
    schemas.load_schema(RELEASE)  # compiled once here; forked workers inherit it
    codelists.load_codelists(RELEASE)
    # Frozen objects are left alone by the workers' garbage collector, so the pages they
    # share with the main process stay shared instead of being copied into each worker.
    gc.freeze()
    # An executor, not a multiprocessing.Pool: a worker that dies (killed, out of memory)
    # breaks it loudly and this process converts what was lost and the rest, where a Pool
    # would wait for the lost task forever. A window of chunks in flight keeps memory flat.
    pool = ProcessPoolExecutor(count, mp_context=multiprocessing.get_context("fork"), initializer=_ignore_interrupts)
    pending: deque = deque()
    broken = False
    try:
        for chunk in chunks:
            pending.append((chunk, None if broken else pool.submit(convert_chunk, chunk)))
            while len(pending) > 2 * count or (pending and pending[0][1] is None):
                done, broken = _finished(pending.popleft(), broken)
                yield from done
        while pending:
            done, broken = _finished(pending.popleft(), broken)
            yield from done
    finally:
        pool.shutdown(wait=False, cancel_futures=True)
        gc.unfreeze()


def _finished(item: tuple, broken: bool) -> tuple[list[RecordOutcome], bool]:
    """A chunk's outcomes from its worker, or converted here when the pool has broken."""
    chunk, future = item
    if future is not None and not broken:
        try:
            return future.result(), False
        except BrokenProcessPool:
            pass
    return convert_chunk(chunk), True


def _ignore_interrupts() -> None:
    # Ctrl-C is the main process's to handle (it ends the pool); workers would print tracebacks
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def convert_chunk(task: tuple[tuple[str, ...], bytes, ProductStep | None, CheckSetup | None]) -> list[RecordOutcome]:
    """One worker task: read, build, validate and check a chunk of records; products come back serialised."""
    paths, header_xml, step, checked = task
    outcomes: list[RecordOutcome] = []
    built: list[list[etree._Element]] = []
    for path in paths:
        result = records.read_record(path, RELEASE)
        products = build_products(result.record) if result.record is not None else []
        if step is not None:
            for product in products:
                step(product)
        outcomes.append(RecordOutcome(result.file, result.findings, result.keys))
        built.append(products)
    header = etree.fromstring(header_xml)
    validate_products(header, outcomes, built)
    for outcome, products in zip(outcomes, built):
        if outcome.findings:
            continue
        outcome.products = [product_bytes(product) for product in products]
        if checked is not None:
            # the serialised products have no namespace: parsed back, they are what the rules expect
            found, outcome.rule_keys = check_products(checked[0], [plain_product(xml) for xml in outcome.products],
                                                      checked[1], outcome.file)
            outcome.findings.extend(found)
            if has_failures(found):
                outcome.products = []
    return outcomes


def validate_products(header: etree._Element, outcomes: list[RecordOutcome], built: list[list[etree._Element]]) -> None:
    """Validate the chunk as one message; only when it fails, find which records are at fault."""
    schema = schemas.load_schema(RELEASE)
    every = [product for products in built for product in products]
    if not every or schema.validate(wrap(header, every)):
        return
    for outcome, products in zip(outcomes, built):
        if products and not schema.validate(wrap(header, products)):
            outcome.findings.extend(schema_findings(outcome.file, products, schema.error_log))


def schema_findings(file: str, products: list[etree._Element], log: Iterable) -> list[Finding]:
    """XSD errors of a record's products, named by element, as findings on the record file."""
    reference = products[0].findtext("{*}RecordReference")
    return [
        Finding(SCHEMA_RULE, SCHEMA_NAME, Severity.ERROR, f"built product is not valid ONIX 3.0: {error.message}",
                file=file, xpath=error.path, record=reference)
        for error in log
    ]
