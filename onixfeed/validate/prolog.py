"""The prolog of a message (declaration, root start tag, Header): its root, release,
namespace and Header, and the forms of it that batches are wrapped in."""

from __future__ import annotations

import re
from dataclasses import dataclass

from lxml import etree

from onixfeed import onix
from onixfeed.findings import Finding, Severity
from onixfeed.validate import messages
from onixfeed.validate.checks import MessageInfo
from onixfeed.validate.parsing import make_parser


@dataclass(frozen=True)
class RootInfo:
    """What the root start tag says: tag (with namespace), release, and where its name ends."""

    tag: str
    release: str | None
    qname: bytes
    name_end: int  # offset just after the root's name in the prolog
    doctype: str


_ROOT_TOKEN = re.compile(rb"<!--.*?-->|<\?.*?\?>|<!DOCTYPE(?:[^\[>]|\[.*?\])*>|<([^\s/>!?]+)", re.S)
_START_TAG = re.compile(rb"<([^\s/>]+)(?:[^>\"']|\"[^\"]*\"|'[^']*')*>")
_DECLARATION = re.compile(rb"^\s*<\?xml[^>]*\?>")
_DEFAULT_NAMESPACE = re.compile(rb"\sxmlns\s*=")


def read_root(prolog: bytes) -> RootInfo | None:
    """The root element's tag, release and name, from its start tag; None if not readable."""
    for match in _ROOT_TOKEN.finditer(prolog):
        if match.group(1) is None:
            continue
        start_tag = _START_TAG.match(prolog, match.start())
        if start_tag is None:
            return None
        qname = match.group(1)
        declaration = _DECLARATION.match(prolog)
        fragment = (declaration.group(0) if declaration else b"") + start_tag.group(0) + b"</" + qname + b">"
        try:
            element = etree.fromstring(fragment, make_parser())
        except etree.XMLSyntaxError:
            return None
        doctype = re.search(rb"<!DOCTYPE[^>\[]*", prolog[: match.start()])
        return RootInfo(element.tag, element.get("release"), qname, match.end(1),
                        doctype.group(0).decode("latin-1") if doctype else "")
    return None


def only_root_open(prolog: bytes) -> bool | None:
    """True when the bytes before a Product start tag leave only the root element open, so
    that Product is a child of the root (not, say, inside a Header left open); False when
    more is open; None when those bytes are not well-formed XML before their end."""
    root = read_root(prolog)
    if root is None:
        return False
    try:
        etree.fromstring(prolog + b"\n</" + root.qname + b">", make_parser())
    except etree.XMLSyntaxError as error:
        return False if error.position[0] > prolog.count(b"\n") else None
    return True


def message_info(name: str, flavour: onix.Flavour, header: etree._Element | None) -> MessageInfo:
    def text(tag: str) -> str | None:
        found = header.find(tag) if header is not None else None
        return found.text.strip() if found is not None and found.text else None

    return MessageInfo(name, flavour.release, flavour.tags, text("DefaultCurrencyCode"),
                       text("DefaultLanguageOfText"), text("DefaultPriceType"), text("MessageNumber"))


def read_prolog_elements(plan_prolog: bytes, closer: bytes) -> tuple[int, etree._Element | None]:
    """How many top-level elements the prolog holds, and its Header (None if unparsable)."""
    try:
        root = etree.fromstring(plan_prolog + b"\n" + closer, make_parser())
    except etree.XMLSyntaxError:
        return 0, None
    elements = [child for child in root if isinstance(child.tag, str)]
    header = next((child for child in elements if onix.local_name(child.tag) in ("Header", "header")), None)
    return len(elements), header


def checks_wrapper(prolog: bytes, root: RootInfo) -> tuple[bytes, bytes] | None:
    """What `_reparsed_products` wraps a batch in; None when the prolog declares entities or
    namespace prefixes (a batch without them would not parse alike)."""
    start = root.name_end - len(root.qname) - 1
    start_tag = _START_TAG.match(prolog, start)
    if b"<!DOCTYPE" in prolog[:start] or b":" in root.qname or start_tag is None or b"xmlns:" in start_tag.group(0):
        return None
    declaration = _DECLARATION.match(prolog)
    return (declaration.group(0).lstrip() if declaration else b""), b"<" + root.qname + b">"


def screen_prolog(prolog: bytes, root: RootInfo, flavour: onix.Flavour) -> bytes | None:
    """The prolog as the screening schema reads it: without the official namespace, which
    must be the root's default one (or absent); None when screening cannot apply. (A Header
    the schema rejects fails the first batches' screening, and then screening pauses.)"""
    if b":" in root.qname:
        return None
    start_tag = _START_TAG.match(prolog, root.name_end - len(root.qname) - 1)
    if start_tag is None:
        return None
    if flavour.namespace:
        if flavour.namespace != flavour.official_namespace:
            return None
        declaration = re.compile(rb"""\sxmlns\s*=\s*(["'])""" + re.escape(flavour.namespace.encode()) + rb"\1")
        tag, found = declaration.subn(b"", start_tag.group(0))
        if found != 1:
            return None
        screened = prolog[: start_tag.start()] + tag + prolog[start_tag.end():]
    else:
        screened = prolog
    if _DEFAULT_NAMESPACE.search(screened):
        # xmlns="" on the Header would be no change without the root's namespace, where the
        # official schema sees an element in no namespace (prefixes do no such harm: an
        # element in any namespace fails screening)
        return None
    return screened


def add_namespace(prolog: bytes, root: RootInfo, namespace: str) -> bytes:
    """The root start tag with the official default namespace declared, on the same line."""
    return prolog[: root.name_end] + f' xmlns="{namespace}"'.encode("ascii") + prolog[root.name_end:]


def unreadable_root_findings(data: bytes, name: str) -> list[Finding]:
    """A document whose root start tag cannot be read: the parser says why."""
    try:
        etree.fromstring(data, make_parser())
    except etree.XMLSyntaxError as error:
        line, column = error.position
        return [Finding("XS000", messages.RULES["XS000"], Severity.ERROR, messages.not_well_formed(error.msg),
                        name, line or 1, None, None, column or None)]
    return [Finding("XS006", messages.RULES["XS006"], Severity.ERROR,
                    "the document has no element that can be read as the root of an ONIX message", name, 1)]
