"""Findings: what any check reports, and the policy that turns them into an exit code."""

from __future__ import annotations

import enum
from dataclasses import dataclass, replace
from typing import Iterable


class Severity(str, enum.Enum):
    """How much a finding matters; ordered error > warning > info."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        return {"error": 2, "warning": 1, "info": 0}[self.value]

    def at_least(self, other: "Severity") -> bool:
        return self.rank >= other.rank


@dataclass(frozen=True)
class Finding:
    """One problem found in a record or an ONIX file.

    `rule` is a stable code (XS001, ID002, RC001...), `name` a kebab-case phrase,
    `line` the 1-based line in the original file (None where unknown), `record` the
    RecordReference of the enclosing Product (or record file's reference).
    """

    rule: str
    name: str
    severity: Severity
    message: str
    file: str | None = None
    line: int | None = None
    xpath: str | None = None
    record: str | None = None
    column: int | None = None

    def with_severity(self, severity: Severity) -> "Finding":
        return replace(self, severity=severity)

    def moved(self, lines: int) -> "Finding":
        """The finding `lines` further down the file (made directly: replace() costs twice as much)."""
        if self.line is None:
            return self
        return Finding(self.rule, self.name, self.severity, self.message, self.file, self.line + lines, self.xpath,
                       self.record, self.column)

    def to_dict(self) -> dict:
        return {
            "rule": self.rule,
            "name": self.name,
            "severity": self.severity.value,
            "message": self.message,
            "file": self.file,
            "line": self.line,
            "column": self.column,
            "xpath": self.xpath,
            "record": self.record,
        }


def sort_key(finding: Finding) -> tuple:
    """Order findings by file, then line, then rule, for stable reports."""
    return (finding.file or "", finding.line or 0, finding.column or 0, finding.rule, finding.message)


def has_failures(findings: Iterable[Finding], fail_on: Severity = Severity.ERROR) -> bool:
    """True when any finding is at or above `fail_on`."""
    return any(f.severity.at_least(fail_on) for f in findings)


def exit_code(findings: Iterable[Finding], fail_on: Severity = Severity.ERROR) -> int:
    """0 when clean, 1 when findings reach `fail_on`; 2 is the caller's (could not run)."""
    return 1 if has_failures(findings, fail_on) else 0


class InputError(Exception):
    """Input that cannot be processed at all (unreadable path, bad config): exit code 2."""
