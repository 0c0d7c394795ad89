"""Locate, verify (SHA-256) and load EDItEUR's official ONIX schemas.

The schemas come from the installed `onixcheck` package and are pinned by the
project's own manifest (`schemas/manifest.json`). A user may point onixfeed at a newer
EDItEUR download, a folder or the zip as EDItEUR publishes it, with the environment
variable ONIXFEED_SCHEMAS or `[schemas] path` in onixfeed.toml; those files are used as
they are (they are the user's own copy) and their code list issue is read from them.
"""

from __future__ import annotations

import functools
import hashlib
import importlib.util
import json
import os
import re
import shutil
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from onixfeed.findings import InputError

MANIFEST = Path(__file__).resolve().parent.parent / "schemas" / "manifest.json"
ENV_VAR = "ONIXFEED_SCHEMAS"
RELEASES = ("2.1", "3.0", "3.1")
TAG_STYLES = ("reference", "short")


class SchemaError(InputError):
    """A schema file is missing or does not match the manifest."""


@dataclass(frozen=True)
class SchemaFiles:
    """The files that make up one official schema: main XSD and its code lists."""

    release: str
    tags: str
    main: Path
    codelists: Path
    pinned: bool  # verified against the manifest (False for a user's own download)


def main_file_name(release: str, tags: str) -> str:
    if release == "2.1":
        return f"ONIX_BookProduct_Release2.1_{tags}.xsd"
    return f"ONIX_BookProduct_{release}_{tags}.xsd"


def bundled_root() -> Path:
    """The schema folder inside the installed onixcheck package."""
    # Found, not imported: importing onixcheck would load its validator and pydantic.
    spec = importlib.util.find_spec("onixcheck")
    if spec is None or spec.origin is None:  # pragma: no cover - a broken install
        raise SchemaError("the onixcheck package is not installed: it provides EDItEUR's schemas")
    return Path(spec.origin).resolve().parent / "schema"


def _manifest() -> dict:
    try:
        return json.loads(MANIFEST.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise SchemaError(f"{MANIFEST}: cannot read the schema manifest: {exc}") from exc


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def codelist_issue(path: Path) -> int | None:
    """The code list issue number written in a code list XSD's header."""
    with open(path, "rb") as handle:
        head = handle.read(4000).decode("utf-8", "replace")
    match = re.search(r"ISSUE:\s*(\d+)", head)
    return int(match.group(1)) if match else None


def _user_source() -> Path | None:
    """The user's schema folder (a zip is unpacked to a cache folder once)."""
    value = os.environ.get(ENV_VAR) or _configured_path()
    if not value:
        return None
    path = Path(value).expanduser()
    if not path.exists():
        raise SchemaError(f"{path}: schema path given by {ENV_VAR} or onixfeed.toml does not exist")
    if path.is_file() and zipfile.is_zipfile(path):
        return _unpack_zip(path)
    if path.is_dir():
        return path
    raise SchemaError(f"{path}: expected a folder or a zip of EDItEUR schema files")


def _configured_path() -> str | None:
    from onixfeed.config import load_config

    return load_config().schemas_path


def cache_folder(kind: str) -> Path:
    """Where onixfeed keeps what it derives from schemas (unpacked zips, rewritten XSDs)."""
    return Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "onixfeed" / kind


# A cache entry is keyed by the schema and the code that derived it, so every upgrade of either
# leaves the old entry behind (about 1 MB each): entries unused this long go when a new one is made.
CACHE_UNUSED_DAYS = 30
_USED: set[Path] = set()


def cache_entry_used(entry: Path) -> None:
    """Mark a cache entry (file or folder) as used now, once per process, so pruning keeps it."""
    if entry not in _USED:
        _USED.add(entry)
        try:
            os.utime(entry)
        except OSError:
            pass  # a read-only cache: nothing is pruned from it either


def prune_cache(folder: Path, keep: Path) -> None:
    """Remove the entries of a cache folder unused for CACHE_UNUSED_DAYS, but `keep` (the entry
    just made); an entry another process is building is new, and one a crash left is removed."""
    cutoff = time.time() - CACHE_UNUSED_DAYS * 86400
    try:
        entries = list(folder.iterdir())
    except OSError:
        return
    for entry in entries:
        try:
            if entry == keep or entry.stat().st_mtime >= cutoff:
                continue
            if entry.is_dir():
                shutil.rmtree(entry, ignore_errors=True)
            else:
                entry.unlink(missing_ok=True)
        except OSError:
            continue  # gone already, or not ours to remove


def _unpack_zip(path: Path) -> Path:
    target = cache_folder("schemas") / sha256_of(path)[:16]
    if target.exists():
        cache_entry_used(target)
    else:
        tmp = target.with_suffix(".tmp")
        with zipfile.ZipFile(path) as archive:
            for member in archive.infolist():
                name = Path(member.filename).name
                if name.lower().endswith(".xsd"):
                    tmp.mkdir(parents=True, exist_ok=True)
                    (tmp / name).write_bytes(archive.read(member))
        if not tmp.exists():
            raise SchemaError(f"{path}: the zip holds no .xsd files")
        tmp.rename(target)
        prune_cache(target.parent, target)
    return target


def _find_in(root: Path, name: str) -> Path | None:
    direct = root / name
    if direct.is_file():
        return direct
    return next(iter(sorted(root.rglob(name))), None)


def schema_files(release: str, tags: str = "reference") -> SchemaFiles:
    """The files for one release and tag style: the user's download first, else onixcheck's."""
    if release not in RELEASES or tags not in TAG_STYLES:
        raise SchemaError(f"no official schema for release {release!r} with {tags!r} tags")
    name = main_file_name(release, tags)
    user = _user_source()
    if user is not None:
        main = _find_in(user, name)
        if main is not None:
            codes = main.parent / "ONIX_BookProduct_CodeLists.xsd"
            if not codes.is_file():
                raise SchemaError(f"{main.parent}: ONIX_BookProduct_CodeLists.xsd missing beside {name}")
            return SchemaFiles(release, tags, main, codes, pinned=False)
    folder = bundled_root() / f"xsd{release}"
    files = SchemaFiles(release, tags, folder / name, folder / "ONIX_BookProduct_CodeLists.xsd", pinned=True)
    verify(files)
    return files


@functools.lru_cache(maxsize=None)
def _verified(path: Path) -> None:
    entries = {entry["path"]: entry for entry in _manifest()["files"]}
    relative = path.relative_to(bundled_root()).as_posix()
    entry = entries.get(relative)
    if entry is None:
        raise SchemaError(f"{path}: not listed in the schema manifest {MANIFEST}")
    if not path.is_file():
        raise SchemaError(f"{path}: schema file missing (reinstall onixcheck=={_manifest()['onixcheck']})")
    actual = sha256_of(path)
    if actual != entry["sha256"]:
        raise SchemaError(
            f"{path}: SHA-256 {actual} does not match the manifest's {entry['sha256']} "
            f"(expected onixcheck=={_manifest()['onixcheck']})"
        )


def verify(files: SchemaFiles) -> None:
    """Check each file of a bundled schema against the manifest; raise SchemaError naming a mismatch."""
    for path in sorted(files.main.parent.glob("*.xsd")):
        _verified(path)


@functools.lru_cache(maxsize=None)
def schema_document(release: str, tags: str = "reference") -> etree._Element:
    """The parsed main XSD of a release (the root xs:schema), once per process: the code list
    map, the rules' schema facts and the text rules all read it, and a parse costs about 6 ms."""
    return etree.parse(str(schema_files(release, tags).main)).getroot()


@functools.lru_cache(maxsize=None)
def load_schema(release: str, tags: str = "reference") -> etree.XMLSchema:
    """The compiled lxml XMLSchema for a release and tag style (compiled once per process)."""
    files = schema_files(release, tags)
    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    try:
        return etree.XMLSchema(etree.parse(str(files.main), parser))
    except (etree.XMLSchemaParseError, etree.XMLSyntaxError) as exc:
        raise SchemaError(f"{files.main}: cannot compile the schema: {exc}") from exc


def describe(release: str, tags: str = "reference") -> dict:
    """Where a schema comes from and what it is, for `onixfeed schemas` and reports."""
    files = schema_files(release, tags)
    return {
        "release": release,
        "tags": tags,
        "main": str(files.main),
        "codelists": str(files.codelists),
        "codelist_issue": codelist_issue(files.codelists),
        "pinned": files.pinned,
    }


def write_manifest(path: Path = MANIFEST) -> dict:
    """Regenerate the manifest from the installed onixcheck (a maintainer's step, after an upgrade)."""
    import onixcheck

    root = bundled_root()
    entries = []
    for release in RELEASES:
        folder = root / f"xsd{release}"
        issue = codelist_issue(folder / "ONIX_BookProduct_CodeLists.xsd")
        for file in sorted(folder.glob("*.xsd")):
            head = file.read_bytes()[:6000].decode("utf-8", "replace")
            revision = re.search(r"Revision\s+(\d+)", head)
            entries.append(
                {
                    "path": file.relative_to(root).as_posix(),
                    "release": release,
                    "revision": revision.group(1) if revision and "BookProduct_" in file.name else None,
                    "codelist_issue": issue,
                    "sha256": sha256_of(file),
                }
            )
    manifest = {"onixcheck": onixcheck.__version__, "files": entries}
    path.write_text(json.dumps(manifest, indent=1) + "\n", encoding="utf-8")
    return manifest
