"""`onixfeed validate`: inputs, formats, exit codes, options."""

import gzip
import json
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

from onixfeed.cli import app
from validate_samples import INVALID, INVALID_LINE, VALID

ROOT = Path(__file__).resolve().parents[1]


def run(*args, input=None):
    result = CliRunner().invoke(app, ["validate", *map(str, args)], input=input)
    # Exit codes come from typer.Exit; anything else escaping is a crash.
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result


@pytest.fixture
def feeds(tmp_path):
    (tmp_path / "good.xml").write_bytes(VALID)
    (tmp_path / "bad.xml").write_bytes(INVALID)
    return tmp_path


def test_a_valid_file_exits_0(feeds):
    result = run(feeds / "good.xml", "--jobs", "1")
    assert result.exit_code == 0
    assert "1 file (1 valid, 0 invalid)" in result.stdout


def test_an_invalid_file_exits_1_and_names_the_line(feeds):
    result = run(feeds / "bad.xml", "--format", "json", "--jobs", "1")
    assert result.exit_code == 1
    document = json.loads(result.stdout)
    assert document["files"] == [
        {"path": str(feeds / "bad.xml"), "release": "3.0", "tags": "reference", "namespace": "http://ns.editeur.org/onix/3.0/reference", "products": 1, "valid": False}
    ]
    (finding,) = [f for f in document["findings"] if f["rule"].startswith("XS")]
    assert finding["rule"].startswith("XS") and finding["line"] == INVALID_LINE
    assert finding["file"] == str(feeds / "bad.xml") and finding["record"] == "com.example.1"


def test_a_missing_path_exits_2(tmp_path):
    result = run(tmp_path / "absent.xml")
    assert result.exit_code == 2
    assert "absent.xml" in result.stderr


@pytest.mark.parametrize("option", [["--format", "yaml"], ["--fail-on", "info"], ["--jobs", "0"], ["--max-findings", "-1"]])
def test_bad_options_exit_2(feeds, option):
    assert run(feeds / "good.xml", *option).exit_code == 2


def test_a_folder_gzip_and_zip_in_one_run(feeds, tmp_path):
    (feeds / "sub").mkdir()
    (feeds / "sub" / "packed.xml.gz").write_bytes(gzip.compress(VALID))
    archive = tmp_path / "drop.zip"
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.writestr("one.xml", VALID)
        zipped.writestr("two.onx", INVALID)
    result = run(feeds, archive, "--format", "json")
    assert result.exit_code == 1
    verdicts = {Path(entry["path"]).name: entry["valid"] for entry in json.loads(result.stdout)["files"]}
    assert verdicts == {"bad.xml": False, "good.xml": True, "packed.xml.gz": True, "drop.zip!one.xml": True, "drop.zip!two.onx": False}


@pytest.mark.parametrize("severity, fail_on, code", [("warning", "error", 0), ("warning", "warning", 1), ("info", "warning", 0), ("error", "error", 1)])
def test_fail_on_sets_the_threshold(feeds, monkeypatch, severity, fail_on, code):
    from onixfeed.findings import Finding, Severity
    from onixfeed.validate import run as runner
    from onixfeed.validate.engine import FileResult

    found = Finding("PR003", "price-without-currency", Severity(severity), "no currency", file="x.xml", line=3)
    monkeypatch.setattr(runner, "iter_results", lambda paths, **options: iter([FileResult("x.xml", findings=[found])]))
    assert run(feeds / "good.xml", "--fail-on", fail_on).exit_code == code


def test_quiet_prints_nothing_on_success_and_only_the_summary_on_failure(feeds):
    assert run(feeds / "good.xml", "--quiet").stdout == ""
    failing = run(feeds / "bad.xml", "--quiet")
    assert failing.exit_code == 1
    assert failing.stdout.count("\n") == 1 and "1 invalid" in failing.stdout


def test_max_findings_limits_the_report_but_not_the_exit_code(tmp_path):
    for number in range(5):
        (tmp_path / f"bad{number}.xml").write_bytes(INVALID)
    result = run(tmp_path, "--max-findings", "2", "--format", "json")
    document = json.loads(result.stdout)
    assert result.exit_code == 1
    assert len(document["findings"]) == 2
    assert document["summary"]["omitted"] == document["summary"]["errors"] + document["summary"]["warnings"] + document["summary"]["info"] - 2
    text = run(tmp_path, "--max-findings", "0")
    assert "--max-findings" in text.stdout.splitlines()[-1]


@pytest.mark.parametrize("format_name", ["json", "junit", "sarif", "github", "text"])
def test_every_format_through_the_command(feeds, format_name):
    result = run(feeds, "--format", format_name)
    assert result.exit_code == 1
    if format_name == "github":
        lines = result.stdout.splitlines()
        assert lines and all(line.startswith("::") for line in lines)
        assert any(line.startswith(f"::error file={feeds / 'bad.xml'},line={INVALID_LINE},") for line in lines)
    elif format_name == "sarif":
        document = json.loads(result.stdout)
        assert document["version"] == "2.1.0"
        assert {r["locations"][0]["physicalLocation"]["region"]["startLine"] for r in document["runs"][0]["results"]} == {INVALID_LINE}
    elif format_name == "junit":
        assert result.stdout.startswith("<?xml") and 'failures="1"' in result.stdout


def test_output_writes_the_report_to_a_file(feeds, tmp_path):
    target = tmp_path / "out" / "report.json"
    target.parent.mkdir()
    result = run(feeds / "bad.xml", "--format", "json", "--output", target)
    assert result.exit_code == 1
    assert json.loads(target.read_text())["files"][0]["valid"] is False
    assert "1 invalid" in result.stdout


def test_output_to_an_unwritable_place_exits_2(feeds, tmp_path):
    assert run(feeds / "good.xml", "--output", tmp_path / "no" / "such" / "dir" / "r.txt").exit_code == 2


def test_no_colour_when_not_a_terminal(feeds):
    assert "\033[" not in run(feeds / "bad.xml").stdout


def run_process(*args, input=None, env=None):
    import os

    environment = {**os.environ, "PYTHONPATH": str(ROOT), **(env or {})}
    return subprocess.run(
        [sys.executable, "-c", "from onixfeed.cli import app; app()", "validate", *map(str, args)],
        input=input,
        capture_output=True,
        env=environment,
        timeout=120,
    )


def test_standard_input_plain_and_gzip():
    plain = run_process("-", "--format", "json", input=INVALID)
    assert plain.returncode == 1 and b"Traceback" not in plain.stderr
    assert json.loads(plain.stdout)["files"][0]["path"] == "-"
    packed = run_process("-", input=gzip.compress(VALID))
    assert packed.returncode == 0, packed.stderr


def test_a_zip_on_standard_input_exits_2():
    import io

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zipped:
        zipped.writestr("a.xml", VALID)
    result = run_process("-", input=buffer.getvalue())
    assert result.returncode == 2 and b"Traceback" not in result.stderr


def run_on_terminal(*args, env):
    """Run the command with standard output on a pseudo-terminal; return what it printed."""
    import os
    import pty

    main, secondary = pty.openpty()
    environment = {key: value for key, value in os.environ.items() if key != "NO_COLOR"}
    environment.update(PYTHONPATH=str(ROOT), **env)
    process = subprocess.Popen(
        [sys.executable, "-c", "from onixfeed.cli import app; app()", "validate", *map(str, args)],
        stdout=secondary,
        stderr=subprocess.PIPE,
        env=environment,
    )
    os.close(secondary)
    chunks = []
    while True:
        try:
            chunk = os.read(main, 4096)
        except OSError:  # the terminal closes when the process ends
            break
        if not chunk:
            break
        chunks.append(chunk)
    process.wait(timeout=120)
    os.close(main)
    return process.returncode, b"".join(chunks).decode()


def test_colour_on_a_terminal_unless_no_color(feeds):
    code, coloured = run_on_terminal(feeds / "bad.xml", env={})
    assert code == 1 and "\033[31m" in coloured
    code, plain = run_on_terminal(feeds / "bad.xml", env={"NO_COLOR": "1"})
    assert code == 1 and "\033[" not in plain


def test_progress_line_only_for_large_sources(monkeypatch):
    import io

    from onixfeed.cli import ProgressLine
    from onixfeed.validate.inputs import Source

    screen = io.StringIO()
    monkeypatch.setattr(sys, "stderr", screen)
    progress = ProgressLine()
    progress.INTERVAL, progress.last = 3600, float("-inf")  # draw now, then throttle whatever the machine speed
    progress(Source("small.xml", "small.xml", size=1000), 500, 1)
    assert screen.getvalue() == ""
    progress(Source("big.xml.gz", "big.xml.gz", size=ProgressLine.MIN_BYTES), 123_000_000, 4567)
    assert "big.xml.gz" in screen.getvalue() and "4,567" in screen.getvalue()
    progress(Source("-", None), 1, 1)  # throttled: drawn at most every INTERVAL seconds
    assert "-:" not in screen.getvalue()
    progress.clear()
    assert screen.getvalue().endswith("\r\033[K")


def test_no_progress_when_standard_error_is_not_a_terminal(feeds):
    result = run_process(feeds / "good.xml")
    assert result.returncode == 0 and result.stderr == b""


def test_an_empty_folder_or_no_path_exits_2(tmp_path):
    assert run(tmp_path).exit_code == 2
    assert CliRunner().invoke(app, ["validate"]).exit_code == 2
