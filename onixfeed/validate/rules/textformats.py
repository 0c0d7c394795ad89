"""Shared by the text rules: which elements take a textformat (list 34) and EDItEUR's XHTML subset.

Both are read from the official schema files (never typed by hand), once per process.
"""

from __future__ import annotations

import functools
from typing import NamedTuple

from lxml import etree

from onixfeed import schemas

from onixfeed.validate.rules import first_text

XS = "{http://www.w3.org/2001/XMLSchema}"


@functools.lru_cache(maxsize=None)
def formatted_elements(release: str = "3.0") -> tuple[str, ...]:
    """Reference names of the elements that carry the textformat attribute."""
    root = etree.parse(str(schemas.schema_files(release, "reference").main)).getroot()
    names = set()
    for element in root.iter(f"{XS}element"):
        name = element.get("name")
        if name and element.find(f".//{XS}attributeGroup[@ref='textformatAttribute']") is not None:
            names.add(name)
    return tuple(sorted(names))


@functools.lru_cache(maxsize=None)
def xhtml_subset(release: str = "3.0") -> frozenset[str]:
    """Element names EDItEUR's ONIX_XHTML_Subset.xsd allows (abstract substitution heads excluded)."""
    path = schemas.schema_files(release, "reference").main.parent / "ONIX_XHTML_Subset.xsd"
    root = etree.parse(str(path)).getroot()
    return frozenset(
        element.get("name")
        for element in root.iterchildren(f"{XS}element")
        if element.get("name") and element.get("abstract") != "true"
    )


@functools.lru_cache(maxsize=None)
def only_subset_inside(release: str) -> bool:
    """True when, in a product the `release` schema accepted, every element inside a text element
    (those `text_views` reads) is one of `xhtml_subset()`: the schema admits no other."""
    from onixfeed.validate.rules import structure

    return (structure.xhtml_closed(release) and xhtml_subset(release) <= xhtml_subset()
            and not any(structure.element_children(release, name) for name in _formatted_names()))


def local(tag: object) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


class TextView(NamedTuple):
    """One text element read once for the text rules."""

    element: etree._Element
    fmt: str  # its stripped textformat, '' when absent
    written: str | None  # the textformat attribute as written, None when absent
    head: str | None  # element.text: its text before any child
    size: int  # len(element): 0 when it has no child of any kind (element, comment, entity)


def text_views(product: etree._Element, context) -> list[TextView]:
    """A view of every text element of a product (as `formatted_texts`), made once."""
    return context.shared(product, _text_views)


def _text_views(product: etree._Element, context) -> list[TextView]:
    views = []
    for element in context.elements(product, *_formatted_names()):
        written = element.get("textformat")
        views.append(TextView(element, written.strip() if written is not None else "", written, element.text,
                              len(element)))
    return views


@functools.lru_cache(maxsize=None)
def _formatted_names() -> tuple[str, ...]:
    return formatted_elements()


def formatted_texts(product: etree._Element, context) -> list[tuple[etree._Element, str]]:
    """(element, its stripped textformat, '' when absent) for every text element of a product, found once."""
    return context.shared(product, _formatted_texts)


def _formatted_texts(product: etree._Element, context) -> list[tuple[etree._Element, str]]:
    return [(view.element, view.fmt) for view in text_views(product, context)]


def text_contents(product: etree._Element, context) -> list[tuple[etree._Element, str]]:
    """(TextContent, its stripped TextType) for every TextContent of a product, found once for the text rules."""
    return context.shared(product, _text_contents)


def _text_contents(product: etree._Element, context) -> list[tuple[etree._Element, str]]:
    return [(content, (first_text(context.children(content), "TextType") or "").strip())
            for content in context.elements(product, "TextContent")]
