"""Agreement of the native rules with EDItEUR's strict XSD on a corpus of mutated products.

One product that EDItEUR's strict schema accepts is mutated to break (or, as a control,
to vary without breaking) one rule family at a time. Each mutated product is checked by
the strict XSD (the oracle) and by the native rules with the base profile's severities:

- recall: of the products the strict XSD rejects, the share the native rules give an error;
- precision: of the products the native rules give an error, the share the strict XSD
  rejects (a native error on a product the strict XSD accepts is a false error).

`python -m bench.agreement [STRICT_XSD_DIR]` prints the table per family (STRICT_XSD_DIR
defaults to ../shared/editeur beside the clone); ONIXFEED_AGREEMENT_FULL=1 adds the
slower variants (every wrong ISBN check digit, every deprecated region...). Where
../shared/real-onix is present, it then compares the two verdicts product by product on
those real-world 3.0 files.
"""

from __future__ import annotations

import copy
import io
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterator

from lxml import etree

from onixfeed import schemas
from onixfeed.findings import Severity
from onixfeed.validate import strict
from onixfeed.validate.checks import MessageInfo
from onixfeed.validate.rules import RuleChecks

NS = "http://ns.editeur.org/onix/3.0/reference"
DEFAULT_STRICT = Path(__file__).resolve().parents[2] / "shared" / "editeur"
FAMILIES = ("identifiers", "notification", "dates", "text", "product", "prices", "territories", "codes")

HEADERS = {
    "plain": "<Header><Sender><SenderName>Example Press</SenderName></Sender><SentDateTime>20260115T1200Z</SentDateTime></Header>",
    "defaults": "<Header><Sender><SenderName>Example Press</SenderName></Sender><SentDateTime>20260115T1200Z</SentDateTime>"
                "<DefaultPriceType>02</DefaultPriceType><DefaultCurrencyCode>GBP</DefaultCurrencyCode></Header>",
}

# A product EDItEUR's strict 3.0 schema accepts: every mutation starts from it.
BASE_PRODUCT = """<Product>
  <RecordReference>base</RecordReference>
  <NotificationType>03</NotificationType>
  <ProductIdentifier><ProductIDType>15</ProductIDType><IDValue>9780306406157</IDValue></ProductIdentifier>
  <ProductIdentifier><ProductIDType>03</ProductIDType><IDValue>9780306406157</IDValue></ProductIdentifier>
  <DescriptiveDetail>
    <ProductComposition>00</ProductComposition>
    <ProductForm>BC</ProductForm>
    <ProductFormDetail>B305</ProductFormDetail>
    <ProductFormFeature><ProductFormFeatureType>01</ProductFormFeatureType><ProductFormFeatureValue>BLK</ProductFormFeatureValue></ProductFormFeature>
    <Measure><MeasureType>01</MeasureType><Measurement>234</Measurement><MeasureUnitCode>mm</MeasureUnitCode></Measure>
    <Measure><MeasureType>02</MeasureType><Measurement>156</Measurement><MeasureUnitCode>mm</MeasureUnitCode></Measure>
    <TitleDetail>
      <TitleType>01</TitleType>
      <TitleElement><TitleElementLevel>01</TitleElementLevel><TitleText>A Study of Examples</TitleText></TitleElement>
    </TitleDetail>
    <Contributor>
      <SequenceNumber>1</SequenceNumber>
      <ContributorRole>A01</ContributorRole>
      <PersonName>Jane Doe</PersonName>
      <NamesBeforeKey>Jane</NamesBeforeKey><KeyNames>Doe</KeyNames>
    </Contributor>
    <EditionNumber>2</EditionNumber>
    <Language><LanguageRole>01</LanguageRole><LanguageCode>eng</LanguageCode></Language>
    <Extent><ExtentType>00</ExtentType><ExtentValue>320</ExtentValue><ExtentUnit>03</ExtentUnit></Extent>
    <Subject><MainSubject/><SubjectSchemeIdentifier>93</SubjectSchemeIdentifier><SubjectCode>JBSF</SubjectCode></Subject>
    <Audience><AudienceCodeType>01</AudienceCodeType><AudienceCodeValue>01</AudienceCodeValue></Audience>
  </DescriptiveDetail>
  <CollateralDetail>
    <TextContent>
      <TextType>03</TextType>
      <ContentAudience>00</ContentAudience>
      <Text textformat="06">A careful study of worked examples.</Text>
    </TextContent>
  </CollateralDetail>
  <PublishingDetail>
    <Publisher><PublishingRole>01</PublishingRole><PublisherName>Example Press</PublisherName></Publisher>
    <CityOfPublication>London</CityOfPublication>
    <CountryOfPublication>GB</CountryOfPublication>
    <PublishingStatus>04</PublishingStatus>
    <PublishingDate><PublishingDateRole>01</PublishingDateRole><Date>20250301</Date></PublishingDate>
    <SalesRights>
      <SalesRightsType>01</SalesRightsType>
      <Territory><CountriesIncluded>GB IE</CountriesIncluded></Territory>
    </SalesRights>
    <SalesRights>
      <SalesRightsType>03</SalesRightsType>
      <Territory><RegionsIncluded>WORLD</RegionsIncluded><CountriesExcluded>GB IE</CountriesExcluded></Territory>
    </SalesRights>
  </PublishingDetail>
  <ProductSupply>
    <Market>
      <Territory><CountriesIncluded>GB</CountriesIncluded></Territory>
    </Market>
    <MarketPublishingDetail>
      <MarketPublishingStatus>04</MarketPublishingStatus>
      <MarketDate><MarketDateRole>01</MarketDateRole><Date>20250301</Date></MarketDate>
    </MarketPublishingDetail>
    <SupplyDetail>
      <Supplier><SupplierRole>01</SupplierRole><SupplierName>Example Press Distribution</SupplierName></Supplier>
      <ProductAvailability>21</ProductAvailability>
      <SupplyDate><SupplyDateRole>08</SupplyDateRole><Date>20250215</Date></SupplyDate>
      <Price>
        <PriceType>02</PriceType>
        <PriceAmount>12.00</PriceAmount>
        <Tax><TaxType>01</TaxType><TaxRateCode>Z</TaxRateCode><TaxRatePercent>0</TaxRatePercent><TaxableAmount>12.00</TaxableAmount><TaxAmount>0.00</TaxAmount></Tax>
        <CurrencyCode>GBP</CurrencyCode>
      </Price>
      <Price>
        <PriceType>01</PriceType>
        <PriceAmount>10.00</PriceAmount>
        <CurrencyCode>GBP</CurrencyCode>
      </Price>
    </SupplyDetail>
  </ProductSupply>
</Product>"""


@dataclass(frozen=True)
class Mutation:
    """One change to the base product, meant to break (or to vary within) one family."""

    family: str
    name: str
    apply: Callable[[etree._Element], None]
    header: str = "plain"


@dataclass
class Outcome:
    """What the strict XSD and the native rules said about one mutated product."""

    mutation: Mutation
    record: str
    strict_rules: set[str] = field(default_factory=set)
    native_errors: set[str] = field(default_factory=set)
    xsd10_valid: bool = True

    @property
    def strict_rejects(self) -> bool:
        return bool(self.strict_rules)

    @property
    def native_rejects(self) -> bool:
        return bool(self.native_errors)


# ---------------------------------------------------------------------------------------
# Editing helpers: the mutations read as what they change


def fragment(xml: str) -> etree._Element:
    return etree.fromstring(xml)


def set_text(path: str, value: str) -> Callable[[etree._Element], None]:
    def apply(product: etree._Element) -> None:
        product.find(path).text = value
    return apply


def remove(*paths: str) -> Callable[[etree._Element], None]:
    def apply(product: etree._Element) -> None:
        for path in paths:
            for element in product.findall(path):
                element.getparent().remove(element)
    return apply


def insert_after(path: str, xml: str) -> Callable[[etree._Element], None]:
    """Insert a fragment right after the element at `path` (keeps the schema's order)."""
    def apply(product: etree._Element) -> None:
        anchor = product.find(path)
        anchor.addnext(fragment(xml))
    return apply


def append(path: str, xml: str) -> Callable[[etree._Element], None]:
    def apply(product: etree._Element) -> None:
        (product if path == "." else product.find(path)).append(fragment(xml))
    return apply


def replace(path: str, xml: str) -> Callable[[etree._Element], None]:
    def apply(product: etree._Element) -> None:
        old = product.find(path)
        old.getparent().replace(old, fragment(xml))
    return apply


def chain(*steps: Callable[[etree._Element], None]) -> Callable[[etree._Element], None]:
    def apply(product: etree._Element) -> None:
        for step in steps:
            step(product)
    return apply


def both_isbn_and_gtin(value: str) -> Callable[[etree._Element], None]:
    def apply(product: etree._Element) -> None:
        for element in product.findall("ProductIdentifier/IDValue"):
            element.text = value
    return apply


PRICE1 = "ProductSupply/SupplyDetail/Price[1]"
PRICE2 = "ProductSupply/SupplyDetail/Price[2]"
SALES1 = "PublishingDetail/SalesRights[1]"
SALES2 = "PublishingDetail/SalesRights[2]"
MARKET = "ProductSupply/Market/Territory/CountriesIncluded"
TEXT = "CollateralDetail/TextContent/Text"


def _single_tax(rate: str, taxable: str, tax: str | None) -> str:
    amount = f"<TaxAmount>{tax}</TaxAmount>" if tax is not None else ""
    return (f"<Tax><TaxType>01</TaxType><TaxRatePercent>{rate}</TaxRatePercent>"
            f"<TaxableAmount>{taxable}</TaxableAmount>{amount}</Tax>")


def tax_price(price: str, *taxes: str) -> Callable[[etree._Element], None]:
    """Replace the first Price by a tax-inclusive one with the given Tax composites."""
    return replace(PRICE1, f"<Price><PriceType>02</PriceType><PriceAmount>{price}</PriceAmount>"
                           f"{''.join(taxes)}<CurrencyCode>GBP</CurrencyCode></Price>")


# ---------------------------------------------------------------------------------------
# The corpus


def mutations(full: bool = False) -> list[Mutation]:
    """Every mutation, family by family; `full` adds the many-variant ones."""
    found: list[Mutation] = [Mutation("control", "base product", lambda product: None)]
    found += list(_identifiers(full))
    found += list(_notification())
    found += list(_dates())
    found += list(_text())
    found += list(_product())
    found += list(_prices())
    found += list(_territories())
    found += list(_codes(full))
    return found


def _identifiers(full: bool) -> Iterator[Mutation]:
    family = "identifiers"
    digits = "0123456689" if full else "0358"
    for digit in sorted(set(digits) - {"7"}):
        yield Mutation(family, f"ISBN-13 check digit {digit}", both_isbn_and_gtin(f"978030640615{digit}"))
    yield Mutation(family, "ISBN with hyphens", set_text("ProductIdentifier[1]/IDValue", "978-0-306-40615-7"))
    yield Mutation(family, "ISMN prefix as ISBN", both_isbn_and_gtin("9790230671187"))
    yield Mutation(family, "GTIN check digit", set_text("ProductIdentifier[2]/IDValue", "9780306406158"))
    yield Mutation(family, "another valid ISBN", both_isbn_and_gtin("9780367874827"))
    yield Mutation(family, "valid ISBN-10 beside ISBN-13", insert_after(
        "ProductIdentifier[2]", "<ProductIdentifier><ProductIDType>02</ProductIDType><IDValue>0306406152</IDValue></ProductIdentifier>"))
    yield Mutation(family, "ISBN-10 check digit", insert_after(
        "ProductIdentifier[2]", "<ProductIdentifier><ProductIDType>02</ProductIDType><IDValue>0306406153</IDValue></ProductIdentifier>"))
    yield Mutation(family, "proprietary ID without IDTypeName", insert_after(
        "ProductIdentifier[2]", "<ProductIdentifier><ProductIDType>01</ProductIDType><IDValue>X-1</IDValue></ProductIdentifier>"))
    yield Mutation(family, "proprietary ID with IDTypeName", insert_after(
        "ProductIdentifier[2]", "<ProductIdentifier><ProductIDType>01</ProductIDType><IDTypeName>House</IDTypeName><IDValue>X-1</IDValue></ProductIdentifier>"))
    yield Mutation(family, "IDTypeName on an ISBN", replace(
        "ProductIdentifier[1]", "<ProductIdentifier><ProductIDType>15</ProductIDType><IDTypeName>ISBN</IDTypeName><IDValue>9780306406157</IDValue></ProductIdentifier>"))
    yield Mutation(family, "identifier repeated", insert_after(
        "ProductIdentifier[2]", "<ProductIdentifier><ProductIDType>03</ProductIDType><IDValue>9780306406157</IDValue></ProductIdentifier>"))
    for value, name in (("5012345678900", "valid GLN"), ("5012345678901", "GLN check digit")):
        yield Mutation(family, f"publisher {name}", insert_after(
            "PublishingDetail/Publisher/PublishingRole",
            f"<PublisherIdentifier><PublisherIDType>06</PublisherIDType><IDValue>{value}</IDValue></PublisherIdentifier>"))
    for value, name in (("000000012146438X", "valid ISNI"), ("0000000121464380", "ISNI check character"),
                        ("0000000218250097", "valid ORCID"), ("0000000218250098", "ORCID check character")):
        kind = "16" if "ISNI" in name else "21"
        yield Mutation(family, f"contributor {name}", insert_after(
            "DescriptiveDetail/Contributor/ContributorRole",
            f"<NameIdentifier><NameIDType>{kind}</NameIDType><IDValue>{value}</IDValue></NameIdentifier>"))
    for value, name in (("0201312", "valid SAN"), ("0201313", "SAN check digit")):
        yield Mutation(family, f"supplier {name}", insert_after(
            "ProductSupply/SupplyDetail/Supplier/SupplierRole",
            f"<SupplierIdentifier><SupplierIDType>07</SupplierIDType><IDValue>{value}</IDValue></SupplierIdentifier>"))


def _notification() -> Iterator[Mutation]:
    family = "notification"
    yield Mutation(family, "early notification", set_text("NotificationType", "01"))
    yield Mutation(family, "complete record without DescriptiveDetail", remove("DescriptiveDetail"))
    yield Mutation(family, "complete record without PublishingDetail", remove("PublishingDetail"))
    yield Mutation(family, "block update with supply only", chain(
        set_text("NotificationType", "04"), remove("DescriptiveDetail", "CollateralDetail", "PublishingDetail")))
    yield Mutation(family, "empty CollateralDetail in a complete record", remove("CollateralDetail/TextContent"))
    yield Mutation(family, "empty CollateralDetail in a block update", chain(
        set_text("NotificationType", "04"), remove("CollateralDetail/TextContent")))
    yield Mutation(family, "DeletionText in a complete record", insert_after(
        "NotificationType", "<DeletionText>Withdrawn</DeletionText>"))
    yield Mutation(family, "DeletionText in a deletion", chain(
        set_text("NotificationType", "05"), insert_after("NotificationType", "<DeletionText>Sent in error</DeletionText>")))
    yield Mutation(family, "status only in the market", remove("PublishingDetail/PublishingStatus"))
    yield Mutation(family, "no publishing status anywhere", remove(
        "PublishingDetail/PublishingStatus", "ProductSupply/MarketPublishingDetail/MarketPublishingStatus"))
    yield Mutation(family, "early notification without DescriptiveDetail", chain(
        set_text("NotificationType", "01"), remove("DescriptiveDetail")))
    yield Mutation(family, "advance notification without PublishingDetail", chain(
        set_text("NotificationType", "02"), remove("PublishingDetail")))
    yield Mutation(family, "deletion without the blocks", chain(
        set_text("NotificationType", "05"), remove("DescriptiveDetail", "CollateralDetail", "PublishingDetail")))
    yield Mutation(family, "DeletionText in a block update", chain(
        set_text("NotificationType", "04"), insert_after("NotificationType", "<DeletionText>Updated</DeletionText>")))
    yield Mutation(family, "empty CollateralDetail in an advance notification", chain(
        set_text("NotificationType", "02"), remove("CollateralDetail/TextContent")))
    yield Mutation(family, "empty PromotionDetail in a complete record", insert_after(
        "CollateralDetail", "<PromotionDetail/>"))
    yield Mutation(family, "empty ContentDetail in a block update", chain(
        set_text("NotificationType", "04"), insert_after("CollateralDetail", "<ContentDetail/>")))


def _dates() -> Iterator[Mutation]:
    family = "dates"
    date = "PublishingDetail/PublishingDate/Date"
    yield Mutation(family, "day that does not exist", set_text(date, "20250230"))
    yield Mutation(family, "month 13", set_text(date, "20251301"))
    yield Mutation(family, "year only with its dateformat", chain(set_text(date, "2025"), lambda p: p.find(date).set("dateformat", "05")))
    yield Mutation(family, "year and month under a year format", chain(set_text(date, "202503"), lambda p: p.find(date).set("dateformat", "05")))
    yield Mutation(family, "range reversed", chain(set_text(date, "2025030120250201"), lambda p: p.find(date).set("dateformat", "06")))
    yield Mutation(family, "range in order", chain(set_text(date, "2025020120250301"), lambda p: p.find(date).set("dateformat", "06")))
    yield Mutation(family, "publishing date role repeated", insert_after(
        "PublishingDetail/PublishingDate", "<PublishingDate><PublishingDateRole>01</PublishingDateRole><Date>20250302</Date></PublishingDate>"))
    yield Mutation(family, "supply date role repeated", insert_after(
        "ProductSupply/SupplyDetail/SupplyDate", "<SupplyDate><SupplyDateRole>08</SupplyDateRole><Date>20250216</Date></SupplyDate>"))
    yield Mutation(family, "cancelled with a publication date", set_text("PublishingDetail/PublishingStatus", "01"))
    yield Mutation(family, "postponed indefinitely with a publication date", set_text("PublishingDetail/PublishingStatus", "03"))
    yield Mutation(family, "market cancelled with a market date", set_text(
        "ProductSupply/MarketPublishingDetail/MarketPublishingStatus", "01"))
    yield Mutation(family, "market date before the publication date", set_text(
        "ProductSupply/MarketPublishingDetail/MarketDate/Date", "20250201"))
    yield Mutation(family, "price valid from a date", append(
        PRICE2, "<PriceDate><PriceDateRole>14</PriceDateRole><Date>20250601</Date></PriceDate>"))
    yield Mutation(family, "price valid from after until", chain(
        append(PRICE2, "<PriceDate><PriceDateRole>14</PriceDateRole><Date>20250601</Date></PriceDate>"),
        append(PRICE2, "<PriceDate><PriceDateRole>15</PriceDateRole><Date>20250101</Date></PriceDate>")))
    yield Mutation(family, "price period in order", chain(
        append(PRICE2, "<PriceDate><PriceDateRole>14</PriceDateRole><Date>20250101</Date></PriceDate>"),
        append(PRICE2, "<PriceDate><PriceDateRole>15</PriceDateRole><Date>20250601</Date></PriceDate>")))
    yield Mutation(family, "price valid from after until by month", chain(
        append(PRICE2, '<PriceDate><PriceDateRole>14</PriceDateRole><Date dateformat="01">202506</Date></PriceDate>'),
        append(PRICE2, '<PriceDate><PriceDateRole>15</PriceDateRole><Date dateformat="01">202501</Date></PriceDate>')))
    yield Mutation(family, "price period in two formats", chain(
        append(PRICE2, '<PriceDate><PriceDateRole>14</PriceDateRole><Date dateformat="01">202506</Date></PriceDate>'),
        append(PRICE2, "<PriceDate><PriceDateRole>15</PriceDateRole><Date>20250101</Date></PriceDate>")))
    for name, born, died in (("death before birth", "1950", "1901"), ("birth before death", "1901", "1950")):
        yield Mutation(family, name, chain(*[append(
            "DescriptiveDetail/Contributor",
            f'<ContributorDate><ContributorDateRole>{role}</ContributorDateRole><Date dateformat="05">{year}</Date></ContributorDate>')
            for role, year in (("50", born), ("51", died))]))
    yield Mutation(family, "text available until before from", chain(*[append(
        "CollateralDetail/TextContent", f"<ContentDate><ContentDateRole>{role}</ContentDateRole><Date>{day}</Date></ContentDate>")
        for role, day in (("27", "20250601"), ("28", "20250101"))]))
    yield Mutation(family, "sales restriction ends before it starts", insert_after(
        SALES2, "<SalesRestriction><SalesRestrictionType>04</SalesRestrictionType><StartDate>20251231</StartDate>"
                "<EndDate>20250101</EndDate></SalesRestriction>"))


def _text() -> Iterator[Mutation]:
    family = "text"
    yield Mutation(family, "XHTML without textformat 05", replace(
        TEXT, '<Text textformat="06"><p>A careful study.</p></Text>'))
    yield Mutation(family, "XHTML with textformat 05", replace(
        TEXT, '<Text textformat="05"><p>A careful <em>study</em>.</p></Text>'))
    yield Mutation(family, "escaped markup in plain text", set_text(TEXT, "A <b>careful</b> study."))
    yield Mutation(family, "escaped HTML with textformat 02", replace(
        TEXT, '<Text textformat="02">A &lt;b&gt;careful&lt;/b&gt; study.</Text>'))
    yield Mutation(family, "non-ASCII in ASCII text", replace(TEXT, '<Text textformat="07">Caf\u00e9 study.</Text>'))
    yield Mutation(family, "ASCII text", replace(TEXT, '<Text textformat="07">Cafe study.</Text>'))
    yield Mutation(family, "font element in XHTML", replace(
        TEXT, '<Text textformat="05"><p><font>A careful study.</font></p></Text>'))
    yield Mutation(family, "empty text", set_text(TEXT, " "))
    yield Mutation(family, "decomposed accent", set_text(TEXT, "Cafe\u0301 study."))
    yield Mutation(family, "short description over 350 characters", insert_after(
        "CollateralDetail/TextContent",
        '<TextContent><TextType>02</TextType><ContentAudience>00</ContentAudience><Text textformat="06">'
        + "A careful study of worked examples. " * 11 + "</Text></TextContent>"))
    yield Mutation(family, "short description within 350 characters", insert_after(
        "CollateralDetail/TextContent",
        '<TextContent><TextType>02</TextType><ContentAudience>00</ContentAudience><Text textformat="06">'
        + "A careful study of worked examples. " * 9 + "</Text></TextContent>"))
    yield Mutation(family, "description repeated for one audience", insert_after(
        "CollateralDetail/TextContent",
        '<TextContent><TextType>03</TextType><ContentAudience>00</ContentAudience><Text textformat="06">Again.</Text></TextContent>'))
    yield Mutation(family, "description for another audience", insert_after(
        "CollateralDetail/TextContent",
        '<TextContent><TextType>03</TextType><ContentAudience>03</ContentAudience><Text textformat="06">For schools.</Text></TextContent>'))
    yield Mutation(family, "headline repeated for one audience", chain(*[insert_after(
        "CollateralDetail/TextContent",
        f'<TextContent><TextType>10</TextType><ContentAudience>00</ContentAudience><Text textformat="06">{words}</Text></TextContent>')
        for words in ("Read it.", "Read it again.")]))
    yield Mutation(family, "short description of 350 characters", insert_after(
        "CollateralDetail/TextContent",
        '<TextContent><TextType>02</TextType><ContentAudience>00</ContentAudience><Text textformat="06">'
        + "x" * 350 + "</Text></TextContent>"))
    yield Mutation(family, "XHTML short description over 350 characters", insert_after(
        "CollateralDetail/TextContent",
        '<TextContent><TextType>02</TextType><ContentAudience>00</ContentAudience><Text textformat="05"><p>'
        + "A careful study of worked examples. " * 10 + "</p></Text></TextContent>"))
    yield Mutation(family, "empty XHTML paragraph", replace(TEXT, '<Text textformat="05"><p> </p></Text>'))
    yield Mutation(family, "escaped tags and no text", replace(TEXT, '<Text textformat="02">&lt;p&gt; &lt;br/&gt; &lt;/p&gt;</Text>'))
    yield Mutation(family, "no-break space as the text", set_text(TEXT, "\u00a0"))
    yield Mutation(family, "empty text element", set_text(TEXT, ""))
    yield Mutation(family, "escaped tags the schema's pattern keeps", replace(
        TEXT, '<Text textformat="02">&lt;strong&gt;&lt;/strong&gt;</Text>'))
    yield Mutation(family, "empty contributor biography", append(
        "DescriptiveDetail/Contributor", "<BiographicalNote>  </BiographicalNote>"))
    yield Mutation(family, "empty edition statement", insert_after(
        "DescriptiveDetail/EditionNumber", "<EditionStatement>\n</EditionStatement>"))
    yield Mutation(family, "biographical note with one contributor", append(
        "CollateralDetail",
        '<TextContent><TextType>12</TextType><ContentAudience>00</ContentAudience><Text textformat="06">Jane Doe writes.</Text></TextContent>'))
    yield Mutation(family, "group biography of two contributors", chain(
        insert_after("DescriptiveDetail/Contributor", "<Contributor><SequenceNumber>2</SequenceNumber><ContributorRole>A01</ContributorRole>"
                                                      "<PersonName>John Roe</PersonName></Contributor>"),
        append("CollateralDetail",
               '<TextContent><TextType>12</TextType><ContentAudience>00</ContentAudience><Text textformat="06">Jane and John write.</Text></TextContent>')))
    yield Mutation(family, "original language the language of the text", insert_after(
        "DescriptiveDetail/Language", "<Language><LanguageRole>02</LanguageRole><LanguageCode>eng</LanguageCode></Language>"))
    yield Mutation(family, "translation from French", insert_after(
        "DescriptiveDetail/Language", "<Language><LanguageRole>02</LanguageRole><LanguageCode>fre</LanguageCode></Language>"))
    for name, link in (("cover link with a space", "https://example.com/covers/front cover.jpg"),
                       ("cover link percent-encoded", "https://example.com/covers/caf%C3%A9%20cover.jpg")):
        yield Mutation(family, name, append(
            "CollateralDetail",
            "<SupportingResource><ResourceContentType>01</ResourceContentType><ContentAudience>00</ContentAudience>"
            "<ResourceMode>03</ResourceMode><ResourceVersion><ResourceForm>02</ResourceForm>"
            f"<ResourceLink>{link}</ResourceLink></ResourceVersion></SupportingResource>"))


def _product() -> Iterator[Mutation]:
    family = "product"
    form = "DescriptiveDetail/ProductForm"
    yield Mutation(family, "e-book with measures", chain(
        set_text(form, "ED"), set_text("DescriptiveDetail/ProductFormDetail", "E101")))
    yield Mutation(family, "e-book without measures", chain(
        set_text(form, "ED"), set_text("DescriptiveDetail/ProductFormDetail", "E101"),
        remove("DescriptiveDetail/Measure", "DescriptiveDetail/ProductFormFeature")))
    yield Mutation(family, "paperback format on a hardback", chain(
        set_text(form, "BB"), set_text("DescriptiveDetail/ProductFormDetail", "B101")))
    yield Mutation(family, "trade paperback format on a paperback", set_text("DescriptiveDetail/ProductFormDetail", "B106"))
    yield Mutation(family, "product form detail repeated", insert_after(
        "DescriptiveDetail/ProductFormDetail", "<ProductFormDetail>B305</ProductFormDetail>"))
    yield Mutation(family, "audio format on a book", set_text("DescriptiveDetail/ProductFormDetail", "A103"))
    yield Mutation(family, "B-format paperback of the wrong height", set_text("DescriptiveDetail/ProductFormDetail", "B105"))
    yield Mutation(family, "B-format paperback of B-format size", chain(
        set_text("DescriptiveDetail/ProductFormDetail", "B105"),
        set_text("DescriptiveDetail/Measure[1]/Measurement", "198"), set_text("DescriptiveDetail/Measure[2]/Measurement", "129")))
    yield Mutation(family, "B-format paperback too wide in cm", chain(
        set_text("DescriptiveDetail/ProductFormDetail", "B105"),
        replace("DescriptiveDetail/Measure[1]", "<Measure><MeasureType>01</MeasureType><Measurement>19.8</Measurement><MeasureUnitCode>cm</MeasureUnitCode></Measure>"),
        replace("DescriptiveDetail/Measure[2]", "<Measure><MeasureType>02</MeasureType><Measurement>13.5</Measurement><MeasureUnitCode>cm</MeasureUnitCode></Measure>")))
    yield Mutation(family, "A-format paperback of A-format size", chain(
        set_text("DescriptiveDetail/ProductFormDetail", "B104"),
        set_text("DescriptiveDetail/Measure[1]/Measurement", "178"), set_text("DescriptiveDetail/Measure[2]/Measurement", "110")))
    yield Mutation(family, "A-format paperback of trade size", set_text("DescriptiveDetail/ProductFormDetail", "B104"))
    yield Mutation(family, "B-format height in inches", chain(
        set_text("DescriptiveDetail/ProductFormDetail", "B105"),
        replace("DescriptiveDetail/Measure[1]", "<Measure><MeasureType>01</MeasureType><Measurement>9.2</Measurement><MeasureUnitCode>in</MeasureUnitCode></Measure>"),
        remove("DescriptiveDetail/Measure[2]")))
    for kind, name, label in (("07", "own classification scheme without its name", None),
                              ("07", "own classification scheme with its name", "House"),
                              ("02", "customs tariff with a scheme name", "Tariff"),
                              ("02", "customs tariff", None)):
        type_name = f"<ProductClassificationTypeName>{label}</ProductClassificationTypeName>" if label else ""
        yield Mutation(family, name, insert_after(
            "DescriptiveDetail/Measure[2]",
            f"<ProductClassification><ProductClassificationType>{kind}</ProductClassificationType>{type_name}"
            "<ProductClassificationCode>49019900</ProductClassificationCode></ProductClassification>"))
    yield Mutation(family, "digital download with pack quantity", chain(
        set_text(form, "EA"), set_text("DescriptiveDetail/ProductFormDetail", "E101"),
        remove("DescriptiveDetail/Measure", "DescriptiveDetail/ProductFormFeature"),
        insert_after("ProductSupply/SupplyDetail/SupplyDate", "<PackQuantity>10</PackQuantity>")))


def _prices() -> Iterator[Mutation]:
    family = "prices"
    yield Mutation(family, "price type missing", remove(f"{PRICE2}/PriceType"))
    yield Mutation(family, "price type from the header default", remove(f"{PRICE2}/PriceType"), "defaults")
    yield Mutation(family, "currency missing", remove(f"{PRICE2}/CurrencyCode"))
    yield Mutation(family, "currency from the header default", remove(f"{PRICE2}/CurrencyCode"), "defaults")
    yield Mutation(family, "tax on an ex-tax price", set_text(f"{PRICE1}/PriceType", "01"))
    yield Mutation(family, "tax on an ex-tax agency price", set_text(f"{PRICE1}/PriceType", "05"))
    yield Mutation(family, "tax on a tax-inclusive agency price", set_text(f"{PRICE1}/PriceType", "07"))
    yield Mutation(family, "tax on a price typed by the header default", remove(f"{PRICE1}/PriceType"), "defaults")
    yield Mutation(family, "tax exempt tax-inclusive price", replace(
        PRICE2, "<Price><PriceType>02</PriceType><PriceAmount>10.00</PriceAmount><TaxExempt/><CurrencyCode>GBP</CurrencyCode></Price>"))
    yield Mutation(family, "tax exempt ex-tax price", replace(
        PRICE2, "<Price><PriceType>01</PriceType><PriceAmount>10.00</PriceAmount><TaxExempt/><CurrencyCode>GBP</CurrencyCode></Price>"))
    yield Mutation(family, "price is not taxable plus tax", tax_price("12.50", _single_tax("0", "12.00", "0.00")))
    yield Mutation(family, "taxable plus tax add up at 20%", tax_price("12.00", _single_tax("20", "10.00", "2.00")))
    yield Mutation(family, "tax amount is not its rate", tax_price("13.00", _single_tax("20", "10.00", "3.00")))
    yield Mutation(family, "rate alone does not add up", tax_price("12.00", _single_tax("5", "10.00", None)))
    yield Mutation(family, "rate alone within rounding", tax_price("10.99", _single_tax("7", "10.27", None)))
    yield Mutation(family, "off by two cents", tax_price("12.02", _single_tax("20", "10.00", "2.00")))
    yield Mutation(family, "off by half a cent", tax_price("12.005", _single_tax("20", "10.00", "2.00")))
    yield Mutation(family, "two rates add up", tax_price(
        "16.00", _single_tax("0", "4.00", "0.00"), _single_tax("20", "10.00", "2.00")))
    yield Mutation(family, "two rates do not add up", tax_price(
        "15.00", _single_tax("0", "4.00", "0.00"), _single_tax("20", "10.00", "2.00")))
    yield Mutation(family, "second tax without taxable amount", tax_price(
        "16.00", _single_tax("0", "4.00", "0.00"),
        "<Tax><TaxType>01</TaxType><TaxRatePercent>20</TaxRatePercent><TaxAmount>2.00</TaxAmount></Tax>"))
    yield Mutation(family, "zero price", set_text(f"{PRICE2}/PriceAmount", "0.00"))
    yield Mutation(family, "free of charge as unpriced item", replace(
        PRICE2, "<Price><PriceType>01</PriceType><UnpricedItemType>01</UnpricedItemType></Price>"))
    yield Mutation(family, "price type missing on the taxed price", remove(f"{PRICE1}/PriceType"))
    yield Mutation(family, "currency missing on the taxed price", remove(f"{PRICE1}/CurrencyCode"))
    yield Mutation(family, "zero taxed price", tax_price("0.00", _single_tax("0", "0.00", "0.00")))
    yield Mutation(family, "tax exempt tax-inclusive agency price", replace(
        PRICE2, "<Price><PriceType>07</PriceType><PriceAmount>10.00</PriceAmount><TaxExempt/><CurrencyCode>GBP</CurrencyCode></Price>"))
    yield Mutation(family, "tax on an ex-tax price from the header default", chain(
        remove(f"{PRICE2}/PriceType"), set_text(f"{PRICE1}/PriceType", "01")), "defaults")
    yield Mutation(family, "taxable amount above the price", tax_price("12.00", _single_tax("0", "14.00", "0.00")))
    yield Mutation(family, "tax amount of a 25% rate at 20%", tax_price("12.50", _single_tax("20", "10.00", "2.50")))
    yield Mutation(family, "second tax without taxable amount, amounts adding up", tax_price(
        "14.00", _single_tax("0", "2.00", "0.00"),
        "<Tax><TaxType>01</TaxType><TaxRatePercent>20</TaxRatePercent><TaxAmount>2.00</TaxAmount></Tax>"))


def _territories() -> Iterator[Mutation]:
    family = "territories"
    world_sale = ("<SalesRights><SalesRightsType>01</SalesRightsType><Territory>"
                  "<RegionsIncluded>WORLD</RegionsIncluded></Territory></SalesRights>")
    yield Mutation(family, "WORLD beside a region", set_text(f"{SALES2}/Territory/RegionsIncluded", "WORLD GB-ENG"))
    yield Mutation(family, "market country outside sales rights", set_text(MARKET, "GB US"))
    yield Mutation(family, "market countries inside sales rights", set_text(MARKET, "GB IE"))
    yield Mutation(family, "market country repeated", set_text(MARKET, "GB GB"))
    yield Mutation(family, "excluded countries repeated", set_text(f"{SALES2}/Territory/CountriesExcluded", "GB IE GB"))
    yield Mutation(family, "WORLD does not exclude an included country", set_text(f"{SALES2}/Territory/CountriesExcluded", "GB"))
    yield Mutation(family, "country in two sales rights", chain(
        set_text(f"{SALES1}/Territory/CountriesIncluded", "GB IE US"),
        insert_after(SALES1, "<SalesRights><SalesRightsType>03</SalesRightsType><Territory><CountriesIncluded>US</CountriesIncluded></Territory></SalesRights>")))
    yield Mutation(family, "no WORLD and no rest-of-world type", remove(SALES2))
    yield Mutation(family, "rest-of-world type instead of WORLD", chain(
        remove(SALES2), insert_after(SALES1, "<ROWSalesRightsType>03</ROWSalesRightsType>")))
    yield Mutation(family, "WORLD for sale", chain(remove(SALES2), replace(SALES1, world_sale)))
    yield Mutation(family, "rest-of-world type beside plain WORLD", chain(
        remove(SALES2), replace(SALES1, world_sale), insert_after(SALES1, "<ROWSalesRightsType>03</ROWSalesRightsType>")))
    yield Mutation(family, "WORLD for sale except the US, no rest of world", chain(
        remove(SALES2), replace(SALES1, "<SalesRights><SalesRightsType>01</SalesRightsType><Territory><RegionsIncluded>WORLD</RegionsIncluded>"
                                        "<CountriesExcluded>US</CountriesExcluded></Territory></SalesRights>")))
    yield Mutation(family, "exclusions from a region other than WORLD", replace(
        "ProductSupply/Market/Territory", "<Territory><RegionsIncluded>ECZ</RegionsIncluded><CountriesExcluded>DE</CountriesExcluded></Territory>"))
    yield Mutation(family, "included region within an included country", replace(
        "ProductSupply/Market/Territory", "<Territory><CountriesIncluded>GB</CountriesIncluded><RegionsIncluded>GB-SCT</RegionsIncluded></Territory>"))
    yield Mutation(family, "excluded region within an included country", replace(
        "ProductSupply/Market/Territory", "<Territory><CountriesIncluded>GB</CountriesIncluded><RegionsExcluded>GB-NIR</RegionsExcluded></Territory>"))
    yield Mutation(family, "excluded region outside the included countries", replace(
        "ProductSupply/Market/Territory", "<Territory><CountriesIncluded>GB</CountriesIncluded><RegionsExcluded>US-NY</RegionsExcluded></Territory>"))
    yield Mutation(family, "WORLD excluded", replace(
        "ProductSupply/Market/Territory", "<Territory><CountriesIncluded>GB</CountriesIncluded><RegionsExcluded>WORLD</RegionsExcluded></Territory>"))
    yield Mutation(family, "excluded region within an excluded country", insert_after(
        f"{SALES2}/Territory/CountriesExcluded", "<RegionsExcluded>GB-NIR</RegionsExcluded>"))
    yield Mutation(family, "contributor place region of another country", insert_after(
        "DescriptiveDetail/Contributor/KeyNames",
        "<ContributorPlace><ContributorPlaceRelator>01</ContributorPlaceRelator><CountryCode>FR</CountryCode>"
        "<RegionCode>GB-SCT</RegionCode></ContributorPlace>"))
    yield Mutation(family, "language region of another country", replace(
        "DescriptiveDetail/Language", "<Language><LanguageRole>01</LanguageRole><LanguageCode>fre</LanguageCode><CountryCode>FR</CountryCode><RegionCode>CA-QC</RegionCode></Language>"))
    yield Mutation(family, "language region of its country", replace(
        "DescriptiveDetail/Language", "<Language><LanguageRole>01</LanguageRole><LanguageCode>fre</LanguageCode><CountryCode>CA</CountryCode><RegionCode>CA-QC</RegionCode></Language>"))
    yield Mutation(family, "price without any territory", chain(
        remove("PublishingDetail/SalesRights", "ProductSupply/Market")))
    yield Mutation(family, "price with its own territory", chain(
        remove("PublishingDetail/SalesRights", "ProductSupply/Market"),
        insert_after(f"{PRICE1}/CurrencyCode", "<Territory><CountriesIncluded>GB</CountriesIncluded></Territory>"),
        insert_after(f"{PRICE2}/CurrencyCode", "<Territory><CountriesIncluded>GB</CountriesIncluded></Territory>")))


def _codes(full: bool) -> Iterator[Mutation]:
    family = "codes"
    yield Mutation(family, "product form unknown to the issue", set_text("DescriptiveDetail/ProductForm", "BQ"))
    yield Mutation(family, "notification type without leading zero", set_text("NotificationType", "3"))
    yield Mutation(family, "two-letter language code", set_text("DescriptiveDetail/Language/LanguageCode", "en"))
    yield Mutation(family, "unknown three-letter language", set_text("DescriptiveDetail/Language/LanguageCode", "xqz"))
    yield Mutation(family, "unknown country in a market", set_text(MARKET, "GB QQ"))
    yield Mutation(family, "unknown currency", set_text(f"{PRICE2}/CurrencyCode", "GBX"))
    yield Mutation(family, "label typed as a code", set_text("DescriptiveDetail/ProductForm", "Paperback"))
    yield Mutation(family, "unknown language attribute", lambda product: product.find(TEXT).set("language", "qqx"))
    yield Mutation(family, "known language attribute", lambda product: product.find(TEXT).set("language", "eng"))
    yield Mutation(family, "colour name instead of list 98 code", set_text(
        "DescriptiveDetail/ProductFormFeature/ProductFormFeatureValue", "BLACK"))
    yield Mutation(family, "colour code from list 98", set_text(
        "DescriptiveDetail/ProductFormFeature/ProductFormFeatureValue", "RED"))
    yield Mutation(family, "DVD region out of list 76", replace(
        "DescriptiveDetail/ProductFormFeature",
        "<ProductFormFeature><ProductFormFeatureType>05</ProductFormFeatureType><ProductFormFeatureValue>Z</ProductFormFeatureValue></ProductFormFeature>"))
    yield Mutation(family, "audience code out of list 28", set_text("DescriptiveDetail/Audience/AudienceCodeValue", "99"))
    yield Mutation(family, "audience code from list 28", set_text("DescriptiveDetail/Audience/AudienceCodeValue", "05"))
    for code, name in (("Z", "returns code out of list 204"), ("01", "returns code from list 204")):
        yield Mutation(family, name, insert_after(
            "ProductSupply/SupplyDetail/Supplier",
            f"<ReturnsConditions><ReturnsCodeType>04</ReturnsCodeType><ReturnsCode>{code}</ReturnsCode></ReturnsConditions>"))
    yield Mutation(family, "accessibility detail out of list 196", insert_after(
        "DescriptiveDetail/ProductFormFeature",
        "<ProductFormFeature><ProductFormFeatureType>09</ProductFormFeatureType><ProductFormFeatureValue>X9</ProductFormFeatureValue></ProductFormFeature>"))
    deprecated = ("GB-IOM", "GB-CHA", "CN-91") if full else ("GB-IOM",)
    for region in deprecated:
        yield Mutation(family, f"deprecated region {region}", replace(
            "ProductSupply/Market/Territory",
            f"<Territory><CountriesIncluded>GB</CountriesIncluded><RegionsIncluded>{region}</RegionsIncluded></Territory>"))


# ---------------------------------------------------------------------------------------
# Running


def build(mutation: Mutation, record: str) -> etree._Element:
    """The base product (no namespace) with the mutation applied and its own RecordReference."""
    product = etree.fromstring(BASE_PRODUCT)
    product.find("RecordReference").text = record
    mutation.apply(product)
    return product


def _message(header: str, products: list[etree._Element]) -> bytes:
    body = "\n".join(etree.tostring(product, encoding="unicode") for product in products)
    return f'<ONIXMessage xmlns="{NS}" release="3.0">\n{header}\n{body}\n</ONIXMessage>\n'.encode("utf-8")


def _message_info(header_key: str) -> MessageInfo:
    header = etree.fromstring(HEADERS[header_key])
    return MessageInfo(file="agreement.xml", release="3.0", tags="reference",
                       default_currency=header.findtext("DefaultCurrencyCode"),
                       default_price_type=header.findtext("DefaultPriceType"))


def run(strict_dir: Path = DEFAULT_STRICT, full: bool = False, jobs: int | None = None,
        schema: strict.StrictSchema | None = None) -> list[Outcome]:
    """Check every mutated product with the strict XSD and the native rules."""
    schema = schema or strict.load_once(strict_dir, "3.0")
    checks = RuleChecks()
    official = schemas.load_schema("3.0", "reference")
    outcomes: list[Outcome] = []
    for header_key in HEADERS:
        chosen = [mutation for mutation in mutations(full) if mutation.header == header_key]
        if not chosen:
            continue
        records = [f"agree-{header_key}-{index:03d}" for index in range(len(chosen))]
        products = [build(mutation, record) for mutation, record in zip(chosen, records)]
        data = _message(HEADERS[header_key], products)
        findings = strict.validate_strict(io.BytesIO(data), "agreement.xml", strict_dir, jobs=jobs, schema=schema)
        by_record: dict[str, set[str]] = {}
        for finding in findings:
            by_record.setdefault(finding.record or "", set()).add(finding.rule)
        info = _message_info(header_key)
        for mutation, record, product in zip(chosen, records, products):
            outcome = Outcome(mutation, record, strict_rules=by_record.get(record, set()))
            native, keys = checks.product(copy.deepcopy(product), info)
            native += checks.message(keys, info)
            outcome.native_errors = {f.rule for f in native if f.severity is Severity.ERROR}
            single = etree.fromstring(_message(HEADERS[header_key], [product]))
            outcome.xsd10_valid = official.validate(single)
            outcomes.append(outcome)
    return outcomes


@dataclass(frozen=True)
class FamilyFigures:
    family: str
    products: int
    strict_rejects: int
    native_errors: int
    caught: int  # strict rejects that also get a native error
    false_errors: int  # native errors on products the strict XSD accepts

    @property
    def recall(self) -> float | None:
        return self.caught / self.strict_rejects if self.strict_rejects else None

    @property
    def precision(self) -> float | None:
        return (self.native_errors - self.false_errors) / self.native_errors if self.native_errors else None


def figures(outcomes: list[Outcome]) -> list[FamilyFigures]:
    rows = []
    families = ["control", *FAMILIES]
    for family in families + ["all"]:
        chosen = [o for o in outcomes if family == "all" or o.mutation.family == family]
        rows.append(FamilyFigures(
            family, len(chosen),
            sum(o.strict_rejects for o in chosen),
            sum(o.native_rejects for o in chosen),
            sum(o.strict_rejects and o.native_rejects for o in chosen),
            sum(o.native_rejects and not o.strict_rejects for o in chosen)))
    return rows


def table(outcomes: list[Outcome]) -> str:
    """The per-family table, then every disagreement with both verdicts."""
    def percent(value: float | None) -> str:
        return "-" if value is None else f"{100 * value:.1f}%"

    lines = [f"{'family':<13} {'products':>8} {'strict rejects':>14} {'native errors':>13} {'recall':>7} "
             f"{'precision':>9} {'false errors':>12}"]
    for row in figures(outcomes):
        lines.append(f"{row.family:<13} {row.products:>8} {row.strict_rejects:>14} {row.native_errors:>13} "
                     f"{percent(row.recall):>7} {percent(row.precision):>9} {row.false_errors:>12}")
    misses = [o for o in outcomes if o.strict_rejects != o.native_rejects]
    if misses:
        lines.append("")
        lines.append("disagreements (family: mutation: strict | native | XSD 1.0 valid):")
        for o in misses:
            lines.append(f"  {o.mutation.family}: {o.mutation.name}: {' '.join(sorted(o.strict_rules)) or 'accepts'} | "
                         f"{' '.join(sorted(o.native_errors)) or 'no error'} | {o.xsd10_valid}")
    return "\n".join(lines)


REAL_ONIX = Path(__file__).resolve().parents[2] / "shared" / "real-onix"


def real_world(strict_dir: Path = DEFAULT_STRICT, folder: Path = REAL_ONIX, max_products: int = 50) -> dict:
    """Per-product verdicts of the strict XSD and the native rules on real ONIX 3.0 files.

    Uses the folder's manifest.json (files that parse, release 3.0, at most `max_products`
    products each). Returns counts and the products where the two disagree.
    """
    import json

    from onixfeed import onix

    schema = strict.load_once(strict_dir, "3.0")
    checks = RuleChecks()
    entries = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    products = agree = 0
    native_only: list[tuple[str, str, list[str]]] = []
    strict_only: list[tuple[str, str, list[str]]] = []
    for entry in entries:
        if entry.get("release") != "3.0" or not entry.get("well_formed_lxml") or entry["products"] > max_products:
            continue
        path = folder / entry["file"]
        strict_rules: dict[str, set[str]] = {}
        for finding in strict.validate_strict(str(path), path.name, strict_dir, jobs=1, schema=schema):
            if finding.record:
                strict_rules.setdefault(finding.record, set()).add(finding.rule)
        root = etree.parse(str(path)).getroot()
        if onix.local_name(root.tag) == onix.ROOTS["short"]:
            onix.convert_tags(root, "3.0", "reference")
        for node in root.iter(etree.Element):
            node.tag = onix.local_name(node.tag)
        header = root.find("Header")
        info = MessageInfo(path.name, "3.0", "reference",
                           default_currency=header.findtext("DefaultCurrencyCode") if header is not None else None,
                           default_price_type=header.findtext("DefaultPriceType") if header is not None else None)
        for product in root.iterfind("Product"):
            record = (product.findtext("RecordReference") or "").strip()
            found, _ = checks.product(product, info)
            native = sorted({f.rule for f in found if f.severity is Severity.ERROR})
            rejected = sorted(strict_rules.get(record, set()))
            products += 1
            if bool(native) == bool(rejected):
                agree += 1
            elif native:
                native_only.append((path.name, record, native))
            else:
                strict_only.append((path.name, record, rejected))
    return {"products": products, "agree": agree, "native_only": native_only, "strict_only": strict_only}


def main(argv: list[str] | None = None) -> None:
    argv = sys.argv[1:] if argv is None else argv
    strict_dir = Path(argv[0]) if argv else DEFAULT_STRICT
    if not (strict_dir / strict.STRICT_FILES["3.0"]).is_file():
        print(f"agreement: skipped, no {strict.STRICT_FILES['3.0']} in {strict_dir}")
        return
    full = os.environ.get("ONIXFEED_AGREEMENT_FULL") == "1"
    outcomes = run(strict_dir, full=full)
    print(f"Agreement of native rules with EDItEUR's strict XSD ({len(outcomes)} mutated products"
          f"{', full corpus' if full else ''}):")
    print(table(outcomes))
    if (REAL_ONIX / "manifest.json").is_file():
        real = real_world(strict_dir)
        print(f"Real-world 3.0 files ({REAL_ONIX.name}): {real['products']} products, verdicts agree on "
              f"{real['agree']}; native error where the strict XSD accepts: {len(real['native_only'])}; "
              f"strict rejects without a native error: {len(real['strict_only'])}")
        for name, record, rules in real["native_only"] + real["strict_only"]:
            print(f"  {name[:60]} {record}: {' '.join(rules)}")


if __name__ == "__main__":
    main()
