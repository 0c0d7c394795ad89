"""Shared by the text rules (TX001-TX011): the elements that take a textformat (list 34), EDItEUR's
XHTML subset, the product's text views, the links (URI values), and the family's screen.

The element names and the subset are read from the official schema files (never typed by hand),
once per process.
"""

from __future__ import annotations

import functools
import unicodedata
from typing import NamedTuple

from lxml import etree

from onixfeed import schemas

from onixfeed.validate.rules import first_text

XS = "{http://www.w3.org/2001/XMLSchema}"

# Code list 34: the formats whose text may hold tags, as XHTML (05) or escaped HTML and XML (02, 03).
MARKUP_FORMATS = frozenset({"02", "03", "05"})
ESCAPED_FORMATS = ("02", "03")
# EDItEUR, code list 153, code 02: a short description is "limited to a maximum of 350 characters".
SHORT_DESCRIPTION_LIMIT = 350
# Code list 153: the text types a recipient keeps one of per audience.
SINGLE_PER_AUDIENCE = frozenset({"02", "03", "10", "12", "16", "17", "21"})


@functools.lru_cache(maxsize=None)
def formatted_elements(release: str = "3.0") -> tuple[str, ...]:
    """Reference names of the elements that carry the textformat attribute."""
    names = set()
    # up from each use of the attribute group to every named element declaration around it:
    # a search below each of the schema's elements costs five times more
    for group in schemas.schema_document(release).iter(f"{XS}attributeGroup"):
        if group.get("ref") == "textformatAttribute":
            names.update(node.get("name") for node in group.iterancestors(f"{XS}element") if node.get("name"))
    return tuple(sorted(names))


@functools.lru_cache(maxsize=None)
def xhtml_subset(release: str = "3.0") -> frozenset[str]:
    """Element names EDItEUR's ONIX_XHTML_Subset.xsd allows (abstract substitution heads excluded)."""
    path = schemas.schema_files(release, "reference").main.parent / "ONIX_XHTML_Subset.xsd"
    root = etree.parse(str(path)).getroot()
    return frozenset(
        element.get("name")
        for element in root.iterchildren(f"{XS}element")
        if element.get("name") and element.get("abstract") != "true"
    )


@functools.lru_cache(maxsize=None)
def only_subset_inside(release: str) -> bool:
    """True when, in a product the `release` schema accepted, every element inside a text element
    (those `text_views` reads) is one of `xhtml_subset()`: the schema admits no other."""
    from onixfeed.validate.rules import structure

    return (structure.xhtml_closed(release) and xhtml_subset(release) <= xhtml_subset()
            and not any(structure.element_children(release, name) for name in _formatted_names()))


def local(tag: object) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


class TextView(NamedTuple):
    """One text element read once for the text rules."""

    element: etree._Element
    fmt: str  # its stripped textformat, '' when absent
    written: str | None  # the textformat attribute as written, None when absent
    head: str | None  # element.text: its text before any child
    size: int  # len(element): 0 when it has no child of any kind (element, comment, entity)


def text_views(product: etree._Element, context) -> list[TextView]:
    """A view of every text element of a product (elements that take a textformat), made once."""
    return context.shared(product, _text_views)


def _text_views(product: etree._Element, context) -> list[TextView]:
    index = context.index(product)
    present = index.keys() & _formatted_name_set()  # in C: a product holds two or three of the 29 names
    if not present:
        return []
    views = []
    append = views.append
    make = tuple.__new__  # TextView(...) goes through a Python-level __new__, three times slower
    # by name in `_formatted_names()`'s (sorted) order, each name's in document order, as elements() gives them
    for name in sorted(present) if len(present) > 1 else present:
        for element in index[name]:
            written = element.get("textformat")
            append(make(TextView, (element, written.strip() if written is not None else "", written, element.text,
                                   len(element))))
    return views


@functools.lru_cache(maxsize=None)
def _formatted_names() -> tuple[str, ...]:
    return formatted_elements()


@functools.lru_cache(maxsize=None)
def _formatted_name_set() -> frozenset[str]:
    return frozenset(_formatted_names())


def text_contents(product: etree._Element, context) -> list[tuple[etree._Element, str]]:
    """(TextContent, its stripped TextType) for every TextContent of a product, found once for the text rules."""
    return context.shared(product, _text_contents)


def _text_contents(product: etree._Element, context) -> list[tuple[etree._Element, str]]:
    return [(content, (first_text(context.children(content), "TextType") or "").strip())
            for content in context.elements(product, "TextContent")]


_NONE: frozenset[str] = frozenset()
# The text of a whole product as UTF-8 bytes (what TX005 decides on first), joined in C.
_PRODUCT_TEXT = functools.partial(etree.tostring, method="text", encoding="utf-8", with_tail=False)


def link_names(release: str) -> frozenset[str]:
    """The elements whose value is a URI (ResourceLink, WebsiteLink ...), as the schema types them."""
    found = _LINK_NAMES.get(release)
    if found is None:
        from onixfeed.validate.rules import structure  # structure reads the XSD: only when first asked

        found = _LINK_NAMES[release] = structure.elements_typed(release, "dt.NonEmptyURI")
    return found


_LINK_NAMES: dict[str, frozenset[str]] = {}  # a dict, not lru_cache: the screen asks for every product


_XML_SPACE = " \t\r\n"


def link_not_ascii(text: str | None, schema_checked: bool = False) -> bool:
    """True when a URI value, its white space collapsed as xs:anyURI's is, is an absolute link
    ("://") holding a character outside printable ASCII (! to ~), a space included: what EDItEUR's
    strict schema asserts (_20210820_a_1) and TX011 reports. With `schema_checked`, white space
    inside is left out: the official schema's own pattern (\\S+) reports it."""
    value = (text or "").strip(_XML_SPACE)
    # isprintable() is False for tabs and line ends: inside the value they collapse into a space
    if "://" not in value or (value.isascii() and value.isprintable() and " " not in value):
        return False
    return not schema_checked or bool(unprintable(value))


def unprintable(value: str) -> list[str]:
    """The characters of a link outside printable ASCII, XML white space aside, in order of first use."""
    return list(dict.fromkeys(char for char in value if not "!" <= char <= "~" and char not in _XML_SPACE))


def screen(product: etree._Element, context) -> frozenset[str] | set[str]:
    """TX codes that may fire: a necessary condition of each rule, never its verdict.

    One look at each text element (from the index: no view is built unless a rule runs), the
    TextType values, the count of Language elements, the links (TX011's own test, unless the
    text is printable ASCII and the schema passed it), and TX005's ASCII test of the whole text;
    a rich, clean product (XHTML texts, distinct text types, one language of text, ASCII)
    comes out with nothing to run.
    """
    suspects = None
    index = context.index(product)
    present = index.keys() & _formatted_name_set()  # in C: a product holds two or three of the 29 names
    if present:
        suspects = _text_suspects(index, present, context.message)
    types = index.get("TextType")
    if types is not None:
        found = _text_type_suspects(types, index, product)
        if found:
            suspects = found if suspects is None else suspects | found
    languages = index.get("Language")
    if languages is not None and len(languages) > 1:  # a repeat needs two
        suspects = _add(suspects, "TX010")
    message = context.message
    # printable ASCII text, and the schema's pattern \S+ passed every link: TX011 has nothing to say
    if not (message.ascii_text and message.schema_valid) and _link_suspect(index, message):
        suspects = _add(suspects, "TX011")
    if not message.ascii_text and not product_text_in_nfc(product):
        suspects = _add(suspects, "TX005")  # TX005's own way out (ASCII text is in NFC)
    return suspects or _NONE


def _link_suspect(index: dict, message) -> bool:
    """TX011's own test on each link of the index (one with a child, a comment in junk, is left
    to the rule's string())."""
    links = index.keys() & link_names(message.release)
    if not links:
        return False
    checked = message.schema_checked or message.schema_valid
    return any(len(link) or link_not_ascii(link.text, checked) for name in links for link in index[name])


def _text_suspects(index: dict, present: set[str], message) -> set[str] | None:
    """Codes of TX001-TX004 and TX006 that the text elements may fire: each test is its rule's way
    out, read from what `text_views` would hold (textformat, text before any child, children)."""
    suspects = None
    closed = None  # whether the schema has confined XHTML texts to the subset (TX004's way out), asked once
    for name in present:
        for element in index[name]:
            written = element.get("textformat")
            fmt = written if written == "05" else (written.strip() if written is not None else "")
            if fmt != "05":  # rare in a rich feed: every rule's own test
                suspects = _plain_suspects(element, fmt, element.text, suspects)
                continue
            # XHTML, the usual case: TX001-TX003 have nothing to say; TX006 wants visible text
            # (str.isspace() is Unicode's white space, as TX006's \S reads it), as the first
            # child's text or before any child (asked in that order: XHTML texts open with a tag)
            if len(element):
                if closed is None:
                    closed = bool(message.schema_valid and only_subset_inside(message.release))
                    if not closed:
                        suspects = _add(suspects, "TX004")
                first = element[0]
                inner = first.text
                if inner and isinstance(first.tag, str) and not inner.isspace():
                    continue
            head = element.text
            if head and not head.isspace():
                continue
            suspects = _add(suspects, "TX006")
    return suspects


def _plain_suspects(element: etree._Element, fmt: str, head: str | None, suspects: set[str] | None
                    ) -> set[str] | None:
    """`_text_suspects` for a text element whose textformat is not 05."""
    size = len(element)
    if size:
        suspects = _add(suspects, "TX001")
        if fmt not in MARKUP_FORMATS:
            suspects.add("TX002")
    elif head and fmt not in MARKUP_FORMATS and "<" in head:
        suspects = _add(suspects, "TX002")
    if fmt == "07":
        suspects = _add(suspects, "TX003")
    if head and not head.isspace() and (fmt not in ESCAPED_FORMATS or ("<" not in head and "&lt;" not in head)):
        return suspects
    if fmt in ESCAPED_FORMATS and not size and head and head.lstrip()[:1] not in ("", "<", "&"):
        return suspects  # escaped tags start with < or &lt;: a text that starts otherwise keeps that character
    if size and fmt not in ESCAPED_FORMATS:
        first = element[0]
        inner = first.text
        if inner and isinstance(first.tag, str) and not inner.isspace():
            return suspects
    return _add(suspects, "TX006")


def _text_type_suspects(types: list[etree._Element], index: dict, product: etree._Element) -> set[str] | None:
    """Codes of TX007-TX009 that the product's TextType values may fire (every TextType, wherever it
    is: the first of each TextContent, which the rules read, is among them)."""
    suspects = None
    seen = set()
    texts = index.get("Text")
    for element in types:
        kind = (element.text or "").strip()
        if kind not in SINGLE_PER_AUDIENCE:
            continue
        if kind in seen:
            suspects = _add(suspects, "TX008")
        seen.add(kind)
        if kind == "12":
            if "TX009" not in (suspects or ()) and _contributors(index, product) <= 1:
                suspects = _add(suspects, "TX009")
        elif kind == "02" and texts is not None:
            content = element.getparent()  # the rule reads its Text children: those of the index's with it as parent
            for text in texts:
                if text.getparent() is content and _longer_than_short_description(text):
                    suspects = _add(suspects, "TX007")
                    break
    return suspects


def _contributors(index: dict, product: etree._Element) -> int:
    """How many Contributor the product's DescriptiveDetail holds, as TX009 counts them."""
    count = 0
    for contributor in index.get("Contributor", ()):
        parent = contributor.getparent()
        if parent is not None and parent.tag == "DescriptiveDetail" and parent.getparent() is product:
            count += 1
    return count


def _longer_than_short_description(text: etree._Element) -> bool:
    """True when `text` may be longer than a short description's limit: its UTF-8 bytes are at
    least as many as its characters, and far cheaper to have than string()."""
    size = len(text)
    if not size:
        return len(text.text or "") > SHORT_DESCRIPTION_LIMIT
    if size == 1:
        # the usual XHTML shape, one childless element (<p>): its text and tail and the Text's own
        # text are all the string holds, read at half the cost of serialising it
        first = text[0]
        if not len(first) and isinstance(first.tag, str):
            return len(text.text or "") + len(first.text or "") + len(first.tail or "") > SHORT_DESCRIPTION_LIMIT
    return len(_PRODUCT_TEXT(text)) > SHORT_DESCRIPTION_LIMIT


def product_text_in_nfc(product: etree._Element) -> bool:
    """True when all the text of `product`, joined, is in Unicode NFC (TX005 then has nothing to say)."""
    text = _PRODUCT_TEXT(product)
    # decoding these bytes gives what XPath string() does (libxml2 joins the text the same way for
    # both) at a twentieth of the cost: no second walk of the product
    return text.isascii() or in_nfc(text.decode("utf-8"))


def in_nfc(text: str | None) -> bool:
    """True when `text` is in Unicode NFC (empty and None are)."""
    if not text or text.isascii():
        return True
    try:
        text.encode("latin-1")  # a copy when every character is below U+0100, which most feeds' are
    except UnicodeEncodeError:
        return unicodedata.is_normalized("NFC", text)
    # Below U+0300 no character decomposes or combines with another (combining marks start there),
    # so such text is in NFC without a look at each character; tests/rules/test_text_screen.py holds it.
    return True


def _add(suspects: set[str] | None, code: str) -> set[str]:
    if suspects is None:
        return {code}
    suspects.add(code)
    return suspects
