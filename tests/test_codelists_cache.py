"""The code lists are read from EDItEUR's XSD once and then from the cache, with the same result."""

from __future__ import annotations

import pytest

from onixfeed import codelists


@pytest.fixture
def fresh_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    codelists.load_codelists.cache_clear()
    yield tmp_path / "onixfeed" / "codelists"
    codelists.load_codelists.cache_clear()


@pytest.mark.parametrize("release", ["3.0", "3.1"])
def test_the_cached_code_lists_equal_the_parsed_ones(fresh_cache, release):
    parsed = codelists.load_codelists(release)
    assert len(list(fresh_cache.glob("*.marshal"))) == 1
    codelists.load_codelists.cache_clear()
    cached = codelists.load_codelists(release)
    assert cached == parsed
    assert list(cached) == list(parsed) and all(list(cached[n].codes) == list(parsed[n].codes) for n in parsed)
    assert cached[91].codes["GB"].label == parsed[91].codes["GB"].label
    assert any(code.deprecated for table in cached.values() for code in table.codes.values())


def test_a_damaged_cache_file_is_read_past(fresh_cache):
    parsed = codelists.load_codelists("3.0")
    for path in fresh_cache.glob("*.marshal"):
        path.write_bytes(b"\x00not marshal")
    codelists.load_codelists.cache_clear()
    assert codelists.load_codelists("3.0") == parsed


def test_an_unwritable_cache_still_gives_the_code_lists(tmp_path, monkeypatch):
    blocker = tmp_path / "file"
    blocker.write_text("a file where the cache folder would go")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    codelists.load_codelists.cache_clear()
    try:
        assert 91 in codelists.load_codelists("3.0")
    finally:
        codelists.load_codelists.cache_clear()
