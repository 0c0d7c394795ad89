"""An ISBN-10 is not accompanied by the same ISBN as a 978 ISBN-13.

Checks:
    Where ProductIdentifiers carry an ISBN-10 (type 02), a sibling ProductIdentifier of
    type 03, 15 or 24 carries the same number as an ISBN-13 starting 978, and none carries
    it with 979 (ISBN-10s only exist for the 978 prefix). EDItEUR's strict schema asserts
    both, in Product and every other place a product is identified.

Why:
    The ISBN-10 is legacy: recipients key on the ISBN-13, and a lone ISBN-10 (or one
    whose ISBN-13 is a different book) breaks matching.

Pass:
    <ProductIdentifier><ProductIDType>02</ProductIDType><IDValue>0306406152</IDValue></ProductIdentifier>
    <ProductIdentifier><ProductIDType>15</ProductIDType><IDValue>9780306406157</IDValue></ProductIdentifier>

Fail:
    <ProductIdentifier><ProductIDType>02</ProductIDType><IDValue>0306406152</IDValue></ProductIdentifier>
"""

from __future__ import annotations

from typing import Iterator

from onixfeed.validate.rules import Hit, identifiers
from onixfeed.validate.rules.identifiers import composites, sibling_groups

CODE = "ID014"
NAME = "isbn10-without-isbn13"
SCREEN = identifiers.screen  # the family's one look decides whether this rule runs

_THIRTEEN = frozenset({"03", "15", "24"})


def check(product, context) -> Iterator[Hit]:
    rows = composites(product, context).get("ProductIdentifier", ())
    if not any(row.kind == "02" for row in rows):
        return
    groups = sibling_groups(rows)
    for siblings in groups.values():
        tens = [row for row in siblings if row.kind == "02" and row.value_element is not None]
        # 13-digit values without their check digit
        stems = {(row.value_element.text or "")[:-1] for row in siblings
                 if row.kind in _THIRTEEN and row.value_element is not None}
        for row in tens:
            text = row.value_element.text or ""
            body = text[:-1]
            if "979" + body in stems:
                yield Hit(f"ISBN-10 {text} is given with a 979 ISBN-13; ISBN-10s exist only for 978", row.value_element)
            elif "978" + body not in stems:
                yield Hit(f"ISBN-10 {text} has no ProductIdentifier giving it as ISBN-13 978{body}", row.value_element)
