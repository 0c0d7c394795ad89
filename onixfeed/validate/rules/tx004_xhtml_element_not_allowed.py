"""XHTML text uses an element outside EDItEUR's XHTML subset.

Checks:
    Inside an element with textformat="05", every element is one that EDItEUR's
    ONIX_XHTML_Subset.xsd declares (p, em, ul, li, a, table ...; the names are read from
    that schema file). font, script, iframe, form and the like are not allowed.

Why:
    Recipients render only the subset; anything else is stripped or makes the whole
    text fail validation.

Pass:
    <Text textformat="05"><p>A <strong>fine</strong> book.</p></Text>

Fail:
    <Text textformat="05"><p>A <font color="red">fine</font> book.</p></Text>
"""

from __future__ import annotations

from typing import Iterator

from onixfeed.validate.rules import Hit
from onixfeed.validate.rules.textformats import local, only_subset_inside, text_views, xhtml_subset
from onixfeed.validate.rules import textformats

CODE = "TX004"
NAME = "xhtml-element-not-allowed"
SCREEN = textformats.screen  # the family's one look decides whether this rule runs


# Tag as lxml gives it (namespace and all) -> whether EDItEUR's subset allows it, filled as met.
_ALLOWED: dict[str, bool] = {}
_ALLOWED_LIMIT = 10_000


def check(product, context) -> Iterator[Hit]:
    if context.message.schema_valid and only_subset_inside(context.message.release):
        return  # the schema admitted only the subset's elements inside the texts
    allowed = _ALLOWED
    if len(allowed) > _ALLOWED_LIMIT:  # junk with endless names must not grow it without bound
        allowed.clear()
    for view in text_views(product, context):
        if view.fmt != "05" or not view.size:
            continue
        element = view.element
        for inner in element.iterdescendants():
            tag = inner.tag
            verdict = allowed.get(tag)
            if verdict is None:
                if not isinstance(tag, str):
                    continue  # a comment or processing instruction, not an element
                verdict = allowed.setdefault(tag, local(tag) in xhtml_subset())
            if not verdict:
                yield Hit(f"<{local(tag)}> inside <{element.tag}> is not in EDItEUR's XHTML subset", inner)
