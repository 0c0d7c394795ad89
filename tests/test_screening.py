"""The screening schema: a faster twin of the official one that never accepts more."""

from __future__ import annotations

import io
import random
import re

import pytest
from lxml import etree

from bench.generate import message_bytes
from onixfeed import schemas
from onixfeed.validate import engine, screening

XS = "{http://www.w3.org/2001/XMLSchema}"
FLAVOURS = [("2.1", "reference"), ("2.1", "short"), ("3.0", "reference"), ("3.0", "short"),
            ("3.1", "reference"), ("3.1", "short")]


def near_misses(code: str) -> set[str]:
    """Spellings one edit away from a code: what a pattern must not let through."""
    misses = {code + "X", code + "0", "X" + code, code[:-1], code[1:], code + " ", " " + code, code.lower()}
    for at in range(len(code)):
        misses.add(code[:at] + "Z" + code[at + 1:])
        misses.add(code[:at] + code[at] * 2 + code[at + 1:])
    return misses


def matches(pattern: str, value: str) -> bool:
    # The patterns use only literals, escapes, groups, | and ?, which Python reads alike.
    return re.fullmatch(pattern, value) is not None


@pytest.mark.parametrize("seed", range(20))
def test_a_trie_pattern_matches_exactly_its_codes(seed):
    rng = random.Random(seed)
    alphabet = "AB01.-+()[]|?*^{}\\ "
    codes = sorted({"".join(rng.choice(alphabet) for _ in range(rng.randint(0, 4))) for _ in range(rng.randint(1, 40))})
    pattern = screening.trie_pattern(codes)
    for code in codes:
        assert matches(pattern, code), (pattern, code)
    for miss in set().union(*(near_misses(code) for code in codes)) - set(codes):
        assert not matches(pattern, miss), (pattern, miss)


def test_every_code_list_of_the_official_schemas_becomes_an_exact_pattern():
    checked = 0
    for release, tags in FLAVOURS:
        files = schemas.schema_files(release, tags)
        for path in sorted(files.main.parent.glob("*.xsd")):
            original = etree.parse(str(path))
            lists = [[e.get("value") for e in r.findall(f"{XS}enumeration")] for r in original.iter(f"{XS}restriction")]
            rewritten = etree.fromstring(screening.rewrite(original, original.getroot().get("targetNamespace")))
            restrictions = list(rewritten.iter(f"{XS}restriction"))
            assert len(restrictions) == len(lists)
            for codes, restriction in zip(lists, restrictions):
                assert restriction.find(f"{XS}enumeration") is None
                patterns = restriction.findall(f"{XS}pattern")
                if not codes:
                    continue
                assert len(patterns) == 1
                pattern = patterns[0].get("value")
                assert all(matches(pattern, code) for code in codes)
                assert not any(matches(pattern, miss) for code in codes for miss in near_misses(code) - set(codes))
                checked += 1
    assert checked > 1000


@pytest.mark.parametrize("release, tags", FLAVOURS)
def test_the_screening_schema_has_no_namespace_left(release, tags):
    files = schemas.schema_files(release, tags)
    document = etree.parse(str(files.main))
    namespace = document.getroot().get("targetNamespace")
    text = screening.rewrite(document, namespace)
    root = etree.fromstring(text)
    assert root.get("targetNamespace") is None and None not in root.nsmap
    for node in root.iter(f"{XS}selector", f"{XS}field"):
        assert ":" not in node.get("xpath").replace("::", ""), node.get("xpath")
    assert screening.load_screening_schema(release, tags) is not None


def without_namespace(data: bytes) -> etree._ElementTree:
    text = data.replace(b' xmlns="http://ns.editeur.org/onix/3.0/reference"', b"")
    return etree.fromstring(text).getroottree()


def test_screening_accepts_a_valid_message_and_rejects_a_bad_code():
    schema = screening.load_screening_schema("3.0", "reference")
    data = message_bytes(3, seed=21)
    assert schema.validate(without_namespace(data))
    assert not schema.validate(without_namespace(re.sub(rb"<ProductForm>\w+<", b"<ProductForm>BX<", data, count=1)))


def test_screening_still_enforces_the_identity_constraints():
    # Left with their namespace prefix, the constraints' XPaths would select nothing.
    schema = screening.load_screening_schema("3.0", "reference")
    data = message_bytes(2, seed=22)
    reference = re.search(rb"<RecordReference>[^<]*</RecordReference>", data).group(0)
    duplicated = data.replace(reference, reference + reference, 1)
    assert not schema.validate(without_namespace(duplicated))
    second = data.rfind(b"<RecordReference>")
    same_key = data[:second] + reference + data[data.index(b"</RecordReference>", second) + 18:]
    assert not schema.validate(without_namespace(same_key))


@pytest.mark.parametrize("where", [b"<Header", b"<DescriptiveDetail"])
def test_an_element_taken_out_of_the_namespace_is_still_an_error(where):
    # xmlns="" changes nothing once the root's namespace is dropped: the engine must not screen it.
    data = message_bytes(2, seed=23).replace(where, where + b' xmlns=""', 1)
    result = engine.validate_stream(io.BytesIO(data), "message.xml", jobs=1, batch_bytes=1)
    assert not result.valid
    assert {finding.rule for finding in result.findings} <= {"XS001", "XS006"}


def test_the_rewritten_schema_is_written_once_to_the_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    main = schemas.schema_files("3.0", "reference").main
    folder = screening._rewritten_folder(main)
    assert folder is not None and folder.parent == tmp_path / "onixfeed" / "screening"
    assert {p.name for p in folder.iterdir()} == {p.name for p in main.parent.glob("*.xsd")}
    written = (folder / main.name).stat().st_mtime_ns
    assert screening._rewritten_folder(main) == folder
    assert (folder / main.name).stat().st_mtime_ns == written
    schema = etree.XMLSchema(etree.parse(str(folder / main.name)))
    assert schema.validate(without_namespace(message_bytes(2, seed=24)))


def test_an_unwritable_cache_still_gives_a_screening_schema(tmp_path, monkeypatch):
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the cache would go")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocked))
    main = schemas.schema_files("3.0", "reference").main
    assert screening._rewritten_folder(main) is None
    schema = screening._compile_in_memory(main)
    assert schema.validate(without_namespace(message_bytes(2, seed=25)))


def test_after_batches_fail_screening_it_is_tried_only_now_and_then_until_one_passes(monkeypatch):
    from onixfeed.validate import batch_validation

    calls = []
    screened = batch_validation._screened_batch
    monkeypatch.setattr(batch_validation, "SCREENING_PACE", batch_validation.ScreeningPace())
    monkeypatch.setattr(batch_validation, "SCREEN_RETRY_EVERY", 4)
    monkeypatch.setattr(batch_validation, "_screened_batch",
                        lambda plan, batch: calls.append((batch.index, screened(plan, batch))) or calls[-1][1])
    data = message_bytes(30, seed=26)
    data = re.sub(rb"<ProductForm>\w+<", b"<ProductForm>BX<", data, count=12)  # the first 12 products
    result = engine.validate_stream(io.BytesIO(data), "message.xml", jobs=1, batch_bytes=1)
    assert [f.rule for f in result.findings] == ["XS002"] * 12
    tried = [index for index, outcome in calls]
    assert tried[:2] == [0, 1] and 2 not in tried and 3 not in tried and 4 in tried  # two misses, then every 4th
    passed = [index for index, outcome in calls if outcome is not None]
    assert passed and passed[0] == 12  # the first clean batch tried passes, and from then on every batch is tried
    assert tried[tried.index(12):] == list(range(12, 30))


def test_a_schema_with_wildcards_is_not_rewritten():
    # Without the target namespace, ##other and ##targetNamespace would select other elements.
    schema = etree.fromstring(
        b'<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" targetNamespace="urn:x" xmlns="urn:x">'
        b'<xs:element name="A"><xs:complexType><xs:sequence><xs:any namespace="##other"/></xs:sequence>'
        b'</xs:complexType></xs:element></xs:schema>')
    with pytest.raises(screening.Unscreenable):
        screening.rewrite(schema.getroottree(), "urn:x")


def test_a_schema_whose_default_namespace_is_another_is_not_rewritten():
    schema = etree.fromstring(
        b'<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns="http://www.w3.org/2001/XMLSchema" '
        b'targetNamespace="urn:x"><xs:element name="A" type="string"/></xs:schema>')
    with pytest.raises(screening.Unscreenable):
        screening.rewrite(schema.getroottree(), "urn:x")
