"""Block 2, <CollateralDetail>: descriptions, table of contents, review quotes, cover and other resources."""

from __future__ import annotations

from lxml import etree

from onixfeed.build.elements import add, add_text
from onixfeed.model import Record, Review, Text

# list 153
SHORT_DESCRIPTION, DESCRIPTION, TABLE_OF_CONTENTS, REVIEW_QUOTE = "02", "03", "04", "06"
UNRESTRICTED = "00"  # list 154: ContentAudience


def build_collateral_detail(product: etree._Element, record: Record) -> etree._Element | None:
    """Append <CollateralDetail> when the record has texts or resources (None otherwise)."""
    texts = [(kind, text) for kind, text in (
        (DESCRIPTION, record.description), (SHORT_DESCRIPTION, record.short_description),
        (TABLE_OF_CONTENTS, record.table_of_contents),
    ) if text]
    if not (texts or record.reviews or record.resources):
        return None
    detail = add(product, "CollateralDetail")
    for kind, text in texts:
        build_text_content(detail, kind, text)
    for review in record.reviews:
        build_review(detail, review)
    for resource in record.resources:
        node = add(detail, "SupportingResource")
        add(node, "ResourceContentType", resource.content_type)
        add(node, "ContentAudience", UNRESTRICTED)
        add(node, "ResourceMode", resource.mode)
        version = add(node, "ResourceVersion")
        add(version, "ResourceForm", resource.form)
        add(version, "ResourceLink", resource.url)
    return detail


def build_text_content(detail: etree._Element, kind: str, text: Text) -> etree._Element:
    """<TextContent> of one type (list 153) for every audience."""
    node = add(detail, "TextContent")
    add(node, "TextType", kind)
    add(node, "ContentAudience", UNRESTRICTED)
    add_text(node, "Text", text)
    return node


def build_review(detail: etree._Element, review: Review) -> etree._Element:
    """A review quote: the quote, who wrote it, who they are, and where it appeared."""
    node = build_text_content(detail, REVIEW_QUOTE, review.text)
    if review.author:
        add(node, "TextAuthor", review.author)
    if review.source_corporate:
        add(node, "TextSourceCorporate", review.source_corporate)
    if review.affiliation:
        # TextSourceDescription: "brief description of a personal or corporate author" (3.0.7)
        add(node, "TextSourceDescription", review.affiliation)
    if review.source_title:
        add(node, "SourceTitle", review.source_title)
    return node
