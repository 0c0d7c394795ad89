"""UTF-16 and UTF-32 documents read as UTF-8 while they stream, with the same lines.

The splitter finds products by their bytes, which needs an encoding where `<` is one byte.
A UTF-16 or UTF-32 document is decoded and encoded again as UTF-8 a block at a time, its
byte order mark dropped and its XML declaration's encoding made UTF-8, so it is validated
like any other file, in constant memory and on every core.
"""

from __future__ import annotations

import codecs
import io
import re
from typing import BinaryIO

BLOCK_SIZE = 1 << 20
_DECLARATION_ENCODING = re.compile(r"""^(\s*<\?xml[^>]*?encoding\s*=\s*)["'][^"']*["']""")
_MARKS = [  # byte order mark -> codec, longest first (a UTF-32LE mark starts like UTF-16LE's)
    (codecs.BOM_UTF32_BE, "utf-32-be"), (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"), (codecs.BOM_UTF16_LE, "utf-16-le"),
]


class DecodeFailure(Exception):
    """Bytes that are not text in the document's encoding: where, and why."""

    def __init__(self, message: str, line: int):
        super().__init__(message)
        self.message = message
        self.line = line


def encoding_of(head: bytes) -> tuple[str, int] | None:
    """(codec, length of its byte order mark) for a UTF-16 or UTF-32 document, from its first
    four bytes; None when `<` is a single byte (UTF-8, ASCII, the ISO 8859 family...)."""
    for mark, codec in _MARKS:
        if head.startswith(mark):
            return codec, len(mark)
    if b"\x00" not in head[:4]:
        return None
    if head[:4] == b"\x00\x00\x00<":
        return "utf-32-be", 0
    if head[:4] == b"<\x00\x00\x00":
        return "utf-32-le", 0
    return ("utf-16-le" if head[:2] == b"<\x00" else "utf-16-be"), 0


def as_utf8(stream: BinaryIO) -> BinaryIO:
    """The stream itself when it is ASCII-compatible, else a UTF-8 reader over it."""
    head = stream.peek(4)[:4] if hasattr(stream, "peek") else b""
    if len(head) < 4:  # not peekable, or a pipe that has given fewer bytes so far
        head = b""
        while len(head) < 4 and (more := stream.read(4 - len(head))):
            head += more
        stream = _Prepended(head, stream)
    found = encoding_of(head)
    return stream if found is None else Utf8Reader(stream, *found)


class _Prepended(io.RawIOBase):
    """Bytes already read, then the rest of the stream."""

    def __init__(self, head: bytes, stream: BinaryIO):
        self._head = head
        self._stream = stream

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        if not self._head:
            return self._stream.read(size)
        if 0 <= size <= len(self._head):
            head, self._head = self._head[:size], self._head[size:]
            return head
        head, self._head = self._head, b""
        return head + self._stream.read(-1 if size < 0 else size - len(head))


class Utf8Reader(io.RawIOBase):
    """Read a UTF-16 or UTF-32 stream as UTF-8. Raises DecodeFailure at bytes that are not
    text in that encoding."""

    def __init__(self, stream: BinaryIO, codec: str, mark: int = 0):
        self._stream = stream
        self._codec = codec
        self._skip = mark  # byte order mark still to drop
        self._decoder = codecs.getincrementaldecoder(codec)("strict")
        self._out = b""
        self._at = 0
        self._first = True
        self._lines = 1  # the line the next decoded text starts on
        self.source_bytes = 0  # bytes read from the stream (for progress)
        self._done = False

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        while self._at >= len(self._out) and not self._done:
            self._fill()
        if size < 0:
            size = len(self._out) - self._at
        chunk = self._out[self._at:self._at + size]
        self._at += len(chunk)
        return chunk

    def readinto(self, buffer) -> int:
        chunk = self.read(len(buffer))
        buffer[:len(chunk)] = chunk
        return len(chunk)

    def _fill(self) -> None:
        text = self._decode(self._stream.read(BLOCK_SIZE))
        if self._first:
            # the XML declaration must be whole before its encoding can be changed
            while not self._done and "?>" not in text and len(text) < 4096:
                text += self._decode(self._stream.read(BLOCK_SIZE))
            text = _DECLARATION_ENCODING.sub(r'\1"UTF-8"', text, count=1)
            self._first = False
        self._lines += text.count("\n")
        self._out, self._at = text.encode("utf-8"), 0

    def _decode(self, raw: bytes) -> str:
        self.source_bytes += len(raw)
        self._done = not raw
        if self._skip:
            dropped, raw = raw[:self._skip], raw[self._skip:]
            self._skip -= len(dropped)
        try:
            return self._decoder.decode(raw, final=self._done)
        except UnicodeDecodeError as error:
            before = error.object[:error.start].decode(self._codec, "ignore")
            where = self.source_bytes - len(raw) - (len(error.object) - len(raw)) + error.start
            raise DecodeFailure(f"cannot decode the document as {self._codec.upper()}: {error.reason} "
                                f"at byte {where}", self._lines + before.count("\n")) from None
