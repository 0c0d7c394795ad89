"""`onixfeed validate --strict-xsd PATH`: strict findings beside the others, exit codes, severities."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from onixfeed.cli import app
from onixfeed.validate import strict

SHARED = Path(__file__).resolve().parents[2] / "shared" / "editeur"
NS = "http://ns.editeur.org/onix/3.0/reference"
HEADER = "<Header><Sender><SenderName>Example Press</SenderName></Sender><SentDateTime>20260115</SentDateTime></Header>"


def feed(isbn: str, text: str = "A study.") -> str:
    return f"""<ONIXMessage xmlns="{NS}" release="3.0">
{HEADER}
<Product>
  <RecordReference>r1</RecordReference>
  <NotificationType>03</NotificationType>
  <ProductIdentifier><ProductIDType>15</ProductIDType><IDValue>{isbn}</IDValue></ProductIdentifier>
  <DescriptiveDetail>
    <ProductComposition>00</ProductComposition>
    <ProductForm>BC</ProductForm>
    <TitleDetail><TitleType>01</TitleType><TitleElement><TitleElementLevel>01</TitleElementLevel><TitleText>T</TitleText></TitleElement></TitleDetail>
    <NoContributor/>
    <Language><LanguageRole>01</LanguageRole><LanguageCode>eng</LanguageCode></Language>
  </DescriptiveDetail>
  <CollateralDetail><TextContent><TextType>03</TextType><ContentAudience>00</ContentAudience><Text>{text}</Text></TextContent></CollateralDetail>
  <PublishingDetail>
    <Publisher><PublishingRole>01</PublishingRole><PublisherName>Example Press</PublisherName></Publisher>
    <PublishingStatus>04</PublishingStatus>
    <SalesRights><SalesRightsType>01</SalesRightsType><Territory><RegionsIncluded>WORLD</RegionsIncluded></Territory></SalesRights>
  </PublishingDetail>
</Product>
</ONIXMessage>
"""


@pytest.fixture(scope="module", autouse=True)
def needs_strict_xsd():
    if not (SHARED / strict.STRICT_FILES["3.0"]).is_file():
        pytest.skip(f"EDItEUR's strict XSD is not available in {SHARED}")


def validate(*args):
    result = CliRunner().invoke(app, ["validate", "--format", "json", "--jobs", "1", *map(str, args)])
    findings = json.loads(result.stdout)["findings"] if result.exit_code in (0, 1) else []
    return result, findings


def test_strict_findings_join_the_report(tmp_path):
    good, bad = tmp_path / "good.xml", tmp_path / "bad.xml"
    good.write_text(feed("9780306406157"))
    bad.write_text(feed("9780306406150"))
    result, findings = validate(good, "--strict-xsd", SHARED)
    assert result.exit_code == 0 and [f["rule"] for f in findings if f["rule"].startswith("SX")] == []
    result, findings = validate(bad, "--strict-xsd", SHARED)
    assert result.exit_code == 1
    strict_findings = [f for f in findings if f["rule"].startswith("SX")]
    assert [(f["rule"], f["severity"], f["line"], f["record"]) for f in strict_findings] == [
        ("SX_20171126_c_14", "error", 6, "r1")]


def test_strict_only_problem_fails_the_run(tmp_path):
    # Whitespace-only text: EDItEUR's strict XSD rejects it (_20180517_b_*), the XSD 1.0 does not
    # (the native rule TX006 does too, so the rules are off here to leave the strict XSD alone).
    path = tmp_path / "blank.xml"
    path.write_text(feed("9780306406157", text=" "))
    result, findings = validate(path, "--no-rules")
    assert result.exit_code == 0
    result, findings = validate(path, "--no-rules", "--strict-xsd", SHARED)
    assert result.exit_code == 1
    assert any(f["rule"].startswith("SX_20180517_b_") for f in findings)


def test_profile_sets_strict_severities(tmp_path):
    path = tmp_path / "blank.xml"
    path.write_text(feed("9780306406157", text=" "))
    profile = tmp_path / "lenient.yaml"
    profile.write_text("extends: onix-3.0\ndescription: strict findings as warnings\nrules:\n  SX: warning\n")
    result, findings = validate(path, "--no-rules", "--strict-xsd", SHARED, "--profile", profile)
    assert result.exit_code == 0, result.output
    assert {f["severity"] for f in findings if f["rule"].startswith("SX")} == {"warning"}


def test_release_21_gets_a_not_run_warning(tmp_path):
    path = tmp_path / "old.xml"
    path.write_text('<ONIXMessage release="2.1"><Header><FromCompany>X</FromCompany><SentDate>20260115</SentDate></Header></ONIXMessage>')
    result, findings = validate(path, "--strict-xsd", SHARED)
    assert result.exit_code in (0, 1)
    assert [(f["rule"], f["severity"]) for f in findings if f["rule"].startswith("SX")] == [("SX001", "warning")]


def test_unusable_strict_paths_exit_2(tmp_path):
    path = tmp_path / "good.xml"
    path.write_text(feed("9780306406157"))
    result, _ = validate(path, "--strict-xsd", tmp_path / "missing")
    assert result.exit_code == 2 and "missing" in result.output
    result = CliRunner().invoke(app, ["validate", "-", "--strict-xsd", str(SHARED)], input=feed("9780306406157"))
    assert result.exit_code == 2
    broken = tmp_path / "broken.xsd"
    broken.write_text(f'<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" targetNamespace="{NS}"><xs:element')
    result, _ = validate(path, "--strict-xsd", broken)
    assert result.exit_code == 2 and "broken.xsd" in result.output
