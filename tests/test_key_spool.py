"""KeySpool: every product's keys, in order, as often as the checks read them."""

from __future__ import annotations

from onixfeed.validate.checks import Key
from onixfeed.validate.key_spool import KeySpool


def keys(count: int, start: int = 0) -> list[Key]:
    return [Key("RecordReference" if n % 2 else "ISBN", f"value-{n}", n or None, f"record-{n}" if n % 3 else None)
            for n in range(start, start + count)]


def test_keys_come_back_in_order_each_time_they_are_read():
    spool = KeySpool()
    expected = []
    for start in range(0, 10_000, 700):  # more than one write to the file
        batch = keys(700, start)
        spool.extend(batch)
        expected.extend(batch)
    assert len(spool) == len(expected)
    assert list(spool) == expected
    assert list(spool) == expected
    assert {type(key) for key in spool} == {Key}  # read as Keys: the checks read .kind and .value
    spool.close()


def test_two_readings_at_once_do_not_disturb_each_other():
    spool = KeySpool()
    spool.extend(keys(9_000))
    outer = iter(spool)
    first = [next(outer) for _ in range(5_000)]
    assert list(spool) == keys(9_000)
    assert first + list(outer) == keys(9_000)
    spool.close()


def test_an_empty_spool_reads_as_empty_and_a_small_one_reads_back():
    spool = KeySpool()
    assert list(spool) == [] and len(spool) == 0
    spool.extend(keys(3))
    assert list(spool) == keys(3)
    spool.close()


def test_without_a_writable_temporary_folder_the_keys_stay_in_memory(tmp_path, monkeypatch):
    import tempfile

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "missing"))
    spool = KeySpool()
    spool.extend(keys(5_000))
    assert list(spool) == keys(5_000)
    spool.close()


def test_a_few_keys_never_make_a_temporary_file(monkeypatch):
    # a folder of one-product files reads its keys once per file: a file each cost more than the rules
    import tempfile

    made = []
    real = tempfile.TemporaryFile
    monkeypatch.setattr(tempfile, "TemporaryFile", lambda *args, **kwargs: made.append(1) or real(*args, **kwargs))
    spool = KeySpool()
    spool.extend(keys(3))
    assert list(spool) == keys(3) and list(spool) == keys(3)
    spool.close()
    assert made == []
    big = KeySpool()
    big.extend(keys(9_000))
    assert list(big) == keys(9_000)
    big.close()
    assert made  # past one write's worth, the keys go to disk
