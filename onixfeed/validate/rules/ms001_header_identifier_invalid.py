"""A GLN, SAN, ISNI or ORCID in the Header has the wrong shape or check digit.

Checks:
    SenderIdentifier and AddresseeIdentifier values typed GLN (06), SAN (07), ISNI (16)
    or ORCID (21) pass the same checks as in products (ID005 to ID008), as EDItEUR's
    strict schema asserts for the Header's composites too.

Why:
    Recipients route and acknowledge files by the sender's GLN or SAN; a wrong one sends
    the file, or the reply, to nobody.

Pass:
    <SenderIdentifier><SenderIDType>06</SenderIDType><IDValue>5012345678900</IDValue></SenderIdentifier>

Fail:
    <SenderIdentifier><SenderIDType>06</SenderIDType><IDValue>5012345678901</IDValue></SenderIdentifier>
"""

from __future__ import annotations

from typing import Iterator

from onixfeed.validate.rules import Hit, identifiers
from onixfeed.validate.rules import id005_gln_invalid, id006_san_invalid, id007_isni_invalid, id008_orcid_invalid

CODE = "MS001"
NAME = "header-identifier-invalid"
SCOPE = "header"

# The product rules look for every party composite, SenderIdentifier and AddresseeIdentifier included.
PARTY_RULES = (id005_gln_invalid, id006_san_invalid, id007_isni_invalid, id008_orcid_invalid)


_CODES = frozenset(rule.CODE for rule in PARTY_RULES)


def check(header, context) -> Iterator[Hit]:
    # the identifier family's screen, on the Header: it names a rule whenever its valid() rejects a value
    if _CODES.isdisjoint(identifiers.screen(header, context)):
        return
    for rule in PARTY_RULES:
        yield from rule.check(header, context)
