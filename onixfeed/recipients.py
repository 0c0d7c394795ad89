"""`onixfeed export --to`: one feed per recipient from the same records, with one manifest per run.

    records -> build and validate once (onixfeed.export.convert)
        -> for each recipient: scope -> transforms -> its rules and requirements
        -> its release and tag style -> batches within its limits -> feeds/<recipient>/
        -> manifest-<UTC>.json beside the recipients' folders

A product a recipient would reject is reported for that recipient only: it blocks that
recipient's feed, or with `skip_invalid` is left out of it; other recipients are unaffected.
A record that cannot be built at all (its own findings) concerns every recipient.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Sequence

from lxml import etree

from onixfeed import batch, records, state, transform
from onixfeed.build.header import build_header
from onixfeed.config import Config
from onixfeed.export import check_header, convert
from onixfeed.findings import Finding, InputError, Severity, has_failures
from onixfeed.profile import Profile
from onixfeed.validate.checks import CombinedChecks, MessageInfo
from onixfeed.validate.requirements import ProfileRequirements
from onixfeed.validate.rules import RuleChecks

CONVERSION_RULE, CONVERSION_NAME = "PF006", "release-conversion"


@dataclass
class RecipientResult:
    """What one recipient got: its findings, the files written (none when blocked), what was left out."""

    profile: Profile
    findings: list[Finding]
    run: batch.RecipientRun
    products: int = 0
    out_of_scope: int = 0
    rejected: list[str] = field(default_factory=list)

    @property
    def failed(self) -> bool:
        return has_failures(self.findings)


@dataclass
class RunResult:
    """A whole `export --to` run: the records' own findings, each recipient, and the manifest."""

    records: int
    record_findings: list[Finding]
    recipients: list[RecipientResult]
    manifest: Path | None

    @property
    def failed(self) -> bool:
        return has_failures(self.record_findings) or any(r.failed for r in self.recipients)


@dataclass(frozen=True)
class _Built:
    file: str
    record: str
    xml: bytes


def export_to(paths: Sequence[str | Path], out: Path, config: Config, profiles: Sequence[Profile], *,
              skip_invalid: bool = False, workers: int | None = None, now: datetime.datetime | None = None,
              today: datetime.date | None = None) -> RunResult:
    """Export the records under `paths` to each profile's feed folder under `out`."""
    files = records.discover(paths)
    if not files:
        raise InputError(f"no record files ({', '.join(records.RECORD_SUFFIXES)}) in {', '.join(map(str, paths))}")
    sent = now or datetime.datetime.now(datetime.timezone.utc)
    today = today or sent.date()
    header = build_header(config, None, sent)
    check_header(header, config)
    built, record_findings = _build_once(files, etree.tostring(header), workers)
    blocked_by_records = has_failures(record_findings) and not skip_invalid
    results = [_for_recipient(profile, built, config, out, sent, today, skip_invalid, blocked_by_records)
               for profile in profiles]
    written = [result.run for result in results if result.run.files]
    manifest = batch.write_manifest(out, sent, [r.run for r in results]) if written else None
    return RunResult(len(files), record_findings, results, manifest)


def _build_once(files: Sequence[Path], header_xml: bytes, workers: int | None) -> tuple[list[_Built], list[Finding]]:
    """Every record built and checked against the 3.0 schema once, whatever the recipients."""
    unique = records.UniqueKeys()
    built: list[_Built] = []
    findings: list[Finding] = []
    for outcome in convert(files, header_xml, workers):
        clashes = unique.add(outcome.keys)
        findings.extend(outcome.findings)
        findings.extend(clashes)
        if outcome.findings or clashes:
            continue
        for xml in outcome.products:
            product = etree.fromstring(xml)
            built.append(_Built(outcome.file, (product.findtext("{*}RecordReference") or "").strip(), xml))
    return built, findings


def _plain(xml: bytes) -> etree._Element:
    """A built Product with reference names and no namespace, as checks and transforms expect."""
    product = etree.fromstring(xml)
    for node in product.iter():
        if isinstance(node.tag, str):
            node.tag = etree.QName(node).localname
    etree.cleanup_namespaces(product)
    return product


def _for_recipient(profile: Profile, built: Sequence[_Built], config: Config, out: Path, sent: datetime.datetime,
                   today: datetime.date, skip_invalid: bool, blocked_by_records: bool) -> RecipientResult:
    checks = CombinedChecks((RuleChecks.from_mapping(profile.rule_severities(), today),
                             ProfileRequirements.from_profile(profile)))
    info = MessageInfo(file=str(out / profile.name), release=profile.release, tags=profile.tags,
                       default_currency=config.default_currency, default_language=config.default_language,
                       default_price_type=config.default_price_type)
    header = _plain(etree.tostring(transform.recipient_header(profile, config, 1, sent)))
    findings = [_for(profile, f, None) for f in checks.header(header, info)]
    items: list[batch.Item] = []
    keys = []
    rejected: list[str] = []
    out_of_scope = 0
    for product_built in built:
        product = _plain(product_built.xml)
        if not transform.in_scope(product, profile):
            out_of_scope += 1
            continue
        product = transform.apply_transforms(product, profile, today)
        found, product_keys = checks.product(product, info)
        keys.extend(product_keys)
        found = [_for(profile, f, product_built.file) for f in found]
        try:
            items.append(batch.Item(product_built.record,
                                    transform.serialize_product(product, profile.release, profile.tags)))
        except transform.ConversionError as exc:
            found.append(Finding(CONVERSION_RULE, CONVERSION_NAME, Severity.ERROR, f"{profile.name}: {exc}",
                                 file=product_built.file, record=product_built.record))
        findings.extend(found)
        if has_failures(found):
            rejected.append(product_built.record)
    message_findings = [_for(profile, f, None) for f in checks.message(keys, info)]
    findings.extend(message_findings)
    rejected.extend(f.record for f in message_findings if f.severity is Severity.ERROR and f.record)
    header_failed = has_failures(f for f in findings if f.record is None)
    run = batch.RecipientRun(profile.name, profile.version, profile.release, profile.tags,
                             skipped=sorted(set(rejected)))
    kept = [item for item in items if item.record not in set(rejected)]
    run.blocked = blocked_by_records or header_failed or (bool(rejected) and not skip_invalid)
    if not run.blocked and kept:
        run.files = _write(profile, kept, config, out, sent)
    return RecipientResult(profile, findings, run, len(kept), out_of_scope, sorted(set(rejected)))


def _for(profile: Profile, finding: Finding, file: str | None) -> Finding:
    """A check's finding as this recipient's: its record file, and the recipient named in the message."""
    message = finding.message if finding.message.startswith(f"{profile.name}: ") else f"{profile.name}: {finding.message}"
    # lines point into the built product, not into the record file: the xpath says where
    return replace(finding, message=message, file=file or finding.file, line=None if file else finding.line)


def _write(profile: Profile, items: list[batch.Item], config: Config, out: Path,
           sent: datetime.datetime) -> list[batch.FeedFile]:
    """Write the recipient's batches, numbering its messages on from its last run."""
    numbers = config.resolve(config.state) / "recipients" / profile.name
    first = state.next_message_number(numbers)

    def header_for(number: int) -> bytes:
        header = transform.recipient_header(profile, config, number, sent)
        return etree.tostring(transform.to_tags(header, profile.release, profile.tags), encoding="utf-8")

    files = batch.write_feed(items, profile=profile, folder=out / profile.name, sender=config.sender_name,
                             header_for=header_for, utc=sent, first_number=first)
    state.save_message_number(numbers, files[-1].message_number)
    return files
