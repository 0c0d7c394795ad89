"""The same language is given twice as the text's language or its original language.

Checks:
    In DescriptiveDetail, the Language composites of role 01 (language of text) and 02
    (original language of a translation) differ in LanguageCode, CountryCode and
    ScriptCode taken together: a translation's original language is not its own
    language, and one language is not listed twice. This is EDItEUR's strict schema
    assertion (_20171218_f_2).

Why:
    A translation from English into English is a data error (usually the original
    language copied into the wrong role), and recipients filter translations on it.

Pass:
    <Language><LanguageRole>01</LanguageRole><LanguageCode>eng</LanguageCode></Language>
    <Language><LanguageRole>02</LanguageRole><LanguageCode>fre</LanguageCode></Language>

Fail:
    <Language><LanguageRole>01</LanguageRole><LanguageCode>eng</LanguageCode></Language>
    <Language><LanguageRole>02</LanguageRole><LanguageCode>eng</LanguageCode></Language>
"""

from __future__ import annotations

from typing import Iterator

from onixfeed.validate.rules import Hit, first_text
from onixfeed.validate.rules import textformats

CODE = "TX010"
NAME = "language-repeated"
SCREEN = textformats.screen  # the family's one look decides whether this rule runs

_ROLES = frozenset({"01", "02"})  # code list 22: language of text, original language
_PARTS = frozenset({"LanguageCode", "CountryCode", "ScriptCode"})

# Without one of these elements in the product the rule finds nothing (the runner skips it).
NEEDS = ("Language",)


def check(product, context) -> Iterator[Hit]:
    for detail in context.children(product).get("DescriptiveDetail", ()):
        languages = context.children(detail).get("Language")
        if languages is None or len(languages) < 2:
            continue  # a repeat needs two
        seen: set[tuple[str, ...]] = set()
        for language in languages:
            if (first_text(context.children(language), "LanguageRole") or "").strip() not in _ROLES:
                continue
            key = tuple((child.text or "").strip() for child in language if child.tag in _PARTS)
            if key in seen:
                yield Hit(f"language {' '.join(key) or '(none)'} is given twice among the languages of text "
                          f"and original languages (roles 01 and 02)", language)
            seen.add(key)
