"""`onixfeed export` end to end: the seed title's facts in their ONIX elements, bad input, determinism."""

import json
import re
import shutil
from pathlib import Path

import pytest
from lxml import etree
from typer.testing import CliRunner

from onixfeed import export as export_module
from onixfeed import schemas
from onixfeed.cli import app

REPO = Path(__file__).resolve().parents[1]
RECORDS = REPO / "records"
NS = {"o": "http://ns.editeur.org/onix/3.0/reference"}
SEED_ISBN = "9780367874827"
GOOD = """\
title: A Title
publisher: Example Press
formats:
  - form: paperback
    isbn: 978-1-912345-61-8
"""


@pytest.fixture
def project(tmp_path, monkeypatch):
    """A project folder with its own onixfeed.toml, state folder and a copy of the example records."""
    config = tmp_path / "onixfeed.toml"
    config.write_text(
        '[sender]\nname = "Test Sender"\ncontact = "Desk"\nemail = "desk@example.com"\n'
        'identifiers = [{ type = "06", value = "5031234567897" }]\n'
        '[defaults]\nlanguage = "eng"\ncurrency = "GBP"\n',
        encoding="utf-8",
    )
    monkeypatch.setenv("ONIXFEED_CONFIG", str(config))
    shutil.copytree(RECORDS, tmp_path / "records")
    return tmp_path


def run(*args):
    result = CliRunner().invoke(app, ["export", *map(str, args)])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result


def feeds(folder):
    return sorted(Path(folder).glob("*.xml"))


def products_part(path):
    data = path.read_bytes()
    return data[data.index(b"<Product>"):]


def seed_product(path):
    tree = etree.parse(str(path))
    return tree, tree.xpath(f"//o:Product[o:ProductIdentifier/o:IDValue='{SEED_ISBN}']", namespaces=NS)[0]


def test_seed_title_end_to_end(project):
    result = run(project / "records" / "russias-relations-with-kazakhstan.yaml", "--out", project / "feeds")
    assert result.exit_code == 0, result.output
    [feed] = feeds(project / "feeds")
    assert str(feed) in result.output and "valid" in result.output
    tree, product = seed_product(feed)
    assert schemas.load_schema("3.0").validate(tree)
    root = tree.getroot()
    assert root.get("release") == "3.0" and root.tag == "{%s}ONIXMessage" % NS["o"]
    header = root.find("o:Header", NS)
    assert header.findtext("o:Sender/o:SenderName", namespaces=NS) == "Test Sender"
    assert header.findtext("o:Sender/o:SenderIdentifier/o:IDValue", namespaces=NS) == "5031234567897"
    assert re.fullmatch(r"\d{8}T\d{6}Z", header.findtext("o:SentDateTime", namespaces=NS))
    assert header.findtext("o:DefaultLanguageOfText", namespaces=NS) == "eng"

    def value(path):
        return product.findtext(path, namespaces=NS)

    assert value("o:RecordReference") == "routledge." + SEED_ISBN
    assert value("o:ProductIdentifier/o:ProductIDType") == "15"
    assert value("o:DescriptiveDetail/o:ProductForm") == "BC"
    title = "o:DescriptiveDetail/o:TitleDetail/o:TitleElement/"
    assert value(title + "o:TitleText") == "Russia's Relations with Kazakhstan"
    assert value(title + "o:Subtitle") == "Rethinking Ex-Soviet Transitions in the Emerging World System"
    assert value("o:DescriptiveDetail/o:EditionNumber") == "1"
    assert product.find("o:DescriptiveDetail/o:EditionStatement", NS) is None
    contributor = product.find("o:DescriptiveDetail/o:Contributor", NS)
    assert contributor.findtext("o:ContributorRole", namespaces=NS) == "A01"
    assert contributor.findtext("o:PersonName", namespaces=NS) == "Yelena Nikolayevna Zabortseva"
    assert contributor.findtext("o:KeyNames", namespaces=NS) == "Zabortseva"
    assert contributor.findtext("o:BiographicalNote", namespaces=NS).startswith(
        "Yelena Nikolayevna Zabortseva is Lecturer and Researcher in the Department of Government")
    extent = product.find("o:DescriptiveDetail/o:Extent", NS)
    assert [extent.findtext(f"o:{n}", namespaces=NS) for n in ("ExtentType", "ExtentValue", "ExtentUnit")] == ["00", "258", "03"]
    assert value("o:DescriptiveDetail/o:IllustrationsNote") == "7 B/W Illustrations"
    assert value("o:DescriptiveDetail/o:AncillaryContent/o:AncillaryContentType") == "01"
    assert value("o:DescriptiveDetail/o:AncillaryContent/o:Number") == "7"
    texts = {node.findtext("o:TextType", namespaces=NS): node for node in product.iterfind("o:CollateralDetail/o:TextContent", NS)}
    description = "".join(texts["03"].find("o:Text", NS).itertext())
    assert description.startswith("Recent political developments in post-Soviet countries")
    assert "Kazakhstan’s importance" in description and len(texts["03"].findall("o:Text/o:p", NS)) == 3
    contents = [p.text for p in texts["04"].findall("o:Text/o:p", NS)]
    assert len(contents) == 9 and contents[3] == "4. Stage 1.1991–1994: Strategic military arsenal and - the ‘fifth column’?"
    reviews = [node for node in product.iterfind("o:CollateralDetail/o:TextContent", NS) if node.findtext("o:TextType", namespaces=NS) == "06"]
    assert [(r.findtext("o:TextAuthor", namespaces=NS), r.findtext("o:TextSourceDescription", namespaces=NS)) for r in reviews] == [
        ("Reuel R. Hanks", "Oklahoma State University, USA"),
        ("Graeme Gill", "University of Sydney, Australia"),
        ("Sally Nikoline Cummings", "University of St Andrews, UK"),
    ]
    assert reviews[1].findtext("o:Text", namespaces=NS).startswith("Yelena Zabortseva has produced a timely study")
    assert value("o:PublishingDetail/o:Publisher/o:PublisherName") == "Routledge"
    assert value("o:PublishingDetail/o:Publisher/o:PublishingRole") == "01"
    assert value("o:PublishingDetail/o:CopyrightStatement/o:CopyrightYear") == "2016"
    # the page gives no price, date or supply: none is invented
    assert product.find("o:ProductSupply", NS) is None and product.find(".//o:PublishingDate", NS) is None
    assert product.find(".//o:Subject", NS) is None


def test_all_examples_export_and_validate(project):
    result = run(project / "records", "--out", project / "feeds")
    assert result.exit_code == 0, result.output
    [feed] = feeds(project / "feeds")
    tree = etree.parse(str(feed))
    assert schemas.load_schema("3.0").validate(tree)
    assert len(tree.findall("o:Product", NS)) == 8


def test_multi_format_products_link_each_other(project):
    run(project / "records" / "the-salt-road-atlas.yaml", "--out", project / "feeds")
    tree = etree.parse(str(feeds(project / "feeds")[0]))
    links = {}
    for product in tree.iterfind("o:Product", NS):
        isbn = product.findtext("o:ProductIdentifier/o:IDValue", namespaces=NS)
        links[isbn] = {(r.findtext("o:ProductRelationCode", namespaces=NS), r.findtext("o:ProductIdentifier/o:IDValue", namespaces=NS))
                       for r in product.iterfind("o:RelatedMaterial/o:RelatedProduct", NS)}
    assert len(links) == 4
    for isbn, related in links.items():
        assert related == {("06", other) for other in links if other != isbn}
    currencies = {c.text for c in tree.iterfind(".//o:Price/o:CurrencyCode", NS)}
    assert currencies == {"GBP", "EUR", "AUD", "NZD"}


def test_same_records_give_byte_identical_products_and_increasing_message_numbers(project):
    first = run(project / "records", "--out", project / "one")
    second = run(project / "records", "--out", project / "two")
    assert first.exit_code == second.exit_code == 0
    [one], [two] = feeds(project / "one"), feeds(project / "two")
    assert products_part(one) == products_part(two)
    numbers = [etree.parse(str(f)).findtext("o:Header/o:MessageNumber", namespaces=NS) for f in (one, two)]
    assert int(numbers[1]) == int(numbers[0]) + 1
    assert (project / ".onixfeed" / "message-number").read_text().strip() == numbers[1]


def test_workers_give_the_same_products_as_one_process(project, monkeypatch):
    monkeypatch.setattr(export_module, "PARALLEL_FROM", 0)
    monkeypatch.setattr(export_module, "CHUNK_SIZE", 2)
    assert run(project / "records", "--out", project / "serial", "--jobs", "1").exit_code == 0
    assert run(project / "records", "--out", project / "parallel", "--jobs", "2").exit_code == 0
    assert products_part(feeds(project / "serial")[0]) == products_part(feeds(project / "parallel")[0])


BAD_INPUTS = {
    "yaml-syntax": ("RC001", "title: [unclosed\n"),
    "unknown-field": ("RC002", GOOD + "subtitel: x\n"),
    "wrong-type": ("RC003", GOOD + "pages: many\n"),
    "isbn-check-digit": ("RC004", GOOD.replace("61-8", "61-9")),
    "unknown-code": ("RC006", GOOD.replace("paperback", "paperbook")),
    "missing-title": ("RC007", GOOD.replace("title: A Title\n", "")),
    "missing-identifier": ("RC008", GOOD.replace("    isbn: 978-1-912345-61-8\n", "")),
}


@pytest.mark.parametrize("case", sorted(BAD_INPUTS))
def test_bad_input_writes_no_feed_and_exits_1(project, case):
    rule, text = BAD_INPUTS[case]
    folder = project / "in"
    folder.mkdir()
    (folder / "bad.yaml").write_text(text, encoding="utf-8")
    shutil.copy(RECORDS / "russias-relations-with-kazakhstan.yaml", folder)
    result = run(folder, "--out", project / "feeds", "--format", "json")
    assert result.exit_code == 1
    found = [f for f in json.loads(result.stdout)["findings"] if f["rule"] == rule]
    assert found and all(Path(f["file"]).name == "bad.yaml" for f in found)
    assert rule == "RC001" or all(f["line"] for f in found)  # a YAML syntax error may point at the end
    assert not (project / "feeds").exists() or list((project / "feeds").iterdir()) == []  # not even a temporary file


@pytest.mark.parametrize("kind", ["isbn", "reference"])
def test_duplicates_across_records(project, kind):
    folder = project / "in"
    folder.mkdir()
    (folder / "a.yaml").write_text(GOOD, encoding="utf-8")
    second = GOOD.replace("A Title", "Other") if kind == "isbn" else \
        GOOD.replace("61-8", "62-5") + "    reference: example-press.9781912345618\n"
    (folder / "b.yaml").write_text(second, encoding="utf-8")
    result = run(folder, "--out", project / "feeds")
    assert result.exit_code == 1
    assert ("RC009" if kind == "isbn" else "RC010") in result.output
    assert not (project / "feeds").exists() or list((project / "feeds").iterdir()) == []


def test_skip_invalid_writes_the_good_records_and_exits_1(project):
    folder = project / "in"
    folder.mkdir()
    (folder / "bad.yaml").write_text(GOOD.replace("61-8", "61-9"), encoding="utf-8")
    shutil.copy(RECORDS / "russias-relations-with-kazakhstan.yaml", folder)
    result = run(folder, "--out", project / "feeds", "--skip-invalid")
    assert result.exit_code == 1 and "RC004" in result.output
    [feed] = feeds(project / "feeds")
    isbns = [n.text for n in etree.parse(str(feed)).iterfind("o:Product/o:ProductIdentifier/o:IDValue", NS)]
    assert isbns == [SEED_ISBN]


def test_missing_path_and_bad_config_exit_2(project):
    assert run(project / "nowhere", "--out", project / "feeds").exit_code == 2
    (project / "onixfeed.toml").write_text('[sender]\nname = "X"\n[defaults]\nlanguage = "english"\n')
    result = run(project / "records", "--out", project / "feeds")
    assert result.exit_code == 2 and "onixfeed.toml" in result.output
    (project / "onixfeed.toml").write_text("[sender\n")
    assert run(project / "records", "--out", project / "feeds").exit_code == 2


def test_a_folder_without_records_exits_2(project):
    (project / "empty").mkdir()
    assert run(project / "empty", "--out", project / "feeds").exit_code == 2


def drop_product_identifier(product):
    """A step that breaks the product (ProductIdentifier is required by the XSD)."""
    product.remove(product.find("{*}ProductIdentifier"))


def test_a_product_the_xsd_rejects_is_reported_and_not_written(project):
    from onixfeed.config import load_config

    config = load_config()
    result = export_module.export([project / "records" / "russias-relations-with-kazakhstan.yaml"], project / "feeds", config,
                                  step=drop_product_identifier)
    assert result.feed is None and result.failed
    assert {f.rule for f in result.findings} == {"XS001"}
    assert all(f.record == "routledge." + SEED_ISBN for f in result.findings)
    assert list((project / "feeds").iterdir()) == []


def test_defaults_come_from_the_config(project):
    (project / "onixfeed.toml").write_text('[sender]\nname = "S"\n[export]\nrecords = "records"\nout = "outbox"\nstate = "st"\n')
    result = run()
    assert result.exit_code == 0, result.output
    assert len(feeds(project / "outbox")) == 1 and (project / "st" / "message-number").read_text().strip() == "1"


@pytest.fixture
def strict_schema(tmp_path_factory):
    """EDItEUR's strict XSD 1.1 for 3.0 (from ../shared beside the clone), compiled beside the code lists."""
    shared = Path(__file__).resolve().parents[2] / "shared" / "editeur" / "ONIX_BookProduct_3.0_reference_strict.xsd"
    if not shared.is_file():
        pytest.skip("the strict schemas in ../shared/editeur are not available")
    import xmlschema

    folder = tmp_path_factory.mktemp("strict")
    bundled = schemas.schema_files("3.0")
    for source in (shared, bundled.codelists, bundled.main.parent / "ONIX_XHTML_Subset.xsd"):
        shutil.copy(source, folder)
    return xmlschema.XMLSchema11(str(folder / shared.name))


def test_the_example_feed_passes_the_strict_schema(project, strict_schema):
    assert run(project / "records", "--out", project / "feeds").exit_code == 0
    [feed] = feeds(project / "feeds")
    errors = [f"{error.path}: {error.reason}" for error in strict_schema.iter_errors(str(feed))]
    assert errors == []


class DieInWorker:
    """A product step that kills any worker process it runs in (as the OOM killer might)."""

    def __init__(self):
        import os

        self.main = os.getpid()

    def __call__(self, product):
        import os

        if os.getpid() != self.main:
            os._exit(1)


def test_an_export_whose_workers_die_still_converts_every_record(tmp_path):
    import datetime

    from bench.export_bench import generate
    from onixfeed.build.header import build_header
    from onixfeed.config import Config
    from onixfeed.records import discover

    generate(tmp_path / "records", export_module.PARALLEL_FROM + 40)
    files = [str(path) for path in discover([tmp_path / "records"])]
    header = etree.tostring(build_header(Config(sender_name="Test"), 1, datetime.datetime(2026, 1, 1)))
    alone = list(export_module.convert(files, header, workers=1))
    dying = list(export_module.convert(files, header, workers=2, step=DieInWorker()))
    assert [(o.file, o.products) for o in dying] == [(o.file, o.products) for o in alone]
    assert sum(len(o.products) for o in dying) == len(files)
