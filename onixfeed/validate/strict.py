"""Run EDItEUR's strict XSD 1.1 (the user's own copy) product by product, in parallel, as findings.

EDItEUR's strict schemas add about 1,300 XPath assertions to the normal schema (check
digits, tax arithmetic, territories, dates). Only an XSD 1.1 processor can run them, and
`xmlschema.XMLSchema11` does so slowly (about 0.1 s a product), so this runner:

- compiles the schema once per process (about 3.5 s) and forks worker processes that
  inherit it (spawned workers compile their own);
- wraps each Product in a minimal message (root, the file's Header, the one Product) so
  the root-level assertions that read the Header (DefaultPriceType, DefaultCurrencyCode)
  still apply; assertions across products (RecordReference unique) are left to the
  native message rules, which see every product;
- maps each failure to a Finding at the element's line in the original file.

Rule codes (stable): a failing assertion becomes rule `SX` followed by the assertion's
own id, e.g. `SX_20171126_c_14`, named `strict-assertion`, with the text of the
assertion's leading `(: ... :)` comment in the message. Everything else the strict schema
rejects (structure, a code outside the schema's enumerations) is rule `SX000`, named
`strict-schema`; a file the strict XSD cannot be run on (ONIX 2.1, XML that does not
parse) gets one `SX001` warning, `strict-not-run`. A profile can set `SX` (every strict
finding) or a single assertion's code to a severity; error otherwise. The strict schemas' embedded Schematron warnings
(`sch:report role="warn"`) are not run: xmlschema ignores them.
"""

from __future__ import annotations

import itertools
import multiprocessing
import os
import re
import shutil
import tempfile
import zipfile
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Iterable, Iterator

from lxml import etree

from onixfeed import onix, schemas
from onixfeed.findings import Finding, InputError, Severity, sort_key

STRICT_FILES = {release: f"ONIX_BookProduct_{release}_reference_strict.xsd" for release in ("3.0", "3.1")}
INCLUDED_FILES = ("ONIX_BookProduct_CodeLists.xsd", "ONIX_XHTML_Subset.xsd")
ASSERTION_PREFIX = "SX"
ASSERTION_NAME = "strict-assertion"
SCHEMA_CODE = "SX000"
SCHEMA_NAME = "strict-schema"
NOT_RUN_CODE = "SX001"
NOT_RUN_NAME = "strict-not-run"
_STRICT_CODE = re.compile(r"^SX(_[A-Za-z0-9_]+|\d{3})?$")
# Products per task sent to a worker: enough to amortise pickling, small enough to balance.
CHUNK = 4
WINDOW = 8  # tasks in flight per worker
_COMMENT = re.compile(r"^\s*\(:\s*(.*?)\s*:\)", re.S)
_MAX_REASON = 160
_NAMESPACE_NOISE = re.compile(r"\{[^}]*\}|\bonix:")


class StrictSchemaError(InputError):
    """The --strict-xsd path or the schema in it cannot be used: nothing can be checked."""


def is_strict_code(code: str) -> bool:
    """True for the codes of strict-XSD findings (`SX`, `SX000`, `SX_20171126_c_14`), which a
    profile may give a severity although they are not native rules."""
    return bool(_STRICT_CODE.match(str(code)))


def assertion_code(assertion_id: str) -> str:
    """The rule code of a strict assertion: `_20171126_c_14` -> `SX_20171126_c_14`."""
    return f"{ASSERTION_PREFIX}{assertion_id if assertion_id.startswith('_') else '_' + assertion_id}"


def assertion_comment(test: str) -> str:
    """The leading `(: ... :)` comment of an assertion's test: EDItEUR's statement of the rule."""
    match = _COMMENT.match(test or "")
    return match.group(1) if match else ""


def release_of_schema(path: Path) -> str | None:
    """The release a strict XSD is for, read from its target namespace."""
    with open(path, "rb") as handle:
        head = handle.read(200_000).decode("utf-8", "replace")
    match = re.search(r'targetNamespace="http://ns\.editeur\.org/onix/(3\.[01])/(reference|short)"', head)
    if not match:
        return None
    if match.group(2) != "reference":
        raise StrictSchemaError(f"{path}: a short-tag strict XSD; use the reference-tag one "
                         f"(onixfeed converts short tags to reference before validating)")
    return match.group(1)


def locate_strict(path: str | Path, release: str) -> Path:
    """The strict XSD for a release inside PATH (a file, a folder or an EDItEUR zip).

    A zip is unpacked to a temporary folder (removed by `StrictSchema.load` after compiling).
    """
    source = Path(path).expanduser()
    if release not in STRICT_FILES:
        raise InputError(f"EDItEUR's strict XSD exists for ONIX 3.0 and 3.1 only, not release {release}")
    if not source.exists():
        raise StrictSchemaError(f"{source}: --strict-xsd path does not exist (expected {STRICT_FILES[release]}, "
                         f"a folder holding it, or EDItEUR's strict XSD zip)")
    if source.is_file() and zipfile.is_zipfile(source):
        return _from_zip(source, release)
    if source.is_dir():
        direct = source / STRICT_FILES[release]
        found = direct if direct.is_file() else next(iter(sorted(source.rglob(STRICT_FILES[release]))), None)
        if found is None:
            raise InputError(f"{source}: no {STRICT_FILES[release]} in this folder")
        return found
    if source.is_file():
        actual = release_of_schema(source)
        if actual is None:
            raise StrictSchemaError(f"{source}: not an ONIX strict XSD (no ONIX 3.x target namespace)")
        if actual != release:
            raise InputError(f"{source}: a strict XSD for ONIX {actual}, but the message is release {release}")
        return source
    raise StrictSchemaError(f"{source}: expected a strict XSD file, a folder or a zip")


def _from_zip(archive_path: Path, release: str) -> Path:
    wanted = STRICT_FILES[release]
    try:
        with zipfile.ZipFile(archive_path) as archive:
            names = {Path(info.filename).name: info for info in archive.infolist() if not info.is_dir()}
            if wanted not in names:
                raise InputError(f"{archive_path}: the zip holds no {wanted}")
            folder = Path(tempfile.mkdtemp(prefix="onixfeed-strict-zip-"))
            for name in (wanted, *INCLUDED_FILES):
                if name in names:
                    (folder / name).write_bytes(archive.read(names[name]))
    except (zipfile.BadZipFile, OSError) as exc:
        raise StrictSchemaError(f"{archive_path}: cannot read the zip: {exc}") from exc
    return folder / wanted


_COMPILED: dict[tuple[str, float, str], "StrictSchema"] = {}


def load_once(path: str | Path, release: str) -> "StrictSchema":
    """The compiled strict schema for PATH and a release, compiled once per process (~3.5 s)."""
    source = Path(path).expanduser().resolve()
    try:
        stamp = source.stat().st_mtime
    except OSError:
        stamp = 0.0  # locate_strict reports the missing path
    key = (str(source), stamp, release)
    if key not in _COMPILED:
        _COMPILED[key] = StrictSchema.load(source, release)
    return _COMPILED[key]


@dataclass
class StrictSchema:
    """A compiled strict XSD 1.1 and the release it checks."""

    release: str
    schema: object  # xmlschema.XMLSchema11
    source: Path

    @classmethod
    def load(cls, path: str | Path, release: str) -> "StrictSchema":
        """Compile the strict XSD for `release` found at PATH, beside the code lists it includes.

        The strict XSD includes the code list and XHTML schemas by relative path. When the
        user's folder holds them (EDItEUR's strict archive does), they are used as they
        are; otherwise the strict XSD is copied into a temporary folder beside the ones of
        the official schema in use (the installed package is never written to).
        """
        import xmlschema

        strict = locate_strict(path, release)
        temporary: list[Path] = []
        if strict.parent.name.startswith("onixfeed-strict-zip-"):
            temporary.append(strict.parent)
        try:
            compile_from = strict
            if not all((strict.parent / name).is_file() for name in INCLUDED_FILES):
                folder = Path(tempfile.mkdtemp(prefix="onixfeed-strict-"))
                temporary.append(folder)
                bundled = schemas.schema_files(release, "reference").codelists.parent
                for name in INCLUDED_FILES:
                    if not (bundled / name).is_file():
                        raise StrictSchemaError(f"{bundled}: {name} missing; the strict XSD needs it beside itself")
                    shutil.copyfile(bundled / name, folder / name)
                compile_from = folder / strict.name
                shutil.copyfile(strict, compile_from)
            try:
                schema = xmlschema.XMLSchema11(str(compile_from))
            except (xmlschema.XMLSchemaException, etree.XMLSyntaxError, ValueError) as exc:
                raise StrictSchemaError(f"{strict}: cannot compile the strict XSD: {_first_line(str(exc))}") from exc
        finally:
            for folder in temporary:
                shutil.rmtree(folder, ignore_errors=True)
        return cls(release, schema, strict)

    def check_wrapped(self, wrapped: "WrappedProduct", file: str | None) -> list[Finding]:
        """Findings for one wrapped product, at the original file's lines.

        The Header and root are in every wrapper: their findings are kept for the first
        product only, so a file's header problem is reported once.
        """
        parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)
        root = etree.fromstring(wrapped.message, parser)
        parts = {onix.local_name(child.tag): child for child in root}
        offsets = {}
        for position, name in ((0, "ONIXMessage"), (1, "Header"), (2, "Product")):
            element = root if name == "ONIXMessage" else parts.get(name)
            original = wrapped.lines[position]
            if element is not None and original is not None:
                offsets[name] = original - element.sourceline
        findings = []
        for error in self.schema.iter_errors(root.getroottree()):
            element = error.elem if isinstance(getattr(error, "elem", None), etree._Element) else None
            part = _part_of(element)
            if part == "ONIXMessage" and getattr(error.validator, "id", None):
                # Root assertions (DefaultPriceType, DefaultCurrencyCode) judge the one
                # Product in the wrapper: report them on that Product.
                part, element = "Product", parts.get("Product", element)
            if part != "Product" and wrapped.index != 1:
                continue
            line = None
            if element is not None and element.sourceline is not None and part in offsets:
                line = element.sourceline + offsets[part]
            record = wrapped.record if part == "Product" else None
            findings.append(_finding(error, element, file, line, record))
        return findings


def _part_of(element: etree._Element | None) -> str:
    """Which part of the wrapper an element sits in: Product, Header or the root."""
    node = element
    while node is not None:
        name = onix.local_name(node.tag)
        if name in ("Product", "Header"):
            return name
        node = node.getparent()
    return "ONIXMessage"


def _finding(error, element, file, line, record) -> Finding:
    validator = getattr(error, "validator", None)
    assertion_id = getattr(validator, "id", None)
    test = getattr(validator, "path", None)
    where = f"<{onix.local_name(element.tag)}>" if element is not None else "the message"
    xpath = _xpath(element) if element is not None else None
    if assertion_id and isinstance(test, str):
        comment = assertion_comment(test) or "assertion failed"
        return Finding(assertion_code(assertion_id), ASSERTION_NAME, Severity.ERROR,
                       f"{where} fails strict assertion {assertion_id}: {comment}", file, line, xpath, record)
    # Names in xmlschema's reasons carry the namespace or its prefix: show plain ONIX names.
    reason = _NAMESPACE_NOISE.sub("", _first_line(error.reason or error.message or "not valid"))
    if len(reason) > _MAX_REASON:
        reason = reason[:_MAX_REASON].rstrip(" ,'") + "…"
    return Finding(SCHEMA_CODE, SCHEMA_NAME, Severity.ERROR, f"{where} is not valid under the strict XSD: {reason}",
                   file, line, xpath, record)


def _xpath(element: etree._Element) -> str:
    """`Product/ProductIdentifier[2]`: where an element sits in its Product or Header, in the
    same style as the native rules' findings (`ONIXMessage` for the root)."""
    steps = []
    node = element
    while node is not None:
        name = onix.local_name(node.tag)
        parent = node.getparent()
        if parent is None or name in ("Product", "Header"):
            steps.append(name)
            break
        same = list(parent.iterchildren(node.tag))
        steps.append(f"{name}[{same.index(node) + 1}]" if len(same) > 1 else name)
        node = parent
    return "/".join(reversed(steps))


def _first_line(text: str) -> str:
    return text.strip().splitlines()[0] if text.strip() else text


# ---------------------------------------------------------------------------------------
# Splitting a message into wrapped products


@dataclass(frozen=True)
class WrappedProduct:
    """One product inside a minimal message, with the original lines that map findings back."""

    message: bytes
    lines: tuple[int | None, int | None, int | None]  # original lines of the root, Header and Product
    record: str | None
    index: int  # 1-based position of the Product in the file


def wrap(root: etree._Element, header: etree._Element | None, product: etree._Element, release: str,
         tags: str, index: int, record: str | None) -> WrappedProduct:
    """A message holding only the Header and one Product, rebuilt with reference names in the
    official namespace (declared once, on the root) and their text as it was, so the lines
    inside each part stay as in the original file."""
    namespace = onix.NAMESPACES[(release, "reference")]
    mapping = onix.short_to_reference(release) if tags == "short" else {}
    wrapper = etree.Element(f"{{{namespace}}}ONIXMessage", nsmap={None: namespace}, release=release)
    wrapper.text = "\n"
    for part in (header, product):
        if part is not None:
            _copy_into(wrapper, part, namespace, mapping).tail = "\n"
    lines = (root.sourceline, header.sourceline if header is not None else None, product.sourceline)
    return WrappedProduct(etree.tostring(wrapper), lines, record, index)


def _copy_into(parent: etree._Element, element: etree._Element, namespace: str, mapping: dict[str, str]) -> etree._Element:
    """Append a renamed copy of `element` (and its subtree) to `parent`.

    Elements are created afresh rather than renamed in place: lxml keeps an element's own
    namespace declarations, and a copy moved under a new root can then serialise in its
    old namespace (seen with files that declare xmlns again on Header and Product).
    """
    name = onix.local_name(element.tag)
    copied = etree.SubElement(parent, f"{{{namespace}}}{mapping.get(name, name)}")
    for key, value in element.attrib.items():
        copied.set(key, value)
    copied.text = element.text
    last: etree._Element | None = None
    for child in element:
        if isinstance(child.tag, str):
            last = _copy_into(copied, child, namespace, mapping)
            last.tail = child.tail
        elif child.tail:  # an entity reference or the like: keep the text after it
            if last is None:
                copied.text = (copied.text or "") + child.tail
            else:
                last.tail = (last.tail or "") + child.tail
    return copied


def iter_wrapped(stream: BinaryIO | str, name: str) -> Iterator[tuple[str, WrappedProduct]]:
    """(release, wrapped product) for each Product of a message, streamed.

    Raises InputError naming the file for XML that does not parse, a message that is
    not ONIX 3.0 or 3.1, or a Product before the Header.
    """
    events = etree.iterparse(stream, events=("start", "end"), huge_tree=True, resolve_entities=False,
                             no_network=True, remove_comments=True, remove_pis=True)
    flavour: onix.Flavour | None = None
    root: etree._Element | None = None
    header: etree._Element | None = None
    index = 0
    try:
        for event, element in events:
            if root is None:
                root = element
                flavour = onix.flavour_of(element.tag, element.get("release"))
                if onix.local_name(element.tag) not in onix.ROOTS.values():
                    raise InputError(f"{name}: line {element.sourceline}: root <{onix.local_name(element.tag)}> "
                                     f"is not an ONIX message (expected <ONIXMessage>)")
                declared = (element.get("release") or "").strip()
                if flavour.release not in STRICT_FILES or (declared and declared not in STRICT_FILES):
                    shown = declared or flavour.release
                    raise InputError(f"{name}: ONIX {shown}: EDItEUR's strict XSD covers 3.0 and 3.1 only")
                continue
            if event != "end" or element.getparent() is not root:
                continue
            local = onix.local_name(element.tag)
            if local == onix.HEADER[flavour.tags]:
                header = element
            elif local == onix.PRODUCT[flavour.tags]:
                index += 1
                record = _record_reference(element)
                yield flavour.release, wrap(root, header, element, flavour.release, flavour.tags, index, record)
                element.clear()
                while element.getprevious() is not None and element.getprevious() is not header:
                    del root[0 if header is None else 1]
    except etree.XMLSyntaxError as exc:
        line = exc.position[0] if exc.position else "?"
        raise InputError(f"{name}: line {line}: not well-formed XML: {exc.msg}") from exc


def _record_reference(product: etree._Element) -> str | None:
    for child in product:
        if isinstance(child.tag, str) and onix.local_name(child.tag) in ("RecordReference", "a001"):
            return (child.text or "").strip() or None
    return None


# ---------------------------------------------------------------------------------------
# Running in parallel

_WORKER_SCHEMA: StrictSchema | None = None


def _spawned_worker_init(path: str, release: str) -> None:
    global _WORKER_SCHEMA
    _WORKER_SCHEMA = StrictSchema.load(path, release)


def _check_chunk(task: tuple[str | None, list[WrappedProduct]]) -> list[Finding]:
    file, chunk = task
    findings: list[Finding] = []
    for wrapped in chunk:
        findings.extend(_WORKER_SCHEMA.check_wrapped(wrapped, file))
    return findings


def _chunks(file: str | None, wrapped: Iterable[WrappedProduct], size: int) -> Iterator[tuple]:
    batch: list[WrappedProduct] = []
    for item in wrapped:
        batch.append(item)
        if len(batch) == size:
            yield file, batch
            batch = []
    if batch:
        yield file, batch


def validate_strict(stream: BinaryIO | str, name: str, strict_path: str | Path, jobs: int | None = None,
                    schema: StrictSchema | None = None) -> list[Finding]:
    """Every strict-XSD finding of one ONIX message, product by product.

    `stream` is a path or a binary stream of the message, `name` how reports name it,
    `strict_path` the user's strict XSD (file, folder or zip). `jobs` worker processes
    (default: the CPU count); 1 runs in this process. The schema for the message's release
    is compiled once per process (see `load_once`) unless a compiled `schema` is passed.
    """
    global _WORKER_SCHEMA
    products = iter_wrapped(stream, name)
    first = next(products, None)
    if first is None:
        return []
    release, first_wrapped = first
    if schema is None or schema.release != release:
        schema = load_once(strict_path, release)
    _WORKER_SCHEMA = schema
    wrapped = _prepend(first_wrapped, (item for _, item in products))
    jobs = max(1, jobs or os.cpu_count() or 1)
    if jobs == 1:
        return [finding for task in _chunks(name, wrapped, CHUNK) for finding in _check_chunk(task)]
    methods = multiprocessing.get_all_start_methods()
    # An executor, not a multiprocessing.Pool: a worker that dies breaks it loudly (the rest is
    # then checked here), where a Pool would wait for the lost task forever.
    if "fork" in methods:
        # Forked workers inherit the compiled schema: no 3.5 s compile per worker.
        pool = ProcessPoolExecutor(jobs, mp_context=multiprocessing.get_context("fork"))
    else:  # pragma: no cover - platforms without fork
        pool = ProcessPoolExecutor(jobs, mp_context=multiprocessing.get_context("spawn"),
                                   initializer=_spawned_worker_init, initargs=(str(strict_path), release))
    findings: list[Finding] = []
    tasks = _chunks(name, wrapped, CHUNK)
    try:
        # A window of tasks at a time: mapping them all would read the whole file ahead into memory.
        while window := list(itertools.islice(tasks, jobs * WINDOW)):
            try:
                results = list(pool.map(_check_chunk, window))
            except BrokenProcessPool:
                results = [_check_chunk(task) for task in itertools.chain(window, tasks)]
            for result in results:
                findings.extend(result)
    finally:
        pool.shutdown(wait=False, cancel_futures=True)
    return findings


def _prepend(first: WrappedProduct, rest: Iterable[WrappedProduct]) -> Iterator[WrappedProduct]:
    yield first
    yield from rest


# ---------------------------------------------------------------------------------------
# Adding strict findings to a validation run


def check_path(strict_path: str | Path) -> None:
    """Fail early (InputError) when the --strict-xsd path does not exist."""
    if not Path(strict_path).expanduser().exists():
        raise StrictSchemaError(f"{strict_path}: --strict-xsd path does not exist (expected EDItEUR's strict XSD, "
                         f"a folder holding it, or EDItEUR's strict XSD zip)")


def severity_for(finding: Finding, severities: dict[str, str]) -> str:
    """A strict finding's level from a profile's `rules:`: its own code, else `SX`, else its own."""
    return str(severities.get(finding.rule) or severities.get(ASSERTION_PREFIX) or finding.severity.value)


def add_strict_findings(results: list, paths: Iterable[str], strict_path: str | Path, jobs: int | None = None,
                        severities: dict[str, str] | None = None) -> None:
    """Run the strict XSD on every source of a validation run and add its findings to the
    matching FileResult (sorted in with the others). A schema is compiled once per release.

    `severities` is a profile's `rules:` mapping (see `severity_for`); `off` drops findings.
    """
    from onixfeed.validate.inputs import SourceError, expand

    severities = severities or {}
    sources = {source.name: source for source in expand(paths)}
    for result in results:
        source = sources.get(result.name)
        if source is None or source.path is None:
            raise InputError("--strict-xsd reads each file a second time: give files, not standard input")
        try:
            if result.release is not None and result.release not in STRICT_FILES:
                raise InputError(f"{result.name}: ONIX {result.release}: EDItEUR's strict XSD covers 3.0 and 3.1 only")
            with source.open() as stream:
                found = validate_strict(stream, result.name, strict_path, jobs=jobs)
        except StrictSchemaError:
            raise  # the schema itself is unusable: nothing can be checked
        except (InputError, SourceError) as exc:
            found = [Finding(NOT_RUN_CODE, NOT_RUN_NAME, Severity.WARNING,
                             f"strict XSD not run: {exc}", result.name)]
        for finding in found:
            level = severity_for(finding, severities)
            if level != "off":
                result.findings.append(finding.with_severity(Severity(level)))
        result.findings.sort(key=sort_key)
