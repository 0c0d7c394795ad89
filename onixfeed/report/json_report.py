"""The JSON report: files with their verdict, findings, and a summary, for programs."""

from __future__ import annotations

import json

from onixfeed.report import Report
from onixfeed.validate.engine import FileResult


def render(report: Report) -> str:
    document = {
        "files": [file_entry(result) for result in report.files],
        "findings": [finding.to_dict() for finding in report.findings],
        "summary": report.summary(),
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def file_entry(result: FileResult) -> dict:
    return {
        "path": result.name,
        "release": result.release,
        "tags": result.tags,
        "namespace": result.namespace,
        "products": result.products,
        "valid": result.valid,
    }
