"""Generate rich, valid ONIX 3.0/3.1 messages of any size, seeded, streamed to a file."""

from __future__ import annotations

import random
import re
import sys
from pathlib import Path
from typing import BinaryIO

WORDS = (
    "river night garden letter winter city silence memory island mother war house journey light "
    "stone forest voice shadow promise secret summer harbour kingdom daughter engine storm salt "
    "empire music glass village doctor orchard border mirror lantern thunder archive tide"
).split()
FORMS = [("BB", None), ("BC", "B105"), ("BC", "B106"), ("ED", "E101"), ("BC", "B116")]
ROLES = ["A01", "A01", "A12", "B01", "B06", "A24"]
THEMA = ["FBA", "FFP", "FYT", "DNB", "NHB", "JBSF", "YFH", "WBA", "QRAB", "PDZ"]
BISAC = ["FIC022000", "FIC019000", "HIS037080", "BIO000000", "JUV037000", "CKB101000"]
COUNTRIES = "AT BE CY FI FR DE ES GR IE IT LU MT NL PT SI SK"
VERSION = 3  # bump when the output changes: bench data files carry it in their names
NAMES = [("Maria", "Lindqvist"), ("Tomas", "Okafor"), ("Ana", "Ribeiro"), ("Kenji", "Watanabe"),
         ("Claire", "Dubois"), ("Samuel", "Achterberg"), ("Leila", "Haddad"), ("Oskar", "Nilsen")]


def isbn13(number: int) -> str:
    """A valid ISBN-13 in the 978-1 range for a product number."""
    body = f"9781{number % 100_000_000:08d}"
    total = sum(int(digit) * (3 if i % 2 else 1) for i, digit in enumerate(body))
    return body + str((10 - total % 10) % 10)


def isni(number: int) -> str:
    """A valid ISNI (ISO 7064 MOD 11-2 check character) for a number."""
    body = f"000000012{number % 10**6:06d}"  # below the ORCID block (0000 0001 5...)
    total = 0
    for digit in body:
        total = (total + int(digit)) * 2
    check = (12 - total % 11) % 11
    return body + ("X" if check == 10 else str(check))


def _sentence(rng: random.Random, words: int) -> str:
    text = " ".join(rng.choice(WORDS) for _ in range(words))
    return text[0].upper() + text[1:] + "."


def _paragraphs(rng: random.Random, count: int, words: int) -> str:
    return "".join(f"<p>{' '.join(_sentence(rng, words) for _ in range(4))}</p>" for _ in range(count))


def _contributor(rng: random.Random, sequence: int) -> str:
    first, last = rng.choice(NAMES)
    return f"""      <Contributor>
        <SequenceNumber>{sequence}</SequenceNumber>
        <ContributorRole>{rng.choice(ROLES)}</ContributorRole>
        <NameIdentifier>
          <NameIDType>16</NameIDType>
          <IDValue>{isni(rng.randrange(10**8))}</IDValue>
        </NameIdentifier>
        <NamesBeforeKey>{first}</NamesBeforeKey>
        <KeyNames>{last}</KeyNames>
        <BiographicalNote textformat="05">{_paragraphs(rng, 2, 14)}</BiographicalNote>
      </Contributor>
"""


def _subject(scheme: str, code: str, main: bool) -> str:
    return f"""      <Subject>
{'        <MainSubject/>' + chr(10) if main else ''}        <SubjectSchemeIdentifier>{scheme}</SubjectSchemeIdentifier>
        <SubjectCode>{code}</SubjectCode>
      </Subject>
"""


def _price(rng: random.Random, kind: str, currency: str, countries: str) -> str:
    amount = f"{rng.randrange(499, 4999) / 100:.2f}"
    # Only tax-inclusive prices (list 58: 02) carry tax detail.
    tax = f"""            <Tax>
              <TaxType>01</TaxType>
              <TaxRateCode>{rng.choice("SZR")}</TaxRateCode>
              <TaxRatePercent>{rng.choice(["0.0", "5.5", "7.0", "20.0"])}</TaxRatePercent>
            </Tax>
""" if kind == "02" else ""
    return f"""          <Price>
            <PriceType>{kind}</PriceType>
            <PriceStatus>02</PriceStatus>
            <PriceAmount>{amount}</PriceAmount>
{tax}            <CurrencyCode>{currency}</CurrencyCode>
            <Territory>
              <CountriesIncluded>{countries}</CountriesIncluded>
            </Territory>
          </Price>
"""


def product(rng: random.Random, number: int) -> str:
    """One rich Product (about 12 KB): identifiers, titles, contributors, texts, supply."""
    form, detail = rng.choice(FORMS)
    isbn = isbn13(number)
    digital = form.startswith("E")
    # B-format (B105) has its fixed size, 197 x 129 mm; other formats vary.
    height, width = (197, 129) if detail == "B105" else (rng.randrange(170, 260), rng.randrange(110, 190))
    detail = f"      <ProductFormDetail>{detail}</ProductFormDetail>\n" if detail else ""
    measures = "" if digital else f"""      <Measure>
        <MeasureType>01</MeasureType>
        <Measurement>{height}</Measurement>
        <MeasureUnitCode>mm</MeasureUnitCode>
      </Measure>
      <Measure>
        <MeasureType>02</MeasureType>
        <Measurement>{width}</Measurement>
        <MeasureUnitCode>mm</MeasureUnitCode>
      </Measure>
      <CountryOfManufacture>GB</CountryOfManufacture>
"""
    pack = "" if digital else f"        <PackQuantity>{rng.randrange(1, 40)}</PackQuantity>\n"
    title = " ".join(rng.choice(WORDS).capitalize() for _ in range(rng.randrange(2, 5)))
    contributors = "".join(_contributor(rng, i + 1) for i in range(rng.randrange(2, 4)))
    subjects = _subject("93", rng.choice(THEMA), True) + _subject("10", rng.choice(BISAC), True)
    subjects += "".join(_subject("93", rng.choice(THEMA), False) for _ in range(rng.randrange(2, 6)))
    year = rng.randrange(1990, 2026)
    texts = "".join(f"""      <TextContent>
        <TextType>{kind}</TextType>
        <ContentAudience>00</ContentAudience>
        <Text textformat="05">{_paragraphs(rng, paragraphs, 16)}</Text>
      </TextContent>
""" for kind, paragraphs in (("03", 3), ("04", 2), ("13", 2)))
    # A short description stays within 350 characters, as EDItEUR's strict schema asks.
    short = f"""      <TextContent>
        <TextType>02</TextType>
        <ContentAudience>00</ContentAudience>
        <Text textformat="05"><p>{_sentence(rng, 10)} {_sentence(rng, 10)}</p></Text>
      </TextContent>
"""
    texts = short + texts
    prices = _price(rng, "02", "GBP", "GB") + _price(rng, "01", "EUR", COUNTRIES) + _price(rng, "01", "USD", "US")
    return f"""  <Product>
    <RecordReference>com.example.onixfeed.{number:09d}</RecordReference>
    <NotificationType>03</NotificationType>
    <RecordSourceType>01</RecordSourceType>
    <RecordSourceName>Example Publishing</RecordSourceName>
    <ProductIdentifier>
      <ProductIDType>15</ProductIDType>
      <IDValue>{isbn}</IDValue>
    </ProductIdentifier>
    <ProductIdentifier>
      <ProductIDType>03</ProductIDType>
      <IDValue>{isbn}</IDValue>
    </ProductIdentifier>
    <DescriptiveDetail>
      <ProductComposition>00</ProductComposition>
      <ProductForm>{form}</ProductForm>
{detail}{measures}      <NoCollection/>
      <TitleDetail>
        <TitleType>01</TitleType>
        <TitleElement>
          <TitleElementLevel>01</TitleElementLevel>
          <TitleText>{title}</TitleText>
          <Subtitle>{_sentence(rng, 6)}</Subtitle>
        </TitleElement>
      </TitleDetail>
{contributors}      <EditionNumber>{rng.randrange(1, 5)}</EditionNumber>
      <Language>
        <LanguageRole>01</LanguageRole>
        <LanguageCode>eng</LanguageCode>
      </Language>
      <Extent>
        <ExtentType>00</ExtentType>
        <ExtentValue>{rng.randrange(96, 900)}</ExtentValue>
        <ExtentUnit>03</ExtentUnit>
      </Extent>
{subjects}      <Audience>
        <AudienceCodeType>01</AudienceCodeType>
        <AudienceCodeValue>01</AudienceCodeValue>
      </Audience>
    </DescriptiveDetail>
    <CollateralDetail>
{texts}      <SupportingResource>
        <ResourceContentType>01</ResourceContentType>
        <ContentAudience>00</ContentAudience>
        <ResourceMode>03</ResourceMode>
        <ResourceVersion>
          <ResourceForm>02</ResourceForm>
          <ResourceLink>https://covers.example.com/{isbn}.jpg</ResourceLink>
        </ResourceVersion>
      </SupportingResource>
    </CollateralDetail>
    <PublishingDetail>
      <Imprint>
        <ImprintName>Example Imprint</ImprintName>
      </Imprint>
      <Publisher>
        <PublishingRole>01</PublishingRole>
        <PublisherName>Example Publishing Ltd</PublisherName>
      </Publisher>
      <CityOfPublication>London</CityOfPublication>
      <CountryOfPublication>GB</CountryOfPublication>
      <PublishingStatus>04</PublishingStatus>
      <PublishingDate>
        <PublishingDateRole>01</PublishingDateRole>
        <Date dateformat="00">{year}{rng.randrange(1, 13):02d}{rng.randrange(1, 29):02d}</Date>
      </PublishingDate>
      <SalesRights>
        <SalesRightsType>01</SalesRightsType>
        <Territory>
          <RegionsIncluded>WORLD</RegionsIncluded>
        </Territory>
      </SalesRights>
    </PublishingDetail>
    <RelatedMaterial>
      <RelatedProduct>
        <ProductRelationCode>06</ProductRelationCode>
        <ProductIdentifier>
          <ProductIDType>15</ProductIDType>
          <IDValue>{isbn13(number + 50_000_000)}</IDValue>
        </ProductIdentifier>
      </RelatedProduct>
    </RelatedMaterial>
    <ProductSupply>
      <Market>
        <Territory>
          <RegionsIncluded>WORLD</RegionsIncluded>
        </Territory>
      </Market>
      <MarketPublishingDetail>
        <MarketPublishingStatus>04</MarketPublishingStatus>
      </MarketPublishingDetail>
      <SupplyDetail>
        <Supplier>
          <SupplierRole>01</SupplierRole>
          <SupplierIdentifier>
            <SupplierIDType>06</SupplierIDType>
            <IDValue>5051366000000</IDValue>
          </SupplierIdentifier>
          <SupplierName>Example Distribution</SupplierName>
        </Supplier>
        <ReturnsConditions>
          <ReturnsCodeType>02</ReturnsCodeType>
          <ReturnsCode>Y</ReturnsCode>
        </ReturnsConditions>
        <ProductAvailability>21</ProductAvailability>
        <Stock>
          <OnHand>{rng.randrange(0, 5000)}</OnHand>
        </Stock>
{pack}{prices}      </SupplyDetail>
    </ProductSupply>
  </Product>
"""


HEADER = """  <Header>
    <Sender>
      <SenderName>Example Publishing Ltd</SenderName>
      <ContactName>Metadata team</ContactName>
      <EmailAddress>metadata@example.com</EmailAddress>
    </Sender>
    <Addressee>
      <AddresseeName>Example Retailer</AddresseeName>
    </Addressee>
    <MessageNumber>{number}</MessageNumber>
    <SentDateTime>20260101T120000Z</SentDateTime>
    <DefaultLanguageOfText>eng</DefaultLanguageOfText>
    <DefaultCurrencyCode>GBP</DefaultCurrencyCode>
  </Header>
"""

NAMESPACES = {
    ("3.0", "reference"): "http://ns.editeur.org/onix/3.0/reference",
    ("3.0", "short"): "http://ns.editeur.org/onix/3.0/short",
    ("3.1", "reference"): "http://ns.editeur.org/onix/3.1/reference",
    ("3.1", "short"): "http://ns.editeur.org/onix/3.1/short",
}


def _to_short(text: str, release: str) -> str:
    from onixfeed import onix

    mapping = onix.reference_to_short(release)
    return re.sub(r"<(/?)(\w+)", lambda m: f"<{m.group(1)}{mapping.get(m.group(2), m.group(2))}", text)


def write_message(out: BinaryIO, products: int, *, seed: int = 0, release: str = "3.0",
                  tags: str = "reference", namespace: bool = True, first: int = 1) -> int:
    """Write a whole message to a binary stream; returns the bytes written."""
    rng = random.Random(seed)
    root = "ONIXMessage" if tags == "reference" else "ONIXmessage"
    xmlns = f' xmlns="{NAMESPACES[(release, tags)]}"' if namespace else ""
    convert = (lambda text: _to_short(text, release)) if tags == "short" else (lambda text: text)
    written = 0
    chunk = [f'<?xml version="1.0" encoding="UTF-8"?>\n<{root}{xmlns} release="{release}">\n',
             convert(HEADER.format(number=seed + 1))]
    for number in range(first, first + products):
        chunk.append(convert(product(rng, number)))
        if len(chunk) >= 200:
            data = "".join(chunk).encode("utf-8")
            out.write(data)
            written += len(data)
            chunk = []
    chunk.append(f"</{root}>\n")
    data = "".join(chunk).encode("utf-8")
    out.write(data)
    return written + len(data)


def message_bytes(products: int, **options) -> bytes:
    """A whole message in memory (for tests: keep `products` small)."""
    import io

    buffer = io.BytesIO()
    write_message(buffer, products, **options)
    return buffer.getvalue()


def generate(path: Path, products: int, **options) -> Path:
    """Write a message file unless one of that name exists already (bench data is reused)."""
    path = Path(path)
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(".partial")
        with open(partial, "wb") as out:
            write_message(out, products, **options)
        partial.rename(path)
    return path


if __name__ == "__main__":  # python -m bench.generate PRODUCTS OUT.xml
    generate(Path(sys.argv[2]), int(sys.argv[1]))
