"""The --strict-xsd runner: EDItEUR's strict XSD 1.1, product by product, as SX findings."""

from __future__ import annotations

import io
import shutil
import zipfile
from pathlib import Path

import pytest

from onixfeed.findings import InputError
from onixfeed.validate import strict

SHARED = Path(__file__).resolve().parents[2] / "shared" / "editeur"
NS = "http://ns.editeur.org/onix/3.0/reference"

HEADER = "<Header><Sender><SenderName>Example Press</SenderName></Sender><SentDateTime>20260115</SentDateTime></Header>"


def product(record: str, isbn: str, price: str = "<CurrencyCode>GBP</CurrencyCode>") -> str:
    """A product EDItEUR's strict schema accepts (with a good ISBN and a currency)."""
    return f"""<Product>
  <RecordReference>{record}</RecordReference>
  <NotificationType>03</NotificationType>
  <ProductIdentifier><ProductIDType>15</ProductIDType><IDValue>{isbn}</IDValue></ProductIdentifier>
  <DescriptiveDetail>
    <ProductComposition>00</ProductComposition>
    <ProductForm>BC</ProductForm>
    <TitleDetail><TitleType>01</TitleType><TitleElement><TitleElementLevel>01</TitleElementLevel><TitleText>T</TitleText></TitleElement></TitleDetail>
    <NoContributor/>
    <Language><LanguageRole>01</LanguageRole><LanguageCode>eng</LanguageCode></Language>
  </DescriptiveDetail>
  <PublishingDetail>
    <Publisher><PublishingRole>01</PublishingRole><PublisherName>Example Press</PublisherName></Publisher>
    <PublishingStatus>04</PublishingStatus>
    <SalesRights><SalesRightsType>01</SalesRightsType><Territory><RegionsIncluded>WORLD</RegionsIncluded></Territory></SalesRights>
  </PublishingDetail>
  <ProductSupply><SupplyDetail>
    <Supplier><SupplierRole>01</SupplierRole><SupplierName>S</SupplierName></Supplier>
    <ProductAvailability>21</ProductAvailability>
    <Price><PriceType>01</PriceType><PriceAmount>10.00</PriceAmount>{price}</Price>
  </SupplyDetail></ProductSupply>
</Product>"""


def message(*products: str, header: str = HEADER) -> bytes:
    return f'<ONIXMessage xmlns="{NS}" release="3.0">\n{header}\n{"".join(products)}\n</ONIXMessage>\n'.encode()


@pytest.fixture(scope="module")
def schema():
    if not (SHARED / strict.STRICT_FILES["3.0"]).is_file():
        pytest.skip(f"EDItEUR's strict XSD is not available in {SHARED}")
    return strict.load_once(SHARED, "3.0")


def run(data: bytes, schema, jobs: int = 1):
    return strict.validate_strict(io.BytesIO(data), "feed.xml", SHARED, jobs=jobs, schema=schema)


def test_clean_products_have_no_findings(schema):
    data = message(product("r1", "9780306406157"), product("r2", "9780367874827"))
    assert run(data, schema) == []


def test_failing_assertion_is_an_sx_finding_at_the_original_line(schema):
    data = message(product("r1", "9780306406157"), product("r2", "9780367874820"))
    findings = run(data, schema)
    assert [f.rule for f in findings] == ["SX_20171126_c_14"]
    found = findings[0]
    assert found.name == strict.ASSERTION_NAME
    assert found.record == "r2"
    lines = data.decode().splitlines()
    assert "9780367874820" in lines[found.line - 1]
    assert found.xpath == "Product/ProductIdentifier"


def test_root_assertions_see_the_header_defaults(schema):
    no_currency = product("r1", "9780306406157", price="")
    assert [f.rule for f in run(message(no_currency), schema)] == ["SX_20180105_a_2"]
    with_default = HEADER.replace("</Header>", "<DefaultCurrencyCode>GBP</DefaultCurrencyCode></Header>")
    assert run(message(no_currency, header=with_default), schema) == []


def test_header_problem_is_reported_once(schema):
    bad_header = HEADER.replace("20260115", "2026-01-15")
    findings = run(message(product("r1", "9780306406157"), product("r2", "9780367874827"), header=bad_header), schema)
    assert findings and {f.record for f in findings} == {None}
    assert len(findings) == len({(f.rule, f.line, f.message) for f in findings})
    assert all(f.line == 2 for f in findings)


def test_structure_errors_are_sx000(schema):
    data = message(product("r1", "9780306406157").replace("<ProductForm>BC</ProductForm>", ""))
    assert "SX000" in {f.rule for f in run(data, schema)}


def test_short_tags_and_no_namespace_are_normalised(schema):
    from lxml import etree

    from onixfeed import onix

    root = etree.fromstring(message(product("r1", "9780367874820")))
    onix.convert_tags(root, "3.0", "short")
    short = etree.tostring(root)
    assert b"a001>" in short and b"RecordReference" not in short
    assert [f.rule for f in run(short, schema)] == ["SX_20171126_c_14"]
    plain = message(product("r1", "9780367874820")).replace(f' xmlns="{NS}"'.encode(), b"")
    assert [f.rule for f in run(plain, schema)] == ["SX_20171126_c_14"]


def test_parallel_run_gives_the_same_findings(schema):
    products = [product(f"r{i}", "9780367874820" if i % 3 == 0 else "9780306406157") for i in range(7)]
    data = message(*products)
    assert run(data, schema, jobs=2) == run(data, schema, jobs=1)
    assert [f.record for f in run(data, schema, jobs=2)] == ["r0", "r3", "r6"]


def test_release_21_and_not_onix_are_input_errors(schema):
    with pytest.raises(InputError, match="3.0 and 3.1 only"):
        run(b"<ONIXMessage><Header/><Product/></ONIXMessage>", schema)
    with pytest.raises(InputError, match="feed.xml"):
        run(b"<html><body/></html>", schema)
    with pytest.raises(InputError, match="line"):
        run(b'<ONIXMessage release="3.0"><Header>', schema)


def test_strict_xsd_found_in_a_folder_a_zip_or_named_directly(tmp_path):
    if not SHARED.is_dir():
        pytest.skip(f"EDItEUR's strict XSD is not available in {SHARED}")
    name = strict.STRICT_FILES["3.0"]
    assert strict.locate_strict(SHARED, "3.0") == SHARED / name
    assert strict.locate_strict(SHARED / name, "3.0") == SHARED / name
    with pytest.raises(InputError, match="3.1"):
        strict.locate_strict(SHARED / name, "3.1")
    archive = tmp_path / "ONIX_strict.zip"
    with zipfile.ZipFile(archive, "w") as handle:
        handle.write(SHARED / name, f"ONIX_3.0_strict/{name}")
    unpacked = strict.locate_strict(archive, "3.0")
    assert unpacked.name == name and unpacked.read_bytes() == (SHARED / name).read_bytes()
    shutil.rmtree(unpacked.parent)
    with pytest.raises(InputError, match="no ONIX_BookProduct_3.1"):
        strict.locate_strict(archive, "3.1")


def test_bad_strict_paths_are_input_errors(tmp_path):
    with pytest.raises(InputError, match="does not exist"):
        strict.locate_strict(tmp_path / "missing", "3.0")
    with pytest.raises(InputError, match="no ONIX_BookProduct_3.0_reference_strict.xsd"):
        strict.locate_strict(tmp_path, "3.0")
    other = tmp_path / "other.xsd"
    other.write_text('<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema"/>')
    with pytest.raises(InputError, match="not an ONIX strict XSD"):
        strict.locate_strict(other, "3.0")


def test_assertion_codes_and_comments():
    assert strict.assertion_code("_20171126_c_14") == "SX_20171126_c_14"
    assert strict.assertion_comment("(: Every Price must include PriceType :) exists(x)") == "Every Price must include PriceType"
    assert strict.assertion_comment("exists(x)") == ""


def test_namespace_redeclared_on_header_and_product_is_normalised(schema):
    # Some senders declare xmlns again (and wrongly: www.editeur.org) on every block.
    wrong = "http://www.editeur.org/onix/3.0/reference"
    header = HEADER.replace("<Header>", f'<Header xmlns="{wrong}">')
    body = product("r1", "9780367874820").replace("<Product>", f'<Product xmlns="{wrong}">', 1)
    data = message(body, header=header).replace(f'xmlns="{NS}"'.encode(), f'xmlns="{wrong}"'.encode(), 1)
    assert [f.rule for f in run(data, schema)] == ["SX_20171126_c_14"]


def test_release_31_uses_the_31_strict_xsd():
    if not (SHARED / strict.STRICT_FILES["3.1"]).is_file():
        pytest.skip(f"EDItEUR's strict 3.1 XSD is not available in {SHARED}")
    ns31 = "http://ns.editeur.org/onix/3.1/reference"
    data = message(product("r1", "9780367874820")).replace(NS.encode(), ns31.encode()).replace(
        b'release="3.0"', b'release="3.1"')
    findings = strict.validate_strict(io.BytesIO(data), "feed31.xml", SHARED, jobs=1)
    assert [(f.rule, f.record) for f in findings] == [("SX_20171126_c_14", "r1")]


def test_profile_levels_for_strict_findings():
    from onixfeed.findings import Finding, Severity

    finding = Finding("SX_20171126_c_14", strict.ASSERTION_NAME, Severity.ERROR, "m")
    not_run = Finding(strict.NOT_RUN_CODE, strict.NOT_RUN_NAME, Severity.WARNING, "m")
    assert strict.severity_for(finding, {}) == "error"
    assert strict.severity_for(not_run, {}) == "warning"
    assert strict.severity_for(finding, {"SX": "warning"}) == "warning"
    assert strict.severity_for(finding, {"SX": "warning", "SX_20171126_c_14": "off"}) == "off"
    assert all(strict.is_strict_code(code) for code in ("SX", "SX000", "SX_20171126_c_14"))
    assert not any(strict.is_strict_code(code) for code in ("SXY", "PR001", "SX_"))
