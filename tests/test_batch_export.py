"""`export --to`: one feed per recipient, findings per recipient, limits kept, manifest per run."""

from __future__ import annotations

import datetime
import hashlib
import json
import shutil
from pathlib import Path

import pytest
from lxml import etree
from typer.testing import CliRunner

from onixfeed import batch, profile
from onixfeed.cli import app
from onixfeed.config import load_config
from onixfeed.recipients import export_to
from onixfeed.validate import rules

REPO = Path(__file__).resolve().parents[1]
NOW = datetime.datetime(2026, 2, 1, 8, 0, 0, tzinfo=datetime.timezone.utc)


@pytest.fixture()
def project(tmp_path, monkeypatch):
    """The example records with two project profiles: one takes anything, one only e-books (ED)."""
    shutil.copytree(REPO / "records", tmp_path / "records")
    (tmp_path / "onixfeed.toml").write_text('[sender]\nname = "Example Press"\n\n[profiles]\npath = "profiles"\n')
    (tmp_path / "profiles").mkdir()
    # native rules off, so that only these profiles' own requirements decide (the rules have their own tests)
    quiet = "rules:\n" + "".join(f"  {code}: \"off\"\n" for code in rules.rules_by_code())
    (tmp_path / "profiles" / "lenient.yaml").write_text(
        "extends: onix-3.0\nbatch:\n  max_products: 2\n  name: 'lenient_{utc}_{seq:02d}.xml'\n" + quiet)
    (tmp_path / "profiles" / "ebooks-only.yaml").write_text(
        "extends: onix-3.0\nversion: '4'\n" + quiet + "require:\n"
        "  - {id: ebook, path: DescriptiveDetail/ProductForm, codes: [ED], message: only e-books, source: test}\n")
    monkeypatch.setenv("ONIXFEED_CONFIG", str(tmp_path / "onixfeed.toml"))
    monkeypatch.chdir(tmp_path)
    return tmp_path


def run(project: Path, names: str, skip_invalid: bool):
    config = load_config()
    return export_to([project / "records"], project / "feeds", config, profile.load_many(names, config),
                     skip_invalid=skip_invalid, workers=1, now=NOW)


def records_in(path: Path) -> list[tuple[str, str]]:
    root = etree.parse(str(path)).getroot()
    return [(p.findtext("{*}RecordReference"), p.findtext("{*}DescriptiveDetail/{*}ProductForm"))
            for p in root.iterfind("{*}Product")]


def test_a_rejected_product_blocks_only_its_recipient(project):
    result = run(project, "ebooks-only,lenient", skip_invalid=False)
    strict, lenient = result.recipients
    assert strict.findings and {f.rule for f in strict.findings} == {"PF003"}
    assert all(f.message.startswith("ebooks-only: ") for f in strict.findings)
    assert strict.run.blocked and strict.run.files == [] and not (project / "feeds" / "ebooks-only").exists()
    assert not lenient.run.blocked and lenient.findings == []
    written = [record for f in lenient.run.files for record, _ in records_in(f.path)]
    assert len(written) == lenient.products == len(set(written)) > 2
    assert all(len(f.records) <= 2 for f in lenient.run.files)


def test_with_skip_invalid_the_rejected_products_are_left_out(project):
    result = run(project, "ebooks-only,lenient", skip_invalid=True)
    strict, lenient = result.recipients
    kept = [entry for f in strict.run.files for entry in records_in(f.path)]
    assert kept and all(form == "ED" for _, form in kept)
    assert sorted(strict.rejected) == sorted(strict.run.skipped) and strict.rejected
    assert {f.record for f in strict.findings} == set(strict.rejected)
    assert len(kept) + len(strict.rejected) == lenient.products


def test_every_file_is_valid_numbered_and_listed_in_the_manifest(project):
    result = run(project, "ebooks-only,lenient", skip_invalid=True)
    data = json.loads(result.manifest.read_text())
    assert [(r["profile"], r["profile_version"]) for r in data["recipients"]] == [("ebooks-only", "4"), ("lenient", "1")]
    numbers = []
    for entry in data["recipients"]:
        for listed in entry["files"]:
            path = project / "feeds" / entry["recipient"] / listed["file"]
            content = path.read_bytes()
            assert listed["sha256"] == hashlib.sha256(content).hexdigest() and listed["bytes"] == len(content)
            assert batch.schema_errors(content, "3.0", "reference") == []
            assert [record for record, _ in records_in(path)] == listed["records"]
            numbers.append((entry["recipient"], listed["message_number"]))
    lenient_numbers = [n for who, n in numbers if who == "lenient"]
    assert lenient_numbers == list(range(1, len(lenient_numbers) + 1))
    # the next run numbers its messages on from the last one, per recipient
    later = export_to([project / "records"], project / "feeds", load_config(), [profile.load("lenient")],
                      workers=1, now=NOW + datetime.timedelta(minutes=1))
    assert later.recipients[0].run.files[0].message_number == lenient_numbers[-1] + 1


def test_export_to_on_the_command_line(project):
    runner = CliRunner()
    blocked = runner.invoke(app, ["export", "--to", "ebooks-only,lenient", "-j", "1", "--format", "json"])
    assert blocked.exit_code == 1
    report = json.loads(blocked.stdout)
    assert report["summary"]["errors"] > 0
    skipped = runner.invoke(app, ["export", "--to", "lenient", "-j", "1"])
    assert skipped.exit_code == 0
    assert runner.invoke(app, ["export", "--to", "nobody"]).exit_code == 2
    assert runner.invoke(app, ["export", "--to", "lenient", "--format", "yaml"]).exit_code == 2


def test_export_to_reports_a_broken_record_under_its_own_file_in_every_format(project):
    record = project / "records" / "bread-at-home.yaml"
    record.write_text(record.read_text(encoding="utf-8").replace('isbn: "9781807654320"', 'isbn: "9781807654321"'),
                      encoding="utf-8")
    runner = CliRunner()
    options = ["export", "--to", "lenient", "-j", "1", "--skip-invalid", "--format"]
    report = json.loads(runner.invoke(app, options + ["json"]).stdout)
    broken = [f for f in report["findings"] if f["rule"] == "RC004"]
    assert [Path(f["file"]).name for f in broken] == ["bread-at-home.yaml"]
    assert str(record) in [entry["path"] for entry in report["files"]]
    junit = etree.fromstring(runner.invoke(app, options + ["junit"]).stdout.encode())
    suites = {suite.get("name"): suite for suite in junit.iter("testsuite")}
    assert suites[str(record)].findall(".//failure")
