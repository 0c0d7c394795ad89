"""Split serialized products into complete messages by a profile's limits; name, write, manifest.

A file's size is the size of its XML message before compression: `max_bytes` bounds what
the recipient parses, and a compressed file is never larger than that.
"""

from __future__ import annotations

import datetime
import gzip
import json
import os
import re
import shutil
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Sequence

from lxml import etree

from onixfeed import onix, schemas
from onixfeed.findings import InputError

DECLARATION = b'<?xml version="1.0" encoding="UTF-8"?>\n'


class BatchError(InputError):
    """Products that cannot be put into files within the limits, or a file that would not be valid."""


@dataclass(frozen=True)
class Item:
    """One serialized Product (target tag style, no namespace: the envelope declares it)."""

    record: str
    xml: bytes


@dataclass(frozen=True)
class Limits:
    max_products: int | None = None
    max_bytes: int | None = None


@dataclass
class FeedFile:
    """One written message: where it is, what it holds, and its fingerprint."""

    path: Path
    message_number: int
    records: list[str]
    xml_bytes: int
    bytes: int = 0
    sha256: str = ""

    def to_dict(self) -> dict:
        return {"file": self.path.name, "message_number": self.message_number, "products": len(self.records),
                "xml_bytes": self.xml_bytes, "bytes": self.bytes, "sha256": self.sha256, "records": self.records}


@dataclass(frozen=True)
class Envelope:
    """The parts of a message around its products, for one release and tag style."""

    release: str
    tags: str

    def opening(self, header: bytes) -> bytes:
        namespace = onix.NAMESPACES[(self.release, self.tags)]
        root = onix.ROOTS[self.tags]
        return DECLARATION + f'<{root} xmlns="{namespace}" release="{self.release}">\n'.encode() + header + b"\n"

    def closing(self) -> bytes:
        return f"</{onix.ROOTS[self.tags]}>\n".encode()


def limits_of(profile) -> Limits:
    batch = profile.section("batch")
    return Limits(batch.get("max_products"), batch.get("max_bytes"))


def split(items: Sequence[Item], limits: Limits, envelope: Envelope, header_for: Callable[[int], bytes],
          first_number: int = 1, recipient: str = "") -> list[tuple[int, list[Item]]]:
    """Group products, in order, into as few messages as the limits allow; each gets a MessageNumber."""
    groups: list[tuple[int, list[Item]]] = []
    number = first_number
    index = 0
    while index < len(items):
        overhead = len(envelope.opening(header_for(number))) + len(envelope.closing())
        size = overhead
        group: list[Item] = []
        while index < len(items):
            item = items[index]
            grown = size + len(item.xml) + 1
            if limits.max_products is not None and len(group) >= limits.max_products:
                break
            if limits.max_bytes is not None and grown > limits.max_bytes:
                if not group:
                    raise BatchError(
                        f"record {item.record}: a message holding this product alone is {grown:,} bytes, "
                        f"over {recipient or 'the profile'}'s max_bytes of {limits.max_bytes:,}; "
                        f"raise batch.max_bytes or shorten the record")
                break
            group.append(item)
            size = grown
            index += 1
        groups.append((number, group))
        number += 1
    return groups


def message_bytes(envelope: Envelope, header: bytes, items: Iterable[Item]) -> bytes:
    return envelope.opening(header) + b"".join(item.xml + b"\n" for item in items) + envelope.closing()


def schema_errors(document: bytes, release: str, tags: str) -> list[str]:
    """The official schema's complaints about one built message (empty when valid)."""
    schema = schemas.load_schema(release, tags)
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)
    root = etree.fromstring(document, parser)
    if schema.validate(root):
        return []
    return [f"line {error.line}: {error.message}" for error in schema.error_log]


def file_name(template: str, *, sender: str, recipient: str, utc: datetime.datetime, seq: int) -> str:
    return template.format(sender=_slug(sender), recipient=recipient, utc=utc.strftime("%Y%m%dT%H%M%SZ"), seq=seq)


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9]+", "-", text).strip("-") or "sender"


def write_feed(items: Iterable[Item], *, profile, folder: Path, sender: str, header_for: Callable[[int], bytes],
               utc: datetime.datetime, first_number: int = 1, validate: bool = True) -> list[FeedFile]:
    """Write the recipient's messages under `folder`; every file is checked against the official XSD."""
    writer = FeedWriter(profile, folder, sender, header_for, utc, first_number, validate)
    try:
        for item in items:
            writer.add(item)
        return writer.commit()
    finally:
        writer.abort()


class FeedWriter:
    """Streams products into a recipient's files, starting a new file whenever the next product
    would break a limit; memory holds one product, whatever the feed's size.

    Files are written under temporary names and checked against the official XSD as each one
    is closed; `commit()` gives them their final names, `abort()` removes whatever is left.
    """

    def __init__(self, profile, folder: Path, sender: str, header_for: Callable[[int], bytes],
                 utc: datetime.datetime, first_number: int = 1, validate: bool = True):
        self.profile = profile
        self.folder = folder
        self.sender = sender
        self.header_for = header_for
        self.utc = utc
        self.validate = validate
        self.envelope = Envelope(profile.release, profile.tags)
        self.limits = limits_of(profile)
        self.template = profile.section("batch").get("name", "{recipient}_{utc}_{seq:04d}.xml")
        self.compression = profile.section("batch").get("compression", "none")
        self.number = first_number - 1
        self.handle = None
        self.current: FeedFile | None = None
        self.size = 0
        self.closed: list[tuple[Path, FeedFile]] = []
        self.made_folder = False

    def add(self, item: Item) -> None:
        if self.handle is not None and not self._fits(item):
            self._close()
        if self.handle is None:
            self._open()
            if not self._fits(item):
                grown = self.size + len(item.xml) + 1
                raise BatchError(
                    f"record {item.record}: a message holding this product alone is {grown:,} bytes, over "
                    f"{self.profile.name}'s max_bytes of {self.limits.max_bytes:,}; raise batch.max_bytes "
                    f"or shorten the record")
        self.handle.write(item.xml + b"\n")
        self.size += len(item.xml) + 1
        self.current.records.append(item.record)

    def _fits(self, item: Item) -> bool:
        if self.limits.max_products is not None and len(self.current.records) >= self.limits.max_products:
            return False
        return self.limits.max_bytes is None or self.size + len(item.xml) + 1 <= self.limits.max_bytes

    def _open(self) -> None:
        self.number += 1
        # {seq} is the MessageNumber: it goes on across runs, so two runs never pick the same name
        name = file_name(self.template, sender=self.sender, recipient=self.profile.name, utc=self.utc,
                         seq=self.number)
        final, _ = _packed_name(self.folder / name, self.compression)
        if final.exists():
            raise BatchError(f"{final}: already exists; a feed file is never overwritten")
        if not self.folder.is_dir():
            self.folder.mkdir(parents=True)
            self.made_folder = True
        temporary = self.folder / f".{name}.part"
        opening = self.envelope.opening(self.header_for(self.number))
        self.handle = open(temporary, "wb")
        self.handle.write(opening)
        self.size = len(opening) + len(self.envelope.closing())
        self.current = FeedFile(self.folder / name, self.number, [], 0)
        self.closed.append((temporary, self.current))

    def _close(self) -> None:
        self.handle.write(self.envelope.closing())
        self.handle.close()
        self.handle = None
        self.current.xml_bytes = self.size
        temporary = self.closed[-1][0]
        if self.validate:
            errors = file_schema_errors(temporary, self.profile.release, self.profile.tags)
            if errors:
                raise BatchError(f"{self.current.path}: the message for {self.profile.name} is not valid ONIX "
                                 f"{self.profile.release} ({self.profile.tags} tags): {errors[0]}")

    def commit(self) -> list[FeedFile]:
        """Close the last file and give every file its final name; the files, in order."""
        if self.handle is not None:
            self._close()
        written = []
        for temporary, feed in self.closed:
            feed.path = _pack(temporary, feed.path, self.compression)
            feed.bytes = feed.path.stat().st_size
            feed.sha256 = schemas.sha256_of(feed.path)
            written.append(feed)
        self.closed = []
        self.made_folder = False
        return written

    def abort(self) -> None:
        """Remove every file not yet committed."""
        if self.handle is not None:
            self.handle.close()
            self.handle = None
        for temporary, _ in self.closed:
            temporary.unlink(missing_ok=True)
        self.closed = []
        if self.made_folder and not any(self.folder.iterdir()):
            self.folder.rmdir()  # a blocked recipient leaves no empty folder behind
            self.made_folder = False


# Up to this size a message is parsed whole and then validated (twice as fast as validating
# while streaming); a larger one is validated while streaming, so memory stays flat.
WHOLE_FILE_BYTES = 64 << 20


def file_schema_errors(path: Path, release: str, tags: str) -> list[str]:
    """The official schema's first complaint about a written message (empty when valid)."""
    schema = schemas.load_schema(release, tags)
    if path.stat().st_size <= WHOLE_FILE_BYTES:
        parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)
        if schema.validate(etree.parse(str(path), parser)):
            return []
        error = schema.error_log.last_error
        return [f"line {error.line}: {error.message}"]
    products = {onix.PRODUCT[tags]}
    try:
        for _, element in etree.iterparse(str(path), events=("end",), schema=schema, huge_tree=True,
                                          resolve_entities=False, no_network=True):
            if onix.local_name(element.tag) in products:
                element.clear()  # memory stays flat however large the file
    except etree.XMLSyntaxError as exc:
        error = exc.error_log.last_error if exc.error_log else None
        return [f"line {error.line}: {error.message}" if error else str(exc)]
    return []


def _packed_name(path: Path, compression: str) -> tuple[Path, str]:
    if compression == "gzip":
        return path.with_name(path.name + ".gz"), compression
    if compression == "zip":
        return path.with_suffix(".zip"), compression
    return path, compression


def _pack(temporary: Path, path: Path, compression: str) -> Path:
    """Move a finished message to its final name, compressed as the profile says; never overwrite."""
    final, _ = _packed_name(path, compression)
    if final.exists():
        raise BatchError(f"{final}: already exists; a feed file is never overwritten")
    if compression == "none":
        os.replace(temporary, final)
        return final
    staging = final.with_name(f".{final.name}.part")
    with open(temporary, "rb") as source, open(staging, "wb") as target:
        if compression == "gzip":
            with gzip.GzipFile(filename=path.name, mode="wb", fileobj=target, mtime=0) as packed:
                shutil.copyfileobj(source, packed, 1 << 20)
        else:
            with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
                info = zipfile.ZipInfo(path.name, date_time=(1980, 1, 1, 0, 0, 0))
                info.compress_type = zipfile.ZIP_DEFLATED
                with archive.open(info, "w") as packed:
                    shutil.copyfileobj(source, packed, 1 << 20)
    os.replace(staging, final)
    temporary.unlink()
    return final


def _write_new(path: Path, payload: bytes) -> None:
    """Write under a temporary name, then rename; never overwrite a file already there."""
    if path.exists():
        raise BatchError(f"{path}: already exists; a feed file is never overwritten")
    temporary = path.with_name(path.name + ".part")
    temporary.write_bytes(payload)
    os.replace(temporary, path)


@dataclass
class RecipientRun:
    """What one run wrote for one recipient."""

    profile: str
    profile_version: str
    release: str
    tags: str
    files: list[FeedFile] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    blocked: bool = False

    def to_dict(self) -> dict:
        return {"recipient": self.profile, "profile": self.profile, "profile_version": self.profile_version,
                "release": self.release, "tags": self.tags, "blocked": self.blocked,
                "products": sum(len(f.records) for f in self.files), "skipped_records": self.skipped,
                "files": [f.to_dict() for f in self.files]}


def manifest(utc: datetime.datetime, runs: Sequence[RecipientRun]) -> dict:
    return {"run": utc.strftime("%Y%m%dT%H%M%SZ"), "recipients": [run.to_dict() for run in runs]}


def write_manifest(folder: Path, utc: datetime.datetime, runs: Sequence[RecipientRun]) -> Path:
    """One JSON manifest per run, beside the recipients' folders."""
    folder.mkdir(parents=True, exist_ok=True)
    stamp = utc.strftime("%Y%m%dT%H%M%SZ")
    path = folder / f"manifest-{stamp}.json"
    again = 1
    while path.exists():  # two runs in the same second: the later manifest gets a suffix
        again += 1
        path = folder / f"manifest-{stamp}-{again}.json"
    _write_new(path, (json.dumps(manifest(utc, runs), indent=2) + "\n").encode("utf-8"))
    return path
