"""GitHub Actions workflow annotations: one `::error file=...,line=...::message` per finding."""

from __future__ import annotations

from onixfeed.findings import Finding, Severity
from onixfeed.report import Report, artifact_path

COMMANDS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def escape_data(value: str) -> str:
    """Escape a message as the runner expects: % first, then line breaks."""
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(value: str) -> str:
    """Escape a property value: as data, and also the `:` and `,` that delimit properties."""
    return escape_data(value).replace(":", "%3A").replace(",", "%2C")


def annotation(finding: Finding) -> str:
    properties = []
    if finding.file:
        properties.append(f"file={escape_property(artifact_path(finding.file))}")
    if finding.line:
        properties.append(f"line={finding.line}")
    if finding.column:
        properties.append(f"col={finding.column}")
    properties.append(f"title={escape_property(f'{finding.rule} {finding.name}')}")
    message = finding.message
    if finding.file and artifact_path(finding.file) != finding.file:
        message = f"{finding.file}: {message}"  # the annotation can only point at the archive
    if finding.record:
        message = f"{message} (record {finding.record})"
    return f"::{COMMANDS[finding.severity]} {','.join(properties)}::{escape_data(message)}"


def render(report: Report) -> str:
    return "".join(annotation(finding) + "\n" for finding in report.findings)
