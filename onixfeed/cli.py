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


def main() -> None:  # pragma: no cover - console entry point alias
    app()
