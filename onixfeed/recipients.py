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
from dataclasses import dataclass, field
from pathlib import Path
from typing import Sequence

from lxml import etree

from onixfeed import batch, records, state, transform
from onixfeed.build.header import build_header
from onixfeed.config import Config
from onixfeed.export import check_header, convert
from onixfeed.findings import Finding, InputError, has_failures
from onixfeed.product_checks import RecipientChecks, plain_product
from onixfeed.profile import Profile


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
                product = plain_product(xml)
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


class _RecipientFeed:
    """One recipient during a run: its checks, its findings, and the writer of its files."""

    def __init__(self, profile: Profile, config: Config, out: Path, sent: datetime.datetime,
                 today: datetime.date, skip_invalid: bool):
        self.profile = profile
        self.config = config
        self.skip_invalid = skip_invalid
        self.checks = RecipientChecks.for_profile(profile, config, str(out / profile.name), today)
        self.numbers = config.resolve(config.state) / "recipients" / profile.name
        self.writer = batch.FeedWriter(profile, out / profile.name, config.sender_name, self._header_bytes, sent,
                                       state.next_message_number(self.numbers))
        self.sent = sent
        header = plain_product(etree.tostring(transform.recipient_header(profile, config, 1, sent)))
        self.findings = self.checks.header(header)
        self.blocked = has_failures(self.findings)
        self.products = 0

    def _header_bytes(self, number: int) -> bytes:
        header = transform.recipient_header(self.profile, self.config, number, self.sent)
        return etree.tostring(transform.to_tags(header, self.profile.release, self.profile.tags), encoding="utf-8")

    def offer(self, file: str, record: str, product: etree._Element) -> None:
        """Check one built product for this recipient and, when it passes, add it to the feed."""
        checked = self.checks.product(file, record, product)
        if checked is None:
            return  # out of the recipient's scope
        found, xml = checked
        self.findings.extend(found)
        if has_failures(found):
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
        message_findings = self.checks.message()
        self.findings.extend(message_findings)
        # products are already placed in files, so a cross-product error blocks even with skip_invalid
        if blocked_by_records or has_failures(message_findings):
            self._block()
        run = batch.RecipientRun(self.profile.name, self.profile.version, self.profile.release, self.profile.tags,
                                 skipped=sorted(set(self.checks.rejected)), blocked=self.blocked)
        if not self.blocked:
            run.files = self.writer.commit()
            if run.files:
                state.save_message_number(self.numbers, run.files[-1].message_number)
        return RecipientResult(self.profile, self.findings, run, 0 if self.blocked else self.products,
                               self.checks.out_of_scope, sorted(set(self.checks.rejected)))
