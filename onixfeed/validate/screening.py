"""A faster twin of an official ONIX schema, to screen documents that are valid.

libxml2 spends more than half of its validation time on code lists: it compares a value
with each enumerated code in turn. The screening schema is the official one rewritten in
two ways:

- every set of enumerated codes becomes one pattern facet, a regular expression shaped as
  a trie (`0(1|2|3)|8(8|9)`), which libxml2 runs as a deterministic automaton;
- the target namespace is dropped, so a batch parsed without its namespace can be
  validated and then handed to the checks as it is, without a second parse.

The rewritten schema never accepts more than the official one: a pattern of the literal
codes accepts exactly those codes (the enumeration may also accept other spellings of the
same value, such as `1.0` for `1`), and a restriction that already has a pattern keeps its
enumeration, since patterns in one restriction step are alternatives. So a document it
accepts is valid; one it rejects goes to the official schema for the findings.

A second twin, the current-codes schema, also leaves every deprecated code (as
onixfeed.codelists reads them from the code list annotations) out of its code lists. A
document it accepts is valid and holds no deprecated code in any element or attribute a
code list types, space-separated country and region lists included: libxml2 proves in C
what the deprecated-code rule would otherwise look for in Python.
"""

from __future__ import annotations

import functools
import hashlib
import os
import re
import shutil
from pathlib import Path

from lxml import etree

from onixfeed import codelists, schemas

XS = "{http://www.w3.org/2001/XMLSchema}"
_REGEX_SPECIAL = frozenset("\\|.?*+(){}-[]^")  # XML Schema's single-character escapes
# on the schema element (written xs:schema, as EDItEUR's are; another prefix is left as it is,
# and the no-namespace batches then fail screening and go to the official schema)
_SCHEMA_NAMESPACE = re.compile(rb"""(<xs:schema\b[^>]*?)\s(?:targetNamespace|xmlns)\s*=\s*("[^"]*"|'[^']*')""")
# A code list whose every code is left out (list 172 has only EUR, deprecated) matches
# nothing: no character is both white space and not white space.
MATCHES_NOTHING = r"[^\s\S]"
LeftOut = dict[str, frozenset[str]]  # simple type name -> codes its pattern leaves out


def trie_pattern(codes: list[str]) -> str:
    """An XML Schema regular expression matching exactly `codes`, with no two branches
    starting alike (so that libxml2 finds it deterministic and runs it in linear time)."""
    trie: dict = {}
    for code in codes:
        node = trie
        for character in code:
            node = node.setdefault(character, {})
        node[None] = {}  # a code ends here

    def expression(node: dict) -> str:
        branches = [("\\" + ch if ch in _REGEX_SPECIAL else ch) + expression(child)
                    for ch, child in sorted((k, v) for k, v in node.items() if k is not None)]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(" + "|".join(branches) + ")"
        if None in node:  # a code may also end here: what follows is optional
            if len(branches) == 1 and len(body) > 1:
                body = f"({body})"
            body += "?"
        return body

    return expression(trie)


def rewrite(document: etree._ElementTree, namespace: str | None, leave_out: LeftOut | None = None) -> bytes:
    """The schema document with its enumerations as trie patterns and without the target
    `namespace`, also in the XPaths of its identity constraints (`onix:Product` ->
    `Product`; left as they were, they would select nothing and check nothing).
    `leave_out` names, by simple type (`List91`), codes its pattern must not accept."""
    if next(document.iter(f"{XS}any", f"{XS}anyAttribute"), None) is not None:
        # a wildcard's ##targetNamespace and ##other would mean something else without the namespace
        raise Unscreenable("the schema has wildcards (xs:any, xs:anyAttribute)")
    for node in document.iter(f"{XS}selector", f"{XS}field"):
        prefixes = [prefix for prefix, uri in node.nsmap.items() if prefix and uri == namespace]
        for prefix in prefixes:
            node.set("xpath", re.sub(rf"(?<![\w.:-]){re.escape(prefix)}:(?!:)", "", node.get("xpath")))
    for restriction in document.iter(f"{XS}restriction"):
        enumerations = restriction.findall(f"{XS}enumeration")
        if not enumerations or restriction.find(f"{XS}pattern") is not None:
            continue
        codes = [enumeration.get("value") for enumeration in enumerations]
        omitted = (leave_out or {}).get(restriction.getparent().get("name"))
        if omitted:
            codes = [code for code in codes if code not in omitted]
        position = restriction.index(enumerations[0])
        for enumeration in enumerations:
            restriction.remove(enumeration)
        pattern = etree.Element(f"{XS}pattern", value=trie_pattern(codes) if codes else MATCHES_NOTHING)
        restriction.insert(position, pattern)
    target = document.getroot().get("targetNamespace")
    if target is not None and document.getroot().nsmap.get(None, target) != target:
        raise Unscreenable("the schema's default namespace is not its target namespace")
    text = etree.tostring(document, encoding="utf-8")
    while True:  # both attributes, in whichever order they come
        stripped = _SCHEMA_NAMESPACE.sub(rb"\1", text, count=1)
        if stripped == text:
            return text
        text = stripped


def deprecated_codes(release: str) -> LeftOut:
    """`ListN` -> the deprecated codes of code list N, for the current-codes schema."""
    return {f"List{number}": frozenset(code.value for code in table.codes.values() if code.deprecated)
            for number, table in codelists.load_codelists(release).items()
            if any(code.deprecated for code in table.codes.values())}


class Unscreenable(ValueError):
    """A schema whose meaning the rewriting could change: the official one is used alone."""


class _Rewritten(etree.Resolver):
    """Serves each schema document a schema includes in its rewritten form."""

    def __init__(self, namespace: str | None, leave_out: LeftOut | None = None):
        super().__init__()
        self.namespace = namespace
        self.leave_out = leave_out

    def resolve(self, url, public_id, context):
        with open(url, "rb") as source:
            document = etree.parse(source, _plain_parser(), base_url=url)
        return self.resolve_string(rewrite(document, self.namespace, self.leave_out), context, base_url=url)


def _plain_parser() -> etree.XMLParser:
    return etree.XMLParser(resolve_entities=False, no_network=True, remove_comments=True)


def _rewritten_folder(main: Path, leave_out: LeftOut | None = None) -> Path | None:
    """The schema documents beside `main`, rewritten once into the cache (keyed by their
    bytes, this module's and the codes left out); None when the cache cannot be written."""
    sources = sorted(main.parent.glob("*.xsd"))
    digest = hashlib.sha256(Path(__file__).read_bytes())
    for source in sources:
        digest.update(source.name.encode() + b"\0" + source.read_bytes())
    if leave_out:
        digest.update(repr(sorted((name, sorted(codes)) for name, codes in leave_out.items())).encode())
    folder = schemas.cache_folder("screening") / digest.hexdigest()[:24]
    if (folder / main.name).is_file():
        schemas.cache_entry_used(folder)
        return folder
    try:
        building = folder.with_name(f"{folder.name}.{os.getpid()}.tmp")
        building.mkdir(parents=True, exist_ok=True)
        for source in sources:
            document = etree.parse(str(source), _plain_parser())
            namespace = document.getroot().get("targetNamespace")
            (building / source.name).write_bytes(rewrite(document, namespace, leave_out))
        building.rename(folder)
        schemas.prune_cache(folder.parent, folder)
    except Unscreenable:
        shutil.rmtree(building, ignore_errors=True)
        raise
    except OSError:
        shutil.rmtree(building, ignore_errors=True)
        return folder if (folder / main.name).is_file() else None  # another process won the race
    return folder


def _compile_in_memory(main: Path, leave_out: LeftOut | None = None) -> etree.XMLSchema:
    """The screening schema rewritten on the fly (when the cache is not writable)."""
    document = etree.parse(str(main), _plain_parser())
    namespace = document.getroot().get("targetNamespace")
    parser = _plain_parser()
    parser.resolvers.add(_Rewritten(namespace, leave_out))
    return etree.XMLSchema(etree.fromstring(rewrite(document, namespace, leave_out), parser, base_url=str(main)))


@functools.lru_cache(maxsize=None)
def load_screening_schema(release: str, tags: str = "reference", current_codes: bool = False
                          ) -> etree.XMLSchema | None:
    """The compiled screening schema for a release and tag style (once per process), or
    None when it cannot be built (the official schema is then used alone). With
    `current_codes`, the twin whose code lists leave out the deprecated codes."""
    files = schemas.schema_files(release, tags)
    try:
        leave_out = deprecated_codes(release) if current_codes else None
        folder = _rewritten_folder(files.main, leave_out)
        if folder is None:
            return _compile_in_memory(files.main, leave_out)
        # from the file, not a parsed tree: lxml would keep the tree (5 MB) for the schema's life
        return etree.XMLSchema(file=str(folder / files.main.name))
    except (OSError, Unscreenable, etree.XMLSchemaParseError, etree.XMLSyntaxError):
        return None
