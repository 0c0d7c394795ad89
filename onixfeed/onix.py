"""ONIX namespaces, release and tag-style detection, and reference <-> short tag names.

Reference and short tags are one model: everything inside onixfeed speaks reference
names, and converts at the edge. The name map is read from EDItEUR's short-tag XSD
(each element declares its `refname` and `shortname`), never typed by hand.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from lxml import etree

from onixfeed import schemas

NAMESPACES = {
    ("2.1", "reference"): "http://www.editeur.org/onix/2.1/reference",
    ("2.1", "short"): "http://www.editeur.org/onix/2.1/short",
    ("3.0", "reference"): "http://ns.editeur.org/onix/3.0/reference",
    ("3.0", "short"): "http://ns.editeur.org/onix/3.0/short",
    ("3.1", "reference"): "http://ns.editeur.org/onix/3.1/reference",
    ("3.1", "short"): "http://ns.editeur.org/onix/3.1/short",
}
ROOTS = {"reference": "ONIXMessage", "short": "ONIXmessage"}
PRODUCT = {"reference": "Product", "short": "product"}
HEADER = {"reference": "Header", "short": "header"}
RECORD_REFERENCE = {"reference": "RecordReference", "short": "a001"}


@dataclass(frozen=True)
class Flavour:
    """What a message is: release, tag style, and the namespace it actually uses ('' for none)."""

    release: str
    tags: str
    namespace: str

    @property
    def official_namespace(self) -> str:
        return NAMESPACES[(self.release, self.tags)]


def local_name(tag: object) -> str:
    """An element's name without its namespace ('' for comments and processing instructions)."""
    if not isinstance(tag, str):
        return ""
    return tag.rsplit("}", 1)[-1]


def namespace_of(tag: str) -> str:
    return tag[1:].split("}", 1)[0] if tag.startswith("{") else ""


def flavour_of(root_tag: str, release_attr: str | None, doctype: str = "") -> Flavour:
    """Decide release and tag style from the root element, its `release` and the DOCTYPE."""
    name = local_name(root_tag)
    namespace = namespace_of(root_tag)
    tags = "short" if name == ROOTS["short"] else "reference"
    release = (release_attr or "").strip()
    if release == "2.1":
        pass  # 2.1 may carry release="2.1" (it is optional there)
    elif release not in ("3.0", "3.1"):
        match = re.search(r"/onix/(2\.1|3\.0|3\.1)/", namespace)
        if match:
            release = match.group(1)
        elif re.search(r"2\.1", doctype):
            release = "2.1"
        elif not release_attr:
            release = "2.1"  # 3.x requires @release; a message without it is 2.1
        else:
            release = "3.0" if release.startswith("3.0") else "3.1" if release.startswith("3.1") else "3.0"
    if "/short" in namespace:
        tags = "short"
    return Flavour(release, tags, namespace)


@functools.lru_cache(maxsize=None)
def short_to_reference(release: str) -> dict[str, str]:
    """Map short tag -> reference name, read from EDItEUR's short-tag XSD."""
    files = schemas.schema_files(release, "short")
    tree = etree.parse(str(files.main))
    xs = "{http://www.w3.org/2001/XMLSchema}"
    mapping: dict[str, str] = {}
    for element in tree.getroot().iter(f"{xs}element"):
        short = element.get("name")
        if not short:
            continue
        names = {}
        for attribute in element.iter(f"{xs}attribute"):
            if attribute.get("name") in ("refname", "shortname"):
                enum = attribute.find(f".//{xs}enumeration")
                if enum is not None:
                    names[attribute.get("name")] = enum.get("value")
        if names.get("shortname") == short and names.get("refname"):
            mapping[short] = names["refname"]
    return mapping


@functools.lru_cache(maxsize=None)
def reference_to_short(release: str) -> dict[str, str]:
    """Map reference name -> short tag (the inverse of short_to_reference)."""
    return {ref: short for short, ref in short_to_reference(release).items()}


def convert_tags(root: etree._Element, release: str, to_tags: str) -> etree._Element:
    """Rename every element of a message in place to the other tag style and namespace.

    Elements the map does not know (XHTML inside text) keep their name, moved to the
    new namespace as the schemas expect.
    """
    mapping = reference_to_short(release) if to_tags == "short" else short_to_reference(release)
    namespace = NAMESPACES[(release, to_tags)]
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        name = local_name(element.tag)
        element.tag = f"{{{namespace}}}{mapping.get(name, name)}"
    etree.cleanup_namespaces(root, top_nsmap={None: namespace})
    return root
