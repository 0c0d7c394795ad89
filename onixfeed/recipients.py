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


def export_to(paths: Sequence[str | Path], out: Path, config: Config, profiles: Sequence[Profile], *,
              skip_invalid: bool = False, workers: int | None = None, now: datetime.datetime | None = None,
              today: datetime.date | None = None) -> RunResult:
    """Export the records under `paths` to each profile's feed folder under `out`.

    Records are built once and each product goes to every recipient in turn, so memory
    holds one product per recipient however many records there are.
    """
    files = records.discover(paths)
    if not files:
        raise InputError(f"no record files ({', '.join(records.RECORD_SUFFIXES)}) in {', '.join(map(str, paths))}")
    sent = now or datetime.datetime.now(datetime.timezone.utc)
    today = today or sent.date()
    header = build_header(config, None, sent)
    check_header(header, config)
    feeds = [_RecipientFeed(profile, config, out, sent, today, skip_invalid) for profile in profiles]
    unique = records.UniqueKeys()
    record_findings: list[Finding] = []
    try:
        for outcome in convert(files, etree.tostring(header), workers):
            clashes = unique.add(outcome.keys)
            record_findings.extend(outcome.findings)
            record_findings.extend(clashes)
            if outcome.findings or clashes:
                continue  # a record that cannot be built concerns every recipient
            for xml in outcome.products:
                product = _plain(xml)
                record = (product.findtext("RecordReference") or "").strip()
                for feed in feeds:
                    feed.offer(outcome.file, record, product)
        blocked_by_records = has_failures(record_findings) and not skip_invalid
        results = [feed.finish(blocked_by_records) for feed in feeds]
    finally:
        for feed in feeds:
            feed.writer.abort()  # nothing left behind when a run stops half-way
    written = [result.run for result in results if result.run.files]
    manifest = batch.write_manifest(out, sent, [r.run for r in results]) if written else None
    return RunResult(len(files), record_findings, results, manifest)


def _plain(xml: bytes) -> etree._Element:
    """A built Product with reference names and no namespace, as checks and transforms expect."""
    product = etree.fromstring(xml)
    for node in product.iter():
        if isinstance(node.tag, str):
            node.tag = etree.QName(node).localname
    etree.cleanup_namespaces(product)
    return product


class _RecipientFeed:
    """One recipient during a run: its checks, its findings, and the writer of its files."""

    def __init__(self, profile: Profile, config: Config, out: Path, sent: datetime.datetime,
                 today: datetime.date, skip_invalid: bool):
        self.profile = profile
        self.config = config
        self.today = today
        self.skip_invalid = skip_invalid
        self.checks = CombinedChecks((RuleChecks.from_mapping(profile.rule_severities(), today),
                                      ProfileRequirements.from_profile(profile)))
        self.info = MessageInfo(file=str(out / profile.name), release=profile.release, tags=profile.tags,
                                default_currency=config.default_currency, default_language=config.default_language,
                                default_price_type=config.default_price_type)
        self.numbers = config.resolve(config.state) / "recipients" / profile.name
        self.writer = batch.FeedWriter(profile, out / profile.name, config.sender_name, self._header_bytes, sent,
                                       state.next_message_number(self.numbers))
        self.sent = sent
        # transforms that remove or recode elements can break the schema: check each product then
        transforms = profile.section("transforms")
        self.check_each = bool(transforms.get("drop") or transforms.get("map_codes") or transforms.get("identifiers"))
        header = _plain(etree.tostring(transform.recipient_header(profile, config, 1, sent)))
        self.findings = [_for(profile, f, None) for f in self.checks.header(header, self.info)]
        self.blocked = has_failures(self.findings)
        self.keys: list = []
        self.rejected: list[str] = []
        self.products = 0
        self.out_of_scope = 0

    def _header_bytes(self, number: int) -> bytes:
        header = transform.recipient_header(self.profile, self.config, number, self.sent)
        return etree.tostring(transform.to_tags(header, self.profile.release, self.profile.tags), encoding="utf-8")

    def offer(self, file: str, record: str, product: etree._Element) -> None:
        """Check one built product for this recipient and, when it passes, add it to the feed."""
        if not transform.in_scope(product, self.profile):
            self.out_of_scope += 1
            return
        product = transform.apply_transforms(product, self.profile, self.today)
        found, keys = self.checks.product(product, self.info)
        self.keys.extend(keys)
        found = [_for(self.profile, f, file) for f in found]
        xml = None
        try:
            xml = transform.serialize_product(product, self.profile.release, self.profile.tags,
                                              validate=self.check_each or None)
        except transform.ConversionError as exc:
            found.append(Finding(CONVERSION_RULE, CONVERSION_NAME, Severity.ERROR, f"{self.profile.name}: {exc}",
                                 file=file, record=record))
        self.findings.extend(found)
        if has_failures(found):
            self.rejected.append(record)
            if not self.skip_invalid:
                self._block()
            return
        if not self.blocked:
            self.writer.add(batch.Item(record, xml))
            self.products += 1

    def _block(self) -> None:
        if not self.blocked:
            self.blocked = True
            self.writer.abort()

    def finish(self, blocked_by_records: bool) -> RecipientResult:
        """Cross-product checks, then commit the files (or drop them when the feed is blocked)."""
        message_findings = [_for(self.profile, f, None) for f in self.checks.message(self.keys, self.info)]
        self.findings.extend(message_findings)
        # products are already placed in files, so a cross-product error blocks even with skip_invalid
        if blocked_by_records or has_failures(message_findings):
            self._block()
        run = batch.RecipientRun(self.profile.name, self.profile.version, self.profile.release, self.profile.tags,
                                 skipped=sorted(set(self.rejected)), blocked=self.blocked)
        if not self.blocked:
            run.files = self.writer.commit()
            if run.files:
                state.save_message_number(self.numbers, run.files[-1].message_number)
        return RecipientResult(self.profile, self.findings, run, 0 if self.blocked else self.products,
                               self.out_of_scope, sorted(set(self.rejected)))


def _for(profile: Profile, finding: Finding, file: str | None) -> Finding:
    """A check's finding as this recipient's: its record file, and the recipient named in the message."""
    message = finding.message if finding.message.startswith(f"{profile.name}: ") else f"{profile.name}: {finding.message}"
    # lines point into the built product, not into the record file: the xpath says where
    return replace(finding, message=message, file=file or finding.file, line=None if file else finding.line)
