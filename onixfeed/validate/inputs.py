"""Expand `validate` arguments (files, folders, `-`, gzip and zip) into sources to stream.

A Source names one ONIX message and opens it as a stream of bytes, decompressed where
the file is gzip (detected by its magic bytes, whatever its name) or a zip member
(`archive.zip!member.xml`). Nothing here reads a whole file into memory.

Problems with one source (it vanished after listing, a corrupt archive) are raised as
SourceError when the source is opened or read, so the caller turns them into a finding
for that source and goes on with the others. Only an argument that cannot be used at all
(a path that does not exist) raises InputError.
"""

from __future__ import annotations

import gzip
import io
import os
import sys
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import BinaryIO, Iterable, Iterator

from onixfeed.findings import Finding, InputError, Severity

ONIX_SUFFIXES = (".xml", ".onx", ".onix")
GZIP_MAGIC = b"\x1f\x8b"
# Local file header, and the end-of-directory record that starts an empty archive.
ZIP_MAGICS = (b"PK\x03\x04", b"PK\x05\x06")
STDIN_NAME = "-"
MEMBER_SEPARATOR = "!"
# Members that archivers add beside the real content (macOS resource forks).
IGNORED_MEMBER_PREFIXES = ("__MACOSX/",)

UNREADABLE = ("IN001", "unreadable-input")
CORRUPT_ARCHIVE = ("IN002", "corrupt-compressed-input")
NO_ONIX_IN_ARCHIVE = ("IN003", "archive-without-onix")

# Errors the standard library raises on damaged compressed data.
COMPRESSION_ERRORS = (gzip.BadGzipFile, zipfile.BadZipFile, zlib.error, EOFError)


class SourceError(Exception):
    """One source cannot be read (or decompressed); the others can still be validated."""

    def __init__(self, code: tuple[str, str], source: str, message: str) -> None:
        super().__init__(f"{source}: {message}")
        self.rule, self.name = code
        self.source = source
        self.detail = message

    def to_finding(self) -> Finding:
        return Finding(self.rule, self.name, Severity.ERROR, self.detail, file=self.source)


@dataclass(frozen=True)
class Source:
    """One ONIX message to validate; picklable unless it is standard input."""

    name: str  # as reports show it: a path, "-", or "archive.zip!member.xml"
    path: str | None  # the file on disk (None for standard input)
    member: str | None = None  # the zip member, for a source inside an archive
    size: int | None = None  # bytes of the message (uncompressed where cheaply known); None when unknown
    problem: tuple[str, str, str] | None = None  # (rule, name, message) found while listing

    def open(self) -> BinaryIO:
        """The message's bytes, decompressed; read errors are raised as SourceError."""
        if self.problem is not None:
            rule, name, message = self.problem
            raise SourceError((rule, name), self.name, message)
        try:
            if self.path is None:
                raw: BinaryIO = _Unclosable(sys.stdin.buffer)
            elif self.member is not None:
                raw = _open_archive(self.path).open(self.member)
            else:
                raw = open(self.path, "rb")
        except OSError as exc:
            raise SourceError(UNREADABLE, self.name, _os_reason(exc)) from exc
        except (zipfile.BadZipFile, KeyError, RuntimeError, NotImplementedError) as exc:
            raise SourceError(CORRUPT_ARCHIVE, self.name, f"cannot open the zip member: {exc}") from exc
        return _Guarded(_decompressed(raw, self.name), self.name)


# The archive whose members are being read, kept open: reading a zip's directory again
# for each member would make an archive of n members cost n squared.
_ARCHIVE: dict[str, tuple[tuple, zipfile.ZipFile]] = {}


def _open_archive(path: str) -> zipfile.ZipFile:
    status = os.stat(path)
    # A forked worker must not share the parent's file offset; a changed file is reopened.
    key = (os.getpid(), status.st_mtime_ns, status.st_size)
    cached = _ARCHIVE.get(path)
    if cached is not None and cached[0] == key:
        return cached[1]
    for _, archive in _ARCHIVE.values():
        archive.close()
    _ARCHIVE.clear()
    archive = zipfile.ZipFile(path)
    _ARCHIVE[path] = (key, archive)
    return archive


def expand(arguments: Iterable[str]) -> Iterator[Source]:
    """Sources for each argument, in order: files, folders (recursively), `-`, gzip, zip.

    Raises InputError for an argument that does not exist or is a folder without ONIX
    files; standard input may be named once.
    """
    seen_stdin = False
    for argument in arguments:
        if argument == STDIN_NAME:
            if seen_stdin:
                raise InputError("standard input (-) can be named only once")
            seen_stdin = True
            yield _stdin_source()
            continue
        if os.path.isdir(argument):
            found = 0
            for source in _folder_sources(argument):
                found += 1
                yield source
            if not found:
                # An empty drop folder must not pass as "all valid" in a CI job.
                raise InputError(f"{argument}: no ONIX files in this folder (expected *.xml, *.onx, *.onix, gzip or zip)")
        elif os.path.isfile(argument):
            yield from _file_sources(argument, explicit=True)
        elif os.path.lexists(argument) and not os.path.exists(argument):
            raise InputError(f"{argument}: broken symbolic link, expected a file or folder of ONIX")
        elif os.path.exists(argument):
            # A pipe or device (`<(zcat feed.gz)`): read once, so never sniffed ahead of time.
            yield Source(argument, argument)
        else:
            raise InputError(f"{argument}: no such file or folder")


def _stdin_source() -> Source:
    if sys.stdin is None or not hasattr(sys.stdin, "buffer"):
        raise InputError("standard input (-) is not available to read from")
    stream = sys.stdin.buffer
    try:
        head = stream.peek(4)[:4] if hasattr(stream, "peek") else b""
    except (OSError, ValueError) as exc:  # closed, or not readable
        raise InputError(f"standard input (-) cannot be read: {exc}") from exc
    if head.startswith(ZIP_MAGICS):
        # A zip's directory is at its end: it needs a seekable file, not a pipe.
        raise InputError("standard input holds a zip archive: pass the archive's path instead")
    return Source(STDIN_NAME, None)


def _folder_sources(folder: str) -> Iterator[Source]:
    """Every candidate file under a folder, sorted, skipping hidden folders; links to folders are not followed."""
    for root, folders, files in os.walk(folder, onerror=_raise_walk_error):
        folders[:] = sorted(name for name in folders if not name.startswith("."))
        for name in sorted(files):
            if _is_candidate_name(name):
                yield from _file_sources(os.path.join(root, name), explicit=False)


def _raise_walk_error(error: OSError) -> None:
    raise InputError(f"{error.filename}: cannot list the folder: {_os_reason(error)}")


def _is_candidate_name(name: str) -> bool:
    """Files a folder walk picks up: ONIX names, gzipped ONIX names, and zip archives."""
    lower = name.lower()
    if lower.startswith("."):
        return False
    if lower.endswith(".gz"):
        lower = lower[: -len(".gz")]
    return lower.endswith(ONIX_SUFFIXES) or lower.endswith(".zip")


def _file_sources(path: str, explicit: bool) -> Iterator[Source]:
    """One source for a plain or gzip file; one per ONIX member for a zip archive."""
    try:
        size = os.path.getsize(path)
        with open(path, "rb") as handle:
            head = handle.read(4)
            if head.startswith(GZIP_MAGIC) and size >= 18:
                size = max(size, _gzip_stated_size(handle, size))
    except OSError as exc:
        # It may have vanished since listing: a finding for this file, not the end of the run.
        yield Source(path, path, problem=(*UNREADABLE, _os_reason(exc)))
        return
    if head.startswith(ZIP_MAGICS):
        yield from _zip_sources(path, explicit)
    else:
        yield Source(path, path, size=size)


def _gzip_stated_size(handle: BinaryIO, size: int) -> int:
    """The uncompressed size a gzip file's trailer states (modulo 4 GiB, of its last member)."""
    handle.seek(size - 4)
    return int.from_bytes(handle.read(4), "little")


def _zip_sources(path: str, explicit: bool) -> Iterator[Source]:
    try:
        with zipfile.ZipFile(path) as archive:
            members = [info for info in archive.infolist() if not info.is_dir()]
            chosen = [info for info in members if _looks_like_onix(archive, info)]
    except (zipfile.BadZipFile, OSError, EOFError, RuntimeError, NotImplementedError) as exc:
        yield Source(path, path, problem=(*CORRUPT_ARCHIVE, f"cannot read the zip archive: {exc}"))
        return
    if not chosen:
        if explicit:
            yield Source(path, path, problem=(*NO_ONIX_IN_ARCHIVE, "the zip archive holds no ONIX (.xml, .onx, .onix) member"))
        return
    for info in chosen:
        yield Source(f"{path}{MEMBER_SEPARATOR}{info.filename}", path, info.filename, info.file_size)


def _looks_like_onix(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> bool:
    """An ONIX-named member, or a member without a suffix whose content starts like XML."""
    name = info.filename
    if name.startswith(IGNORED_MEMBER_PREFIXES) or PurePosixPath(name).name.startswith("._"):
        return False
    lower = name.lower()
    if lower.endswith(".gz"):
        lower = lower[: -len(".gz")]
    if lower.endswith(ONIX_SUFFIXES):
        return True
    if PurePosixPath(name).suffix:
        return False
    try:
        with archive.open(info) as member:
            head = member.read(64)
    except (zipfile.BadZipFile, zlib.error, RuntimeError, NotImplementedError, EOFError):
        return True  # let opening it report the damage rather than hide the member
    return head.lstrip(b"\xef\xbb\xbf\xff\xfe \t\r\n").startswith(b"<")


def _decompressed(raw: BinaryIO, name: str) -> BinaryIO:
    """Wrap a byte stream in gzip decompression when its first bytes say it is gzip."""
    buffered = raw if hasattr(raw, "peek") else io.BufferedReader(raw)  # type: ignore[arg-type]
    try:
        head = buffered.peek(2)[:2]
    except OSError as exc:
        raise SourceError(UNREADABLE, name, _os_reason(exc)) from exc
    except COMPRESSION_ERRORS as exc:
        raise SourceError(CORRUPT_ARCHIVE, name, f"damaged compressed data: {exc}") from exc
    if head == GZIP_MAGIC:
        return _Closing(gzip.GzipFile(fileobj=buffered, mode="rb"), buffered)
    return buffered


def _os_reason(exc: OSError) -> str:
    return exc.strerror.lower() if exc.strerror else str(exc)


class _Guarded(io.RawIOBase):
    """A readable stream whose read errors become SourceError naming the source."""

    def __init__(self, inner: BinaryIO, name: str) -> None:
        self._inner = inner
        self._name = name

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:  # type: ignore[override]
        data = self.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)

    def read(self, size: int = -1) -> bytes:  # type: ignore[override]
        # Straight from the inner stream: RawIOBase's read would add a fresh buffer and two
        # copies per call (a tenth of the engine's main process on a large file).
        try:
            return self._inner.read(size)
        except OSError as exc:
            if isinstance(exc, gzip.BadGzipFile):
                raise SourceError(CORRUPT_ARCHIVE, self._name, f"damaged gzip data: {exc}") from exc
            raise SourceError(UNREADABLE, self._name, _os_reason(exc)) from exc
        except COMPRESSION_ERRORS as exc:
            raise SourceError(CORRUPT_ARCHIVE, self._name, f"damaged compressed data: {exc or 'truncated'}") from exc

    def close(self) -> None:
        try:
            self._inner.close()
        finally:
            super().close()


class _Closing(io.RawIOBase):
    """A stream that also closes what it was built on (an archive, a file under gzip)."""

    def __init__(self, inner: BinaryIO, *underneath) -> None:
        self._inner = inner
        self._underneath = underneath

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:  # type: ignore[override]
        data = self._inner.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)

    def read(self, size: int = -1) -> bytes:
        return self._inner.read(size)

    def close(self) -> None:
        try:
            self._inner.close()
            for thing in self._underneath:
                thing.close()
        finally:
            super().close()


class _Unclosable(_Closing):
    """Standard input, which validating must not close."""

    def close(self) -> None:
        io.RawIOBase.close(self)
