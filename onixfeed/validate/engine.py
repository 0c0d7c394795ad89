"""The validation engine: one ONIX byte stream -> schema findings and checks' findings.

Entry points (what the input layer and the CLI call):

    validate_stream(stream: BinaryIO, name: str, *, jobs=None, checks=None, progress=None) -> FileResult
    iter_stream(stream, name, *, jobs=None, checks=None, progress=None)
        -> Generator[Finding, None, FileResult]   # findings as soon as known; `return`s the FileResult

`stream` is an open binary stream positioned at the start of the document (a file, a gzip
member, stdin's buffer); `name` is what findings name as their file. `jobs` is the number
of worker processes (None: every core; 1: in this process). `checks` implements
onixfeed.validate.checks.Checks and runs after the schema on the Header and each Product.
`progress(bytes_read, products_done)` is called as the stream is consumed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import BinaryIO, Callable, Generator

from onixfeed.findings import Finding, Severity

Progress = Callable[[int, int], None]


@dataclass
class FileResult:
    """What validating one file found: its flavour, how many products, and the findings."""

    name: str
    release: str | None = None
    tags: str | None = None
    namespace: str | None = None
    products: int = 0
    findings: list[Finding] = field(default_factory=list)

    @property
    def valid(self) -> bool:
        """No finding of error severity."""
        return not any(finding.severity is Severity.ERROR for finding in self.findings)
