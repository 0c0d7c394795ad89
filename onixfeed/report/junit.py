"""The JUnit XML report: a test suite per file, a test case per product, for CI dashboards."""

from __future__ import annotations

from lxml import etree

from onixfeed.findings import Finding, Severity
from onixfeed.report import Report
from onixfeed.report.text import group_by_record
from onixfeed.validate.engine import FileResult

MESSAGE_CASE = "message"  # findings outside any product: the header, the file as a whole


def render(report: Report) -> str:
    suites = etree.Element("testsuites", name="onixfeed validate")
    shown: dict[str, list[Finding]] = {}
    for finding in report.findings:
        shown.setdefault(finding.file or "", []).append(finding)
    totals = {"tests": 0, "failures": 0}
    for result in report.files:
        suite = file_suite(result, shown.get(result.name, []))
        suites.append(suite)
        for key in totals:
            totals[key] += int(suite.get(key))
    for key, value in totals.items():
        suites.set(key, str(value))
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + etree.tostring(suites, encoding="unicode", pretty_print=True)


def file_suite(result: FileResult, findings: list[Finding]) -> etree._Element:
    """One test suite: a case per product with findings, one per product without, and one
    for findings outside products (only when there are some)."""
    suite = etree.Element("testsuite", name=result.name)
    grouped = dict(group_by_record(findings))
    if None in grouped:
        add_case(suite, result.name, MESSAGE_CASE, grouped.pop(None))
    for record, in_product in grouped.items():
        add_case(suite, result.name, f"product {record}", in_product)
    # Products without shown findings pass; the engine counts them but does not name them.
    for number in range(len(grouped) + 1, result.products + 1):
        add_case(suite, result.name, f"product #{number}", [])
    if not len(suite):
        add_case(suite, result.name, MESSAGE_CASE, [])
    suite.set("tests", str(len(suite)))
    suite.set("failures", str(sum(1 for case in suite if case.find("failure") is not None)))
    suite.set("errors", "0")
    return suite


def add_case(suite: etree._Element, path: str, name: str, findings: list[Finding]) -> None:
    case = etree.SubElement(suite, "testcase", name=name, classname=path)
    failing = [f for f in findings if f.severity is not Severity.INFO]
    if failing:
        worst = max(failing, key=lambda f: f.severity.rank)
        failure = etree.SubElement(case, "failure", type=worst.severity.value, message=f"{len(failing)} finding(s)")
        failure.text = "\n".join(describe(f) for f in failing)
    notes = [f for f in findings if f.severity is Severity.INFO]
    if notes:
        etree.SubElement(case, "system-out").text = "\n".join(describe(f) for f in notes)


def describe(finding: Finding) -> str:
    place = f"line {finding.line}" if finding.line else "line unknown"
    return f"{finding.severity.value} {finding.rule} {finding.name} ({place}): {finding.message}"
