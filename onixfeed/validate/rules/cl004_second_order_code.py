"""A value is not a code of the list its type calls for.

Checks:
    In composites whose type chooses the list of the value (ProductFormFeature,
    Audience, AudienceRange, ReturnsConditions, resource and specification features,
    ReligiousTextFeature, SalesOutletIdentifier), the value is a code of the list the
    type's code list notes name ("For Product Form Feature values see code list 98"), as
    EDItEUR's strict schema asserts (for example _20171216_d_3, _20171219_f_2). Values of
    types whose notes name no single list (free text, integers, EUDR compound values)
    are not checked.

Why:
    A colour code where a DVD region is expected is well-formed XML and passes the
    normal XSD, yet means nothing to the retailer.

Pass:
    <ProductFormFeature><ProductFormFeatureType>01</ProductFormFeatureType><ProductFormFeatureValue>BLK</ProductFormFeatureValue></ProductFormFeature>

Fail:
    <ProductFormFeature><ProductFormFeatureType>01</ProductFormFeatureType><ProductFormFeatureValue>BLACK</ProductFormFeatureValue></ProductFormFeature>
"""

from __future__ import annotations

from typing import Iterator

from onixfeed import codelists
from onixfeed.validate.rules import Hit, first_text
from onixfeed.validate.rules import codes
from onixfeed.validate.rules.codes import SECOND_ORDER_PAIRS, second_order

CODE = "CL004"
NAME = "second-order-code"
SCREEN = codes.screen  # the family's one look decides whether this rule runs


# Without one of these elements in the product the rule finds nothing (the runner skips it).
NEEDS = tuple(composite for composite, _, _ in SECOND_ORDER_PAIRS)
_COMPOSITES = frozenset(NEEDS)

def check(product, context) -> Iterator[Hit]:
    release = context.message.release
    mapping = second_order(release)
    index = context.index(product)
    tables = None
    present = index.keys() & _COMPOSITES
    for composite_name, type_name, value_name in SECOND_ORDER_PAIRS:
        if composite_name not in present:
            continue
        composites = index[composite_name]
        for composite in composites:
            children = context.children(composite)
            kind = (first_text(children, type_name) or "").strip()
            number = mapping.get((type_name, kind))
            if number is None:
                continue
            if tables is None:
                tables = codelists.load_codelists(release)
            table = tables[number]
            for value_element in children.get(value_name, ()):
                value = (value_element.text or "").strip()
                if value and value not in table.codes:
                    yield Hit(f"<{value_name}> {value} is not a code of list {number} ({table.name}), which "
                              f"<{type_name}> {kind} calls for; closest: {table.describe_closest(value)}",
                              value_element)
