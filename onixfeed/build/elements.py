"""Small helpers to add ONIX 3.0 reference-tag elements and supporting texts to a parent."""

from __future__ import annotations

from html import escape

from lxml import etree

from onixfeed import onix
from onixfeed.model import Text

NAMESPACE = onix.NAMESPACES[("3.0", "reference")]
PREFIX = "{" + NAMESPACE + "}"
TEXTFORMAT_XHTML = "05"  # list 34
TEXTFORMAT_PLAIN = "06"


def element(name: str) -> etree._Element:
    """A new, parentless ONIX element."""
    return etree.Element(PREFIX + name, nsmap={None: NAMESPACE})


def add(parent: etree._Element, name: str, text: object = None, **attributes: str) -> etree._Element:
    """Append <name> to parent, with text when given."""
    child = etree.SubElement(parent, PREFIX + name, attributes or None)
    if text is not None:
        child.text = str(text)
    return child


def add_all(parent: etree._Element, name: str, values) -> None:
    """Append one <name> per value."""
    for value in values:
        add(parent, name, value)


def add_text(parent: etree._Element, name: str, text: Text) -> etree._Element:
    """A text element (Text, BiographicalNote...): XHTML as markup, plain text as it is.

    Plain text with several paragraphs (one per line) becomes XHTML paragraphs, since
    retailers collapse line breaks in plain text and the paragraphs would run together.
    """
    if text.xhtml:
        return _add_markup(parent, name, text.body)
    paragraphs = [line.strip() for line in text.body.splitlines() if line.strip()]
    if len(paragraphs) > 1:
        return _add_markup(parent, name, "".join(f"<p>{escape(p, quote=False)}</p>" for p in paragraphs))
    return add(parent, name, text.body.strip(), textformat=TEXTFORMAT_PLAIN)


def _add_markup(parent: etree._Element, name: str, markup: str) -> etree._Element:
    # ONIX includes its XHTML subset into its own namespace, so the markup lives there too
    fragment = etree.fromstring(f'<{name} xmlns="{NAMESPACE}" textformat="{TEXTFORMAT_XHTML}">{markup}</{name}>')
    for node in fragment.iter():
        if isinstance(node.tag, str) and not node.tag.startswith(PREFIX):
            node.tag = PREFIX + etree.QName(node).localname
    parent.append(fragment)
    return fragment


def territory(parent: etree._Element, value) -> etree._Element:
    """<Territory> with countries, or regions less excluded countries."""
    area = add(parent, "Territory")
    if value.countries:
        add(area, "CountriesIncluded", " ".join(value.countries))
    if value.regions:
        add(area, "RegionsIncluded", " ".join(value.regions))
        if value.countries_excluded:
            add(area, "CountriesExcluded", " ".join(value.countries_excluded))
    return area


def dated(parent: etree._Element, name: str, role_name: str, event) -> etree._Element:
    """<PublishingDate>/<SupplyDate>: role and Date (dateformat only when not YYYYMMDD)."""
    holder = add(parent, name)
    add(holder, role_name, event.role)
    if event.format:
        add(holder, "Date", event.date, dateformat=event.format)
    else:
        add(holder, "Date", event.date)
    return holder
