"""Shared by the keyword rules: the product's keywords Subjects (scheme 20, list 27), found once."""

from __future__ import annotations

from lxml import etree

KEYWORDS = "20"  # list 27: Keywords


def keyword_subjects(product: etree._Element, context) -> list[etree._Element]:
    """Subjects of DescriptiveDetail whose SubjectSchemeIdentifier is 20 (keywords)."""
    return context.shared(product, _keyword_subjects)


def _keyword_subjects(product: etree._Element, context) -> list[etree._Element]:
    schemes = context.index(product).get("SubjectSchemeIdentifier", ())
    if not any((scheme.text or "").strip() == KEYWORDS for scheme in schemes):
        return []  # no scheme 20 anywhere: no keywords Subject
    found = []
    for subject in context.elements(product, "Subject"):
        parent = subject.getparent()
        if parent is None or parent.tag != "DescriptiveDetail" or parent.getparent() is not product:
            continue
        scheme = context.child(subject, "SubjectSchemeIdentifier")
        if scheme is not None and (scheme.text or "").strip() == KEYWORDS:
            found.append(subject)
    return found
