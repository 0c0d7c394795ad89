"""`onixfeed export`: records -> one ONIX 3.0 message, validated against the XSD, written atomically.

The pipeline is a chain of small steps, so a retailer profile can be slotted in:

    discover files -> read, build and validate products (in worker processes, in chunks)
        -> drop duplicates across records -> stream products to a temporary file -> rename

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
from dataclasses import dataclass, field
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

RELEASE = "3.0"
SCHEMA_RULE, SCHEMA_NAME = "XS001", "schema-violation"
CHUNK_SIZE = 64  # records per worker task: big enough to amortise the XSD call, small for flat memory
PARALLEL_FROM = 256  # fewer records than this are faster in one process than starting workers

# A step applied to each Product element after it is built and before it is validated
# (a retailer profile's adjustments); it runs in worker processes, so it must be picklable.
ProductStep = Callable[[etree._Element], None]


@dataclass
class RecordOutcome:
    """One record file after reading, building and validating: its findings, keys and products."""

    file: str
    findings: list[Finding]
    keys: list[records.Key]
    products: list[bytes] = field(default_factory=list)


@dataclass
class ExportResult:
    """What a run did: the feed written (None when none was), counts and every finding."""

    feed: Path | None
    message_number: int
    records: int
    products: int
    skipped_records: int
    findings: list[Finding]

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
) -> ExportResult:
    """Export the records under `paths` to one message in `out`; InputError when it cannot run."""
    files = records.discover(paths)
    if not files:
        raise InputError(f"no record files ({', '.join(records.RECORD_SUFFIXES)}) in {', '.join(map(str, paths))}")
    state_folder = config.resolve(config.state)
    number = state.next_message_number(state_folder)
    sent = now or datetime.datetime.now(datetime.timezone.utc)
    header = build_header(config, number, sent)
    check_header(header, config)
    target = Path(out) / feed_name(config, number, sent)
    outcomes = convert(files, etree.tostring(header), workers, step)
    written = write_feed(target, header, outcomes, skip_invalid)
    if written.products:
        state.save_message_number(state_folder, number)
    return ExportResult(target if written.products else None, number, len(files), written.products,
                        written.skipped_records, written.findings)


@dataclass
class Written:
    """What write_feed did: products written (0: no feed), records left out, their findings."""

    products: int
    skipped_records: int
    findings: list[Finding]


def write_feed(target: Path, header: etree._Element, outcomes: Iterable[RecordOutcome], skip_invalid: bool) -> Written:
    """Stream the products of good records into target, atomically; records with findings,
    or whose ISBN or reference an earlier record used, are left out. Without skip_invalid,
    any error leaves no feed at all."""
    findings: list[Finding] = []
    unique = records.UniqueKeys()
    skipped = 0
    with AtomicFile(target) as feed:
        writer = MessageWriter(feed.handle, header)
        for outcome in outcomes:
            clashes = unique.add(outcome.keys)
            findings.extend(outcome.findings)
            findings.extend(clashes)
            if outcome.findings or clashes:
                skipped += 1
                continue
            for product in outcome.products:
                writer.write(product)
        writer.close()
        if writer.count and (skip_invalid or not has_failures(findings)):
            feed.commit()
            return Written(writer.count, skipped, findings)
    return Written(0, skipped, findings)


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
            step: ProductStep | None = None) -> Iterator[RecordOutcome]:
    """Read, build and validate every file; outcomes come back in the files' order."""
    # a generator: the pool takes tasks only as fast as its pipe accepts them
    chunks = ((tuple(files[start:start + CHUNK_SIZE]), header_xml, step) for start in range(0, len(files), CHUNK_SIZE))
    count = workers if workers is not None else (os.cpu_count() or 1)
    if count <= 1 or len(files) < PARALLEL_FROM:
        for chunk in chunks:
            yield from convert_chunk(chunk)
        return
    schemas.load_schema(RELEASE)  # compiled once here; forked workers inherit it
    codelists.load_codelists(RELEASE)
    context = multiprocessing.get_context("fork")
    # Frozen objects are left alone by the workers' garbage collector, so the pages they
    # share with the main process stay shared instead of being copied into each worker.
    gc.freeze()
    try:
        with context.Pool(count, initializer=_ignore_interrupts) as pool:
            for outcomes in pool.imap(convert_chunk, chunks):
                yield from outcomes
    finally:
        gc.unfreeze()


def _ignore_interrupts() -> None:
    # Ctrl-C is the main process's to handle (it ends the pool); workers would print tracebacks
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def convert_chunk(task: tuple[tuple[str, ...], bytes, ProductStep | None]) -> list[RecordOutcome]:
    """One worker task: read, build and validate a chunk of records; products come back serialised."""
    paths, header_xml, step = task
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
        if not outcome.findings:
            outcome.products = [product_bytes(product) for product in products]
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
