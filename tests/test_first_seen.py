"""FirstSeen: the line where a key first appeared, across growth of its table."""

from __future__ import annotations

import random

from onixfeed.validate.first_seen import FirstSeen


def test_each_key_reports_its_first_line_and_only_repeats_are_found():
    rng = random.Random(7)
    seen = FirstSeen(capacity=16)
    reference: dict[str, int] = {}
    for line in range(1, 20_001):
        key = f"com.example.{rng.randrange(12_000):06d}" if line % 3 else rng.choice(["", " ", "é", "9781234567897"])
        expected = reference.setdefault(key, line)
        assert seen.first(key, line) == (None if expected == line else expected)
    assert len(seen) == len(reference)


def test_keys_that_differ_only_slightly_are_different_keys():
    seen = FirstSeen()
    assert seen.first("ABC", 1) is None
    assert seen.first("ABC ", 2) is None
    assert seen.first("abc", 3) is None
    assert seen.first("ABC", 4) == 1
    assert seen.first("ABC ", 5) == 2
