"""A keywords Subject is longer than 250 characters.

Checks:
    The SubjectHeadingText of a keywords Subject (SubjectSchemeIdentifier 20) is at most
    250 characters. Common retailer guidance, not an ONIX rule: a warning by default.

Why:
    Retailers truncate (or ignore) long keyword lists, and stuffing them with terms is
    treated as spam by some search systems.

Pass:
    <Subject><SubjectSchemeIdentifier>20</SubjectSchemeIdentifier><SubjectHeadingText>baking; bread</SubjectHeadingText></Subject>

Fail:
    <Subject><SubjectSchemeIdentifier>20</SubjectSchemeIdentifier><SubjectHeadingText>(300 characters of keywords)</SubjectHeadingText></Subject>
"""

from __future__ import annotations

from typing import Iterator

from onixfeed.validate.rules import Hit, practice
from onixfeed.validate.rules.subjects import keyword_subjects

CODE = "BP004"
NAME = "keywords-too-long"
SCREEN = practice.screen  # the family's one look decides whether this rule runs

LIMIT = practice.KEYWORDS_LIMIT

# Without one of these elements in the product the rule finds nothing (the runner skips it).
NEEDS = ("SubjectHeadingText",)


def check(product, context) -> Iterator[Hit]:
    for subject in keyword_subjects(product, context):
        for heading in subject.iterchildren("SubjectHeadingText"):
            length = len((heading.text or "").strip())
            if length > LIMIT:
                yield Hit(f"keywords are {length} characters long; keep them within {LIMIT}", heading)
