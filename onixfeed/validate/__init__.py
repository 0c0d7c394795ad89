"""Validate ONIX files: the library verbs (they mirror xmlschema's and the `validate` command).

    validate(path) -> list[Finding]        every finding, in file order
    is_valid(path) -> bool                 stops at the first error
    iter_findings(path)                    findings as they are found (large files stream)
    results(path) -> list[FileResult]      per file: release, tags, products, validity, findings

`path` is a file, a folder, a gzip or zip file, or "-" for standard input. Options:
`jobs` (worker processes; None: every core, 1: this process only) and `checks` (an
onixfeed.validate.checks.Checks run on the Header and each Product after the schema).
A path that cannot be used raises onixfeed.findings.InputError.
"""

from __future__ import annotations

import os
from typing import Iterator

from onixfeed.findings import Finding, Severity
from onixfeed.validate.engine import FileResult, iter_stream, validate_stream

__all__ = ["FileResult", "is_valid", "iter_findings", "results", "validate", "validate_stream"]


def iter_findings(path: str | os.PathLike, *, jobs: int | None = None, checks=None) -> Iterator[Finding]:
    """Every finding of every ONIX file under `path`, file by file, as they are found."""
    from onixfeed.validate import inputs

    for source in inputs.expand([os.fspath(path)]):
        try:
            with source.open() as stream:
                yield from iter_stream(stream, source.name, jobs=jobs, checks=checks)
        except inputs.SourceError as error:
            yield error.to_finding()


def validate(path: str | os.PathLike, *, jobs: int | None = None, checks=None) -> list[Finding]:
    """Every finding of every ONIX file under `path`."""
    return list(iter_findings(path, jobs=jobs, checks=checks))


def is_valid(path: str | os.PathLike, *, jobs: int | None = None, checks=None) -> bool:
    """True when no file under `path` has a finding of error severity (stops at the first)."""
    walker = iter_findings(path, jobs=jobs, checks=checks)
    try:
        return not any(finding.severity is Severity.ERROR for finding in walker)
    finally:
        walker.close()


def results(path: str | os.PathLike, *, jobs: int | None = None, checks=None) -> list[FileResult]:
    """One FileResult per ONIX file under `path`: release, tags, products, validity, findings."""
    from onixfeed.validate.run import iter_results

    return list(iter_results([os.fspath(path)], jobs=jobs, checks=checks))
