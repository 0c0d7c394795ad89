"""How every document the validator reads is parsed: no network, no entity expansion."""

from __future__ import annotations

from lxml import etree


MAX_SOURCELINE = 65_535  # lxml keeps an element's line in 16 bits


def make_parser() -> etree.XMLParser:
    """The parser for every document the engine validates (and the conformance test's reference)."""
    return etree.XMLParser(huge_tree=True, no_network=True, resolve_entities=False)
