"""The same identifier is repeated within one composite.

Checks:
    Repeats of an identifier composite under one parent (ProductIdentifier in Product,
    PublisherIdentifier in Publisher, NameIdentifier in Contributor ...) each have a
    unique combination of type, IDTypeName and IDValue, as EDItEUR's strict schema
    asserts for every such composite.

Why:
    A repeated identifier is noise at best, and often a sign that a second, different
    identifier was meant.

Pass:
    <ProductIdentifier><ProductIDType>15</ProductIDType><IDValue>9780306406157</IDValue></ProductIdentifier>
    <ProductIdentifier><ProductIDType>03</ProductIDType><IDValue>9780306406157</IDValue></ProductIdentifier>

Fail:
    <ProductIdentifier><ProductIDType>15</ProductIDType><IDValue>9780306406157</IDValue></ProductIdentifier>
    <ProductIdentifier><ProductIDType>15</ProductIDType><IDValue>9780306406157</IDValue></ProductIdentifier>
"""

from __future__ import annotations

from typing import Iterator

from onixfeed.validate.rules import Hit, identifiers
from onixfeed.validate.rules.identifiers import composites

CODE = "ID013"
NAME = "identifier-repeated"
SCREEN = identifiers.screen  # the family's one look decides whether this rule runs


# (parent, identifier composite) pairs on which EDItEUR's strict schema asserts uniqueness.
PAIRS = frozenset({
    ("AVItem", "AVItemIdentifier"), ("Addressee", "AddresseeIdentifier"), ("AlternativeName", "NameIdentifier"),
    ("Collection", "CollectionIdentifier"), ("ComparisonProductPrice", "ProductIdentifier"),
    ("ConferenceSponsor", "ConferenceSponsorIdentifier"), ("Contributor", "NameIdentifier"),
    ("ContributorReference", "NameIdentifier"), ("CopyrightOwner", "CopyrightOwnerIdentifier"),
    ("EventSponsor", "EventSponsorIdentifier"), ("Funding", "FundingIdentifier"), ("Imprint", "ImprintIdentifier"),
    ("NameAsSubject", "NameIdentifier"), ("NewSupplier", "SupplierIdentifier"), ("Price", "PriceIdentifier"),
    ("PriceCondition", "ProductIdentifier"), ("Product", "ProductIdentifier"), ("Product", "RecordSourceIdentifier"),
    ("ProductContact", "ProductContactIdentifier"), ("ProductPart", "ProductIdentifier"),
    ("Publisher", "PublisherIdentifier"), ("PublisherRepresentative", "AgentIdentifier"),
    ("RelatedProduct", "ProductIdentifier"), ("RelatedWork", "WorkIdentifier"), ("SalesOutlet", "SalesOutletIdentifier"),
    ("SalesRights", "ProductIdentifier"), ("Sender", "SenderIdentifier"), ("Stock", "LocationIdentifier"),
    ("Supplier", "SupplierIdentifier"), ("SupplyContact", "SupplyContactIdentifier"), ("Tax", "ProductIdentifier"),
    ("TextItem", "TextItemIdentifier"),
})


def check(product, context) -> Iterator[Hit]:
    for tag, rows in composites(product, context).items():
        if len(rows) < 2 or len({(row.kind, row.type_name, row.value) for row in rows}) == len(rows):
            continue  # a repeat needs two of a kind, alike in type, name and value
        yield from _repeats(tag, rows)


def _repeats(tag: str, rows) -> Iterator[Hit]:
    seen: dict[tuple, int] = {}
    for row in rows:
        composite = row.element
        parent = composite.getparent()
        if parent is None or (parent.tag, tag) not in PAIRS:
            continue
        signature = (parent, tag, row.kind, row.type_name, row.value)
        if signature in seen:
            yield Hit(f"<{tag}> type {signature[2]} value {signature[4]!r} repeats the one on line "
                      f"{seen[signature]} under the same <{parent.tag}>", composite)
        else:
            seen[signature] = composite.sourceline
