"""Reports: text, JSON, JUnit, SARIF 2.1.0 and GitHub annotations from the same results."""

import json

import pytest
from lxml import etree

from onixfeed.findings import Finding, Severity
from onixfeed.report import FORMAT_NAMES, Report, github, render, sarif, summary_line
from onixfeed.validate.engine import FileResult


def finding(rule, severity, line, record=None, file="feeds/a.xml", message="bad value", column=None):
    return Finding(rule, f"name-of-{rule.lower()}", severity, message, file=file, line=line, record=record, column=column, xpath="/ONIXMessage/Product[1]")


@pytest.fixture
def results():
    dirty = FileResult(
        "feeds/a.xml",
        release="3.0",
        tags="reference",
        products=3,
        findings=[
            finding("XS001", Severity.ERROR, 40, record="rec-2"),
            finding("PR003", Severity.WARNING, 12, record="rec-1", column=7),
            finding("HD001", Severity.INFO, 3),
            finding("ID002", Severity.ERROR, 44, record="rec-2"),
        ],
    )
    clean = FileResult("feeds/b.xml", release="3.1", tags="short", products=2)
    archived = FileResult("drop.zip!inner.xml", findings=[finding("XS000", Severity.ERROR, 1, file="drop.zip!inner.xml")])
    return [dirty, clean, archived]


def test_report_sorts_and_counts(results):
    report = Report.of(results)
    assert [(f.file, f.line) for f in report.findings] == [
        ("drop.zip!inner.xml", 1),
        ("feeds/a.xml", 3),
        ("feeds/a.xml", 12),
        ("feeds/a.xml", 40),
        ("feeds/a.xml", 44),
    ]
    summary = report.summary()
    assert (summary["files"], summary["valid"], summary["invalid"], summary["products"]) == (3, 1, 2, 5)
    assert (summary["errors"], summary["warnings"], summary["info"], summary["omitted"]) == (3, 1, 1, 0)


def test_max_findings_keeps_the_first_and_counts_the_rest(results):
    report = Report.of(results, max_findings=2)
    assert len(report.findings) == 2 and report.omitted == 3
    assert report.summary()["errors"] == 3  # counts cover every finding, shown or not
    assert "3" in summary_line(report) and "--max-findings" in summary_line(report)


def test_text_groups_by_file_then_product(results):
    out = render(Report.of(results), "text")
    lines = out.splitlines()
    a = lines.index(next(line for line in lines if line.startswith("feeds/a.xml")))
    body = lines[a + 1 : a + 8]
    assert [line.strip().split()[0] for line in body] == ["message", "3", "product", "12:7", "product", "40", "44"]
    assert "feeds/b.xml" not in out  # clean files do not clutter the listing
    assert "\033[" not in out
    assert lines[-1] == summary_line(Report.of(results))


def test_text_colour_only_when_asked(results):
    coloured = render(Report.of(results), "text", colour=True)
    assert "\033[31m" in coloured and "\033[33m" in coloured


def test_json_has_the_documented_keys(results):
    document = json.loads(render(Report.of(results), "json"))
    assert [f["path"] for f in document["files"]] == ["feeds/a.xml", "feeds/b.xml", "drop.zip!inner.xml"]
    assert document["files"][0] == {"path": "feeds/a.xml", "release": "3.0", "tags": "reference", "namespace": None, "products": 3, "valid": False}
    assert document["files"][1]["valid"] is True
    keys = {"rule", "name", "severity", "message", "file", "line", "xpath", "record"}
    assert all(keys <= set(f) for f in document["findings"])
    assert {f["severity"] for f in document["findings"]} == {"error", "warning", "info"}


def test_junit_has_a_case_per_product(results):
    root = etree.fromstring(render(Report.of(results), "junit").encode())
    suites = {suite.get("name"): suite for suite in root.iter("testsuite")}
    a = suites["feeds/a.xml"]
    assert [case.get("name") for case in a.iter("testcase")] == ["message", "product rec-1", "product rec-2", "product #3"]
    assert a.get("tests") == "4" and a.get("failures") == "2"  # info alone does not fail the message case
    failure = a.find("testcase[@name='product rec-2']/failure")
    assert failure.get("type") == "error" and "XS001" in failure.text and "ID002" in failure.text
    b = suites["feeds/b.xml"]
    assert (b.get("tests"), b.get("failures")) == ("2", "0")
    assert root.get("tests") == str(4 + 2 + 1) and root.get("failures") == "3"


def sarif_shape_errors(document) -> list[str]:
    """Check a document against the parts of the SARIF 2.1.0 shape that code scanning requires."""
    problems = []
    if document.get("version") != "2.1.0":
        problems.append("version")
    if "sarif-2.1.0" not in document.get("$schema", ""):
        problems.append("$schema")
    runs = document.get("runs")
    if not isinstance(runs, list) or not runs:
        return problems + ["runs"]
    for run in runs:
        driver = run.get("tool", {}).get("driver", {})
        if not isinstance(driver.get("name"), str):
            problems.append("driver.name")
        rules = driver.get("rules")
        if not isinstance(rules, list) or not all(isinstance(rule.get("id"), str) for rule in rules):
            problems.append("driver.rules")
        rule_ids = [rule["id"] for rule in rules or []]
        for result in run.get("results", None) or []:
            if result.get("ruleId") not in rule_ids:
                problems.append(f"ruleId {result.get('ruleId')}")
            if "ruleIndex" in result and rule_ids[result["ruleIndex"]] != result["ruleId"]:
                problems.append("ruleIndex")
            if result.get("level") not in ("none", "note", "warning", "error"):
                problems.append("level")
            if not isinstance(result.get("message", {}).get("text"), str):
                problems.append("message.text")
            for location in result.get("locations") or [None]:
                physical = (location or {}).get("physicalLocation", {})
                if not isinstance(physical.get("artifactLocation", {}).get("uri"), str):
                    problems.append("artifactLocation.uri")
                line = physical.get("region", {}).get("startLine")
                if not isinstance(line, int) or line < 1:
                    problems.append("region.startLine")
        if not isinstance(run.get("results"), list):
            problems.append("results")
    return problems


def test_sarif_has_the_2_1_0_shape(results):
    document = json.loads(render(Report.of(results), "sarif"))
    assert sarif_shape_errors(document) == []
    run = document["runs"][0]
    assert [rule["id"] for rule in run["tool"]["driver"]["rules"]] == ["HD001", "ID002", "PR003", "XS000", "XS001"]
    levels = {result["ruleId"]: result["level"] for result in run["results"]}
    assert levels == {"XS000": "error", "HD001": "note", "PR003": "warning", "XS001": "error", "ID002": "error"}
    uris = {result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for result in run["results"]}
    assert uris == {"feeds/a.xml", "drop.zip"}


def test_sarif_shape_check_catches_a_broken_document(results):
    document = json.loads(render(Report.of(results), "sarif"))
    del document["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]
    document["runs"][0]["results"][1]["level"] = "fatal"
    assert sarif_shape_errors(document) == ["region.startLine", "level"]


def test_sarif_line_unknown_still_has_a_region_and_stdin_a_uri():
    report = Report.of([FileResult("-", findings=[Finding("IN001", "unreadable-input", Severity.ERROR, "gone", file="-")])])
    document = json.loads(sarif.render(report))
    location = document["runs"][0]["results"][0]["locations"][0]["physicalLocation"]
    assert location == {"artifactLocation": {"uri": "stdin"}, "region": {"startLine": 1}}


def test_sarif_encodes_spaces_and_absolute_paths():
    assert sarif.uri_of("my feeds/a b.xml") == "my%20feeds/a%20b.xml"
    assert sarif.uri_of("/data/x.zip!y.xml") == "file:///data/x.zip"


def test_github_annotations_and_escaping():
    tricky = Finding("XS001", "schema-violation", Severity.ERROR, "100% bad\r\nsecond line", file="dir,1/a:b.xml", line=9, column=4, record="r1")
    note = Finding("HD001", "header-note", Severity.INFO, "fine", file="x.zip!m.xml", line=None)
    out = github.render(Report.of([FileResult("dir,1/a:b.xml", findings=[tricky]), FileResult("x.zip!m.xml", findings=[note])]))
    first, second = out.splitlines()
    assert first == "::error file=dir%2C1/a%3Ab.xml,line=9,col=4,title=XS001 schema-violation::100%25 bad%0D%0Asecond line (record r1)"
    assert second.startswith("::notice file=x.zip,title=HD001 header-note::x.zip!m.xml: ")


def test_github_escapes_percent_before_the_rest():
    assert github.escape_property("50%:a,b\n") == "50%25%3Aa%2Cb%0A"
    assert github.escape_data("a:b,c%") == "a:b,c%25"


@pytest.mark.parametrize("format_name", FORMAT_NAMES)
def test_every_format_renders_an_empty_run(format_name):
    out = render(Report.of([]), format_name)
    assert isinstance(out, str)


def test_text_keeps_products_with_the_same_record_reference_apart():
    twice = [finding("XS001", Severity.ERROR, 10, record="same"), finding("PR003", Severity.ERROR, 20, record=None),
             finding("ID002", Severity.ERROR, 30, record="same")]
    lines = render(Report.of([FileResult("feeds/a.xml", findings=twice)]), "text").splitlines()
    assert [line.strip().split()[0] for line in lines[1:7]] == ["product", "10", "message", "20", "product", "30"]
