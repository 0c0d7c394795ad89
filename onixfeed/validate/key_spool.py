"""The keys every product hands to the message-level checks, kept on disk, not in memory.

A backlist of a million products gives some millions of keys (RecordReference, ISBN...):
about a gigabyte as Python objects. They are written to an anonymous temporary file as
they come and read back, in document order, each time the checks iterate over them.
"""

from __future__ import annotations

import io
import marshal
import tempfile
from typing import Iterable, Iterator

from onixfeed.validate.checks import Key

_BUFFERED = 4096  # keys held before a write


class KeySpool:
    """An append-only collection of Keys, iterable as often as needed, spooled to a temporary file."""

    def __init__(self) -> None:
        self._file = None  # made at the first write: most runs of a few products never need it
        self._pending: list[tuple] = []
        self._count = 0

    def extend(self, keys: Iterable[Key]) -> None:
        for key in keys:
            self._pending.append(tuple(key))
            self._count += 1
        if len(self._pending) >= _BUFFERED:
            self._flush()

    def _flush(self) -> None:
        if self._pending:
            if self._file is None:
                try:
                    self._file = tempfile.TemporaryFile(prefix="onixfeed-keys-")
                except OSError:  # no writable temporary folder: keep them in memory instead
                    self._file = io.BytesIO()
            self._file.seek(0, 2)
            marshal.dump(self._pending, self._file)
            self._pending = []

    def __len__(self) -> int:
        return self._count

    def __iter__(self) -> Iterator[Key]:
        self._flush()
        if self._file is None:
            return
        self._file.seek(0)
        while True:
            try:
                chunk = marshal.load(self._file)
            except EOFError:
                return
            position = self._file.tell()
            for fields in chunk:
                yield Key(*fields)
            self._file.seek(position)  # another iteration may have moved the file meanwhile

    def close(self) -> None:
        if self._file is not None:
            self._file.close()
