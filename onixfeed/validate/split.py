"""Split an ONIX byte stream at Product boundaries without parsing it: prolog, then batches.

The prolog is everything before the first top-level Product (XML declaration, root start
tag, Header). Each batch is a run of whole products cut from the original bytes, starting
at a Product start tag; the last batch also carries the tail (root end tag and whatever
follows). The scanner uses bytes.find, and steps around comments and CDATA sections, so
a `</Product>` inside them never cuts a batch. A batch is only cut where the gap between
two products holds nothing but white space, comments or processing instructions, so any
other element at the top level stays beside the product before it, as in the whole
document.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import BinaryIO, Callable, Iterator

BLOCK_SIZE = 1 << 20
MAX_PROLOG_TRIES = 64  # Product start tags tried as the first top-level one before giving up
_PRODUCT_START = re.compile(
    rb"<!--.*?-->|<!\[CDATA\[.*?\]\]>|<\?.*?\?>|<((?:[A-Za-z_][\w.-]*:)?(?:Product|product))[\s/>]", re.S)
_DELIMITERS = b" \t\r\n/>"


@dataclass(frozen=True)
class Prolog:
    """The bytes before the first Product (the whole document when it has none)."""

    data: bytes
    product_tag: bytes | None  # b"Product", b"product", or with a prefix (b"onix:Product"); None: no product
    whole: bool  # True: `data` is the entire document, there are no batches


@dataclass(frozen=True)
class Batch:
    """Whole products in their original bytes, with where they sit in the file."""

    index: int
    data: bytes
    offset: int  # byte offset of data[0] in the file
    line: int  # 1-based line of data[0]
    lead: bytes  # the white space before data[0] on its line (b"" when not only white space)
    first_product: int  # 0-based position of its first Product among all products
    products: int  # Product end tags in data
    last: bool  # data runs to the end of the file


class ProductSplitter:
    """Read a stream once, yielding the prolog, then batches of about `batch_bytes` each."""

    def __init__(self, stream: BinaryIO, batch_bytes: int = 1 << 21, batch_lines: int = 40_000,
                 block_size: int = BLOCK_SIZE):
        self.stream = stream
        self.batch_bytes = batch_bytes
        self.batch_lines = batch_lines
        self.block_size = block_size
        self.bytes_read = 0
        self.products = 0
        self._buffer = b""
        self._eof = False

    def _read(self, keep_from: int = 0) -> bool:
        """Append a block to the buffer, dropping the bytes before `keep_from` (done with) in
        the same copy; False at the end of the stream."""
        if self._eof:
            return False
        block = self.stream.read(self.block_size)
        if not block:
            self._eof = True
            return False
        self.bytes_read += len(block)
        self._buffer = self._buffer[keep_from:] + block if keep_from else self._buffer + block
        return True

    def prolog(self, accept: Callable[[bytes], bool | None] = lambda prolog: True) -> Prolog:
        """Read up to the first top-level Product start tag: the first `<Product` for which
        `accept(bytes before it)` holds (the caller checks that only the root is open).
        `accept` returns None when those bytes are broken beyond repair: the prolog is then
        what was read (it holds the error), as a whole document."""
        tried = 0
        searched = 0
        while True:
            if not self._buffer and not self._read():
                return Prolog(b"", None, True)
            for match in _PRODUCT_START.finditer(self._buffer, searched):
                verdict = accept(self._buffer[: match.start()]) if match.group(1) is not None else False
                tried += match.group(1) is not None
                if verdict is None or tried > MAX_PROLOG_TRIES:
                    # Broken before this point, or Products nested deep: no top-level cut.
                    if verdict is not None:
                        while self._read():
                            pass
                    return Prolog(self._buffer, None, True)
                if verdict:
                    start = match.start()
                    data, self._buffer = self._buffer[:start], self._buffer[start:]
                    self._offset = start
                    self._line = data.count(b"\n") + 1
                    return Prolog(data, match.group(1), False)
                searched = match.end()
            # An unterminated comment or CDATA section, or no product yet: read on.
            if not self._read():
                return Prolog(self._buffer, None, True)

    def batches(self, product_tag: bytes) -> Iterator[Batch]:
        """Yield the products after the prolog in batches (call after prolog())."""
        # One pass finds the end tag or the start of a comment or CDATA section to step over.
        # (No capturing group: one would turn off the regex engine's fast literal search.)
        end_tag = re.compile(b"</" + re.escape(product_tag) + rb"\s*>|<!")
        start_tag = b"<" + product_tag
        buffer_offset = self._offset  # file offset of self._buffer[0]
        start = 0  # batch start within the buffer
        scan = 0  # a position known to be outside comments, CDATA and tags
        count = 0
        index = 0
        line = self._line
        lead = b""
        lines = 0  # line ends in the batch so far

        def read_more() -> int | None:
            """Read on, dropping what earlier batches took; how far positions move (None: end)."""
            nonlocal start, scan, buffer_offset
            dropped = start
            if not self._read(dropped):
                return None
            start, scan, buffer_offset = 0, scan - dropped, buffer_offset + dropped
            return dropped

        while True:
            end = self._product_end(end_tag, scan)
            if end is None:
                if read_more() is not None:
                    continue
                break
            following = self._next_start(start_tag, end)
            while following is None:
                moved = read_more()
                if moved is None:
                    break
                end -= moved
                following = self._next_start(start_tag, end)
            count += 1
            self.products += 1
            if following is None or following[0] < 0:
                lines += self._buffer.count(b"\n", scan, end)
                scan = end
                if following is None:
                    break
                continue
            next_start, clean = following
            lines += self._buffer.count(b"\n", scan, next_start)
            scan = next_start
            if clean and (next_start - start >= self.batch_bytes or lines >= self.batch_lines):
                data = self._buffer[start:next_start]
                yield Batch(index, data, buffer_offset + start, line, lead, self.products - count, count, False)
                index += 1
                line += lines
                line_start = self._buffer.rfind(b"\n", start, next_start) + 1
                lead = self._buffer[line_start:next_start] if line_start else b""
                lead = lead if len(lead) < 1024 and not lead.strip() else b""
                start, count, lines = next_start, 0, 0
        while self._read():
            pass
        data = self._buffer[start:]
        self._buffer = b""
        yield Batch(index, data, buffer_offset + start, line, lead, self.products - count, count, True)

    def _product_end(self, end_tag: re.Pattern, scan: int) -> int | None:
        """The offset just after the next Product end tag outside comments and CDATA."""
        buffer = self._buffer
        found = end_tag.search(buffer, scan)
        while found is not None:
            opened = found.start()
            if buffer[opened + 1] != 0x21:  # not "<!": the end tag itself
                return found.end()
            if buffer.startswith(b"<!--", opened):
                close = buffer.find(b"-->", opened + 4)
            elif buffer.startswith(b"<![CDATA[", opened):
                close = buffer.find(b"]]>", opened + 9)
            else:
                found = end_tag.search(buffer, opened + 2)
                continue
            if close < 0:
                return None  # read on: the comment or CDATA section ends further on
            found = end_tag.search(buffer, close + 3)
        return None

    def _next_start(self, start_tag: bytes, end: int) -> tuple[int, bool] | None:
        """(offset of the next top-level Product start, whether only white space,
        comments and PIs precede it); (-1, ...) at the root end tag; None: read more."""
        buffer = self._buffer
        position = end
        clean = True
        while True:
            found = buffer.find(b"<", position)
            if found < 0 or found + len(start_tag) + 1 > len(buffer):
                return None
            if buffer.startswith(start_tag, found) and buffer[found + len(start_tag)] in _DELIMITERS:
                return found, clean
            if buffer.startswith(b"<!--", found):
                close = buffer.find(b"-->", found + 4)
                if close < 0:
                    return None
                position = close + 3
            elif buffer.startswith(b"<?", found):
                close = buffer.find(b"?>", found + 2)
                if close < 0:
                    return None
                position = close + 2
            elif buffer.startswith(b"</", found) and clean:
                return -1, clean  # the root's end tag: no more products
            else:
                clean = False  # some other element at the top level
                position = found + 1
