"""The cache keeps what is in use and drops what no run has used for CACHE_UNUSED_DAYS."""

from __future__ import annotations

import os
import time

import pytest

from onixfeed import codelists, schemas
from onixfeed.validate import screening

OLD = time.time() - (schemas.CACHE_UNUSED_DAYS + 10) * 86400
RECENT = time.time() - 86400


@pytest.fixture
def cache_home(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    monkeypatch.setattr(schemas, "_USED", set())
    codelists.load_codelists.cache_clear()
    screening.load_screening_schema.cache_clear()
    yield tmp_path / "onixfeed"
    codelists.load_codelists.cache_clear()
    screening.load_screening_schema.cache_clear()


def _entry(path, mtime, folder=False):
    path.parent.mkdir(parents=True, exist_ok=True)
    if folder:
        path.mkdir()
        (path / "inside.xsd").write_text("<x/>")
    else:
        path.write_bytes(b"stale")
    os.utime(path, (mtime, mtime))
    return path


def test_a_new_code_list_entry_removes_unused_ones_and_keeps_recent_ones(cache_home):
    stale = _entry(cache_home / "codelists" / "0123stale.marshal", OLD)
    crashed = _entry(cache_home / "codelists" / "0123stale.marshal.999.tmp", OLD)
    recent = _entry(cache_home / "codelists" / "4567recent.marshal", RECENT)
    codelists.load_codelists("3.0")
    left = {path.name for path in (cache_home / "codelists").iterdir()}
    assert stale.name not in left and crashed.name not in left
    assert recent.name in left
    assert len(left) == 2  # the recent one and the entry just written


def test_reading_an_entry_marks_it_used(cache_home):
    codelists.load_codelists("3.0")
    (entry,) = (cache_home / "codelists").glob("*.marshal")
    os.utime(entry, (OLD, OLD))
    codelists.load_codelists.cache_clear()
    codelists.load_codelists("3.0")  # read from the cache
    assert entry.stat().st_mtime > RECENT
    schemas.prune_cache(entry.parent, keep=entry.parent / "another")
    assert entry.exists()


def test_a_new_screening_schema_removes_unused_folders(cache_home):
    stale = _entry(cache_home / "screening" / "stalefolder", OLD, folder=True)
    recent = _entry(cache_home / "screening" / "recentfolder", RECENT, folder=True)
    assert screening.load_screening_schema("3.0", "reference") is not None
    left = {path.name for path in (cache_home / "screening").iterdir()}
    assert stale.name not in left and recent.name in left and len(left) == 2


def test_pruning_a_missing_folder_does_nothing(tmp_path):
    schemas.prune_cache(tmp_path / "absent", keep=tmp_path / "absent" / "x")
