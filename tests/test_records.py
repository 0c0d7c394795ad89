"""Reading record files: each kind of bad input is a finding with its code, file, line and field."""

from pathlib import Path

import pytest

from onixfeed import records
from onixfeed.findings import InputError

REPO = Path(__file__).resolve().parents[1]
SEED = REPO / "records" / "russias-relations-with-kazakhstan.yaml"

MINIMAL = """\
title: A Title
publisher: Example Press
formats:
  - form: paperback
    isbn: 978-1-912345-61-8
"""


def read(tmp_path, text, name="record.yaml"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return records.read_record(path)


def codes(result):
    return [(finding.rule, finding.line, finding.xpath) for finding in result.findings]


def test_the_seed_record_reads_cleanly():
    result = records.read_record(SEED)
    assert result.findings == []
    record = result.record
    assert record.title == "Russia's Relations with Kazakhstan"
    assert record.edition_number == 1 and record.copyright_year == 2016
    assert [(f.isbn, f.form, f.reference) for f in record.formats] == [("9780367874827", "BC", "routledge.9780367874827")]
    assert [(e.type, e.value, e.unit) for e in record.formats[0].extents] == [("00", "258", "03")]
    assert [(a.type, a.number) for a in record.ancillary_content] == [("01", 7)]
    assert [r.author for r in record.reviews] == ["Reuel R. Hanks", "Graeme Gill", "Sally Nikoline Cummings"]
    assert record.contributors[0].roles == ("A01",) and record.contributors[0].key_names == "Zabortseva"


def test_a_minimal_record_and_its_derived_reference(tmp_path):
    result = read(tmp_path, MINIMAL)
    assert result.findings == []
    assert result.record.formats[0].reference == "example-press.9781912345618"
    assert {(key.kind, key.value) for key in result.keys} == {("isbn", "9781912345618"), ("reference", "example-press.9781912345618")}


def test_yaml_syntax_error_names_the_line(tmp_path):
    result = read(tmp_path, "title: A\nformats:\n  - form: paperback\n   isbn: [unclosed\n")
    assert result.record is None
    assert [f.rule for f in result.findings] == ["RC001"] and result.findings[0].line in (3, 4)


def test_not_utf8_is_a_syntax_finding(tmp_path):
    path = tmp_path / "latin1.yaml"
    path.write_bytes("title: Caf\xe9\n".encode("latin-1"))
    result = records.read_record(path)
    assert [(f.rule, f.line) for f in result.findings] == [("RC001", 1)]


def test_a_repeated_key_is_a_syntax_finding(tmp_path):
    result = read(tmp_path, MINIMAL + "title: Again\n")
    assert ("RC001", 6, None) in codes(result)


def test_unknown_field_says_what_was_meant(tmp_path):
    result = read(tmp_path, MINIMAL.replace("title: A Title", "title: A Title\nsubtitel: Oops"))
    assert codes(result) == [("RC002", 2, "subtitel")]
    assert "'subtitle'" in result.findings[0].message


def test_unknown_field_inside_a_format(tmp_path):
    result = read(tmp_path, MINIMAL + "    prise: 10\n")
    assert codes(result) == [("RC002", 6, "formats[0].prise")]


def test_wrong_type(tmp_path):
    result = read(tmp_path, MINIMAL + "pages: many\n")
    assert codes(result) == [("RC003", 6, "pages")]


def test_isbn_with_a_bad_check_digit(tmp_path):
    result = read(tmp_path, MINIMAL.replace("978-1-912345-61-8", "978-1-912345-61-9"))
    assert codes(result) == [("RC004", 5, "formats[0].isbn")]
    assert "expected 8" in result.findings[0].message


def test_isbn_that_is_not_thirteen_digits(tmp_path):
    result = read(tmp_path, MINIMAL.replace("978-1-912345-61-8", "1-912345-61-X"))
    assert codes(result) == [("RC005", 5, "formats[0].isbn")]


def test_unknown_code_and_friendly_name(tmp_path):
    result = read(tmp_path, MINIMAL.replace("form: paperback", "form: paperbook") + "audience: ZZ\n")
    assert codes(result) == [("RC006", 4, "formats[0].form"), ("RC006", 6, "audience")]
    assert "paperback" in result.findings[0].message  # the closest friendly name is offered


def test_codes_given_as_numbers_must_be_quoted(tmp_path):
    result = read(tmp_path, MINIMAL + "pages: 10\nextents:\n  - {type: 0, value: 3, unit: pages}\n")
    assert ("RC003", 8, "extents[0].type") in codes(result)


def test_raw_codes_and_friendly_names_give_the_same_record(tmp_path):
    friendly = read(tmp_path, MINIMAL + "audience: professional-and-scholarly\n", "a.yaml").record
    raw = read(tmp_path, MINIMAL.replace("paperback", "BC") + "audience: '06'\n", "b.yaml").record
    assert friendly.formats[0].form == raw.formats[0].form == "BC"
    assert friendly.audiences == raw.audiences == ("06",)


def test_no_title(tmp_path):
    result = read(tmp_path, MINIMAL.replace("title: A Title\n", ""))
    assert [f.rule for f in result.findings] == ["RC007"]


def test_no_identifier(tmp_path):
    result = read(tmp_path, MINIMAL.replace("    isbn: 978-1-912345-61-8\n", ""))
    assert codes(result) == [("RC008", 4, "formats[0]")]
    result = read(tmp_path, "title: A Title\n")
    assert [f.rule for f in result.findings] == ["RC008"]


def test_duplicate_isbn_and_reference_across_records(tmp_path):
    (tmp_path / "a.yaml").write_text(MINIMAL)
    (tmp_path / "b.yaml").write_text(MINIMAL.replace("A Title", "Another"))
    (tmp_path / "c.yaml").write_text(MINIMAL.replace("978-1-912345-61-8", "978-1-912345-62-5") + "    reference: example-press.9781912345618\n")
    loaded, findings = records.load_records([tmp_path])
    assert [r.title for r in loaded] == ["A Title"]
    assert sorted((Path(f.file).name, f.rule, f.line) for f in findings) == [
        ("b.yaml", "RC009", 5), ("b.yaml", "RC010", 5), ("c.yaml", "RC010", 6)]


def test_yaml_12_scalars_keep_country_codes_and_dates_as_text(tmp_path):
    result = read(tmp_path, MINIMAL + "sales_rights:\n  - {type: exclusive, countries: [NO, ON]}\npublication_date: 2016-05-01\n")
    assert [f.rule for f in result.findings] == ["RC006"]  # ON is no country; NO (Norway) is
    assert "countries[1]" in result.findings[0].xpath
    result = read(tmp_path, MINIMAL + "sales_rights:\n  - {type: exclusive, countries: NO}\npublication_date: 2016-05-01\n")
    assert result.findings == []
    assert result.record.sales_rights[0].territory.countries == ("NO",)
    assert result.record.formats[0].publishing_dates[0].date == "20160501"


def test_bad_date(tmp_path):
    result = read(tmp_path, MINIMAL + "publication_date: 2016-02-30\n")
    assert codes(result) == [("RC012", 6, "publication_date")]


def test_format_fields_override_record_fields(tmp_path):
    text = MINIMAL + "    pages: 20\n  - form: hardback\n    isbn: 978-1-912345-62-5\npages: 10\n"
    record = read(tmp_path, text).record
    assert [f.extents[0].value for f in record.formats] == ["20", "10"]


def test_prices_need_a_supplier_and_availability(tmp_path):
    result = read(tmp_path, MINIMAL + "    prices: [{amount: 10, currency: GBP}]\n")
    assert [f.rule for f in result.findings] == ["RC011"]


def test_invalid_xhtml(tmp_path):
    result = read(tmp_path, MINIMAL + "description: {xhtml: '<p>open'}\n")
    assert codes(result) == [("RC013", 6, "description.xhtml")]


def test_orcid_check_character(tmp_path):
    good = MINIMAL + "contributors:\n  - {role: author, name: A B, orcid: 0000-0002-1825-0097}\n"
    assert read(tmp_path, good).findings == []
    result = read(tmp_path, good.replace("0097", "0098"))
    assert codes(result) == [("RC015", 7, "contributors[0].orcid")]


def test_a_record_that_is_not_a_mapping(tmp_path):
    result = read(tmp_path, "- just\n- a list\n")
    assert [f.rule for f in result.findings] == ["RC003"]


def test_missing_path_is_an_input_error(tmp_path):
    with pytest.raises(InputError):
        records.discover([tmp_path / "nowhere"])


def test_every_rule_code_is_unique():
    assert len(set(records.RULES.values())) == len(records.RULES)
    assert all(code.startswith("RC") for code in records.RULES.values())


def test_contributor_sequence_defaults_to_list_order(tmp_path):
    text = MINIMAL + "contributors:\n  - {role: author, name: A B}\n  - {role: editor, name: C D, sequence: 5}\n"
    record = read(tmp_path, text).record
    assert [(c.sequence, c.roles) for c in record.contributors] == [(1, ("A01",)), (5, ("B01",))]


def test_the_same_isbn_twice_in_one_record(tmp_path):
    text = "title: T\npublisher: P\nformats: [{form: paperback, isbn: 9781912345618}, {form: hardback, isbn: 9781912345618}]\n"
    result = read(tmp_path, text)
    clashes = records.UniqueKeys().add(result.keys)
    assert sorted(f.rule for f in clashes) == ["RC009", "RC010"]


@pytest.mark.parametrize("text, rule", [
    ("", "RC003"),                                  # an empty file
    ("a: " + "[" * 3000 + "]" * 3000 + "\n", "RC001"),  # nesting beyond any record
    ("title: !!binary aGVsbG8=\n", "RC001"),         # a tag records do not use
    ("---\ntitle: a\n---\ntitle: b\n", "RC001"),     # two documents
])
def test_junk_is_a_finding_not_a_crash(tmp_path, text, rule):
    result = read(tmp_path, text)
    assert result.record is None and result.findings[0].rule == rule


def test_a_wrong_price_is_not_reported_again_as_missing(tmp_path):
    text = MINIMAL + "    prices: [{amount: .nan, currency: GBP}]\nsupplier: S\navailability: available\n"
    assert [f.rule for f in read(tmp_path, text).findings] == ["RC014"]


@pytest.mark.parametrize("field", ["subtitle", "illustrations", "series", "supplier"])
def test_control_characters_are_a_finding(tmp_path, field):
    result = read(tmp_path, MINIMAL + f'{field}: "bell \\a here"\n')
    assert "RC016" in [f.rule for f in result.findings]
