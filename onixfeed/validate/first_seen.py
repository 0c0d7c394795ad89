"""Where each key was first seen, in about 50 bytes a key: message-wide uniqueness on any size.

A dict of strings costs about 200 bytes a key, 200 MB for a backlist of a million
products. Here each key is a 128-bit BLAKE2b fingerprint in an open-addressing table of
machine words (two for the fingerprint, one for the line), at most half full. Two
different keys share a fingerprint with a probability of about n^2 / 2^129: for a
billion keys, less than one in 10^20.
"""

from __future__ import annotations

from array import array
from hashlib import blake2b


class FirstSeen:
    """Remember the line where each key first appears."""

    def __init__(self, capacity: int = 1 << 10):
        self._size = 0
        self._allocate(max(16, 1 << (capacity - 1).bit_length()))

    def _allocate(self, slots: int) -> None:
        self._mask = slots - 1
        self._high = array("Q", bytes(8 * slots))
        self._low = array("Q", bytes(8 * slots))
        self._lines = array("Q", bytes(8 * slots))  # line + 1; 0 marks an empty slot

    def __len__(self) -> int:
        return self._size

    def first(self, key: str, line: int) -> int | None:
        """The line where `key` was seen before; None (and `line` remembered) if never."""
        digest = blake2b(key.encode("utf-8", "surrogatepass"), digest_size=16).digest()
        high, low = int.from_bytes(digest[:8], "little"), int.from_bytes(digest[8:], "little")
        found = self._probe(high, low)
        if self._lines[found]:
            return self._lines[found] - 1
        self._high[found], self._low[found], self._lines[found] = high, low, line + 1
        self._size += 1
        if 2 * self._size > self._mask:
            self._grow()
        return None

    def _probe(self, high: int, low: int) -> int:
        """The slot holding this fingerprint, or the empty slot where it belongs."""
        slot = low & self._mask
        while self._lines[slot] and (self._high[slot] != high or self._low[slot] != low):
            slot = (slot + 1) & self._mask
        return slot

    def _grow(self) -> None:
        highs, lows, lines = self._high, self._low, self._lines
        self._allocate(2 * (self._mask + 1))
        for index, line in enumerate(lines):
            if line:
                slot = self._probe(highs[index], lows[index])
                self._high[slot], self._low[slot], self._lines[slot] = highs[index], lows[index], line
