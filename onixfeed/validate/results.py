"""The outcome of validating one source: what the message is and what was found in it.

Shared by the engine (which fills it), the library API and the reports (which read it).
Note for the engine's author (B1): this is the per-file result the reports and the CLI
are written against; `release`/`tags` are None when the source could not be parsed far
enough to tell, `products` counts the Product elements seen.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from onixfeed.findings import Finding, Severity


@dataclass
class FileResult:
    """One validated source (a file, a zip member, standard input)."""

    path: str
    release: str | None = None
    tags: str | None = None
    products: int = 0
    findings: list[Finding] = field(default_factory=list)

    @property
    def valid(self) -> bool:
        """True when nothing at error severity was found."""
        return not any(finding.severity is Severity.ERROR for finding in self.findings)

    def to_dict(self) -> dict:
        return {
            "path": self.path,
            "release": self.release,
            "tags": self.tags,
            "products": self.products,
            "valid": self.valid,
        }
