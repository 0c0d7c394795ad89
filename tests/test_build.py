"""Block builders: each ONIX block from model objects, checked element by element and against the XSD."""

import datetime

import pytest
from lxml import etree

from onixfeed import model, schemas
from onixfeed.build import collateral, descriptive, publishing, related, supply
from onixfeed.build.elements import NAMESPACE, add_text, element
from onixfeed.build.header import build_header
from onixfeed.build.message import AtomicFile, MessageWriter, product_bytes, wrap
from onixfeed.build.product import build_product
from onixfeed.config import Config, SenderIdentifier

NS = {"o": NAMESPACE}
PAPERBACK = model.Format(reference="ex.9781912345618", isbn="9781912345618", form="BC",
                         extents=(model.Extent("00", "258", "03"),))
HARDBACK = model.Format(reference="ex.9781912345625", isbn="9781912345625", form="BB")
EBOOK = model.Format(reference="ex.9781912345632", isbn="9781912345632", form="ED", form_details=("E101",))


def record(**fields):
    base = dict(file="r.yaml", title="A Title", formats=(PAPERBACK,))
    base.update(fields)
    return model.Record(**base)


def text(node, path):
    return node.findtext(path, namespaces=NS)


def children(node):
    return [etree.QName(child).localname for child in node]


def is_valid(product):
    header = build_header(Config(), 1, datetime.datetime(2026, 1, 2, 3, 4, 5, tzinfo=datetime.timezone.utc))
    schema = schemas.load_schema("3.0")
    valid = schema.validate(wrap(header, [product]))
    return valid or [str(e) for e in schema.error_log]


def test_descriptive_detail_title_contributor_edition_extent_illustrations():
    rec = record(
        subtitle="Sub", series=model.Series("A Series", "7"), edition_number=1,
        contributors=(model.Contributor(1, ("A01",), "Ann Bee", "Ann", "Bee", biography=model.Text("Ann writes."),
                                        identifiers=(("21", "0000000218250097"),)),),
        languages=(("01", "eng"),), illustrations_note="7 B/W illustrations",
        ancillary_content=(model.AncillaryContent("01", 7),),
        subjects=(model.Subject("93", "JPS"), model.Subject("10", "POL011000", main=True)), audiences=("06",),
    )
    product = element("Product")
    detail = descriptive.build_descriptive_detail(product, rec, PAPERBACK)
    assert children(detail) == ["ProductComposition", "ProductForm", "Collection", "TitleDetail", "Contributor",
                                "EditionNumber", "Language", "Extent", "IllustrationsNote", "AncillaryContent",
                                "Subject", "Subject", "Audience"]
    levels = [(text(e, "o:TitleElementLevel"), text(e, "o:TitleText"), text(e, "o:PartNumber"))
              for e in detail.findall("o:Collection/o:TitleDetail/o:TitleElement", NS)]
    assert levels == [("02", "A Series", None), ("01", None, "7")]  # PartNumber only at product level
    assert text(detail, "o:TitleDetail/o:TitleElement/o:Subtitle") == "Sub"
    contributor = detail.find("o:Contributor", NS)
    assert children(contributor) == ["SequenceNumber", "ContributorRole", "NameIdentifier", "PersonName",
                                     "NamesBeforeKey", "KeyNames", "BiographicalNote"]
    assert text(detail, "o:Extent/o:ExtentValue") == "258" and text(detail, "o:Extent/o:ExtentUnit") == "03"
    assert text(detail, "o:AncillaryContent/o:Number") == "7"
    assert detail.find("o:Subject", NS).find("o:MainSubject", NS) is not None  # main subject first


def test_no_contributor_is_said_explicitly():
    detail = descriptive.build_descriptive_detail(element("Product"), record(), PAPERBACK)
    assert detail.find("o:NoContributor", NS) is not None


def test_collateral_texts_and_review_quotes():
    rec = record(
        description=model.Text("First paragraph.\n\nSecond & last."),
        table_of_contents=model.Text("<ol><li>One</li></ol>", xhtml=True),
        reviews=(model.Review(model.Text("Fine."), author="R. Hanks", affiliation="OSU, USA", source_title="A Journal"),),
        resources=(model.Resource("01", "03", "https://example.com/c.jpg"),),
    )
    detail = collateral.build_collateral_detail(element("Product"), rec)
    kinds = [text(node, "o:TextType") for node in detail.findall("o:TextContent", NS)]
    assert kinds == ["03", "04", "06"]
    description = detail.find("o:TextContent/o:Text", NS)
    assert description.get("textformat") == "05"
    assert [p.text for p in description.findall("o:p", NS)] == ["First paragraph.", "Second & last."]
    review = detail.findall("o:TextContent", NS)[2]
    assert children(review) == ["TextType", "ContentAudience", "Text", "TextAuthor", "TextSourceDescription", "SourceTitle"]
    assert review.find("o:Text", NS).get("textformat") == "06"
    assert text(detail, "o:SupportingResource/o:ResourceVersion/o:ResourceLink") == "https://example.com/c.jpg"


def test_collateral_detail_is_left_out_when_empty():
    assert collateral.build_collateral_detail(element("Product"), record()) is None


def test_plain_single_paragraph_stays_plain():
    node = add_text(element("TextContent"), "Text", model.Text("One line only."))
    assert node.get("textformat") == "06" and node.text == "One line only."


def test_publishing_detail_order_and_values():
    fmt = model.Format(reference="r", isbn="9781912345618", form="BC", publishing_status="04",
                       publishing_dates=(model.DatedEvent("01", "202603", "01"),))
    rec = record(publisher="Routledge", imprint="Imp", city_of_publication="Abingdon", country_of_publication="GB",
                 copyright_year=2016, copyright_owner=("person", "A B"),
                 sales_rights=(model.SalesRights("01", model.Territory(regions=("WORLD",), countries_excluded=("US",))),))
    detail = publishing.build_publishing_detail(element("Product"), rec, fmt)
    assert children(detail) == ["Imprint", "Publisher", "CityOfPublication", "CountryOfPublication",
                                "PublishingStatus", "PublishingDate", "CopyrightStatement", "SalesRights"]
    assert text(detail, "o:Publisher/o:PublisherName") == "Routledge"
    assert text(detail, "o:CopyrightStatement/o:CopyrightYear") == "2016"
    assert text(detail, "o:CopyrightStatement/o:CopyrightOwner/o:PersonName") == "A B"
    assert detail.find("o:PublishingDate/o:Date", NS).get("dateformat") == "01"
    assert text(detail, "o:SalesRights/o:Territory/o:CountriesExcluded") == "US"


def test_related_material_links_the_other_formats():
    rec = record(formats=(PAPERBACK, HARDBACK, EBOOK))
    material = related.build_related_material(element("Product"), rec, PAPERBACK)
    links = [(text(r, "o:ProductRelationCode"), text(r, "o:ProductIdentifier/o:IDValue"), text(r, "o:ProductForm"))
             for r in material.findall("o:RelatedProduct", NS)]
    assert links == [("06", "9781912345625", "BB"), ("06", "9781912345632", "ED")]
    assert related.build_related_material(element("Product"), record(), PAPERBACK) is None


def test_product_supply_prices_and_tax():
    fmt = model.Format(
        reference="r", isbn="9781912345618", form="BC", supplier=model.Supplier("Dist", "01", (("06", "5031234567897"),)),
        availability="20", supply_dates=(model.DatedEvent("08", "20260903"),),
        prices=(model.Price("02", "10.99", "GBP", model.Territory(countries=("GB",)), (model.Tax("01", "Z", "0"),)),
                model.Price("01", "14.99", "USD")),
    )
    node = supply.build_product_supply(element("Product"), fmt)
    detail = node.find("o:SupplyDetail", NS)
    assert children(detail) == ["Supplier", "ProductAvailability", "SupplyDate", "Price", "Price"]
    price = detail.find("o:Price", NS)
    assert children(price) == ["PriceType", "PriceAmount", "Tax", "CurrencyCode", "Territory"]
    assert text(price, "o:Tax/o:TaxRateCode") == "Z" and text(price, "o:PriceAmount") == "10.99"
    assert supply.build_product_supply(element("Product"), PAPERBACK) is None


def test_unpriced_supply():
    fmt = model.Format(reference="r", isbn="9781912345618", form="BC", supplier=model.Supplier("D"), availability="20", unpriced="02")
    node = supply.build_product_supply(element("Product"), fmt)
    assert text(node, "o:SupplyDetail/o:UnpricedItemType") == "02"


def test_a_full_product_is_valid_against_the_xsd():
    rec = record(
        formats=(PAPERBACK, HARDBACK), publisher="P", copyright_year=2016, edition_number=2, edition_statement="Second edition",
        contributors=(model.Contributor(1, ("A01",), corporate_name="A Body"),), description=model.Text("D."),
        reviews=(model.Review(model.Text("Q."), author="A", source_corporate="B"),),
    )
    product = build_product(rec, PAPERBACK)
    assert children(product)[:3] == ["RecordReference", "NotificationType", "ProductIdentifier"]
    assert children(product)[3:] == ["DescriptiveDetail", "CollateralDetail", "PublishingDetail", "RelatedMaterial"]
    assert is_valid(product) is True


def test_forthcoming_products_are_advance_notifications():
    fmt = model.Format(reference="r", isbn="9781912345618", form="BC", publishing_status="02")
    assert text(build_product(record(formats=(fmt,)), fmt), "o:NotificationType") == "02"
    assert text(build_product(record(), PAPERBACK), "o:NotificationType") == "03"


def test_header_from_config():
    config = Config(sender_name="Sender", sender_contact="Desk", sender_email="d@example.com",
                    sender_identifiers=(SenderIdentifier("06", "5031234567897"),), default_language="eng",
                    default_currency="GBP", default_price_type="02")
    header = build_header(config, 42, datetime.datetime(2026, 1, 2, 3, 4, 5, tzinfo=datetime.timezone.utc))
    assert children(header) == ["Sender", "MessageNumber", "SentDateTime", "DefaultLanguageOfText",
                                "DefaultPriceType", "DefaultCurrencyCode"]
    assert children(header.find("o:Sender", NS)) == ["SenderIdentifier", "SenderName", "ContactName", "EmailAddress"]
    assert text(header, "o:SentDateTime") == "20260102T030405Z" and text(header, "o:MessageNumber") == "42"


def test_streamed_message_is_well_formed_and_atomic(tmp_path):
    header = build_header(Config(), 1, datetime.datetime(2026, 1, 2, tzinfo=datetime.timezone.utc))
    target = tmp_path / "out" / "feed.xml"
    with AtomicFile(target) as feed:
        writer = MessageWriter(feed.handle, header)
        writer.write(product_bytes(build_product(record(), PAPERBACK)))
        writer.close()
        assert not target.exists()  # nothing under the final name until commit
        feed.commit()
    root = etree.parse(str(target)).getroot()
    assert root.get("release") == "3.0" and etree.QName(root).namespace == NAMESPACE
    assert schemas.load_schema("3.0").validate(root.getroottree())
    assert list((tmp_path / "out").iterdir()) == [target]


def test_an_abandoned_feed_leaves_no_file(tmp_path):
    with pytest.raises(RuntimeError):
        with AtomicFile(tmp_path / "feed.xml") as feed:
            feed.handle.write(b"<ONIXMessage>")
            raise RuntimeError("crash mid-write")
    assert list(tmp_path.iterdir()) == []
