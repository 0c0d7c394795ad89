"""Keywords are spread over more than one Subject.

Checks:
    A DescriptiveDetail has at most one Subject with SubjectSchemeIdentifier 20
    (keywords). EDItEUR recommends one keywords Subject holding all keywords separated by
    semicolons; this is best practice (a warning by default).

Why:
    Many recipients read only the first keywords Subject and drop the rest.

Pass:
    <Subject><SubjectSchemeIdentifier>20</SubjectSchemeIdentifier><SubjectHeadingText>baking; bread; sourdough</SubjectHeadingText></Subject>

Fail:
    <Subject><SubjectSchemeIdentifier>20</SubjectSchemeIdentifier><SubjectHeadingText>baking</SubjectHeadingText></Subject>
    <Subject><SubjectSchemeIdentifier>20</SubjectSchemeIdentifier><SubjectHeadingText>bread</SubjectHeadingText></Subject>
"""

from __future__ import annotations

from typing import Iterator

from onixfeed.validate.rules import Hit, practice
from onixfeed.validate.rules.subjects import keyword_subjects

CODE = "BP003"
NAME = "keywords-subject-repeated"
SCREEN = practice.screen  # the family's one look decides whether this rule runs

# Without one of these elements in the product the rule finds nothing (the runner skips it).
NEEDS = ("Subject",)


def check(product, context) -> Iterator[Hit]:
    by_detail: dict = {}
    for subject in keyword_subjects(product, context):
        by_detail.setdefault(subject.getparent(), []).append(subject)
    for keywords in by_detail.values():
        if len(keywords) > 1:
            yield Hit(f"{len(keywords)} keywords Subjects (scheme 20); put all keywords in one, separated by "
                      f"semicolons", keywords[1])
