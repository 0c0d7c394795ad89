"""The current-codes schema: a screening twin without deprecated codes, and how the engine
uses it to tell the checks that no code of a product is deprecated (MessageInfo.codes_current)."""

from __future__ import annotations

import io
import json
import re
from dataclasses import dataclass, field

import pytest
from lxml import etree
from typer.testing import CliRunner

from bench.generate import message_bytes
from onixfeed import codelists, onix, schemas
from onixfeed.findings import Finding, Severity
from onixfeed.cli import app
from onixfeed.validate import batch_validation, engine, screening
from onixfeed.validate.checks import CombinedChecks, wants_current_codes
from onixfeed.validate.rules import RuleChecks, default_severities
from onixfeed.validate.rules.codes import MULTI_VALUED
from test_screening import matches, near_misses, without_namespace

XS = "{http://www.w3.org/2001/XMLSchema}"
RELEASES = ["3.0", "3.1"]
# Deprecated codes that fit the generated products' elements (list 91: Netherlands Antilles;
# list 175: DAISY 2 full audio with title): each product carries <CountriesIncluded>US< once.
DEPRECATED_COUNTRY = b"AN"


def with_deprecated_country(data: bytes, count: int = 0) -> bytes:
    """The message with a deprecated country in the first `count` products' US price territory (0: all)."""
    return re.sub(rb"<CountriesIncluded>US<", b"<CountriesIncluded>US " + DEPRECATED_COUNTRY + b"<", data, count=count)


@pytest.fixture(autouse=True)
def fresh_paces(monkeypatch):
    # the paces are per process: an earlier test's rejections must not pause screening here
    monkeypatch.setattr(batch_validation, "SCREENING_PACE", batch_validation.ScreeningPace())
    monkeypatch.setattr(batch_validation, "CURRENT_CODES_PACE", batch_validation.ScreeningPace())


# --- the schema -------------------------------------------------------------------------------

@pytest.mark.parametrize("release", ["2.1", *RELEASES])
def test_every_code_list_accepts_exactly_its_current_codes(release):
    path = schemas.schema_files(release, "reference").codelists
    original = etree.parse(str(path))
    leave_out = screening.deprecated_codes(release)
    rewritten = etree.fromstring(screening.rewrite(original, original.getroot().get("targetNamespace"), leave_out))
    tables = codelists.load_codelists(release)
    checked = deprecated = 0
    for simple in rewritten.iter(f"{XS}simpleType"):
        found = re.fullmatch(r"List(\d+)", simple.get("name") or "")
        if not found or int(found.group(1)) not in tables:
            continue
        codes = tables[int(found.group(1))].codes.values()
        if not codes:
            continue  # withdrawn lists of 2.1 restrict nothing
        (pattern,) = [p.get("value") for p in simple.iter(f"{XS}pattern")]
        current = {code.value for code in codes if not code.deprecated}
        assert all(matches(pattern, value) for value in current)
        for code in codes:
            if code.deprecated:
                assert not matches(pattern, code.value), (simple.get("name"), code.value)
                deprecated += 1
        assert not any(matches(pattern, miss) for value in current for miss in near_misses(value) - current)
        checked += 1
    assert checked > 100 and deprecated == sum(len(codes) for codes in leave_out.values()) > 10


def test_a_list_whose_every_code_is_deprecated_accepts_nothing():
    # list 172 (currency zone) holds only EUR, deprecated
    assert {code.deprecated for code in codelists.codelist(172, "3.0").codes.values()} == {True}
    for value in ["", "EUR", " ", "X"]:
        assert not matches(screening.MATCHES_NOTHING, value)
    schema = etree.XMLSchema(etree.fromstring(
        f'<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema"><xs:element name="A"><xs:simpleType>'
        f'<xs:restriction base="xs:string"><xs:pattern value="{screening.MATCHES_NOTHING}"/></xs:restriction>'
        f'</xs:simpleType></xs:element></xs:schema>'.encode()))
    assert not any(schema.validate(etree.fromstring(f"<A>{value}</A>")) for value in ["", "EUR", " "])


@pytest.mark.parametrize("release, tags", [(r, t) for r in RELEASES for t in ("reference", "short")])
def test_every_element_and_attribute_the_deprecated_code_rule_reads_is_typed_by_its_list(release, tags):
    # The premise of codes_current: wherever a name the rule looks up occurs, the schema types
    # it by that very list, so a product the current-codes schema passes holds none of its
    # deprecated codes.
    lists = codelists.element_lists(release)
    to_reference = onix.short_to_reference(release) if tags == "short" else {}
    root = etree.parse(str(schemas.schema_files(release, tags).main)).getroot()
    list_types = {simple.get("name"): simple.find(f"{XS}restriction/{XS}simpleType/{XS}list").get("itemType")
                  for simple in root.iter(f"{XS}simpleType") if simple.find(f"{XS}restriction/{XS}simpleType/{XS}list") is not None}
    seen = set()
    for element in root.iter(f"{XS}element"):
        name = to_reference.get(element.get("name"), element.get("name"))
        extension = element.find(f"{XS}complexType/{XS}simpleContent/{XS}extension")
        base = extension.get("base") if extension is not None else element.get("type")
        if name in MULTI_VALUED:
            assert list_types.get(base) == f"List{MULTI_VALUED[name]}", (name, base)
            seen.add(name)
        elif name in lists:
            assert base == f"List{lists[name]}", (name, base)
            seen.add(name)
    for attribute in root.iter(f"{XS}attribute"):
        name = attribute.get("name")
        if f"@{name}" in lists:
            assert attribute.get("type") == f"List{lists['@' + name]}", (name, attribute.get("type"))
            seen.add("@" + name)
    assert len(seen) > 150 and set(MULTI_VALUED) <= seen


@pytest.mark.parametrize("release, tags", [(r, t) for r in RELEASES for t in ("reference", "short")])
def test_the_current_codes_schema_rejects_a_deprecated_code_the_screening_schema_accepts(release, tags):
    current = screening.load_screening_schema(release, tags, current_codes=True)
    ordinary = screening.load_screening_schema(release, tags)
    data = message_bytes(3, seed=31, release=release, tags=tags)
    namespace = re.search(rb' xmlns="[^"]*"', data).group(0)

    def tree(message: bytes) -> etree._ElementTree:
        return etree.fromstring(message.replace(namespace, b"", 1)).getroottree()

    assert current.validate(tree(data)) and ordinary.validate(tree(data))
    country = b"<CountriesIncluded>" if tags == "reference" else b"<x449>"
    deprecated = [
        data.replace(country + b"US<", country + b"US AN<", 1),  # a space-separated list item
        re.sub(rb"(<(?:ProductFormDetail|b333)>)\w+<", rb"\1A201<", data, count=1),  # an element
        re.sub(rb'textformat="05"', b'language="scc" textformat="05"', data, count=1),  # an attribute
    ]
    for message in deprecated:
        assert message != data
        assert ordinary.validate(tree(message)) and not current.validate(tree(message))


def test_the_current_codes_schema_is_cached_beside_the_screening_schema(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    main = schemas.schema_files("3.0", "reference").main
    ordinary = screening._rewritten_folder(main)
    current = screening._rewritten_folder(main, screening.deprecated_codes("3.0"))
    assert current is not None and current.parent == ordinary.parent and current != ordinary
    assert screening._rewritten_folder(main, screening.deprecated_codes("3.0")) == current
    schema = etree.XMLSchema(etree.parse(str(current / main.name)))
    data = message_bytes(2, seed=32)
    assert schema.validate(without_namespace(data))
    assert not schema.validate(without_namespace(with_deprecated_country(data, 1)))
    in_memory = screening._compile_in_memory(main, screening.deprecated_codes("3.0"))
    assert not in_memory.validate(without_namespace(with_deprecated_country(data, 1)))


# --- who asks for it ------------------------------------------------------------------------

@dataclass(frozen=True)
class Recording:
    """A Checks that notes what each product was told (jobs=1: the notes stay in this process)."""

    wants: bool = True
    seen: list = field(default_factory=list, compare=False)

    def header(self, header, message):
        return []

    def product(self, product, message):
        self.seen.append((product.findtext("RecordReference"), message.schema_valid, message.codes_current))
        return [], []

    def message(self, keys, message):
        return []

    def wants_current_codes(self, release):
        return self.wants


@dataclass(frozen=True)
class Telling:
    """A Checks that reports what each product was told as a finding (seen from worker processes too)."""

    def header(self, header, message):
        return []

    def product(self, product, message):
        told = f"{'valid' if message.schema_valid else '-'} {'current' if message.codes_current else '-'}"
        return [Finding("TOLD", "told", Severity.INFO, told, message.file, product.sourceline)], []

    def message(self, keys, message):
        return []

    def wants_current_codes(self, release):
        return True


@dataclass(frozen=True)
class Silent:
    """Runs other checks without saying it wants codes_current: today's path."""

    inner: object

    def header(self, header, message):
        return self.inner.header(header, message)

    def product(self, product, message):
        return self.inner.product(product, message)

    def message(self, keys, message):
        return self.inner.message(keys, message)


def test_the_rules_want_current_codes_only_while_the_deprecated_code_rule_runs():
    assert wants_current_codes(RuleChecks(), "3.0") and wants_current_codes(RuleChecks(), "3.1")
    assert not wants_current_codes(RuleChecks(), "2.1")  # the rules do not run on 2.1
    off = dict(default_severities(), CL001="off")
    assert not wants_current_codes(RuleChecks.from_mapping(off), "3.0")
    assert wants_current_codes(CombinedChecks((Silent(RuleChecks()), RuleChecks())), "3.0")
    assert not wants_current_codes(CombinedChecks((Silent(RuleChecks()), RuleChecks.from_mapping(off))), "3.0")
    assert not wants_current_codes(Silent(RuleChecks()), "3.0") and not wants_current_codes(None, "3.0")


def test_without_checks_that_want_it_the_current_codes_schema_is_never_used(monkeypatch):
    used = []
    load = screening.load_screening_schema
    monkeypatch.setattr(screening, "load_screening_schema",
                        lambda *args, **kwargs: used.append(kwargs.get("current_codes", False)) or load(*args, **kwargs))
    data = message_bytes(4, seed=33)
    for checks in (None, Recording(wants=False)):
        engine.validate_stream(io.BytesIO(data), "message.xml", jobs=1, checks=checks, batch_bytes=1)
    assert used and not any(used)
    recording = Recording(wants=False)
    engine.validate_stream(io.BytesIO(data), "message.xml", jobs=1, checks=recording, batch_bytes=1)
    assert [seen[1:] for seen in recording.seen] == [(True, False)] * 4


# --- the engine -----------------------------------------------------------------------------

@pytest.mark.parametrize("tags", ["reference", "short"])
def test_a_clean_batch_tells_its_products_that_their_codes_are_current(tags):
    recording = Recording()
    data = message_bytes(6, seed=34, tags=tags)
    result = engine.validate_stream(io.BytesIO(data), "message.xml", jobs=1, checks=recording, batch_bytes=20_000)
    assert result.valid and result.products == 6
    assert [seen[1:] for seen in recording.seen] == [(True, True)] * 6


def test_a_file_of_one_batch_is_screened_by_the_screening_schema_alone(monkeypatch):
    # compiling the current-codes schema would cost more than the checks can save on one batch
    monkeypatch.setattr(batch_validation, "_single_batch_files", 0)  # the first file this process sees
    used = []
    load = screening.load_screening_schema
    monkeypatch.setattr(screening, "load_screening_schema",
                        lambda *args, **kwargs: used.append(kwargs.get("current_codes", False)) or load(*args, **kwargs))
    recording = Recording()
    result = engine.validate_stream(io.BytesIO(message_bytes(6, seed=34)), "message.xml", jobs=1, checks=recording)
    assert result.valid and used and not any(used)
    assert [seen[1:] for seen in recording.seen] == [(True, False)] * 6


def test_worker_processes_screen_with_the_current_codes_schema_too():
    data = with_deprecated_country(message_bytes(40, seed=40), 1)  # one rejection: no process pauses
    told = {}
    for jobs in (1, 2):
        result = engine.validate_stream(io.BytesIO(data), "message.xml", jobs=jobs, checks=Telling(), batch_bytes=1)
        told[jobs] = [finding.message for finding in result.findings]
    assert told[1] == told[2] == ["valid -"] + ["valid current"] * 39


def test_a_batch_with_a_deprecated_code_is_screened_as_before_and_not_told_its_codes_are_current():
    recording = Recording()
    data = with_deprecated_country(message_bytes(6, seed=35), 1)  # the first product only
    result = engine.validate_stream(io.BytesIO(data), "message.xml", jobs=1, checks=recording, batch_bytes=1)
    assert result.valid and result.products == 6
    assert [seen[1:] for seen in recording.seen] == [(True, False)] + [(True, True)] * 5


def test_after_two_rejections_the_current_codes_schema_is_tried_only_now_and_then(monkeypatch):
    monkeypatch.setattr(batch_validation, "SCREEN_RETRY_EVERY", 4)
    tried = []
    passes = batch_validation._passes_current_codes_screening

    def noting(plan, batch, root):
        worth_trying = batch_validation.CURRENT_CODES_PACE.worth_trying(batch.index)
        passed = passes(plan, batch, root)
        if worth_trying:
            tried.append((batch.index, passed))
        return passed

    monkeypatch.setattr(batch_validation, "_passes_current_codes_screening", noting)
    recording = Recording()
    data = with_deprecated_country(message_bytes(30, seed=36), 12)  # the first 12 products
    result = engine.validate_stream(io.BytesIO(data), "message.xml", jobs=1, checks=recording, batch_bytes=1)
    assert result.valid and result.products == 30
    assert [index for index, _ in tried[:6]] == [0, 1, 4, 8, 12, 13]  # two misses, then every 4th until one passes
    assert [index for index, passed in tried if passed] == list(range(12, 30))
    # every product passed a screening schema: none went to the official one
    assert [seen[1] for seen in recording.seen] == [True] * 30
    assert [seen[2] for seen in recording.seen] == [False] * 12 + [True] * 18


def test_a_batch_with_an_error_still_gets_the_official_schemas_findings():
    recording = Recording()
    data = message_bytes(4, seed=37)
    third = data.index(b"<Product>", data.index(b"<Product>", data.index(b"<Product>") + 1) + 1)
    data = data[:third] + with_deprecated_country(data[third:], 1)  # the third product
    data = re.sub(rb"<ProductForm>\w+<", b"<ProductForm>BX<", data, count=1)  # the first
    result = engine.validate_stream(io.BytesIO(data), "message.xml", jobs=1, checks=recording, batch_bytes=1)
    assert [finding.rule for finding in result.findings] == ["XS002"]
    assert [seen[1:] for seen in recording.seen] == [(False, False), (True, True), (True, False), (True, True)]


def rule_findings(data: bytes, checks, jobs: int = 1, batch_bytes: int = engine.BATCH_BYTES) -> list[tuple]:
    result = engine.validate_stream(io.BytesIO(data), "message.xml", jobs=jobs, checks=checks, batch_bytes=batch_bytes)
    return [(f.rule, f.line, f.xpath, f.record, f.message) for f in result.findings]


@pytest.mark.parametrize("batch_bytes", [1, 40_000])
def test_the_rules_find_the_same_with_and_without_the_current_codes_schema(batch_bytes):
    data = with_deprecated_country(message_bytes(24, seed=38), 5)
    data = re.sub(rb"(<ProductFormDetail>)\w+<", rb"\1A201<", data, count=9)  # some products, some batches
    data = data.replace(b"<ProductForm>BC<", b"<ProductForm>BX<", 1)  # and a schema error
    rules = RuleChecks()
    found = rule_findings(data, rules, batch_bytes=batch_bytes)
    assert found == rule_findings(data, Silent(rules), batch_bytes=batch_bytes)
    assert sum(1 for finding in found if finding[0] == "CL001") == 5 + 9
    assert sum(1 for finding in found if finding[0] == "XS002") == 1
    clean = message_bytes(24, seed=38)
    assert rule_findings(clean, rules, batch_bytes=batch_bytes) == rule_findings(clean, Silent(rules), batch_bytes=batch_bytes)


def test_validate_reports_a_deprecated_product_form_detail(tmp_path):
    # more than one batch (1 MB), so the current-codes schema screens them: the products of the
    # batch it rejects still get CL001, the others are told their codes are current
    data = message_bytes(120, seed=39)
    hundredth = data.index(b"<RecordReference>com.example.onixfeed.000000100<")
    data = data[:hundredth] + re.sub(rb"(<ProductFormDetail>)\w+<", rb"\1A201<", data[hundredth:], count=1)
    assert len(data) > engine.BATCH_BYTES
    path = tmp_path / "deprecated.xml"
    path.write_bytes(data)
    result = CliRunner().invoke(app, ["validate", "--format", "json", "--jobs", "1", str(path)])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert result.exit_code == 0  # CL001 is a warning in the base profile
    document = json.loads(result.stdout)
    (finding,) = document["findings"]
    assert finding["rule"] == "CL001" and finding["record"] == "com.example.onixfeed.000000100"
    assert finding["line"] == data[:data.index(b"A201")].count(b"\n") + 1
    failing = CliRunner().invoke(app, ["validate", "--format", "json", "--jobs", "1", "--fail-on", "warning", str(path)])
    assert failing.exit_code == 1


def test_a_clean_feed_never_needs_the_screening_schema_when_current_codes_are_wanted(monkeypatch):
    # the current-codes schema screens every batch; compiling the other one too cost ~40 ms a run
    used = []
    load = screening.load_screening_schema
    monkeypatch.setattr(screening, "load_screening_schema",
                        lambda *args, **kwargs: used.append(kwargs.get("current_codes", False)) or load(*args, **kwargs))
    recording = Recording()
    engine.validate_stream(io.BytesIO(message_bytes(6, seed=35)), "message.xml", jobs=1, checks=recording,
                           batch_bytes=20_000)
    assert [seen[1:] for seen in recording.seen] == [(True, True)] * 6
    assert used and all(used)


def test_a_folder_of_small_files_is_screened_with_current_codes_after_the_first_few(monkeypatch):
    # one process validating many one-batch files: past a few, the compile pays for itself
    monkeypatch.setattr(batch_validation, "_single_batch_files", 0)
    told = []
    for seed in range(6):
        recording = Recording()
        engine.validate_stream(io.BytesIO(message_bytes(2, seed=50 + seed)), "small.xml", jobs=1, checks=recording)
        told.append({seen[2] for seen in recording.seen})
    before = batch_validation.SINGLE_BATCH_FILES_BEFORE_CURRENT_CODES
    assert told == [{False}] * before + [{True}] * (6 - before)
