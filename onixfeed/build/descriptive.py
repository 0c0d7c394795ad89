"""Block 1, <DescriptiveDetail>: form, collection, title, contributors, edition, language, extents, subjects, audience."""

from __future__ import annotations

from lxml import etree

from onixfeed.build.elements import add, add_text
from onixfeed.model import Contributor, Format, Record

SINGLE_COMPONENT = "00"  # list 2
PUBLISHER_COLLECTION = "10"  # list 148
DISTINCTIVE_TITLE = "01"  # list 15
PRODUCT_LEVEL, COLLECTION_LEVEL = "01", "02"  # list 149


def build_descriptive_detail(product: etree._Element, record: Record, fmt: Format) -> etree._Element:
    """Append <DescriptiveDetail> for one format of a record."""
    detail = add(product, "DescriptiveDetail")
    add(detail, "ProductComposition", SINGLE_COMPONENT)
    add(detail, "ProductForm", fmt.form)
    for code in fmt.form_details:
        add(detail, "ProductFormDetail", code)
    if record.series:
        build_collection(detail, record)
    build_title(detail, record)
    for contributor in record.contributors:
        build_contributor(detail, contributor)
    if record.contributor_statement:
        add(detail, "ContributorStatement", record.contributor_statement)
    if not record.contributors and not record.contributor_statement:
        add(detail, "NoContributor")
    if record.edition_number is not None:
        add(detail, "EditionNumber", record.edition_number)
    if record.edition_statement:
        add(detail, "EditionStatement", record.edition_statement)
    for role, code in record.languages:
        language = add(detail, "Language")
        add(language, "LanguageRole", role)
        add(language, "LanguageCode", code)
    build_extents(detail, record, fmt)
    build_subjects(detail, record)
    for code in record.audiences:
        audience = add(detail, "Audience")
        add(audience, "AudienceCodeType", "01")  # list 29: ONIX audience codes (list 28)
        add(audience, "AudienceCodeValue", code)
    return detail


def build_collection(detail: etree._Element, record: Record) -> etree._Element:
    """<Collection>: the publisher's series, its title and the title's number in it.

    The number is a product-level title element inside the collection's title, since
    PartNumber is not allowed at collection level (strict schema assertion _20181210_c_1).
    """
    collection = add(detail, "Collection")
    add(collection, "CollectionType", PUBLISHER_COLLECTION)
    title = add(collection, "TitleDetail")
    add(title, "TitleType", DISTINCTIVE_TITLE)
    series = add(title, "TitleElement")
    add(series, "TitleElementLevel", COLLECTION_LEVEL)
    add(series, "TitleText", record.series.title)
    if record.series.number:
        part = add(title, "TitleElement")
        add(part, "TitleElementLevel", PRODUCT_LEVEL)
        add(part, "PartNumber", record.series.number)
    return collection


def build_title(detail: etree._Element, record: Record) -> etree._Element:
    """<TitleDetail> with the title and subtitle at product level."""
    title = add(detail, "TitleDetail")
    add(title, "TitleType", DISTINCTIVE_TITLE)
    element = add(title, "TitleElement")
    add(element, "TitleElementLevel", PRODUCT_LEVEL)
    add(element, "TitleText", record.title)
    if record.subtitle:
        add(element, "Subtitle", record.subtitle)
    return title


def build_contributor(detail: etree._Element, contributor: Contributor) -> etree._Element:
    """<Contributor>: sequence, roles, identifiers, name (whole and in parts), biography."""
    node = add(detail, "Contributor")
    add(node, "SequenceNumber", contributor.sequence)
    for role in contributor.roles:
        add(node, "ContributorRole", role)
    for kind, value in contributor.identifiers:
        identifier = add(node, "NameIdentifier")
        add(identifier, "NameIDType", kind)
        add(identifier, "IDValue", value)
    if contributor.corporate_name:
        add(node, "CorporateName", contributor.corporate_name)
    else:
        if contributor.person_name:
            add(node, "PersonName", contributor.person_name)
        if contributor.key_names:
            if contributor.names_before_key:
                add(node, "NamesBeforeKey", contributor.names_before_key)
            add(node, "KeyNames", contributor.key_names)
            if contributor.names_after_key:
                add(node, "NamesAfterKey", contributor.names_after_key)
    if contributor.biography:
        add_text(node, "BiographicalNote", contributor.biography)
    return node


def build_extents(detail: etree._Element, record: Record, fmt: Format) -> None:
    """<Extent>s of the format, then the illustrations: a note and counted content."""
    for extent in fmt.extents:
        node = add(detail, "Extent")
        add(node, "ExtentType", extent.type)
        add(node, "ExtentValue", extent.value)
        add(node, "ExtentUnit", extent.unit)
    if record.illustrations_note:
        add(detail, "IllustrationsNote", record.illustrations_note)
    for content in record.ancillary_content:
        node = add(detail, "AncillaryContent")
        add(node, "AncillaryContentType", content.type)
        if content.description:
            add(node, "AncillaryContentDescription", content.description)
        if content.number is not None:
            add(node, "Number", content.number)


def build_subjects(detail: etree._Element, record: Record) -> None:
    """<Subject>s, the main subject first as EDItEUR recommends."""
    for subject in sorted(record.subjects, key=lambda s: not s.main):
        node = add(detail, "Subject")
        if subject.main:
            add(node, "MainSubject")
        add(node, "SubjectSchemeIdentifier", subject.scheme)
        if subject.code:
            add(node, "SubjectCode", subject.code)
        if subject.heading:
            add(node, "SubjectHeadingText", subject.heading)
