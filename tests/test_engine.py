"""The streaming validation engine: flavours, findings, cross-product keys, broken XML, checks."""

from __future__ import annotations

import gzip
import io
import os
import re

import pytest
from lxml import etree

from bench.generate import message_bytes
from onixfeed import validate as library
from onixfeed.findings import Finding, Severity
from onixfeed.validate import batch_validation, engine
from onixfeed.validate.checks import Key
from onixfeed.validate.split import ProductSplitter


def run(data: bytes, jobs: int = 1, batch_bytes: int = 1, **options) -> engine.FileResult:
    return engine.validate_stream(io.BytesIO(data), "message.xml", jobs=jobs, batch_bytes=batch_bytes, **options)


def line_of(data: bytes, needle: bytes, occurrence: int = 1) -> int:
    at = -1
    for _ in range(occurrence):
        at = data.index(needle, at + 1)
    return data.count(b"\n", 0, at) + 1


def bad_form(data: bytes, count: int = 1) -> bytes:
    """The first `count` ProductForm codes replaced by BX, which list 150 does not hold."""
    return re.sub(rb"<ProductForm>\w+<", b"<ProductForm>BX<", data, count=count)


def rules(result: engine.FileResult) -> list[tuple[str, int]]:
    return [(finding.rule, finding.line) for finding in result.findings]


@pytest.mark.parametrize(
    "options, release, tags",
    [({}, "3.0", "reference"), ({"tags": "short"}, "3.0", "short"), ({"release": "3.1"}, "3.1", "reference"),
     ({"release": "3.1", "tags": "short"}, "3.1", "short")],
)
def test_valid_messages_of_each_flavour_pass(options, release, tags):
    result = run(message_bytes(3, seed=5, **options))
    assert (result.release, result.tags, result.products, result.findings) == (release, tags, 3, [])
    assert result.valid


def test_a_message_without_namespace_is_validated_as_the_official_one():
    data = message_bytes(2, seed=6, namespace=False)
    assert run(data).findings == []
    broken = bad_form(data)
    assert [f.rule for f in run(broken).findings] == ["XS002"]


def test_the_old_www_namespace_fails_once_at_the_root():
    data = message_bytes(3, seed=7).replace(b"http://ns.editeur.org/onix/3.0/reference",
                                           b"http://www.editeur.org/onix/3.0/reference")
    assert rules(run(data)) == [("XS006", 2)]


def test_a_code_list_error_names_product_line_and_path():
    data = message_bytes(3, seed=8)
    data = bad_form(data, 2)
    result = run(data)
    assert [(f.rule, f.line, f.record, f.xpath) for f in result.findings] == [
        ("XS002", line_of(data, b"<ProductForm>BX"), "com.example.onixfeed.000000001",
         "/ONIXMessage/Product[1]/DescriptiveDetail/ProductForm"),
        ("XS002", line_of(data, b"<ProductForm>BX", 2), "com.example.onixfeed.000000002",
         "/ONIXMessage/Product[2]/DescriptiveDetail/ProductForm"),
    ]
    assert "150" in result.findings[0].message and "BC" in result.findings[0].message
    assert not result.valid


def test_a_misplaced_element_is_xs001_and_a_bad_attribute_xs004():
    data = message_bytes(2, seed=9)
    data = data.replace(b"<NotificationType>03</NotificationType>", b"", 1)
    at = data.rindex(b'<Text textformat="05">')  # in product 2: libxml2 leaves product 1 at its first error
    data = data[:at] + b'<Text textformat="05" colour="red">' + data[at + len(b'<Text textformat="05">'):]
    found = rules(run(data))
    assert ("XS001", line_of(data, b"<RecordSourceType>")) in found
    assert ("XS004", line_of(data, b'colour="red"')) in found


def test_a_record_reference_used_twice_across_batches_is_xs005_at_the_later_product():
    data = message_bytes(4, seed=10)
    data = data.replace(b"com.example.onixfeed.000000004", b"com.example.onixfeed.000000002")
    result = run(data)
    assert rules(result) == [("XS005", line_of(data, b"<Product>", 4))]
    assert result.findings[0].record == "com.example.onixfeed.000000002"
    assert result.findings[0].xpath == "/ONIXMessage/Product[4]"


def test_a_missing_header_stops_validation_like_libxml2():
    data = message_bytes(3, seed=11)
    data = re.sub(rb"  <Header>.*?</Header>\n", b"", data, flags=re.S)
    data = bad_form(data, 0)
    assert rules(run(data)) == [("XS001", line_of(data, b"<Product>"))]


def test_xml_broken_in_a_later_product_is_xs000_at_its_line_and_ends_the_findings():
    data = message_bytes(4, seed=12)
    data = bad_form(data)
    cut = data.index(b"</DescriptiveDetail>", data.index(b"000000003"))
    data = data[:cut] + data[cut + len(b"</DescriptiveDetail>"):]  # an end tag lost in product 3
    oracle = None
    try:
        etree.fromstring(data)
    except etree.XMLSyntaxError as error:
        oracle = error.position[0]
    result = run(data)
    assert [f.rule for f in result.findings] == ["XS002", "XS000"]
    assert result.findings[-1].line == oracle


def test_an_empty_stream_is_not_well_formed():
    assert [f.rule for f in run(b"").findings] == ["XS000"]


def test_comments_and_cdata_holding_product_end_tags_do_not_cut_a_product():
    data = message_bytes(3, seed=13)
    data = data.replace(b"<NotificationType>", b"<!-- </Product> --><NotificationType>", 1)
    data = data.replace(b"<Subtitle>", b"<Subtitle><![CDATA[</Product>]]>", 1)
    result = run(data)
    assert result.findings == [] and result.products == 3


def test_utf16_messages_are_validated_with_their_lines():
    text = bad_form(message_bytes(2, seed=14)).decode("utf-8").replace('encoding="UTF-8"', 'encoding="UTF-16"')
    result = run(text.encode("utf-16"))
    assert rules(result) == [("XS002", line_of(text.encode("utf-8"), b"<ProductForm>BX"))]


def test_worker_processes_find_the_same_as_one_process():
    data = message_bytes(12, seed=15)
    data = bad_form(data, 5)
    data = data.replace(b"com.example.onixfeed.000000011", b"com.example.onixfeed.000000001")
    assert run(data, jobs=2, batch_bytes=20_000).findings == run(data, jobs=1).findings


class RecordingChecks:
    """A Checks that reports each product's first element, and each key once seen twice."""

    def header(self, header, message):
        return [Finding("T001", "header-seen", Severity.INFO, header.tag, message.file, header.sourceline)]

    def product(self, product, message):
        first = product[0]
        found = [Finding("T002", "product-seen", Severity.INFO, first.tag, message.file, first.sourceline)]
        return found, [Key("ProductForm", product.findtext("DescriptiveDetail/ProductForm"), product.sourceline, None)]

    def message(self, keys, message):
        last = None
        for last in keys:  # iterable, not indexable: the engine spools keys to disk
            pass
        return [Finding("T003", "keys", Severity.INFO, str(len(keys)), message.file, last.line)] if last else []


@pytest.mark.parametrize("tags", ["reference", "short"])
def test_checks_see_reference_names_without_namespace_and_report_true_lines(tags):
    data = message_bytes(3, seed=16, tags=tags)
    result = run(data, checks=RecordingChecks())
    root = "ONIXMessage" if tags == "reference" else "ONIXmessage"
    product = b"<Product>" if tags == "reference" else b"<product>"
    assert [(f.rule, f.message) for f in result.findings] == [
        ("T001", "Header"), ("T002", "RecordReference"), ("T002", "RecordReference"), ("T002", "RecordReference"),
        ("T003", "3"),
    ]
    assert [f.line for f in result.findings if f.rule == "T002"] == [
        line_of(data, product, n) + 1 for n in (1, 2, 3)
    ]
    assert result.findings[-1].line == line_of(data, product, 3)
    assert root.encode() in data


def test_progress_reports_growing_byte_counts():
    seen = []
    run(message_bytes(5, seed=17), progress=lambda done, products: seen.append((done, products)))
    assert seen and seen == sorted(seen) and seen[-1][1] == 5


def test_the_splitter_cuts_whole_products_that_rebuild_the_file():
    data = message_bytes(7, seed=18)
    splitter = ProductSplitter(io.BytesIO(data), batch_bytes=30_000, block_size=4096)
    prolog = splitter.prolog()
    batches = list(splitter.batches(prolog.product_tag))
    assert prolog.data + b"".join(batch.data for batch in batches) == data
    assert len(batches) > 1 and batches[-1].last and sum(b.products for b in batches) == 7
    for batch in batches:
        assert batch.data.startswith(b"<Product>")
        assert batch.line == data.count(b"\n", 0, batch.offset) + 1


def test_the_splitter_cuts_a_prefixed_message_at_its_prefixed_products():
    data = re.sub(rb"<(/?)([A-Za-z]\w*)(?=[\s/>])", rb"<\1o.nix:\2", message_bytes(5, seed=29))
    data = data.replace(b'xmlns="', b'xmlns:o.nix="', 1)
    splitter = ProductSplitter(io.BytesIO(data), batch_bytes=1, block_size=4096)
    prolog = splitter.prolog()
    batches = list(splitter.batches(prolog.product_tag))
    assert (prolog.product_tag, prolog.whole, len(batches)) == (b"o.nix:Product", False, 5)
    assert prolog.data + b"".join(batch.data for batch in batches) == data
    assert run(data).findings == [] and run(data).products == 5


def test_the_splitter_cuts_after_end_tags_with_white_space_before_their_bracket():
    data = message_bytes(4, seed=36).replace(b"</Product>", b"</Product >", 2).replace(b"</Product>", b"</Product\n>", 1)
    splitter = ProductSplitter(io.BytesIO(data), batch_bytes=1, block_size=4096)
    prolog = splitter.prolog()
    assert len(list(splitter.batches(prolog.product_tag))) == 4
    assert run(data).findings == [] and run(bad_form(data, 4), jobs=2).products == 4


def test_library_verbs_read_paths_and_gzip(tmp_path):
    good = tmp_path / "good.xml"
    good.write_bytes(message_bytes(2, seed=19))
    bad = tmp_path / "bad.xml.gz"
    bad.write_bytes(gzip.compress(bad_form(message_bytes(2, seed=20))))
    assert library.validate(good) == [] and library.is_valid(good)
    assert [f.rule for f in library.validate(bad)] == ["XS002"] and not library.is_valid(bad)
    assert [f.rule for f in library.iter_findings(tmp_path)] == ["XS002"]
    per_file = library.results(tmp_path)
    assert sorted((r.products, r.valid, r.release) for r in per_file) == [(2, False, "3.0"), (2, True, "3.0")]


def test_a_tag_mismatch_names_the_opening_line_of_the_original_file():
    data = message_bytes(4, seed=21)
    start = data.index(b"<DescriptiveDetail>", data.index(b"000000003"))
    cut = data.index(b"</DescriptiveDetail>", start)
    data = data[:cut] + data[cut + len(b"</DescriptiveDetail>"):]
    found = run(data).findings[-1]
    assert found.rule == "XS000"
    assert f"line {line_of(data, b'<DescriptiveDetail>', 3)}" in found.message


def test_the_splitter_keeps_lines_across_comments_and_top_level_strays():
    data = message_bytes(4, seed=22)
    data = data.replace(b"  </Product>\n  <Product>", b"  </Product>\n<!-- a\ncomment -->\n  <Product>", 1)
    at = data.rindex(b"  </Product>\n  <Product>")
    data = data[:at] + b"  </Product>\n<Stray/>\n  <Product>" + data[at + len(b"  </Product>\n  <Product>"):]
    splitter = ProductSplitter(io.BytesIO(data), batch_bytes=1, block_size=1000)
    prolog = splitter.prolog()
    batches = list(splitter.batches(prolog.product_tag))
    assert prolog.data + b"".join(batch.data for batch in batches) == data
    assert len(batches) == 3  # no cut before the stray element
    for batch in batches:
        assert batch.line == data.count(b"\n", 0, batch.offset) + 1


def test_a_message_without_products_is_validated_whole_and_its_header_checked():
    data = message_bytes(1, seed=23)
    data = re.sub(rb"  <Product>.*</Product>\n", b"  <NoProduct/>\n", data, flags=re.S)
    result = run(data, checks=RecordingChecks())
    assert [f.rule for f in result.findings] == ["T001"] and result.products == 0
    assert result.findings[0].line == line_of(data, b"<Header>")


class LineChecks:
    """A Checks that reports every product at its own sourceline, seen as a check sees it, and
    gives a key on that line, which the message check reports back."""

    def header(self, header, message):
        return []

    def product(self, product, message):
        return ([Finding("T004", "product-line", Severity.INFO, str(product.sourceline), message.file,
                         product.sourceline, "/ONIXMessage/Product", "r", 3)],
                [Key("T", str(product.sourceline), product.sourceline, "r")])

    def message(self, keys, message):
        return [Finding("T005", "key-line", Severity.INFO, key.value, message.file, key.line) for key in keys]


def test_checks_see_true_lines_and_report_them_past_lxmls_line_limit():
    data = message_bytes(3, seed=24)
    first_end = data.index(b"  <Product>", data.index(b"</Product>"))
    data = data[:first_end] + b"\n" * 70_000 + data[first_end:]  # product 2 and 3 past line 65,535
    result = run(data, checks=LineChecks())
    wanted = [line_of(data, b"<Product>", n) for n in (1, 2, 3)]
    assert [f.line for f in result.findings if f.rule == "T004"] == wanted
    assert [f.line for f in result.findings if f.rule == "T005"] == wanted  # the keys' lines moved too
    assert result.findings[0].message == str(wanted[0])
    moved = result.findings[1]  # the rest of a moved finding is as the check made it
    assert (moved.xpath, moved.record, moved.column, moved.file) == ("/ONIXMessage/Product", "r", 3, result.findings[0].file)


def test_a_moved_finding_keeps_every_other_field():
    from dataclasses import fields, replace

    values = {field.name: f"v-{field.name}" for field in fields(Finding)}
    values.update(line=10, column=2, severity=Severity.ERROR)
    finding = Finding(**values)
    assert finding.moved(5) == replace(finding, line=15)
    assert replace(finding, line=None).moved(5).line is None


def test_a_header_broken_before_the_first_product_is_xs000_without_reading_on():
    data = message_bytes(3, seed=25).replace(b"<SenderName>", b"<SenderName><<", 1)
    stream = io.BytesIO(data)
    result = engine.validate_stream(stream, "message.xml", jobs=1)
    assert rules(result) == [("XS000", line_of(data, b"<SenderName>"))]


@pytest.mark.parametrize("tags", ["reference", "short"])
def test_checks_on_re_parsed_batches_find_what_they_find_on_the_renamed_tree(tags, monkeypatch):
    from onixfeed.validate.rules import RuleChecks

    data = re.sub(rb"<(ProductForm|b012)>\w+<", rb"<\1>BX<", message_bytes(6, seed=17, tags=tags), count=2)
    data = data.replace(b"com.example.onixfeed.000000004", b"com.example.onixfeed.000000002")
    reparsed = batch_validation._reparsed_products
    used = []
    monkeypatch.setattr(batch_validation, "_reparsed_products", lambda *args: used.append(reparsed(*args)) or used[-1])
    fast = run(data, batch_bytes=5_000, checks=RuleChecks()).findings
    assert used and all(products is not None for products in used)  # each batch the screening schema rejects
    monkeypatch.setattr(engine, "checks_wrapper", lambda prolog, root: None)  # the fallback: rename in place
    slow = run(data, batch_bytes=5_000, checks=RuleChecks()).findings
    assert fast == slow
    assert {"XS002", "XS005"} <= {finding.rule for finding in fast}


class ValidityChecks:
    """A Checks that records, per product, whether the engine vouches for its validity."""

    def header(self, header, message):
        return []

    def product(self, product, message):
        record = product.findtext("RecordReference")
        return [Finding("T004", "validity-seen", Severity.INFO, f"{record} {message.schema_valid}", message.file,
                        product.sourceline)], []

    def message(self, keys, message):
        return []


@pytest.mark.parametrize("batch_bytes", [1, 1 << 20])
def test_checks_are_told_which_products_passed_the_schema(batch_bytes):
    data = message_bytes(4, seed=27)
    second = data.index(b"<ProductForm>", data.index(b"</Product>"))
    data = data[:second] + re.sub(rb"<ProductForm>\w+<", b"<ProductForm>BX<", data[second:], count=1)
    result = run(data, batch_bytes=batch_bytes, checks=ValidityChecks())
    seen = [finding.message.split()[1] for finding in result.findings if finding.rule == "T004"]
    assert seen == ["True", "False", "True", "True"]
    assert [finding.rule for finding in result.findings if finding.rule.startswith("XS")] == ["XS002"]


def test_a_message_written_with_a_prefix_reports_errors_in_their_products():
    data = re.sub(rb"<(/?)([A-Za-z]\w*)(?=[\s/>])", rb"<\1onix:\2", message_bytes(3, seed=28))
    data = data.replace(b'xmlns="http://ns.editeur.org/onix/3.0/reference"',
                        b'xmlns:onix="http://ns.editeur.org/onix/3.0/reference"', 1)
    assert run(data).findings == []
    last = data.rindex(b"<onix:ProductForm>")
    broken = data[:last] + data[last:].replace(b"<onix:ProductForm>", b"<onix:ProductForm>X", 1)
    found = run(broken).findings
    assert [(f.rule, f.line, f.xpath) for f in found] == [
        ("XS002", line_of(broken, b"<onix:ProductForm>X"), "/ONIXMessage/Product[3]/DescriptiveDetail/ProductForm")]


class DyingInWorkers:
    """A Checks that kills any worker process it runs in (as the OOM killer might)."""

    def __init__(self):
        self.main = os.getpid()

    def header(self, header, message):
        return []

    def product(self, product, message):
        if os.getpid() != self.main:
            os._exit(1)
        return [Finding("T005", "product-seen", Severity.INFO, product.findtext("RecordReference"), message.file,
                        product.sourceline)], []

    def message(self, keys, message):
        return []


def test_a_worker_that_dies_costs_time_not_results():
    data = bad_form(message_bytes(12, seed=37), 5)
    expected = run(data, jobs=1, batch_bytes=5_000, checks=DyingInWorkers()).findings
    result = run(data, jobs=2, batch_bytes=5_000, checks=DyingInWorkers())
    assert result.products == 12 and result.findings == expected
    assert [f.rule for f in expected].count("T005") == 12


def test_a_worker_that_dies_in_the_small_files_pool_costs_time_not_results(tmp_path):
    from onixfeed.validate.run import iter_results

    for number in range(6):
        (tmp_path / f"{number}.xml").write_bytes(message_bytes(1, seed=40 + number))
    results = list(iter_results([str(tmp_path)], jobs=2, checks=DyingInWorkers()))
    assert len(results) == 6 and all(result.products == 1 for result in results)
    assert all([f.rule for f in result.findings] == ["T005"] for result in results)
