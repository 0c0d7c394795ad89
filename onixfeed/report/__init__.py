"""Validation reports: pure functions from per-file results and findings to a string.

Each format module offers `render(report) -> str`; `FORMATS` maps the `--format` names
to them. Nothing here prints: the command line writes the string where it belongs.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Sequence

from onixfeed.findings import Finding, Severity, sort_key
from onixfeed.validate.engine import FileResult


@dataclass(frozen=True)
class Report:
    """What a validation run found: every file, the findings to show, and how many were left out."""

    files: Sequence[FileResult]
    findings: Sequence[Finding] = field(default_factory=tuple)
    omitted: int = 0  # findings beyond --max-findings, counted but not shown

    @classmethod
    def of(cls, files: Sequence[FileResult], max_findings: int | None = None) -> "Report":
        """Collect the findings of every file, sorted, keeping the first `max_findings`."""
        everything = sorted((f for result in files for f in result.findings), key=sort_key)
        if max_findings is None or len(everything) <= max_findings:
            return cls(tuple(files), tuple(everything), 0)
        return cls(tuple(files), tuple(everything[:max_findings]), len(everything) - max_findings)

    def counts(self) -> dict[str, int]:
        """Findings per severity over all files, shown or not."""
        counted = {severity.value: 0 for severity in Severity}
        for result in self.files:
            for finding in result.findings:
                counted[finding.severity.value] += 1
        return counted

    def summary(self) -> dict:
        counted = self.counts()
        valid = sum(1 for result in self.files if result.valid)
        return {
            "files": len(self.files),
            "valid": valid,
            "invalid": len(self.files) - valid,
            "products": sum(result.products for result in self.files),
            "errors": counted["error"],
            "warnings": counted["warning"],
            "info": counted["info"],
            "shown": len(self.findings),
            "omitted": self.omitted,
        }


def summary_line(report: Report) -> str:
    """One line for people: files, products, findings per severity, and any left out."""
    s = report.summary()
    line = (
        f"{_plural(s['files'], 'file')} ({s['valid']} valid, {s['invalid']} invalid), "
        f"{_plural(s['products'], 'product')}: "
        f"{_plural(s['errors'], 'error')}, {_plural(s['warnings'], 'warning')}, {s['info']} info"
    )
    if s["omitted"]:
        line += f"; showing the first {s['shown']} findings, {s['omitted']} more not shown (--max-findings)"
    return line


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def artifact_path(name: str) -> str:
    """The file on disk a source name points at: the archive for `archive.zip!member.xml`."""
    return name.split("!", 1)[0]


def _formats() -> dict[str, Callable[[Report], str]]:
    from onixfeed.report import github, json_report, junit, sarif, text

    return {
        "text": text.render,
        "json": json_report.render,
        "junit": junit.render,
        "sarif": sarif.render,
        "github": github.render,
    }


FORMAT_NAMES = ("text", "json", "junit", "sarif", "github")


def render(report: Report, format_name: str, **options) -> str:
    """The report in the named format (`options` go to the text format: colour)."""
    renderer = _formats()[format_name]
    return renderer(report, **options) if options else renderer(report)
