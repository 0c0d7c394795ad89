"""Hostile and broken input: a finding each, no traceback, no file or network read, others still checked."""

import gzip
import json
import os
import socket
import threading
import zipfile

import pytest
from typer.testing import CliRunner

from onixfeed.cli import app
from onixfeed.validate import inputs
from onixfeed.validate.run import iter_results
from validate_samples import VALID, with_text

SECRET = "s3cr3t-token-that-must-never-leak"


def cli(*args):
    result = CliRunner().invoke(app, ["validate", "--format", "json", *map(str, args)])
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in result.output
    return result


def library(*paths, jobs=1):
    return list(iter_results([str(path) for path in paths], jobs=jobs))


def rules_of(result):
    return {finding.rule for finding in result.findings}


BROKEN = {
    "not-xml.xml": b"Title,ISBN\nA book,9780306406157\n",
    "truncated.xml": VALID[: len(VALID) // 2],
    "binary.xml": bytes(range(256)) * 8,
    "empty.xml": b"",
    "png-named-xml.xml": b"\x89PNG\r\n\x1a\n" + b"\x00" * 64,
    "declared-utf8-but-latin1.xml": with_text("Caf\u00e9 cr\u00e8me", "latin-1").replace(b'encoding="latin-1"', b'encoding="UTF-8"'),
    "mixed-encoding.xml": VALID.replace(b"A Title", "Caf\u00e9 ".encode("utf-8") + "cr\u00e8me".encode("latin-1")),
    "two-roots.xml": VALID + VALID,
    "nul-bytes.xml": VALID.replace(b"A Title", b"A\x00Title"),
}


@pytest.mark.parametrize("name", sorted(BROKEN))
def test_broken_input_is_a_finding_with_a_line_and_the_rest_still_runs(tmp_path, name):
    (tmp_path / name).write_bytes(BROKEN[name])
    (tmp_path / "zz-good.xml").write_bytes(VALID)
    broken, good = library(tmp_path / name, tmp_path / "zz-good.xml")
    assert not broken.valid and good.valid
    xs000 = [f for f in broken.findings if f.rule == "XS000"]
    assert xs000 and all(f.file == str(tmp_path / name) for f in xs000)
    if BROKEN[name]:
        assert xs000[0].line is not None and xs000[0].line >= 1
    result = cli(tmp_path / name, tmp_path / "zz-good.xml")
    assert result.exit_code == 1


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-16", "utf-16-be", "iso-8859-1"])
def test_boms_and_declared_encodings_are_honoured(tmp_path, encoding):
    label = {"utf-8-sig": "UTF-8", "utf-16": "UTF-16", "utf-16-be": "UTF-16", "iso-8859-1": "ISO-8859-1"}[encoding]
    text = with_text("Caf\u00e9", "utf-8").decode("utf-8").replace('encoding="utf-8"', f'encoding="{label}"')
    data = text.encode(encoding)
    if encoding == "utf-16-be":
        data = b"\xfe\xff" + data
    (tmp_path / "feed.xml").write_bytes(data)
    (result,) = library(tmp_path / "feed.xml")
    assert result.valid, result.findings
    assert cli(tmp_path / "feed.xml").exit_code == 0


@pytest.fixture
def listener():
    """A local TCP server that records whether anything connected to it."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(5)
    server.settimeout(0.2)
    hits = []
    stop = threading.Event()

    def accept():
        while not stop.is_set():
            try:
                connection, _ = server.accept()
            except OSError:
                continue
            hits.append(connection.recv(200))
            connection.close()

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield server.getsockname()[1], hits
    stop.set()
    thread.join(2)
    server.close()


def test_external_entities_never_read_a_local_file_or_the_network(tmp_path, listener):
    port, hits = listener
    secret = tmp_path / "secret.txt"
    secret.write_text(SECRET)
    doctype = (
        f'<!DOCTYPE ONIXMessage SYSTEM "http://127.0.0.1:{port}/onix.dtd" [\n'
        f'<!ENTITY leak SYSTEM "file://{secret}">\n'
        f'<!ENTITY remote SYSTEM "http://127.0.0.1:{port}/remote">\n'
        f'<!ENTITY % param SYSTEM "http://127.0.0.1:{port}/param.dtd"> %param;\n'
        "]>\n"
    )
    text = VALID.decode().replace("<ONIXMessage", doctype + "<ONIXMessage", 1).replace("A Title", "&leak;&remote;")
    hostile = tmp_path / "xxe.xml"
    hostile.write_text(text)
    (result,) = library(hostile)
    assert SECRET not in repr(result)
    assert not result.valid  # the schema cannot vouch for content it never read
    outcome = cli(hostile)
    assert outcome.exit_code == 1
    assert SECRET not in outcome.output
    for format_name in ("text", "sarif", "github", "junit"):
        assert SECRET not in CliRunner().invoke(app, ["validate", "--format", format_name, str(hostile)]).output
    assert hits == []


def test_billion_laughs_is_bounded(tmp_path):
    entities = ['<!ENTITY lol0 "lol">'] + [f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, 10)]
    doctype = "<!DOCTYPE ONIXMessage [\n" + "\n".join(entities) + "\n]>\n"
    text = VALID.decode().replace("<ONIXMessage", doctype + "<ONIXMessage", 1).replace("A Title", "&lol9;")
    bomb = tmp_path / "laughs.xml"
    bomb.write_text(text)
    (result,) = library(bomb)
    assert len(repr(result)) < 100_000  # the expansion (10^9 "lol") never reached a message
    assert "XS000" in rules_of(result)
    assert cli(bomb).exit_code == 1


def test_quadratic_blowup_is_bounded(tmp_path):
    doctype = f'<!DOCTYPE ONIXMessage [<!ENTITY big "{"x" * 100_000}">]>\n'
    text = VALID.decode().replace("<ONIXMessage", doctype + "<ONIXMessage", 1).replace("A Title", "&big;" * 20_000)
    bomb = tmp_path / "quadratic.xml"
    bomb.write_text(text)
    (result,) = library(bomb)
    assert len(repr(result)) < 1_000_000
    assert "XS000" in rules_of(result)
    assert cli(bomb).exit_code == 1


def test_very_deep_nesting_is_a_finding(tmp_path):
    depth = 100_000
    text = VALID.decode().replace("A Title", "<b>" * depth + "x" + "</b>" * depth)
    deep = tmp_path / "deep.xml"
    deep.write_text(text)
    (result,) = library(deep)
    assert not result.valid and rules_of(result) & {"XS000", "XS001"}
    assert cli(deep).exit_code == 1


def test_a_file_deleted_between_listing_and_reading(tmp_path, monkeypatch):
    for name in ("a.xml", "b.xml", "c.xml"):
        (tmp_path / name).write_bytes(VALID)
    listed = inputs.expand

    def list_then_delete(arguments):
        sources = list(listed(arguments))
        (tmp_path / "b.xml").unlink()
        return iter(sources)

    monkeypatch.setattr(inputs, "expand", list_then_delete)
    results = library(tmp_path)
    assert [rules_of(r) for r in results] == [set(), {"IN001"}, set()]
    (tmp_path / "b.xml").write_bytes(VALID)
    outcome = cli(tmp_path, "--jobs", "1")
    assert outcome.exit_code == 1
    assert '"IN001"' in outcome.stdout


def test_truncated_gzip_and_corrupt_zip_are_findings(tmp_path):
    packed = gzip.compress(VALID * 50)
    (tmp_path / "cut.xml.gz").write_bytes(packed[: len(packed) // 2])
    (tmp_path / "broken.zip").write_bytes(b"PK\x03\x04" + os.urandom(100))
    (tmp_path / "good.xml").write_bytes(VALID)
    results = {r.name: r for r in library(tmp_path)}
    assert rules_of(results[str(tmp_path / "cut.xml.gz")]) >= {"IN002"}
    assert rules_of(results[str(tmp_path / "broken.zip")]) == {"IN002"}
    assert results[str(tmp_path / "good.xml")].valid
    assert cli(tmp_path).exit_code == 1


def test_a_folder_of_ten_thousand_small_files(tmp_path):
    """Through the command (which runs the library's many-path API): one pool, not one per file."""
    folder = tmp_path / "many"
    folder.mkdir()
    for number in range(10_000):
        (folder / f"{number:05}.xml").write_bytes(VALID)
    (folder / "09999.xml").write_bytes(b"<broken")
    outcome = cli(folder, "--jobs", "2", "--no-rules")  # the rules have their own tests and benchmarks
    assert outcome.exit_code == 1
    document = json.loads(outcome.stdout)
    assert len(document["files"]) == 10_000
    assert [entry["path"] for entry in document["files"] if not entry["valid"]] == [str(folder / "09999.xml")]
    assert {finding["rule"] for finding in document["findings"]} == {"XS000"}


def test_the_library_verbs_take_a_folder_of_broken_files_and_archives(tmp_path):
    import onixfeed.validate as api

    for name, data in BROKEN.items():
        (tmp_path / name).write_bytes(data)
    (tmp_path / "good.xml").write_bytes(VALID)
    (tmp_path / "good.xml.gz").write_bytes(gzip.compress(VALID))
    with zipfile.ZipFile(tmp_path / "drop.zip", "w") as zipped:
        zipped.writestr("inner.xml", VALID)
        zipped.writestr("broken.xml", b"<ONIXMessage")
    per_file = {result.name: result for result in api.results(tmp_path, jobs=1)}
    valid = {name for name, result in per_file.items() if result.valid}
    assert valid == {str(tmp_path / "good.xml"), str(tmp_path / "good.xml.gz"), f"{tmp_path / 'drop.zip'}!inner.xml"}
    assert len(per_file) == len(BROKEN) + 4
    findings = api.validate(tmp_path, jobs=1)
    assert {f.file for f in findings if f.rule == "XS000"} == set(per_file) - valid
    assert api.is_valid(tmp_path / "good.xml.gz", jobs=1) and not api.is_valid(tmp_path, jobs=1)


def test_a_value_too_long_for_the_validator_is_a_finding_on_its_line(tmp_path):
    title_line = VALID.split(b"A Title")[0].count(b"\n") + 1
    (tmp_path / "long.xml").write_bytes(VALID.replace(b"A Title", b"x" * 20_000_000))
    (result,) = library(tmp_path / "long.xml")
    (finding,) = result.findings
    assert (finding.rule, finding.line) == ("XS009", title_line)
