"""The text report for people: findings grouped by file and product, then a summary line."""

from __future__ import annotations

from itertools import groupby

from onixfeed.findings import Finding, Severity
from onixfeed.report import Report, summary_line
from onixfeed.validate.engine import FileResult

# ANSI SGR codes; used only when the command line says the terminal wants colour.
SEVERITY_COLOURS = {Severity.ERROR: "31", Severity.WARNING: "33", Severity.INFO: "36"}
BOLD = "1"
DIM = "2"


def paint(text: str, code: str, colour: bool) -> str:
    return f"\033[{code}m{text}\033[0m" if colour else text


def render(report: Report, colour: bool = False) -> str:
    """Each file with findings, its findings grouped by product, and the summary line last."""
    by_path = {result.name: result for result in report.files}
    lines: list[str] = []
    for path, in_file in groupby(report.findings, key=lambda finding: finding.file or ""):
        lines.append(file_heading(path, by_path.get(path), colour))
        # Runs of consecutive findings, not a dict: two products may share a RecordReference.
        for record, in_group in groupby(in_file, key=lambda finding: finding.record):
            label = f"product {record}" if record is not None else "message"
            lines.append(f"  {paint(label, BOLD, colour)}")
            lines.extend(f"    {finding_line(finding, colour)}" for finding in in_group)
    if lines:
        lines.append("")
    lines.append(summary_line(report))
    return "\n".join(lines) + "\n"


def file_heading(path: str, result: FileResult | None, colour: bool) -> str:
    heading = paint(path or "(no file)", BOLD, colour)
    if result is None:
        return heading
    facts = [" ".join(part for part in (result.release, result.tags) if part)]
    facts.append(f"{result.products} product{'s' if result.products != 1 else ''}")
    return f"{heading}  " + paint(", ".join(fact for fact in facts if fact), DIM, colour)


def group_by_record(findings: list[Finding]) -> list[tuple[str | None, list[Finding]]]:
    """Findings grouped by the product they belong to, groups in order of first appearance."""
    groups: dict[str | None, list[Finding]] = {}
    for finding in findings:
        groups.setdefault(finding.record, []).append(finding)
    return list(groups.items())


def finding_line(finding: Finding, colour: bool) -> str:
    place = f"{finding.line or '-'}:{finding.column}" if finding.column else f"{finding.line or '-'}"
    severity = paint(f"{finding.severity.value:<7}", SEVERITY_COLOURS[finding.severity], colour)
    return f"{paint(f'{place:>9}', DIM, colour)}  {severity}  {finding.rule} {finding.name}  {finding.message}"
