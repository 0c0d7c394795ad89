"""UTF-16 and UTF-32 documents stream as UTF-8 with the same lines and the same findings."""

from __future__ import annotations

import io
import re

import pytest

from bench.generate import message_bytes
from onixfeed.validate import engine
from onixfeed.validate.transcode import DecodeFailure, Utf8Reader, as_utf8, encoding_of

ENCODINGS = ["utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-32-le", "utf-32-be"]


def encoded(text: str, encoding: str) -> bytes:
    """The document in `encoding` (with a byte order mark for the plain names), declared as such."""
    return text.replace('encoding="UTF-8"', f'encoding="{encoding.upper()}"').encode(encoding)


class Trickle(io.RawIOBase):
    """A stream that hands out a few bytes at a time and cannot peek (as a pipe might)."""

    def __init__(self, data: bytes, step: int):
        self.data, self.step, self.at = data, step, 0

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        size = self.step if size < 0 else min(size, self.step)
        chunk = self.data[self.at:self.at + size]
        self.at += len(chunk)
        return chunk


def bad_codes(data: bytes) -> bytes:
    return re.sub(rb"<ProductForm>\w+<", b"<ProductForm>BX<", data, count=3)


@pytest.mark.parametrize("encoding", ENCODINGS)
def test_a_document_in_utf16_or_utf32_gives_the_findings_of_its_utf8_twin(encoding):
    utf8 = bad_codes(message_bytes(6, seed=31))
    expected = [(f.rule, f.line, f.xpath) for f in engine.validate_stream(io.BytesIO(utf8), "m", jobs=1).findings]
    data = encoded(utf8.decode("utf-8"), encoding)
    for jobs in (1, 2):
        result = engine.validate_stream(io.BytesIO(data), "m", jobs=jobs, batch_bytes=1)
        assert [(f.rule, f.line, f.xpath) for f in result.findings] == expected
        assert result.products == 6


@pytest.mark.parametrize("encoding", ["utf-16", "utf-32-be"])
def test_the_reader_gives_the_same_bytes_however_the_stream_trickles_in(encoding):
    text = message_bytes(2, seed=32).decode("utf-8")
    data = encoded(text, encoding)
    whole = as_utf8(io.BufferedReader(io.BytesIO(data))).read()
    assert whole == text.encode("utf-8")
    for step in (1, 3, 4096):
        reader = as_utf8(Trickle(data, step))
        assert isinstance(reader, Utf8Reader)
        pieces = iter(lambda: reader.read(7), b"")
        assert b"".join(pieces) == whole


def test_ascii_compatible_streams_are_read_as_they_are():
    stream = io.BufferedReader(io.BytesIO(message_bytes(1, seed=33)))
    assert as_utf8(stream) is stream
    assert encoding_of(b"<?xm") is None and encoding_of(b"\xef\xbb\xbf<") is None
    assert encoding_of(b"\xff\xfe<\x00") == ("utf-16-le", 2)
    assert encoding_of(b"\xff\xfe\x00\x00") == ("utf-32-le", 4)
    assert encoding_of(b"\x00<\x00?") == ("utf-16-be", 0)


def test_bytes_that_are_not_utf16_stop_the_file_with_a_finding_at_their_line():
    text = message_bytes(4, seed=34).decode("utf-8").replace('encoding="UTF-8"', 'encoding="UTF-16"')
    data = text.encode("utf-16-le")
    cut = data.index("<Product>".encode("utf-16-le"), data.index("</Product>".encode("utf-16-le")))
    broken = b"\xff\xfe" + data[:cut] + b"\x00\xdc" + data[cut:]  # a lone low surrogate
    result = engine.validate_stream(io.BytesIO(broken), "m", jobs=1, batch_bytes=1)
    assert [f.rule for f in result.findings] == ["XS000"]
    assert result.findings[0].line == text[: cut // 2].count("\n") + 1
    with pytest.raises(DecodeFailure):
        as_utf8(io.BytesIO(broken)).read()


def test_an_utf8_stream_that_cannot_peek_loses_no_bytes_however_it_is_read():
    data = message_bytes(1, seed=35)
    for step in (1, 2, 5):
        stream = as_utf8(Trickle(data, step))
        assert b"".join(iter(lambda: stream.read(3), b"")) == data
