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

from lxml import etree

from onixfeed.validate.rules import Hit
from onixfeed.validate.rules.textformats import formatted_texts, local, xhtml_subset

CODE = "TX004"
NAME = "xhtml-element-not-allowed"


def check(product, context) -> Iterator[Hit]:
    allowed = xhtml_subset()
    for element, fmt in formatted_texts(product, context):
        if fmt != "05":
            continue
        for inner in element.iterdescendants(etree.Element):
            name = local(inner.tag)
            if name not in allowed:
                yield Hit(f"<{name}> inside <{element.tag}> is not in EDItEUR's XHTML subset", inner)
