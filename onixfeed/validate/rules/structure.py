"""What the official XSD guarantees about a product it accepted, read once per process from its files.

When the schema has passed a product (MessageInfo.schema_valid), every element sits where
a content model allows it and every value has its type. Rules use these facts to leave
out work whose findings the schema already excludes; each fact is derived from the XSD
of the release in use, never assumed, so a schema that allowed more would just keep the
rule running.
"""

from __future__ import annotations

import functools

from lxml import etree

from onixfeed import schemas

XS = "{http://www.w3.org/2001/XMLSchema}"


def _main(release: str) -> etree._Element:
    return schemas.schema_document(release)


@functools.lru_cache(maxsize=None)
def _declarations(release: str) -> dict[str, list[etree._Element]]:
    """Element name -> its declarations (3.1 declares EpubLicense locally, with two types)."""
    found: dict[str, list[etree._Element]] = {}
    for element in _main(release).iter(f"{XS}element"):
        if element.get("name"):
            found.setdefault(element.get("name"), []).append(element)
    return found


def _global(release: str, kind: str, name: str | None) -> etree._Element | None:
    if not name:
        return None
    return _globals(release).get((f"{XS}{kind}", name))


@functools.lru_cache(maxsize=None)
def _globals(release: str) -> dict[tuple[str, str], etree._Element]:
    """(tag, name) -> the first top-level declaration of that kind and name (a scan per lookup
    cost more than all the rest of reading these facts)."""
    found: dict[tuple[str, str], etree._Element] = {}
    for node in _main(release).iterchildren(etree.Element):
        if node.get("name"):
            found.setdefault((node.tag, node.get("name")), node)
    return found


def _complex_type(release: str, declaration: etree._Element) -> etree._Element | None:
    inline = declaration.find(f"{XS}complexType")
    return inline if inline is not None else _global(release, "complexType", declaration.get("type"))


@functools.lru_cache(maxsize=None)
def attribute_holders(release: str, attribute: str) -> frozenset[str]:
    """Names of the elements the schema lets carry `attribute` (directly or through an attribute group).

    Raises LookupError when the schema allows attributes it does not name (xs:anyAttribute).
    """
    main = _main(release)
    if next(main.iter(f"{XS}anyAttribute"), None) is not None:
        raise LookupError(f"the {release} schema allows any attribute")
    subset = _xhtml_subset(release)
    if next(subset.iter(f"{XS}anyAttribute"), None) is not None or any(
            node.get("name") == attribute for node in subset.iter(f"{XS}attribute")):
        raise LookupError(f"the {release} XHTML subset may carry {attribute}")
    groups = {group.get("name") for group in main.iterchildren(f"{XS}attributeGroup")
              if any(node.get("name") == attribute for node in group.iter(f"{XS}attribute"))}
    holders = set()
    for name, declarations in _declarations(release).items():
        for declaration in declarations:
            kind = _complex_type(release, declaration)
            if kind is None:
                continue
            if any(node.get("name") == attribute for node in kind.iter(f"{XS}attribute")) or any(
                    node.get("ref") in groups for node in kind.iter(f"{XS}attributeGroup")):
                holders.add(name)
    return frozenset(holders)


@functools.lru_cache(maxsize=None)
def above_zero(release: str, name: str) -> bool:
    """True when every declaration of `name` types its value as a decimal above zero (minExclusive 0)."""
    declarations = _declarations(release).get(name)
    if not declarations:
        return False
    for declaration in declarations:
        kind = _complex_type(release, declaration)
        extension = kind.find(f"{XS}simpleContent/{XS}extension") if kind is not None else None
        if extension is None or not _excludes_zero(release, extension.get("base"), set()):
            return False
    return True


def _excludes_zero(release: str, type_name: str | None, seen: set[str]) -> bool:
    simple = _global(release, "simpleType", type_name)
    if simple is None or type_name in seen:
        return False
    seen.add(type_name)
    restriction = simple.find(f"{XS}restriction")
    if restriction is None:
        return False
    bound = restriction.find(f"{XS}minExclusive")
    if bound is not None and restriction.get("base") == "xs:decimal":
        try:
            return float(bound.get("value")) >= 0
        except (TypeError, ValueError):
            return False
    return _excludes_zero(release, restriction.get("base"), seen)


@functools.lru_cache(maxsize=None)
def elements_typed(release: str, simple_type: str) -> frozenset[str]:
    """Names of the elements whose value has `simple_type` (the base of their simple content)."""
    found = set()
    for name, declarations in _declarations(release).items():
        for declaration in declarations:
            kind = _complex_type(release, declaration)
            extension = kind.find(f"{XS}simpleContent/{XS}extension") if kind is not None else None
            if extension is not None and extension.get("base") == simple_type:
                found.add(name)
    return frozenset(found)


@functools.lru_cache(maxsize=None)
def _xhtml_subset(release: str) -> etree._Element:
    path = schemas.schema_files(release, "reference").main.parent / "ONIX_XHTML_Subset.xsd"
    return etree.parse(str(path)).getroot()


@functools.lru_cache(maxsize=None)
def xhtml_closed(release: str) -> bool:
    """True when the XHTML subset admits only the elements it declares globally (no wildcard, no local element)."""
    root = _xhtml_subset(release)
    if next(root.iter(f"{XS}any"), None) is not None:
        return False
    return all(element.getparent() is root for element in root.iter(f"{XS}element") if element.get("name"))


@functools.lru_cache(maxsize=None)
def element_children(release: str, name: str) -> frozenset[str]:
    """The ONIX element names the schema allows as children of `name` (XHTML content not included)."""
    found: set[str] = set()
    for declaration in _declarations(release).get(name, ()):
        kind = _complex_type(release, declaration)
        if kind is not None:
            _collect_refs(release, kind, found, set())
    return frozenset(found)


def _collect_refs(release: str, node: etree._Element, found: set[str], seen: set[str]) -> None:
    for below in node:
        tag = below.tag
        if tag == f"{XS}element":
            found.add(below.get("ref") or below.get("name"))
        elif tag == f"{XS}group" and below.get("ref"):
            group = _global(release, "group", below.get("ref"))
            if group is not None and below.get("ref") not in seen:
                seen.add(below.get("ref"))
                _collect_refs(release, group, found, seen)
        elif tag == f"{XS}extension":
            base = _global(release, "complexType", below.get("base"))
            if base is not None:
                _collect_refs(release, base, found, seen)
            _collect_refs(release, below, found, seen)
        elif isinstance(tag, str) and tag != f"{XS}annotation":
            _collect_refs(release, below, found, seen)
