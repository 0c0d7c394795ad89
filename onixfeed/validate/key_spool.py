"""The keys every product hands to the message-level checks, kept on disk, not in memory.

A backlist of a million products gives some millions of keys (RecordReference, ISBN...):
about a gigabyte as Python objects. They are written to an anonymous temporary file as
they come and read back, in document order, each time the checks iterate over them.
"""

from __future__ import annotations

import functools
import io
import marshal
import tempfile
from typing import Iterable, Iterator

from onixfeed.validate.checks import Key

_BUFFERED = 4096  # keys held before a write
# A tuple read back made a Key in C: calling Key(*fields) goes through a Python-level __new__,
# and the message checks read every key of every product once or twice.
_as_key = functools.partial(tuple.__new__, Key)


class KeySpool:
    """An append-only collection of Keys, iterable as often as needed, spooled to a temporary file."""

    def __init__(self) -> None:
        self._file = None  # made at the first write: most runs of a few products never need it
        self._pending: list[tuple] = []
        self._count = 0

    def extend(self, keys: Iterable[Key] | Iterable[tuple]) -> None:
        """Add keys, as Keys or as plain tuples of a Key's fields."""
        pending = self._pending
        before = len(pending)
        pending.extend(map(tuple, keys))  # plain tuples: marshal writes no tuple subclass
        self._count += len(pending) - before
        if len(pending) >= _BUFFERED:
            self._flush()

    def _flush(self) -> None:
        if self._pending:
            if self._file is None:
                try:
                    self._file = tempfile.TemporaryFile(prefix="onixfeed-keys-")
                except OSError:  # no writable temporary folder: keep them in memory instead
                    self._file = io.BytesIO()
            self._file.seek(0, 2)
            data = marshal.dumps(self._pending)
            self._file.write(len(data).to_bytes(8, "little") + data)
            self._pending = []

    def __len__(self) -> int:
        return self._count

    def __iter__(self) -> Iterator[Key]:
        if self._file is None:
            # fewer keys than one write holds (a file of a few products): no file, read them here
            yield from map(_as_key, self._pending)
            return
        self._flush()
        position = 0
        while True:
            # each chunk read whole and unmarshalled from memory: marshal.load on a file reads
            # it in small pieces, at several times the cost
            self._file.seek(position)
            size = int.from_bytes(self._file.read(8), "little")
            if not size:
                return
            chunk = marshal.loads(self._file.read(size))
            position += 8 + size  # another iteration may move the file meanwhile
            yield from map(_as_key, chunk)

    def close(self) -> None:
        if self._file is not None:
            self._file.close()
