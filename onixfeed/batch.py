"""Split serialized products into complete messages by a profile's limits; name, write, manifest.

A file's size is the size of its XML message before compression: `max_bytes` bounds what
the recipient parses, and a compressed file is never larger than that.
"""

from __future__ import annotations

import datetime
import gzip
import hashlib
import io
import json
import os
import re
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


def write_feed(items: Sequence[Item], *, profile, folder: Path, sender: str, header_for: Callable[[int], bytes],
               utc: datetime.datetime, first_number: int = 1, validate: bool = True) -> list[FeedFile]:
    """Write the recipient's messages under `folder`; every file is checked against the official XSD first."""
    envelope = Envelope(profile.release, profile.tags)
    batch = profile.section("batch")
    groups = split(items, limits_of(profile), envelope, header_for, first_number, profile.name)
    prepared = []
    for number, group in groups:
        # {seq} is the MessageNumber: it goes on across runs, so two runs never pick the same name
        name = file_name(batch.get("name", "{recipient}_{utc}_{seq:04d}.xml"), sender=sender,
                         recipient=profile.name, utc=utc, seq=number)
        document = message_bytes(envelope, header_for(number), group)
        if validate:
            errors = schema_errors(document, profile.release, profile.tags)
            if errors:
                raise BatchError(f"{folder / name}: the message for {profile.name} is not valid ONIX "
                                 f"{profile.release} ({profile.tags} tags): {errors[0]}")
        prepared.append((name, number, group, document))
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, number, group, document in prepared:
        path, payload = _packed(folder / name, document, batch.get("compression", "none"))
        _write_new(path, payload)
        written.append(FeedFile(path, number, [item.record for item in group], len(document), len(payload),
                                hashlib.sha256(payload).hexdigest()))
    return written


def _packed(path: Path, document: bytes, compression: str) -> tuple[Path, bytes]:
    if compression == "gzip":
        return path.with_name(path.name + ".gz"), gzip.compress(document, mtime=0)
    if compression == "zip":
        target = path.with_suffix(".zip")
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr(zipfile.ZipInfo(path.name, date_time=(1980, 1, 1, 0, 0, 0)), document,
                             compress_type=zipfile.ZIP_DEFLATED)
        return target, buffer.getvalue()
    return path, document


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
