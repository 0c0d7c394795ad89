"""Shared by the best-practice product rules (BP002-BP004): their limits, and the family's screen."""

from __future__ import annotations

import re

from lxml import etree

from onixfeed.validate.rules.subjects import KEYWORDS, keyword_subjects

# A RecordReference that is only an ISBN-13 or ISBN-10 once hyphens are dropped (BP002).
BARE_ISBN = re.compile(r"(?:97[89][0-9]{10}|[0-9]{9}[0-9Xx])\Z")
# The longest keywords SubjectHeadingText retailers take whole, in characters (BP004).
KEYWORDS_LIMIT = 250

_NONE: frozenset[str] = frozenset()


def screen(product: etree._Element, context) -> frozenset[str] | set[str]:
    """BP codes that may fire on a product: a necessary condition of each rule, never its verdict.

    The RecordReference from the product's children table (the runner reads it for every
    product) and the keywords Subjects from their shared view (one look at the schemes).
    """
    suspects: set[str] = set()
    references = context.children(product).get("RecordReference")
    if references is not None:
        value = (references[0].text or "").strip().replace("-", "")
        if (len(value) == 13 or len(value) == 10) and BARE_ISBN.match(value):
            suspects.add("BP002")
    index = context.index(product)
    if "Subject" in index:
        for scheme in index.get("SubjectSchemeIdentifier", _NONE):
            # most products have no keywords Subject: the view is asked only once one is seen
            if (scheme.text or "").strip() == KEYWORDS:
                _judge_keywords(keyword_subjects(product, context), context, suspects)
                break
    return suspects or _NONE


def _judge_keywords(keywords: list, context, suspects: set[str]) -> None:
    """Name BP003 for two keywords Subjects and BP004 for a keywords heading over the limit."""
    if len(keywords) > 1:
        suspects.add("BP003")
    if any(len(heading.text or "") > KEYWORDS_LIMIT for subject in keywords
           for heading in context.children(subject).get("SubjectHeadingText", _NONE)):
        suspects.add("BP004")
