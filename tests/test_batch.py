"""Batching: exact product and byte limits, complete valid messages, names, compression, manifest."""

from __future__ import annotations

import datetime
import gzip
import hashlib
import json
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from onixfeed import batch, profile, transform
from onixfeed.batch import BatchError, Envelope, Item, Limits
from onixfeed.config import Config

EXAMPLE = Path(__file__).resolve().parent / "fixtures" / "profiles" / "ebook-good.xml"
UTC = datetime.datetime(2026, 3, 1, 12, 30, 0, tzinfo=datetime.timezone.utc)
CONFIG = Config(sender_name="Example Press")


def example_product() -> etree._Element:
    root = etree.parse(str(EXAMPLE)).getroot()
    for node in root.iter():
        node.tag = etree.QName(node).localname
    return root.find("Product")


def items(count: int, release: str = "3.0", tags: str = "reference") -> list[Item]:
    result = []
    for index in range(count):
        product = example_product()
        product.find("RecordReference").text = f"rec-{index:03d}"
        result.append(Item(f"rec-{index:03d}", transform.serialize_product(product, release, tags)))
    return result


def header_for(loaded):
    def build(number: int) -> bytes:
        header = transform.recipient_header(loaded, CONFIG, number, UTC)
        return etree.tostring(transform.to_tags(header, loaded.release, loaded.tags))
    return build


def with_batch(tmp_path: Path, text: str, base: str = "onix-3.0"):
    path = tmp_path / "shop.yaml"
    path.write_text(f"extends: {base}\n{text}")
    return profile.load(path)


ENVELOPE = Envelope("3.0", "reference")


def fixed_header(number: int) -> bytes:
    return f"<Header><Sender><SenderName>S</SenderName></Sender><MessageNumber>{number}</MessageNumber>" \
           f"<SentDateTime>20260301</SentDateTime></Header>".encode()


@pytest.mark.parametrize("count,files", [(3, 1), (4, 2), (6, 2), (7, 3)])
def test_products_split_at_exactly_the_product_limit(count, files):
    groups = batch.split(items(count), Limits(max_products=3), ENVELOPE, fixed_header)
    assert len(groups) == files
    assert [len(group) for _, group in groups] == [3] * (count // 3) + ([count % 3] if count % 3 else [])
    assert [number for number, _ in groups] == list(range(1, files + 1))


def test_a_file_exactly_at_the_byte_limit_stays_whole_and_one_byte_less_splits():
    products = items(3)
    exact = len(batch.message_bytes(ENVELOPE, fixed_header(1), products))
    assert len(batch.split(products, Limits(max_bytes=exact), ENVELOPE, fixed_header)) == 1
    groups = batch.split(products, Limits(max_bytes=exact - 1), ENVELOPE, fixed_header)
    assert [len(group) for _, group in groups] == [2, 1]
    for number, group in groups:
        assert len(batch.message_bytes(ENVELOPE, fixed_header(number), group)) <= exact - 1


def test_a_product_larger_than_the_byte_limit_is_a_clear_error():
    products = items(2)
    alone = len(batch.message_bytes(ENVELOPE, fixed_header(1), products[:1]))
    with pytest.raises(BatchError) as caught:
        batch.split(products, Limits(max_bytes=alone - 1), ENVELOPE, fixed_header, recipient="kobo")
    assert "rec-000" in str(caught.value) and "kobo" in str(caught.value)


def test_each_written_file_is_a_complete_valid_message_with_its_own_number(tmp_path):
    loaded = with_batch(tmp_path, "batch:\n  max_products: 2\n  name: '{sender}_{recipient}_{utc}_{seq:03d}.xml'\n")
    written = batch.write_feed(items(5), profile=loaded, folder=tmp_path / "feeds" / "shop", sender="Example Press",
                               header_for=header_for(loaded), utc=UTC, first_number=41)
    assert [f.path.name for f in written] == [f"Example-Press_shop_20260301T123000Z_{n:03d}.xml" for n in (41, 42, 43)]
    assert [f.message_number for f in written] == [41, 42, 43]
    assert [f.records for f in written] == [["rec-000", "rec-001"], ["rec-002", "rec-003"], ["rec-004"]]
    for feed in written:
        document = feed.path.read_bytes()
        assert batch.schema_errors(document, "3.0", "reference") == []
        root = etree.fromstring(document)
        assert root.findtext("{*}Header/{*}MessageNumber") == str(feed.message_number)
        assert feed.sha256 == hashlib.sha256(document).hexdigest() and feed.bytes == len(document)


def test_short_tags_and_release_3_1_files_pass_their_official_schemas(tmp_path):
    for release, tags in (("3.0", "short"), ("3.1", "reference"), ("3.1", "short")):
        loaded = with_batch(tmp_path, f"onix:\n  release: '{release}'\n  tags: {tags}\n")
        folder = tmp_path / f"{release}-{tags}"
        written = batch.write_feed(items(2, release, tags), profile=loaded, folder=folder, sender="S",
                                   header_for=header_for(loaded), utc=UTC)
        assert batch.schema_errors(written[0].path.read_bytes(), release, tags) == []
        assert etree.parse(str(written[0].path)).getroot().get("release") == release


def test_an_invalid_message_is_refused_before_anything_is_written(tmp_path):
    loaded = with_batch(tmp_path, "")
    broken = [Item("bad", b"<Product><RecordReference>bad</RecordReference></Product>")]
    with pytest.raises(BatchError):
        batch.write_feed(broken, profile=loaded, folder=tmp_path / "out", sender="S",
                         header_for=header_for(loaded), utc=UTC)
    assert not (tmp_path / "out").exists()


def test_writing_stops_with_a_clear_error_on_a_product_over_the_byte_limit(tmp_path):
    products = items(3)
    loaded = with_batch(tmp_path, f"batch:\n  max_bytes: {len(products[0].xml) + 1500}\n")
    big = Item("rec-big", products[1].xml.replace(b"A Short History of Metadata", b"x" * 4000))
    with pytest.raises(BatchError) as caught:
        batch.write_feed([products[0], big, products[2]], profile=loaded, folder=tmp_path / "out", sender="S",
                         header_for=header_for(loaded), utc=UTC)
    assert "rec-big" in str(caught.value) and "shop" in str(caught.value)
    assert not (tmp_path / "out").exists()  # the first file, already closed, is removed too


@pytest.mark.parametrize("compression", ["gzip", "zip"])
def test_compressed_files_hold_the_same_message(tmp_path, compression):
    loaded = with_batch(tmp_path, f"batch:\n  compression: {compression}\n")
    (feed,) = batch.write_feed(items(1), profile=loaded, folder=tmp_path / "out", sender="S",
                               header_for=header_for(loaded), utc=UTC)
    if compression == "gzip":
        assert feed.path.name.endswith(".xml.gz")
        document = gzip.decompress(feed.path.read_bytes())
    else:
        assert feed.path.suffix == ".zip"
        with zipfile.ZipFile(feed.path) as archive:
            document = archive.read(archive.namelist()[0])
    assert len(document) == feed.xml_bytes
    assert batch.schema_errors(document, "3.0", "reference") == []
    assert feed.sha256 == hashlib.sha256(feed.path.read_bytes()).hexdigest()


def test_a_feed_file_is_never_overwritten(tmp_path):
    loaded = with_batch(tmp_path, "")
    arguments = dict(profile=loaded, folder=tmp_path / "out", sender="S", header_for=header_for(loaded), utc=UTC)
    batch.write_feed(items(1), **arguments)
    with pytest.raises(BatchError):
        batch.write_feed(items(1), **arguments)


def test_the_manifest_lists_files_counts_hashes_records_and_profile_version(tmp_path):
    loaded = with_batch(tmp_path, "version: '3'\nbatch:\n  max_products: 1\n")
    written = batch.write_feed(items(2), profile=loaded, folder=tmp_path / "shop", sender="S",
                               header_for=header_for(loaded), utc=UTC)
    run = batch.RecipientRun(loaded.name, loaded.version, loaded.release, loaded.tags, written, skipped=["rec-x"])
    path = batch.write_manifest(tmp_path, UTC, [run])
    data = json.loads(path.read_text())
    (recipient,) = data["recipients"]
    assert (recipient["profile"], recipient["profile_version"], recipient["products"]) == ("shop", "3", 2)
    assert recipient["skipped_records"] == ["rec-x"]
    assert [f["records"] for f in recipient["files"]] == [["rec-000"], ["rec-001"]]
    for entry in recipient["files"]:
        content = (tmp_path / "shop" / entry["file"]).read_bytes()
        assert entry["sha256"] == hashlib.sha256(content).hexdigest() and entry["bytes"] == len(content)


@pytest.mark.parametrize("whole_file_bytes", [batch.WHOLE_FILE_BYTES, 0])
def test_a_written_file_is_checked_whole_or_streamed(tmp_path, monkeypatch, whole_file_bytes):
    monkeypatch.setattr(batch, "WHOLE_FILE_BYTES", whole_file_bytes)
    good = tmp_path / "good.xml"
    good.write_bytes(batch.message_bytes(ENVELOPE, fixed_header(1), items(2)))
    assert batch.file_schema_errors(good, "3.0", "reference") == []
    bad = tmp_path / "bad.xml"
    bad.write_bytes(good.read_bytes().replace(b"<NotificationType>03</NotificationType>", b"", 1))
    (error,) = batch.file_schema_errors(bad, "3.0", "reference")
    assert "NotificationType" in error
