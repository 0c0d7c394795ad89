"""The `onixfeed` command line: each command parses, calls one library function, maps errors."""

from __future__ import annotations

import json
import sys
from pathlib import Path
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


VALIDATE_FORMATS = ("text", "json", "junit", "sarif", "github")
FAIL_ON_LEVELS = ("error", "warning")


@app.command("validate")
def validate_command(
    paths: list[str] = typer.Argument(
        ...,
        metavar="PATH...",
        help="ONIX files, folders (searched for *.xml, *.onx, *.onix, gzip and zip), gzip or zip files, or - for standard input.",
    ),
    output_format: str = typer.Option("text", "--format", "-f", help="Report format: text, json, junit, sarif or github."),
    fail_on: str = typer.Option("error", "--fail-on", help="Exit 1 when a finding is at least this severe: error or warning."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="Text format: only the summary line, and nothing when the run passes."),
    max_findings: int = typer.Option(None, "--max-findings", min=0, help="Report at most N findings (all are still counted)."),
    jobs: int = typer.Option(None, "--jobs", "-j", min=1, help="Processes validating at once, this one included (default: every core; 1: this one only)."),
    output: str = typer.Option(None, "--output", "-o", help="Write the report to this file instead of standard output."),
    no_rules: bool = typer.Option(False, "--no-rules", help="Skip onixfeed's native rules (`onixfeed rules`): the schema and a profile's requirements only."),
    profile_name: str = typer.Option(None, "--profile", "-p", help="Also apply a recipient profile: its rule severities and requirements (see `onixfeed profiles list`)."),
    strict_xsd: str = typer.Option(None, "--strict-xsd", metavar="PATH", help="Also run EDItEUR's strict XSD 1.1 (your download: the .xsd, its folder or EDItEUR's zip); slow, about 0.1 s a product. Failing assertions are SX_<assertion id> findings."),
) -> None:
    """Validate ONIX files against the official schema and report what is wrong, where.

    Exit code 0: clean; 1: findings at or above --fail-on; 2: could not run.
    """
    import os

    from onixfeed.findings import Severity, exit_code
    from onixfeed.report import Report, render, summary_line
    from onixfeed.validate.run import iter_results

    if output_format not in VALIDATE_FORMATS:
        fail(f"--format {output_format!r}: expected one of {', '.join(VALIDATE_FORMATS)}")
    if fail_on not in FAIL_ON_LEVELS:
        fail(f"--fail-on {fail_on!r}: expected one of {', '.join(FAIL_ON_LEVELS)}")
    checks = None  # the engine's own default; rule and profile options build Checks here
    if profile_name and no_rules:
        from onixfeed import profile as profiles
        from onixfeed.validate.requirements import ProfileRequirements

        checks = guarded(lambda: ProfileRequirements.from_profile(profiles.load(profile_name)))
    elif profile_name:
        from onixfeed.validate.requirements import profile_checks

        checks = guarded(lambda: profile_checks(profile_name))
    elif not no_rules:
        from onixfeed.validate.rules import RuleChecks, default_severities

        guarded(default_severities)  # a broken base profile is exit 2 here, not in a worker
        checks = RuleChecks()
    if strict_xsd is not None:
        from onixfeed.validate import strict

        if "-" in paths:
            fail("--strict-xsd reads each file a second time: give files, not standard input (-)")
        guarded(lambda: strict.check_path(strict_xsd))
    progress = ProgressLine() if sys.stderr.isatty() else None
    try:
        results = guarded(lambda: list(iter_results(paths, jobs=jobs, checks=checks, progress=progress)))
    finally:
        if progress is not None:
            progress.clear()
    if strict_xsd is not None:
        guarded(lambda: strict.add_strict_findings(results, paths, strict_xsd, jobs=jobs,
                                                   severities=_strict_severities(profile_name)))
    report = Report.of(results, max_findings)
    code = exit_code((f for result in results for f in result.findings), Severity(fail_on))
    if output_format == "text":
        if quiet:
            text = summary_line(report) + "\n" if code else ""
        else:
            colour = output is None and sys.stdout.isatty() and not os.environ.get("NO_COLOR")
            text = render(report, "text", colour=colour)
    else:
        text = render(report, output_format)
    if output is not None:
        try:
            with open(output, "w", encoding="utf-8") as handle:
                handle.write(text)
        except OSError as exc:
            fail(f"{output}: cannot write the report: {exc.strerror or exc}")
        if not quiet:
            typer.echo(summary_line(report))
    elif text:
        guarded(lambda: typer.echo(text, nl=False))
    raise typer.Exit(code)


def _strict_severities(profile_name: str | None) -> dict[str, str]:
    """The `rules:` levels that apply to strict-XSD findings: the profile's, else the base profile's."""
    if profile_name:
        from onixfeed import profile as profiles

        return profiles.load(profile_name).rule_severities()
    from onixfeed.validate.rules import default_severities

    return default_severities()


class ProgressLine:
    """A one-line progress display on a terminal's standard error, for large files only."""

    MIN_BYTES = 8 << 20  # smaller files finish before a display would be worth reading
    INTERVAL = 0.25  # seconds between redraws

    def __init__(self) -> None:
        self.shown = False
        self.last = 0.0

    def __call__(self, source, bytes_read: int, products: int) -> None:
        import time

        if source.size is not None and source.size < self.MIN_BYTES:
            return
        now = time.monotonic()
        if now - self.last < self.INTERVAL:
            return
        self.last = now
        sys.stderr.write(f"\r\033[K{source.name}: {bytes_read / 1e6:,.0f} MB read, {products:,} products")
        sys.stderr.flush()
        self.shown = True

    def clear(self) -> None:
        if self.shown:
            sys.stderr.write("\r\033[K")
            sys.stderr.flush()
            self.shown = False


@app.command("export")
def export_command(
    paths: list[str] = typer.Argument(None, metavar="[PATHS]...", help="Record files or folders (default: the config's records/)."),
    out: str = typer.Option(None, "--out", "-o", help="Folder for the feed (default: the config's feeds/)."),
    skip_invalid: bool = typer.Option(False, "--skip-invalid", help="Leave records with errors out and still write the feed (exit 1)."),
    jobs: int = typer.Option(None, "--jobs", "-j", min=1, help="Worker processes (default: every core; 1: none)."),
    to: str = typer.Option(None, "--to", help="Recipient profiles, comma-separated: one feed per recipient under <out>/<recipient>/, split by its limits, with a run manifest."),
    output_format: str = typer.Option("text", "--format", "-f", help="Report format: text, json, junit, sarif or github."),
    fail_on: str = typer.Option("error", "--fail-on", help="Exit 1 when a finding is at least this severe: error or warning (the feed is written either way unless there are errors)."),
    no_rules: bool = typer.Option(False, "--no-rules", help="Skip onixfeed's native rules (`onixfeed rules`): the official XSD only, faster."),
    check_for: str = typer.Option(None, "--check-for", metavar="NAMES", help="Also check the feed's products as these recipient profiles would (comma-separated, e.g. google-play-books,kobo), without writing their feeds: what they would reject is reported as warnings."),
) -> None:
    """Build one ONIX 3.0 message from records, validate it against the official XSD and the native rules, write it atomically.

    With --to, write each recipient's feed instead (see `onixfeed profiles list`).

    Exit code 0: written, clean or with warnings only; 1: errors (no feed unless --skip-invalid), or
    warnings with --fail-on warning; 2: could not run.
    """
    from pathlib import Path

    from onixfeed import profile
    from onixfeed.config import load_config
    from onixfeed.export import RELEASE, export
    from onixfeed.findings import Severity, exit_code
    from onixfeed.report import FORMAT_NAMES, Report, render
    from onixfeed.validate.engine import FileResult

    if output_format not in FORMAT_NAMES:
        fail(f"--format {output_format!r}: expected one of {', '.join(FORMAT_NAMES)}")
    if fail_on not in FAIL_ON_LEVELS:
        fail(f"--fail-on {fail_on!r}: expected one of {', '.join(FAIL_ON_LEVELS)}")
    config = guarded(load_config)
    sources = paths or [str(config.resolve(config.records))]
    target = Path(out) if out else config.resolve(config.out)
    if to is not None:
        if check_for is not None:
            fail("--check-for is for the plain export; --to already checks (and writes) each recipient's feed")
        export_to_recipients(to, sources, target, config, skip_invalid, jobs, output_format)
    others = guarded(lambda: profile.load_many(check_for, config)) if check_for else []
    result = guarded(lambda: export(sources, target, config, skip_invalid=skip_invalid, workers=jobs,
                                    rules=not no_rules, check_for=others))
    feed = str(result.feed)
    found_in = by_file(result.findings, sources, first=[feed] if result.feed is not None else [])
    report = Report.of([FileResult(name, findings=found) if name != feed else
                        FileResult(name, release=RELEASE, tags="reference", products=result.products, findings=found)
                        for name, found in found_in.items()])
    if output_format != "text" or result.findings:
        typer.echo(render(report, output_format), nl=False)
    for recipient in result.recipients:
        scope = f"; {recipient.out_of_scope} out of its scope" if recipient.out_of_scope else ""
        typer.echo(f"{recipient.profile.name} would reject {len(set(recipient.rejected))} of "
                   f"{recipient.in_scope} product(s) in its scope{scope} (no feed written for it)", err=True)
    if result.feed is not None:
        left_out = f", {result.skipped_records} record(s) with errors left out" if result.skipped_records else ""
        typer.echo(
            f"wrote {result.feed}: {result.products} product(s) from {result.records - result.skipped_records} "
            f"record(s){left_out}; valid against the official ONIX 3.0 XSD (MessageNumber {result.message_number})",
            err=output_format != "text",
        )
    elif result.skipped_records:
        typer.echo(
            f"no feed written: {result.skipped_records} of {result.records} record(s) have errors"
            + ("" if skip_invalid else " (use --skip-invalid to leave them out)"),
            err=True,
        )
    else:
        typer.echo("no feed written: errors across products (identifiers used twice)", err=True)
    raise typer.Exit(exit_code(result.findings, Severity(fail_on)))


profiles_app = typer.Typer(help="Recipient profiles: list them, show one resolved, check a profile file.",
                            no_args_is_help=True)
app.add_typer(profiles_app, name="profiles")


@profiles_app.command("list")
def profiles_list_command() -> None:
    """List every profile: built-in ones and the project's own (which override a built-in of the same name)."""
    from onixfeed import profile

    def listing() -> list[tuple[str, str, str, str]]:
        rows = []
        for name, path in sorted(profile.available().items()):
            loaded = profile.load(name)
            origin = "built-in" if path.parent == profile.BUILTIN_DIR else str(path)
            rows.append((name, f"ONIX {loaded.release} {loaded.tags}", origin, loaded.data.get("description", "")))
        return rows

    rows = guarded(listing)
    width = max(len(row[0]) for row in rows)
    for name, flavour, origin, description in rows:
        typer.echo(f"{name:<{width}}  {flavour:<18}  {description}  [{origin}]")


@profiles_app.command("show")
def profiles_show_command(
    name: str = typer.Argument(..., help="A profile name (see `onixfeed profiles list`) or a profile file."),
    output_format: str = typer.Option("text", "--format", "-f", help="text or json."),
) -> None:
    """Show a profile resolved through its `extends:` chain, with the file, line and source of every value."""
    from onixfeed import profile

    if output_format not in ("text", "json"):
        fail(f"--format {output_format!r}: expected text or json")
    loaded = guarded(lambda: profile.load(name))
    rows = profile.describe(loaded)
    if output_format == "json":
        typer.echo(json.dumps({"name": loaded.name, "version": loaded.version, "release": loaded.release,
                               "tags": loaded.tags, "chain": [str(p) for p in loaded.chain],
                               "unknown": loaded.data.get("unknown", []), "values": rows}, indent=2))
        return
    typer.echo(f"{loaded.name} (version {loaded.version}): " + " -> ".join(p.stem for p in loaded.chain))
    for row in rows:
        value = row["value"]
        shown = json.dumps(value, ensure_ascii=False) if not isinstance(value, str) else value
        where = f"{Path(row['file']).name}:{row['line']}" if row["line"] else Path(row["file"]).name
        typer.echo(f"  {row['key']} = {shown}")
        typer.echo(f"      from {where}" + (f"; source: {row['source']}" if row["source"] else ""))
    for note in loaded.data.get("unknown", []):
        typer.echo(f"  unknown: {note}")


@profiles_app.command("check")
def profiles_check_command(
    path: str = typer.Argument(..., help="A profile file (YAML)."),
) -> None:
    """Check a profile file: keys, codes, rules, paths and its `extends:` chain.

    Exit code 0: usable; 1: the profile has an error (named with its file, line and key); 2: no such file.
    """
    from onixfeed import profile

    if not Path(path).is_file():
        fail(f"{path}: no such profile file")
    try:
        loaded = profile.load(Path(path))
    except profile.ProfileError as exc:
        typer.echo(f"onixfeed: {exc}", err=True)
        raise typer.Exit(1)
    except InputError as exc:
        fail(str(exc))
    chain = " -> ".join(p.stem for p in loaded.chain)
    typer.echo(f"{path}: ok ({chain}; ONIX {loaded.release} {loaded.tags}; "
               f"{len(loaded.requirements())} requirements)")


def by_file(findings, sources: list[str], first: list[str] = ()) -> dict[str, list]:
    """Findings grouped by the file they name (a record, the feed), `first` listed first even
    when clean, so every report format places each finding under its own file."""
    grouped: dict[str, list] = {name: [] for name in first}
    for finding in findings:
        grouped.setdefault(finding.file or ", ".join(sources), []).append(finding)
    return grouped


def export_to_recipients(names: str, sources: list[str], target, config, skip_invalid: bool, jobs: int | None,
                         output_format: str) -> None:
    """`export --to`: each recipient's feed, findings per recipient in the chosen report format."""
    from onixfeed import profile
    from onixfeed.findings import exit_code
    from onixfeed.recipients import export_to
    from onixfeed.report import FORMAT_NAMES, Report, render
    from onixfeed.validate.engine import FileResult

    if output_format not in FORMAT_NAMES:
        fail(f"--format {output_format!r}: expected one of {', '.join(FORMAT_NAMES)}")
    profiles = guarded(lambda: profile.load_many(names, config))
    run = guarded(lambda: export_to(sources, target, config, profiles, skip_invalid=skip_invalid, workers=jobs))
    results = [FileResult(name, findings=found) for name, found in by_file(run.record_findings, sources).items()]
    results += [FileResult(str(target / r.profile.name), release=r.profile.release, tags=r.profile.tags,
                           products=r.products, findings=r.findings) for r in run.recipients]
    typer.echo(render(Report.of(results), output_format), nl=False)
    for recipient in run.recipients:
        files = recipient.run.files
        if recipient.run.blocked:
            why = f"{len(recipient.rejected)} product(s) it would reject" if recipient.rejected else "errors"
            state = f"no feed written: {why} (use --skip-invalid to leave them out)"
        else:
            left = f", {len(recipient.rejected)} left out" if recipient.rejected else ""
            state = f"{recipient.products} product(s) in {len(files)} file(s){left}"
        scope = f"; {recipient.out_of_scope} out of its scope" if recipient.out_of_scope else ""
        typer.echo(f"{recipient.profile.name}: {state}{scope}", err=True)
    if run.manifest is not None:
        typer.echo(f"manifest: {run.manifest}", err=True)
    raise typer.Exit(exit_code(f for r in results for f in r.findings))


@app.command("rules")
def rules_command(
    code: str = typer.Argument(None, metavar="[CODE]", help="Explain one rule: what it checks, why, a passing and a failing example."),
    profile_name: str = typer.Option(None, "--profile", "-p", help="Show the severities a recipient profile sets (see `onixfeed profiles list`), not the base profile's."),
    output_format: str = typer.Option("text", "--format", "-f", help="text, or json (every rule's code, name, family, scope, severity, summary and sections) for tools."),
) -> None:
    """List the native rules (code, name, family, default severity, summary), or explain one."""
    from onixfeed.validate import rules

    if output_format not in ("text", "json"):
        fail(f"--format {output_format!r}: expected text or json")
    if profile_name:
        from onixfeed import profile as profiles

        levels = guarded(lambda: profiles.load(profile_name).rule_severities())
        source = f"profile {profile_name}"
    else:
        levels = guarded(rules.default_severities)
        source = "base profile onix-3.0"
    chosen = [guarded(lambda: rules.find_rule(code))] if code is not None else list(rules.registry())
    if output_format == "json":
        typer.echo(json.dumps({"severities_from": source, "rules": [
            {"code": rule.code, "name": rule.name, "family": rule.family, "scope": rule.scope,
             "severity": levels.get(rule.code, "off"), "summary": rule.summary,
             "sections": {section.lower(): text for section, text in rule.sections.items()}}
            for rule in chosen]}, indent=2, ensure_ascii=False))
        return
    if code is None:
        for rule in chosen:
            typer.echo(f"{rule.code}  {rule.name:<38} {rule.family:<24} {levels.get(rule.code, 'off'):<8} {rule.summary}")
        return
    rule = chosen[0]
    typer.echo(f"{rule.code} {rule.name}: {rule.summary}")
    typer.echo(f"family: {rule.family}; severity: {levels.get(rule.code, 'off')} ({source}); runs on: {rule.scope}")
    for section, text in rule.sections.items():
        typer.echo(f"\n{section}:")
        typer.echo("\n".join(f"    {line}" if line else "" for line in text.splitlines()))


def main() -> None:  # pragma: no cover - console entry point alias
    app()
