"""`onixfeed rules` and the native rules inside `onixfeed validate` (on by default, --no-rules)."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from onixfeed.cli import app
from onixfeed.validate.rules import registry

FIXTURES = Path(__file__).resolve().parent / "fixtures"
runner = CliRunner()


def test_rules_lists_every_rule_with_its_default_severity():
    result = runner.invoke(app, ["rules"])
    assert result.exit_code == 0
    rows = {line.split()[0]: line.split() for line in result.output.splitlines() if line.strip()}
    assert set(rows) == {rule.code for rule in registry()}
    assert rows["ID001"][1] == "isbn13-invalid" and "error" in rows["ID001"]
    assert "warning" in rows["BP001"]


def test_rules_code_explains_one_rule_with_its_sections():
    result = runner.invoke(app, ["rules", "dt001"])
    assert result.exit_code == 0
    assert result.output.startswith("DT001 date-format-mismatch")
    for section in ("Checks:", "Why:", "Pass:", "Fail:"):
        assert section in result.output


def test_rules_unknown_code_is_a_usage_error():
    result = runner.invoke(app, ["rules", "ZZ999"])
    assert result.exit_code == 2


def _rule_codes(args: list[str]) -> tuple[int, list[str]]:
    result = runner.invoke(app, ["validate", str(FIXTURES / "isbn13-wrong-check-digit.xml"), "-j", "1", "-f", "json",
                                 *args])
    findings = json.loads(result.output)["findings"]
    return result.exit_code, [finding["rule"] for finding in findings]


def test_validate_runs_the_rules_by_default():
    code, rules = _rule_codes([])
    assert (code, rules) == (1, ["ID001"])


def test_validate_no_rules_leaves_only_the_schema():
    code, rules = _rule_codes(["--no-rules"])
    assert (code, rules) == (0, [])


def test_validate_profile_applies_rules_unless_no_rules():
    assert _rule_codes(["--profile", "onix-3.0"]) == (1, ["ID001"])
    assert _rule_codes(["--profile", "onix-3.0", "--no-rules"]) == (0, [])


def test_validate_reports_a_code_outside_its_list_once(tmp_path):
    """The XSD's XS002 speaks for a code outside its list; CL002/CL003, the list type and the
    identity constraint that value spoils add no second finding."""
    from bench import agreement
    from lxml import etree

    product = etree.fromstring(agreement.BASE_PRODUCT)
    product.find("NotificationType").text = "3"  # malformed
    product.find("DescriptiveDetail/ProductForm").text = "BX"  # the shape of list 150: may be newer
    product.find("PublishingDetail/SalesRights[2]/Territory/CountriesExcluded").text = "GB IE QQ"  # a list item
    product.find("CollateralDetail/TextContent/Text").set("language", "qqx")  # an attribute, part of a key
    path = tmp_path / "codes.xml"
    path.write_bytes(agreement._message(agreement.HEADERS["plain"], [product]))
    result = runner.invoke(app, ["validate", str(path), "-j", "1", "-f", "json"])
    findings = [(f["rule"], f["line"]) for f in json.loads(result.output)["findings"] if f["rule"][:2] in ("XS", "CL")]
    assert result.exit_code == 1
    lines = {f"{element.tag}": element.sourceline for element in etree.fromstring(path.read_bytes()).iter()
             if isinstance(element.tag, str)}
    assert sorted(findings) == sorted([("XS002", 5), ("XS002", 10),
                                       ("XS002", lines["{%s}CountriesExcluded" % agreement.NS]),
                                       ("XS002", lines["{%s}Text" % agreement.NS])])


def test_rules_json_gives_every_rule_with_its_sections():
    result = runner.invoke(app, ["rules", "--format", "json"])
    assert result.exit_code == 0
    listed = json.loads(result.output)
    by_code = {rule["code"]: rule for rule in listed["rules"]}
    assert set(by_code) == {rule.code for rule in registry()}
    assert by_code["ID001"]["severity"] == "error" and by_code["BP001"]["severity"] == "warning"
    assert set(by_code["DT001"]["sections"]) == {"checks", "why", "pass", "fail"}
    one = json.loads(runner.invoke(app, ["rules", "tx011", "-f", "json"]).output)["rules"]
    assert [rule["code"] for rule in one] == ["TX011"]


def test_rules_profile_shows_that_profiles_severities(tmp_path):
    recipient = tmp_path / "strict-recipient.yaml"
    recipient.write_text("rules: {BP001: error, DT006: \"off\"}\n", encoding="utf-8")
    result = runner.invoke(app, ["rules", "-f", "json", "--profile", str(recipient)])
    assert result.exit_code == 0, result.output
    listed = json.loads(result.output)
    assert listed["severities_from"] == f"profile {recipient}"
    levels = {rule["code"]: rule["severity"] for rule in listed["rules"]}
    assert (levels["BP001"], levels["DT006"], levels["ID001"]) == ("error", "off", "error")
    text = runner.invoke(app, ["rules", "BP001", "--profile", str(recipient)]).output
    assert "severity: error (profile" in text


def test_rules_bad_format_or_profile_is_a_usage_error():
    assert runner.invoke(app, ["rules", "--format", "xml"]).exit_code == 2
    assert runner.invoke(app, ["rules", "--profile", "no-such-recipient"]).exit_code == 2
