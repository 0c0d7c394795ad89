"""The SARIF 2.1.0 report, for code-scanning tools (GitHub code scanning and others)."""

from __future__ import annotations

import json
import os
from importlib import metadata
from pathlib import Path
from urllib.parse import quote

from onixfeed.findings import Finding, Severity
from onixfeed.report import Report, artifact_path

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
VERSION = "2.1.0"
LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}
STDIN_URI = "stdin"


def render(report: Report) -> str:
    rule_ids = sorted({finding.rule for finding in report.findings})
    index = {rule: number for number, rule in enumerate(rule_ids)}
    names = {finding.rule: finding.name for finding in report.findings}
    driver = {
        "name": "onixfeed",
        "rules": [describe_rule(rule, names[rule]) for rule in rule_ids],
    }
    version = tool_version()
    if version:
        driver["version"] = version
    run = {
        "tool": {"driver": driver},
        "columnKind": "unicodeCodePoints",
        "results": [result_of(finding, index[finding.rule]) for finding in report.findings],
    }
    document = {"$schema": SCHEMA, "version": VERSION, "runs": [run]}
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def describe_rule(rule: str, name: str) -> dict:
    return {"id": rule, "name": name, "shortDescription": {"text": name.replace("-", " ")}}


def result_of(finding: Finding, rule_index: int) -> dict:
    message = finding.message
    if finding.file and artifact_path(finding.file) != finding.file:
        message = f"{finding.file}: {message}"  # a location can only name the archive
    region = {"startLine": max(finding.line or 1, 1)}
    if finding.column:
        region["startColumn"] = finding.column
    location = {"physicalLocation": {"artifactLocation": {"uri": uri_of(finding.file)}, "region": region}}
    if finding.xpath:
        location["logicalLocations"] = [{"fullyQualifiedName": finding.xpath, "kind": "element"}]
    result = {
        "ruleId": finding.rule,
        "ruleIndex": rule_index,
        "level": LEVELS[finding.severity],
        "message": {"text": message},
        "locations": [location],
    }
    if finding.record:
        result["properties"] = {"record": finding.record}
    return result


def uri_of(name: str | None) -> str:
    """A relative URI for a relative path (what code scanning maps onto the repository)."""
    if not name or name == "-":
        return STDIN_URI
    path = artifact_path(name)
    if os.path.isabs(path):
        return Path(path).as_uri()
    return quote(path.replace(os.sep, "/"), safe="/")


def tool_version() -> str | None:
    try:
        return metadata.version("onixfeed")
    except metadata.PackageNotFoundError:
        return None
