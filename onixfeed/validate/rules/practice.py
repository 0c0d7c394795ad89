"""Shared by the best-practice product rules (BP002-BP004): their limits, and the family's screen."""

from __future__ import annotations

import re

from lxml import etree

from onixfeed.validate.rules.subjects import keyword_subjects

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
    if "Subject" in context.index(product):
        keywords = keyword_subjects(product, context)
        if len(keywords) > 1:
            suspects.add("BP003")
        if any(len(heading.text or "") > KEYWORDS_LIMIT for subject in keywords
               for heading in context.children(subject).get("SubjectHeadingText", _NONE)):
            suspects.add("BP004")
    return suspects or _NONE
