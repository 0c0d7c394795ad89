"""Expanding `validate` arguments into sources: files, folders, stdin, gzip, zip."""

import gzip
import io
import os
import sys
import zipfile

import pytest

from onixfeed.findings import InputError
from onixfeed.validate import inputs


def names(sources):
    return [source.name for source in sources]


def read(source):
    with source.open() as stream:
        return stream.read()


@pytest.fixture
def tree(tmp_path):
    (tmp_path / "b.xml").write_bytes(b"<b/>")
    (tmp_path / "a.onx").write_bytes(b"<a/>")
    (tmp_path / "notes.txt").write_bytes(b"not onix")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "c.ONIX").write_bytes(b"<c/>")
    (tmp_path / "sub" / "d.xml.gz").write_bytes(gzip.compress(b"<d/>"))
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "hidden.xml").write_bytes(b"<h/>")
    return tmp_path


def test_a_folder_recurses_into_onix_names_sorted(tree):
    found = list(inputs.expand([str(tree)]))
    assert [os.path.relpath(name, tree) for name in names(found)] == [
        "a.onx",
        "b.xml",
        os.path.join("sub", "c.ONIX"),
        os.path.join("sub", "d.xml.gz"),
    ]
    assert [read(source) for source in found] == [b"<a/>", b"<b/>", b"<c/>", b"<d/>"]


def test_gzip_is_detected_by_magic_bytes_not_name(tmp_path):
    disguised = tmp_path / "feed.xml"
    disguised.write_bytes(gzip.compress(b"<ONIXMessage/>"))
    (source,) = inputs.expand([str(disguised)])
    assert read(source) == b"<ONIXMessage/>"


def test_zip_is_detected_by_magic_bytes_and_each_onix_member_is_a_source(tmp_path):
    archive = tmp_path / "drop.bin"
    with zipfile.ZipFile(archive, "w", compression=zipfile.ZIP_DEFLATED) as zipped:
        zipped.writestr("one.xml", "<one/>")
        zipped.writestr("folder/two.onix", "<two/>")
        zipped.writestr("cover.jpg", "\xff\xd8")
        zipped.writestr("__MACOSX/folder/._two.onix", "junk")
        zipped.writestr("README", "plain words")
        zipped.writestr("ONIXFEED", "<?xml version='1.0'?><x/>")
        zipped.writestr("three.xml.gz", gzip.compress(b"<three/>"))
    found = list(inputs.expand([str(archive)]))
    assert names(found) == [f"{archive}!one.xml", f"{archive}!folder/two.onix", f"{archive}!ONIXFEED", f"{archive}!three.xml.gz"]
    assert [read(source) for source in found] == [b"<one/>", b"<two/>", b"<?xml version='1.0'?><x/>", b"<three/>"]


def test_a_folder_picks_up_zips_but_ignores_one_without_onix(tmp_path):
    with zipfile.ZipFile(tmp_path / "images.zip", "w") as zipped:
        zipped.writestr("cover.jpg", "x")
    with zipfile.ZipFile(tmp_path / "feed.zip", "w") as zipped:
        zipped.writestr("feed.xml", "<f/>")
    assert names(inputs.expand([str(tmp_path)])) == [f"{tmp_path / 'feed.zip'}!feed.xml"]


def test_an_explicit_zip_without_onix_is_a_finding(tmp_path):
    archive = tmp_path / "images.zip"
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.writestr("cover.jpg", "x")
    (source,) = inputs.expand([str(archive)])
    with pytest.raises(inputs.SourceError) as caught:
        source.open()
    assert caught.value.to_finding().rule == "IN003"


def test_a_corrupt_zip_is_a_finding_not_a_crash(tmp_path):
    archive = tmp_path / "broken.zip"
    archive.write_bytes(b"PK\x03\x04" + b"\x00" * 40)
    (source,) = inputs.expand([str(archive)])
    with pytest.raises(inputs.SourceError) as caught:
        read(source)
    finding = caught.value.to_finding()
    assert (finding.rule, finding.file) == ("IN002", str(archive))


def test_truncated_gzip_raises_a_source_error_while_reading(tmp_path):
    packed = gzip.compress(os.urandom(200_000))
    broken = tmp_path / "cut.xml.gz"
    broken.write_bytes(packed[: len(packed) // 2])
    (source,) = inputs.expand([str(broken)])
    with pytest.raises(inputs.SourceError) as caught:
        read(source)
    assert caught.value.rule == "IN002"


def test_a_file_that_vanishes_after_listing_is_an_unreadable_finding(tmp_path):
    doomed = tmp_path / "gone.xml"
    doomed.write_bytes(b"<g/>")
    (source,) = inputs.expand([str(tmp_path)])
    doomed.unlink()
    with pytest.raises(inputs.SourceError) as caught:
        source.open()
    assert caught.value.to_finding().rule == "IN001"


def test_missing_path_is_an_input_error(tmp_path):
    with pytest.raises(InputError) as caught:
        list(inputs.expand([str(tmp_path / "nope.xml")]))
    assert "nope.xml" in str(caught.value)


def test_broken_symlink_is_an_input_error(tmp_path):
    link = tmp_path / "link.xml"
    link.symlink_to(tmp_path / "missing.xml")
    with pytest.raises(InputError):
        list(inputs.expand([str(link)]))


def test_stdin_is_read_and_gunzipped(monkeypatch):
    fake = io.BufferedReader(io.BytesIO(gzip.compress(b"<s/>")))
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(fake))
    (source,) = inputs.expand(["-"])
    assert source.name == "-" and source.path is None
    assert read(source) == b"<s/>"
    assert not fake.closed


def test_stdin_twice_is_an_input_error(monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BufferedReader(io.BytesIO(b"<s/>"))))
    with pytest.raises(InputError):
        list(inputs.expand(["-", "-"]))


def test_a_zip_on_stdin_is_an_input_error(monkeypatch):
    packed = io.BytesIO()
    with zipfile.ZipFile(packed, "w") as zipped:
        zipped.writestr("a.xml", "<a/>")
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BufferedReader(io.BytesIO(packed.getvalue()))))
    with pytest.raises(InputError):
        list(inputs.expand(["-"]))


def test_sources_on_disk_are_picklable(tree):
    import pickle

    for source in inputs.expand([str(tree)]):
        assert pickle.loads(pickle.dumps(source)) == source


def test_a_large_gzip_streams_in_bounded_memory(tmp_path):
    """20 MB of XML through gzip: read in blocks, the peak allocation stays far below the size."""
    import tracemalloc

    big = tmp_path / "big.xml.gz"
    block = b"<Product><RecordReference>x</RecordReference></Product>\n" * 2000
    with gzip.open(big, "wb", compresslevel=1) as packed:
        packed.write(b"<ONIXMessage>")
        for _ in range(180):
            packed.write(block)
        packed.write(b"</ONIXMessage>")
    (source,) = inputs.expand([str(big)])
    tracemalloc.start()
    total = 0
    with source.open() as stream:
        while chunk := stream.read(1 << 16):
            total += len(chunk)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert total > 20_000_000
    assert peak < 4_000_000


def test_a_folder_without_onix_is_an_input_error(tmp_path):
    (tmp_path / "notes.txt").write_text("nothing to validate")
    with pytest.raises(InputError) as caught:
        list(inputs.expand([str(tmp_path)]))
    assert str(tmp_path) in str(caught.value)


def test_a_named_pipe_is_read_once_and_gunzipped(tmp_path):
    import threading

    pipe = tmp_path / "feed.pipe"
    os.mkfifo(pipe)

    def write():
        with open(pipe, "wb") as writer:
            writer.write(gzip.compress(b"<piped/>"))

    writer = threading.Thread(target=write)
    writer.start()
    (source,) = inputs.expand([str(pipe)])
    assert source.size is None
    assert read(source) == b"<piped/>"
    writer.join(5)


def test_sizes_are_of_the_message_not_the_compressed_bytes(tmp_path):
    body = b"<m>" + b"x" * 100_000 + b"</m>"
    (tmp_path / "m.xml.gz").write_bytes(gzip.compress(body))
    with zipfile.ZipFile(tmp_path / "m.zip", "w", compression=zipfile.ZIP_DEFLATED) as zipped:
        zipped.writestr("m.xml", body)
    sizes = {os.path.basename(source.name): source.size for source in inputs.expand([str(tmp_path)])}
    assert sizes == {"m.xml.gz": len(body), "m.zip!m.xml": len(body)}


def test_members_of_several_archives_read_in_any_order(tmp_path):
    expected = {}
    for stem in ("one", "two"):
        with zipfile.ZipFile(tmp_path / f"{stem}.zip", "w") as zipped:
            for number in range(3):
                zipped.writestr(f"{number}.xml", f"<{stem}{number}/>")
                expected[f"{tmp_path / stem}.zip!{number}.xml"] = f"<{stem}{number}/>".encode()
    sources = list(inputs.expand([str(tmp_path / "one.zip"), str(tmp_path / "two.zip")]))
    shuffled = sources[::2] + sources[1::2]  # alternate between the archives
    assert {source.name: read(source) for source in shuffled} == expected
    with zipfile.ZipFile(tmp_path / "one.zip", "w") as zipped:  # rewritten since it was listed
        zipped.writestr("0.xml", "<new/>")
    os.utime(tmp_path / "one.zip", ns=(1, 1))
    assert read(sources[0]) == b"<new/>"


def test_closed_standard_input_is_an_input_error(monkeypatch):
    monkeypatch.setattr(sys, "stdin", None)
    with pytest.raises(InputError):
        list(inputs.expand(["-"]))
