"""The interface between the validation engine and what runs after the schema.

The engine parses a message product by product. Each Product (and the Header) is handed
to the checks as an lxml element with *reference* tag names and *no namespace* (the
engine normalises short tags and namespaces at the edge), whose `sourceline` values are
the true lines in the original file. Checks run in worker processes, so an object that
implements `Checks` must be picklable (build it from plain data).

Findings that span products (a RecordReference or ISBN used twice) cannot be decided in
a worker: `product()` returns Keys, and the engine calls `message()` once, in the main
process, with every product's keys in document order: a collection to iterate (as often as
needed) and count, not to index, since the engine keeps it on disk (key_spool.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Collection, Iterable, NamedTuple, Protocol

from lxml import etree

from onixfeed.findings import Finding


@dataclass(frozen=True)
class MessageInfo:
    """What a check may need to know about the message a product sits in."""

    file: str
    release: str
    tags: str
    default_currency: str | None = None
    default_language: str | None = None
    default_price_type: str | None = None
    message_number: str | None = None
    # True when the official XSD has checked the product, so checks leave out what it reports
    # (a code outside its list is XS002 then, not a second finding from the code list rules).
    schema_checked: bool = False
    # True when the product passed the schema (official or screening) without a finding: every
    # element is where the schema allows it and every code is in its list, so checks may
    # navigate by the schema's structure and skip what it guarantees.
    schema_valid: bool = False
    # True when the schema has proved that no code in the product is deprecated (it passed the
    # current-codes screening schema, which a Checks asks for with `wants_current_codes`).
    codes_current: bool = False
    # True when every character of the product's text is printable ASCII or XML white space: the
    # bytes of its batch and of the message's prolog are ASCII without DEL, in an ASCII-compatible
    # encoding, with no character reference.
    ascii_text: bool = False


class Key(NamedTuple):
    """A value that must be unique (or consistent) across the products of one message."""

    kind: str  # e.g. "RecordReference", "ISBN"
    value: str
    line: int | None
    record: str | None


class Checks(Protocol):
    def header(self, header: etree._Element, message: MessageInfo) -> Iterable[Finding]:
        """Findings on the Header element."""

    def product(self, product: etree._Element, message: MessageInfo) -> tuple[list[Finding], list[Key]]:
        """Findings on one Product, and the keys the message-level checks need."""

    def message(self, keys: Collection[Key], message: MessageInfo) -> Iterable[Finding]:
        """Findings that span products, from every product's keys (main process)."""

    # Optional: `wants_current_codes(release) -> bool`, True when the checks read
    # MessageInfo.codes_current on that release; the engine then screens with the
    # current-codes schema too (see wants_current_codes below).


def wants_current_codes(checks: object, release: str) -> bool:
    """Whether `checks` reads MessageInfo.codes_current on a release (False when it does not say)."""
    asks = getattr(checks, "wants_current_codes", None)
    return bool(asks(release)) if asks is not None else False


@dataclass(frozen=True)
class CombinedChecks:
    """Several Checks run as one (rules, then a profile's requirements)."""

    parts: tuple

    def header(self, header: etree._Element, message: MessageInfo) -> list[Finding]:
        return [finding for part in self.parts for finding in part.header(header, message)]

    def product(self, product: etree._Element, message: MessageInfo) -> tuple[list[Finding], list[Key]]:
        findings: list[Finding] = []
        keys: list[Key] = []
        for part in self.parts:
            more, more_keys = part.product(product, message)
            findings.extend(more)
            keys.extend(more_keys)
        return findings, keys

    def message(self, keys: Collection[Key], message: MessageInfo) -> list[Finding]:
        return [finding for part in self.parts for finding in part.message(keys, message)]

    def wants_current_codes(self, release: str) -> bool:
        return any(wants_current_codes(part, release) for part in self.parts)
