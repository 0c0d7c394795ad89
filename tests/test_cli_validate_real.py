"""`onixfeed validate` over 72 real-world ONIX files: the official XSD's verdict, no crash."""

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from onixfeed.cli import app

SHARED = Path(__file__).resolve().parents[2] / "shared"
REAL = SHARED / "real-onix"


@pytest.fixture(scope="module")
def manifest():
    if not (REAL / "manifest.json").is_file():
        pytest.skip(f"{REAL} is absent (the shared real-world ONIX files live beside the clone)")
    return {entry["file"]: entry for entry in json.loads((REAL / "manifest.json").read_text())}


@pytest.fixture(scope="module")
def report(manifest):
    result = CliRunner().invoke(app, ["validate", "--format", "json", str(REAL)])
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert result.exit_code == 1  # some of the files are invalid
    return json.loads(result.stdout)


def schema_errors(report, path):
    """Errors from parsing and the schema (XS) or reading (IN): the official XSD's ground."""
    return [
        f for f in report["findings"] if f["file"] == path and f["severity"] == "error" and f["rule"][:2] in ("XS", "IN")
    ]


def test_every_file_is_reported(manifest, report):
    assert sorted(Path(entry["path"]).name for entry in report["files"]) == sorted(manifest)


def test_schema_verdict_matches_the_official_xsd(manifest, report):
    disagreements = {}
    for entry in report["files"]:
        expected = manifest[Path(entry["path"]).name]
        errors = schema_errors(report, entry["path"])
        if (not errors) != expected["xsd_valid"]:
            disagreements[Path(entry["path"]).name] = (expected["xsd_valid"], [e["rule"] for e in errors][:3])
    assert disagreements == {}


def test_well_formedness_matches_lxml(manifest, report):
    for entry in report["files"]:
        expected = manifest[Path(entry["path"]).name]
        not_parsed = any(f["rule"] == "XS000" for f in schema_errors(report, entry["path"]))
        assert not_parsed == (not expected["well_formed_lxml"]), entry["path"]


def test_release_and_tags_as_the_manifest_says(manifest, report):
    for entry in report["files"]:
        expected = manifest[Path(entry["path"]).name]
        if expected["well_formed_lxml"] and expected["validated_as"]:
            assert (entry["release"], entry["tags"]) == (expected["validated_as"], expected["tags"]), entry["path"]
            assert entry["products"] == expected["products"], entry["path"]


def test_every_format_renders_the_real_files(manifest):
    from lxml import etree

    import onixfeed.validate as api
    from onixfeed.report import Report, render
    from test_report import sarif_shape_errors

    report = Report.of(api.results(REAL))
    assert sarif_shape_errors(json.loads(render(report, "sarif"))) == []
    junit = etree.fromstring(render(report, "junit").encode("utf-8"))
    assert len(junit.findall("testsuite")) == len(manifest)
    annotations = render(report, "github").splitlines()
    assert len(annotations) == len(report.findings)
    assert all(line.startswith(("::error ", "::warning ", "::notice ")) and "\r" not in line for line in annotations)
    assert render(report, "text").splitlines()[-1].startswith(f"{len(manifest)} files")
