"""`onixfeed export` runs the native rules after the schema; the example records satisfy Google and Kobo."""

import json
import shutil
from pathlib import Path

import pytest
from lxml import etree
from typer.testing import CliRunner

from onixfeed import export as export_module
from onixfeed import profile, schemas, transform
from onixfeed.cli import app
from onixfeed.config import load_config
from onixfeed.product_checks import plain_product

REPO = Path(__file__).resolve().parents[1]
RECORDS = REPO / "records"
SEED = "russias-relations-with-kazakhstan.yaml"
SEED_ISBN = "9780367874827"
NS = {"o": "http://ns.editeur.org/onix/3.0/reference"}
RECORD = """\
title: A Title
publisher: Example Press
formats:
  - form: paperback
    isbn: 978-1-912345-61-8
"""
# exclusive rights in one country and nothing said of the rest of the world: TE007, an error
NO_ROW_RIGHTS = RECORD + "sales_rights:\n  - {type: exclusive, countries: [GB]}\n"
# a RecordReference that is the ISBN itself: BP002, a warning
ISBN_REFERENCE = RECORD + "    reference: \"9781912345618\"\n"


@pytest.fixture
def project(tmp_path, monkeypatch):
    """A project folder with its own onixfeed.toml and state folder."""
    config = tmp_path / "onixfeed.toml"
    config.write_text(
        '[sender]\nname = "Test Sender"\ncontact = "Desk"\nemail = "desk@example.com"\n'
        '[defaults]\nlanguage = "eng"\ncurrency = "GBP"\n',
        encoding="utf-8",
    )
    monkeypatch.setenv("ONIXFEED_CONFIG", str(config))
    monkeypatch.chdir(tmp_path)
    (tmp_path / "in").mkdir()
    return tmp_path


def run(*args):
    result = CliRunner().invoke(app, ["export", *map(str, args)])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result


def report(result) -> list[dict]:
    return json.loads(result.stdout)["findings"]


def feeds(folder: Path) -> list[Path]:
    return sorted(folder.glob("*.xml"))


def isbns(feed: Path) -> list[str]:
    return [n.text for n in etree.parse(str(feed)).iterfind("o:Product/o:ProductIdentifier/o:IDValue", NS)]


def write(project: Path, name: str, text: str) -> None:
    (project / "in" / name).write_text(text, encoding="utf-8")


def test_a_rule_error_blocks_the_feed_with_the_rules_code(project):
    write(project, "rights.yaml", NO_ROW_RIGHTS)
    shutil.copy(RECORDS / SEED, project / "in")
    result = run(project / "in", "--out", project / "feeds", "--format", "json", "-j", "1")
    assert result.exit_code == 1
    found = [(f["rule"], f["severity"], Path(f["file"]).name) for f in report(result)]
    assert found == [("TE007", "error", "rights.yaml")]
    assert feeds(project / "feeds") == []


def test_skip_invalid_leaves_the_product_that_breaks_a_rule_out(project):
    write(project, "rights.yaml", NO_ROW_RIGHTS)
    shutil.copy(RECORDS / SEED, project / "in")
    result = run(project / "in", "--out", project / "feeds", "--skip-invalid", "--format", "json")
    assert result.exit_code == 1
    assert {f["rule"] for f in report(result)} == {"TE007"}
    [feed] = feeds(project / "feeds")
    assert isbns(feed) == [SEED_ISBN]


def test_a_warning_is_reported_and_the_feed_still_written(project):
    write(project, "reference.yaml", ISBN_REFERENCE)
    result = run(project / "in", "--out", project / "feeds", "--format", "json")
    assert result.exit_code == 0
    assert [(f["rule"], f["severity"]) for f in report(result)] == [("BP002", "warning")]
    [feed] = feeds(project / "feeds")
    assert isbns(feed) == ["9781912345618"]
    assert run(project / "in", "--out", project / "again", "--fail-on", "warning").exit_code == 1
    assert len(feeds(project / "again")) == 1  # --fail-on changes the exit code, not the feed


def test_no_rules_skips_them(project):
    write(project, "rights.yaml", NO_ROW_RIGHTS)
    result = run(project / "in", "--out", project / "feeds", "--no-rules", "--format", "json")
    assert result.exit_code == 0 and report(result) == []
    assert len(feeds(project / "feeds")) == 1


@pytest.mark.parametrize("output_format", ["text", "junit", "sarif", "github"])
def test_every_report_format_carries_the_rule_code(project, output_format):
    write(project, "rights.yaml", NO_ROW_RIGHTS)
    result = run(project / "in", "--out", project / "feeds", "--format", output_format)
    assert result.exit_code == 1 and "TE007" in result.stdout


def test_bad_format_fail_on_and_check_for_with_to_exit_2(project):
    write(project, "a.yaml", RECORD)
    assert run(project / "in", "--format", "yaml").exit_code == 2
    assert run(project / "in", "--fail-on", "info").exit_code == 2
    assert run(project / "in", "--check-for", "nobody").exit_code == 2
    assert run(project / "in", "--to", "kobo", "--check-for", "kobo").exit_code == 2


def same_gtin(product: etree._Element) -> None:
    """A step giving every product the same GTIN-13: a cross-product duplicate (ID012)."""
    identifier = etree.SubElement(product, product[0].tag.replace("RecordReference", "ProductIdentifier"))
    product.insert(2, identifier)
    for name, value in (("ProductIDType", "03"), ("IDValue", "9781912345618")):
        etree.SubElement(identifier, identifier.tag.replace("ProductIdentifier", name)).text = value


def test_a_message_level_rule_blocks_the_feed_even_with_skip_invalid(project):
    write(project, "a.yaml", RECORD)
    write(project, "b.yaml", RECORD.replace("61-8", "62-5").replace("A Title", "Another"))
    result = export_module.export([project / "in"], project / "feeds", load_config(), skip_invalid=True,
                                  workers=1, step=same_gtin)
    assert [f.rule for f in result.findings if f.severity.value == "error"] == ["ID012"]
    assert result.feed is None and feeds(project / "feeds") == []


def test_check_for_reports_what_a_retailer_needs_as_warnings(project):
    shutil.copy(RECORDS / SEED, project / "in")
    result = run(project / "in", "--out", project / "feeds", "--check-for", "retail-basics,kobo",
                 "--format", "json")
    assert result.exit_code == 0  # the seed still exports: nothing is invented for it
    found = report(result)
    assert {f["severity"] for f in found} == {"warning"}
    assert {f["rule"] for f in found} == {"PF001"}
    assert {"price", "publication-date", "subject", "supplier", "product-availability"} <= {f["name"] for f in found}
    assert all(Path(f["file"]).name == SEED for f in found)
    assert isbns(feeds(project / "feeds")[0]) == [SEED_ISBN]
    assert not (project / "feeds" / "retail-basics").exists()  # checked, not written
    assert "kobo would reject 0 of 0" in result.stderr  # a paperback is outside Kobo's scope


def test_google_and_kobo_take_every_example_in_their_scope(project):
    shutil.copytree(RECORDS, project / "records")
    plain = run(project / "records", "--out", project / "plain", "--format", "json")
    assert plain.exit_code == 0 and report(plain) == []
    [feed] = feeds(project / "plain")
    built = [plain_product(etree.tostring(p)) for p in etree.parse(str(feed)).iterfind("o:Product", NS)]
    result = run(project / "records", "--out", project / "feeds", "--to", "google-play-books,kobo",
                 "--format", "json")
    assert result.exit_code == 0, result.output
    assert report(result) == []
    [manifest] = sorted((project / "feeds").glob("manifest-*.json"))
    recipients = {entry["recipient"]: entry for entry in json.loads(manifest.read_text())["recipients"]}
    for name in ("google-play-books", "kobo"):
        loaded = profile.load(name)
        wanted = {p.findtext("ProductIdentifier[ProductIDType='15']/IDValue") for p in built
                  if transform.in_scope(p, loaded)}
        assert wanted and SEED_ISBN not in wanted  # the seed is a paperback: neither takes it
        [written] = sorted((project / "feeds" / name).glob("*.xml"))
        tree = etree.parse(str(written))
        assert schemas.load_schema(loaded.release, loaded.tags).validate(tree)
        got = {p.findtext("o:ProductIdentifier[o:ProductIDType='15']/o:IDValue", namespaces=NS)
               for p in tree.iterfind("o:Product", NS)}
        assert got == wanted
        assert sum(f["products"] for f in recipients[name]["files"]) == len(wanted)
    assert "google-play-books: 3 product(s)" in result.stderr and "out of its scope" in result.stderr


def test_a_market_is_written_before_the_supply_detail(project):
    supplied = ("market: {regions: WORLD, except_countries: [US]}\nsupplier: Example Press\n"
                "availability: available\npublishing_status: active\n" + RECORD +
                "    prices:\n      - {type: rrp-including-tax, amount: 9.99, currency: GBP, territory: {countries: GB},\n"
                "         tax: {type: vat, rate_code: zero, percent: 0}}\n")
    write(project, "a.yaml", supplied)
    result = run(project / "in", "--out", project / "feeds", "--format", "json")
    assert result.exit_code == 0 and report(result) == []
    supply = etree.parse(str(feeds(project / "feeds")[0])).find("o:Product/o:ProductSupply", NS)
    assert [etree.QName(child).localname for child in supply] == ["Market", "SupplyDetail"]
    assert supply.findtext("o:Market/o:Territory/o:RegionsIncluded", namespaces=NS) == "WORLD"
    assert supply.findtext("o:Market/o:Territory/o:CountriesExcluded", namespaces=NS) == "US"


def test_a_market_without_supply_is_a_record_error(project):
    write(project, "a.yaml", RECORD + "market: {countries: GB}\n")
    result = run(project / "in", "--out", project / "feeds", "--format", "json")
    assert result.exit_code == 1
    assert [f["rule"] for f in report(result)] == ["RC011"]
