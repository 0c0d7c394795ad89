"""What a recipient gets: scope, the profile's transforms, notification and deletion policy,
release 3.1 and short tags. Products here have reference names and no namespace."""

from __future__ import annotations

import copy
import datetime
import functools

from lxml import etree

from onixfeed import onix, schemas
from onixfeed.findings import InputError
from onixfeed.profile import Profile

# Elements every complete record needs before any other (ONIX 3.0 Product, P.1 and P.2).
_IDENTIFIER_ANCHORS = ("RecordReference", "NotificationType", "DeletionText", "RecordSourceType",
                       "RecordSourceIdentifier", "RecordSourceName")


class ConversionError(InputError):
    """A product that cannot be converted to what the recipient needs (e.g. an element 3.1 removed)."""


# --- scope -------------------------------------------------------------------------------


def in_scope(product: etree._Element, profile: Profile) -> bool:
    """Whether the recipient takes this product at all (product form, market, publishing status)."""
    scope = profile.section("scope")
    forms = scope.get("product_forms")
    if forms and (product.findtext("DescriptiveDetail/ProductForm") or "").strip() not in forms:
        return False
    statuses = scope.get("publishing_statuses")
    if statuses and (product.findtext("PublishingDetail/PublishingStatus") or "").strip() not in statuses:
        return False
    countries, regions = set(scope.get("countries", ())), set(scope.get("regions", ()))
    if countries or regions:
        territories = product.findall("ProductSupply/Market/Territory")
        if territories and not any(_territory_overlaps(t, countries, regions) for t in territories):
            return False
    return True


def _territory_overlaps(territory: etree._Element, countries: set[str], regions: set[str]) -> bool:
    included = set((territory.findtext("CountriesIncluded") or "").split())
    included_regions = set((territory.findtext("RegionsIncluded") or "").split())
    if "WORLD" in included_regions:
        excluded = set((territory.findtext("CountriesExcluded") or "").split())
        return bool(regions) or bool(countries - excluded)
    return bool(included & countries) or bool(included_regions & regions)


# --- transforms --------------------------------------------------------------------------


def apply_transforms(product: etree._Element, profile: Profile, today: datetime.date | None = None) -> etree._Element:
    """A copy of the product as this recipient wants it: drops, code maps, identifiers, notification type."""
    product = copy.deepcopy(product)
    transforms = profile.section("transforms")
    if transforms.get("gtin_from_isbn"):
        _add_gtin_from_isbn(product)
    wanted = transforms.get("identifiers")
    if wanted:
        for identifier in product.findall("ProductIdentifier"):
            if (identifier.findtext("ProductIDType") or "").strip() not in wanted:
                product.remove(identifier)
    for mapping in transforms.get("map_codes", ()):
        for node in product.xpath(mapping["path"]):
            if isinstance(node, etree._Element) and (node.text or "").strip() == mapping["from"]:
                node.text = mapping["to"]
    for path in transforms.get("drop", ()):
        for node in product.xpath(path):
            if isinstance(node, etree._Element) and node.getparent() is not None:
                node.getparent().remove(node)
    _choose_notification_type(product, profile, today or datetime.date.today())
    return product


def _add_gtin_from_isbn(product: etree._Element) -> None:
    """A GTIN-13 beside the ISBN-13: for a book the two numbers are the same (ONIX list 5, codes 03 and 15)."""
    identifiers = product.findall("ProductIdentifier")
    if any((i.findtext("ProductIDType") or "").strip() == "03" for i in identifiers):
        return
    isbn = next((i for i in identifiers if (i.findtext("ProductIDType") or "").strip() == "15"), None)
    if isbn is None:
        return
    gtin = etree.Element("ProductIdentifier")
    etree.SubElement(gtin, "ProductIDType").text = "03"
    etree.SubElement(gtin, "IDValue").text = (isbn.findtext("IDValue") or "").strip()
    isbn.addnext(gtin)


def notification_type_for(publication: datetime.date | None, today: datetime.date, early_days: int) -> str | None:
    """ONIX list 1 by publication date: 01 well before it, 02 before it, 03 from it on."""
    if publication is None:
        return None
    if publication > today + datetime.timedelta(days=early_days):
        return "01"
    return "02" if publication > today else "03"


def publication_date(product: etree._Element) -> datetime.date | None:
    """The publication date (PublishingDateRole 01); a year or month alone counts from its first day."""
    for date in product.findall("PublishingDetail/PublishingDate"):
        if (date.findtext("PublishingDateRole") or "").strip() != "01":
            continue
        text = "".join(ch for ch in (date.findtext("Date") or "") if ch.isdigit())
        padded = {4: text + "0101", 6: text + "01"}.get(len(text), text[:8])
        try:
            return datetime.date(int(padded[:4]), int(padded[4:6]), int(padded[6:8]))
        except ValueError:
            return None
    return None


def _choose_notification_type(product: etree._Element, profile: Profile, today: datetime.date) -> None:
    notification = profile.section("notification")
    if not notification.get("by_publication_date"):
        return
    element = product.find("NotificationType")
    # only complete records are re-typed: a block update (04) or a deletion (05) says something else
    if element is None or (element.text or "").strip() not in ("01", "02", "03"):
        return
    chosen = notification_type_for(publication_date(product), today, int(notification.get("early_days", 180)))
    allowed = notification.get("allowed")
    if chosen and (not allowed or chosen in allowed):
        element.text = chosen


def withdraw(product: etree._Element, profile: Profile) -> etree._Element:
    """A copy of the product telling this recipient it is no longer for sale, as its profile says."""
    product = copy.deepcopy(product)
    deletion = profile.section("deletion")
    notification = product.find("NotificationType")
    if deletion.get("method") == "notification-05":
        notification.text = "05"
        return product
    status = product.find("PublishingDetail/PublishingStatus")
    if status is None:
        raise ConversionError(
            f"record {product.findtext('RecordReference')}: cannot withdraw it by <PublishingStatus> "
            f"for {profile.name}: the product has no <PublishingDetail>/<PublishingStatus>")
    status.text = deletion["publishing_status"]
    notification.text = "03"  # a status change is a complete record, never 05 (EDItEUR, code list 1)
    return product


# --- the message header ------------------------------------------------------------------


def recipient_header(profile: Profile, config, message_number: int, sent: datetime.datetime) -> etree._Element:
    """The Header of one message to this recipient (reference names, no namespace): the project's
    header (onixfeed.build.header) with the recipient's Addressee after the Sender."""
    from onixfeed.build.header import build_header

    header = build_header(config, message_number, sent)
    for node in header.iter():
        if isinstance(node.tag, str):
            node.tag = etree.QName(node).localname
    etree.cleanup_namespaces(header)
    addressee = profile.section("header").get("addressee")
    if addressee:
        node = etree.Element("Addressee")
        for identifier in addressee.get("identifiers", ()):
            ident = etree.SubElement(node, "AddresseeIdentifier")
            etree.SubElement(ident, "AddresseeIDType").text = identifier["type"]
            etree.SubElement(ident, "IDValue").text = identifier["value"]
        if addressee.get("name"):
            etree.SubElement(node, "AddresseeName").text = addressee["name"]
        header.find("Sender").addnext(node)
    return header


# --- release and tag style ---------------------------------------------------------------


@functools.lru_cache(maxsize=None)
def removed_in(release: str) -> frozenset[str]:
    """Elements of the 3.0 schema that `release` no longer has (read from both official XSDs)."""
    return frozenset(_element_names("3.0") - _element_names(release))


@functools.lru_cache(maxsize=None)
def _element_names(release: str) -> frozenset[str]:
    tree = etree.parse(str(schemas.schema_files(release, "reference").main))
    return frozenset(e.get("name") for e in tree.iter("{http://www.w3.org/2001/XMLSchema}element") if e.get("name"))


def upgrade_dates(element: etree._Element) -> None:
    """<DateFormat> (deprecated in 3.0, gone in 3.1) becomes the `dateformat` attribute of its <Date>."""
    for date_format in list(element.iter("DateFormat")):
        parent = date_format.getparent()
        date = parent.find("Date")
        if date is not None and not date.get("dateformat"):
            date.set("dateformat", (date_format.text or "").strip())
        parent.remove(date_format)


def check_release(element: etree._Element, release: str) -> None:
    """Fail, naming the element and record, when the target release has no such element."""
    if release == "3.0":
        return
    missing = removed_in(release)
    for node in element.iter():
        if isinstance(node.tag, str) and node.tag in missing:
            record = element.findtext("RecordReference") if element.tag == "Product" else None
            where = f"record {record}" if record else f"<{element.tag}>"
            raise ConversionError(
                f"{where}, line {node.sourceline}: <{node.tag}> does not exist in ONIX {release} "
                f"(removed after 3.0); drop it with a transform or send ONIX 3.0")


def to_tags(element: etree._Element, release: str, tags: str) -> etree._Element:
    """A copy with every element renamed to the tag style (no namespace: the envelope declares it)."""
    result = copy.deepcopy(element)
    if tags == "reference":
        return result
    mapping = onix.reference_to_short(release)
    for node in result.iter():
        if isinstance(node.tag, str):
            node.tag = mapping.get(node.tag, node.tag)
    return result


def serialize_product(product: etree._Element, release: str, tags: str, validate: bool | None = None) -> bytes:
    """One Product as bytes for a message of the given release and tag style.

    A product converted to another release is checked against that release's schema on its
    own, so a difference the element names do not show (a composite that moved) is named
    here, for this product, instead of failing a whole file later. `validate` forces the
    check (True) or skips it (False); None checks only when the release changes.
    """
    if release != "3.0":
        product = copy.deepcopy(product)
        upgrade_dates(product)
    check_release(product, release)
    xml = etree.tostring(to_tags(product, release, tags), encoding="utf-8")
    if validate or (validate is None and release != "3.0"):
        _check_alone(xml, product, release, tags)
    return xml


_MINIMAL_HEADER = ("<Header><Sender><SenderName>check</SenderName></Sender>"
                   "<SentDateTime>20000101</SentDateTime></Header>")


def _check_alone(xml: bytes, product: etree._Element, release: str, tags: str) -> None:
    header = etree.tostring(to_tags(etree.fromstring(_MINIMAL_HEADER), release, tags))
    namespace = onix.NAMESPACES[(release, tags)]
    root = onix.ROOTS[tags]
    message = f'<{root} xmlns="{namespace}" release="{release}">'.encode() + header + xml + f"</{root}>".encode()
    schema = schemas.load_schema(release, tags)
    if not schema.validate(etree.fromstring(message)):
        error = schema.error_log.last_error
        name = onix.local_name(error.message.split("'")[1]) if "'" in error.message else ""
        raise ConversionError(
            f"record {product.findtext('RecordReference')}: not valid ONIX {release} after conversion"
            f"{f' at <{name}>' if name else ''}: {error.message}")


def convert_message(root: etree._Element, release: str, tags: str) -> etree._Element:
    """A whole message (any tag style, with or without namespace) converted to release and tag style.

    Elements the target release removed raise ConversionError (a <DateFormat> becomes the
    `dateformat` attribute, as 3.0 already allowed); the caller validates the result.
    """
    current = onix.flavour_of(root.tag, root.get("release"))
    if current.release not in ("3.0", "3.1"):
        raise ConversionError(f"cannot convert ONIX {current.release} to {release}: only 3.0 and 3.1 are converted")
    plain = _as_reference(root, onix.short_to_reference(current.release) if current.tags == "short" else {})
    if release != "3.0":
        upgrade_dates(plain)
    for node in [*plain.iterfind("Header"), *plain.iterfind("Product")]:
        check_release(node, release)
    to_target = onix.reference_to_short(release) if tags == "short" else {}
    namespace = onix.NAMESPACES[(release, tags)]
    result = etree.Element(f"{{{namespace}}}{to_target.get(plain.tag, plain.tag)}", dict(plain.attrib),
                           nsmap={None: namespace})
    result.set("release", release)
    result.text = plain.text
    _copy_children(plain, result, namespace, lambda name: to_target.get(name, name))
    return result


def _as_reference(element: etree._Element, to_reference: dict[str, str]) -> etree._Element:
    """A reference-named, namespace-free copy of an element, for checks that speak reference names."""
    result = copy.deepcopy(element)
    for node in result.iter():
        if isinstance(node.tag, str):
            name = onix.local_name(node.tag)
            node.tag = to_reference.get(name, name)
    return result


def _copy_children(source: etree._Element, target: etree._Element, namespace: str, name_for) -> None:
    for child in source:
        if isinstance(child.tag, str):
            copied = etree.SubElement(target, f"{{{namespace}}}{name_for(child.tag)}", dict(child.attrib))
            copied.text = child.text
            _copy_children(child, copied, namespace, name_for)
        else:
            copied = copy.copy(child)  # comments and processing instructions stay where they were
            target.append(copied)
        copied.tail = child.tail
