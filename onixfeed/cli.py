"""The `onixfeed` command line: each command parses, calls one library function, maps errors."""

from __future__ import annotations

import json
import sys
from typing import Callable, TypeVar

import typer

from onixfeed.findings import InputError

app = typer.Typer(
    help="Book metadata records to ONIX for Books feeds; validate any ONIX file.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

T = TypeVar("T")


def fail(message: str, code: int = 2) -> None:
    """Print an error for a person and exit (2: could not run)."""
    typer.echo(f"onixfeed: error: {message}", err=True)
    raise typer.Exit(code)


def guarded(action: Callable[[], T]) -> T:
    """Run a library call; input and config errors become exit code 2, never a traceback."""
    try:
        return action()
    except InputError as exc:
        fail(str(exc))
    except KeyboardInterrupt:
        fail("interrupted", 130)
    except BrokenPipeError:
        sys.stderr.close()
        raise typer.Exit(0)


@app.command("schemas")
def schemas_command(
    verify_only: bool = typer.Option(False, "--verify", help="Only check the files against the manifest."),
) -> None:
    """Show which official EDItEUR schemas are in use, verified against the manifest."""
    from onixfeed import schemas

    def describe_all() -> list[dict]:
        return [schemas.describe(release, tags) for release in schemas.RELEASES for tags in schemas.TAG_STYLES]

    described = guarded(describe_all)
    if verify_only:
        typer.echo(f"{len(described)} schemas verified")
        return
    typer.echo(json.dumps(described, indent=2))


@app.command("export")
def export_command(
    paths: list[str] = typer.Argument(None, metavar="[PATHS]...", help="Record files or folders (default: the config's records/)."),
    out: str = typer.Option(None, "--out", "-o", help="Folder for the feed (default: the config's feeds/)."),
    skip_invalid: bool = typer.Option(False, "--skip-invalid", help="Leave records with errors out and still write the feed (exit 1)."),
    jobs: int = typer.Option(None, "--jobs", "-j", min=1, help="Worker processes (default: every core; 1: none)."),
) -> None:
    """Build one ONIX 3.0 message from records, validate it against the official XSD, write it atomically.

    Exit code 0: written and clean; 1: records with errors (no feed unless --skip-invalid); 2: could not run.
    """
    from pathlib import Path

    from onixfeed.config import load_config
    from onixfeed.export import export

    config = guarded(load_config)
    sources = paths or [str(config.resolve(config.records))]
    target = Path(out) if out else config.resolve(config.out)
    result = guarded(lambda: export(sources, target, config, skip_invalid=skip_invalid, workers=jobs))
    for finding in sorted(result.findings, key=lambda f: (f.file or "", f.line or 0, f.rule)):
        place = f"{finding.file}:{finding.line}" if finding.line else (finding.file or "")
        typer.echo(f"{place}: {finding.rule} {finding.name} ({finding.severity.value}): {finding.message}", err=True)
    if result.feed is not None:
        left_out = f", {result.skipped_records} record(s) with errors left out" if result.skipped_records else ""
        typer.echo(
            f"wrote {result.feed}: {result.products} product(s) from {result.records - result.skipped_records} "
            f"record(s){left_out}; valid against the official ONIX 3.0 XSD (MessageNumber {result.message_number})"
        )
    else:
        typer.echo(
            f"no feed written: {result.skipped_records} of {result.records} record(s) have errors"
            + ("" if skip_invalid else " (use --skip-invalid to leave them out)"),
            err=True,
        )
    raise typer.Exit(1 if result.failed else 0)


def main() -> None:  # pragma: no cover - console entry point alias
    app()
