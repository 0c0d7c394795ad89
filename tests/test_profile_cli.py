"""`onixfeed profiles list|show|check` and `onixfeed validate --profile`: output and exit codes."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from onixfeed.cli import app

EXAMPLE = Path(__file__).resolve().parent / "fixtures" / "profiles" / "ebook-good.xml"
runner = CliRunner()


def test_list_names_every_built_in_profile():
    result = runner.invoke(app, ["profiles", "list"])
    assert result.exit_code == 0
    names = {line.split()[0] for line in result.output.splitlines()}
    assert {"onix-3.0", "onix-3.1", "google-play-books", "kobo", "booknet-canada", "vlb", "amazon"} <= names


def test_show_gives_each_value_with_its_file_and_source():
    result = runner.invoke(app, ["profiles", "show", "google-play-books", "--format", "json"])
    assert result.exit_code == 0
    data = json.loads(result.output)
    rows = {row["key"]: row for row in data["values"]}
    assert rows["header.sent_date_time"]["value"] == "date-time"
    assert rows["header.sent_date_time"]["file"].endswith("google-play-books.yaml")
    assert "answer/6374180" in rows["header.sent_date_time"]["source"]
    assert rows["batch.name"]["file"].endswith("onix-3.0.yaml")
    assert data["unknown"]


def test_show_an_unknown_profile_exits_2():
    assert runner.invoke(app, ["profiles", "show", "nobody"]).exit_code == 2


def test_check_exit_codes(tmp_path):
    good = tmp_path / "good.yaml"
    good.write_text("extends: kobo\nbatch:\n  max_products: 100\n")
    bad = tmp_path / "bad.yaml"
    bad.write_text("extends: kobo\nbatch:\n  max_product: 100\n")
    assert runner.invoke(app, ["profiles", "check", str(good)]).exit_code == 0
    result = runner.invoke(app, ["profiles", "check", str(bad)])
    assert result.exit_code == 1 and "batch.max_product" in result.output
    assert runner.invoke(app, ["profiles", "check", str(tmp_path / "missing.yaml")]).exit_code == 2


def test_validate_with_a_profile_reports_its_requirements(tmp_path):
    assert runner.invoke(app, ["validate", "--profile", "google-play-books", str(EXAMPLE)]).exit_code == 0
    broken = tmp_path / "broken.xml"
    broken.write_text(EXAMPLE.read_text().replace("<SubjectSchemeIdentifier>10<", "<SubjectSchemeIdentifier>93<"))
    result = runner.invoke(app, ["validate", "--profile", "google-play-books", "--format", "json", str(broken)])
    assert result.exit_code == 1
    assert "PF001" in result.output
    plain = runner.invoke(app, ["validate", str(broken)])
    assert plain.exit_code == 0 and "PF001" not in plain.output


def test_validate_with_an_unknown_profile_exits_2():
    assert runner.invoke(app, ["validate", "--profile", "nobody", str(EXAMPLE)]).exit_code == 2
