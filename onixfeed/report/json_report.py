"""The JSON report: files with their verdict, findings, and a summary, for programs."""

from __future__ import annotations

import json

from onixfeed.report import Report


def render(report: Report) -> str:
    document = {
        "files": [result.to_dict() for result in report.files],
        "findings": [finding.to_dict() for finding in report.findings],
        "summary": report.summary(),
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"
