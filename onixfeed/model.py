"""A title's metadata as plain frozen dataclasses (codes already resolved), with no XML."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Text:
    """A supporting text: plain text (`xhtml` False) or an XHTML fragment."""

    body: str
    xhtml: bool = False


@dataclass(frozen=True)
class Contributor:
    sequence: int
    roles: tuple[str, ...]  # list 17
    person_name: str | None = None
    names_before_key: str | None = None
    key_names: str | None = None
    names_after_key: str | None = None
    corporate_name: str | None = None
    biography: Text | None = None
    identifiers: tuple[tuple[str, str], ...] = ()  # (list 44 type, value): ORCID 21, ISNI 16


@dataclass(frozen=True)
class Series:
    title: str
    number: str | None = None


@dataclass(frozen=True)
class Extent:
    type: str  # list 23
    value: str
    unit: str  # list 24


@dataclass(frozen=True)
class AncillaryContent:
    type: str  # list 25
    number: int | None = None
    description: str | None = None


@dataclass(frozen=True)
class Subject:
    scheme: str  # list 27
    code: str | None = None
    heading: str | None = None
    main: bool = False


@dataclass(frozen=True)
class Review:
    text: Text
    author: str | None = None
    affiliation: str | None = None  # TextSourceDescription: who the author is
    source_title: str | None = None  # the publication quoted
    source_corporate: str | None = None  # an organisation as author


@dataclass(frozen=True)
class Resource:
    content_type: str  # list 158
    mode: str  # list 159
    url: str
    form: str = "02"  # list 161: downloadable file


@dataclass(frozen=True)
class Territory:
    countries: tuple[str, ...] = ()
    regions: tuple[str, ...] = ()
    countries_excluded: tuple[str, ...] = ()


@dataclass(frozen=True)
class SalesRights:
    type: str  # list 46
    territory: Territory


@dataclass(frozen=True)
class Tax:
    type: str | None  # list 171
    rate_code: str | None  # list 62
    percent: str | None
    taxable_amount: str | None = None
    amount: str | None = None


@dataclass(frozen=True)
class Price:
    type: str | None  # list 58 (None: the Header's DefaultPriceType applies)
    amount: str
    currency: str  # list 96
    territory: Territory | None = None
    taxes: tuple[Tax, ...] = ()


@dataclass(frozen=True)
class Supplier:
    name: str
    role: str = "01"  # list 93
    identifiers: tuple[tuple[str, str], ...] = ()  # (list 92 type, value)


@dataclass(frozen=True)
class DatedEvent:
    role: str
    date: str  # YYYYMMDD, YYYYMM or YYYY
    format: str | None = None  # list 55, None for YYYYMMDD


@dataclass(frozen=True)
class Format:
    """One product of a title: its own identifier, form and prices."""

    reference: str
    isbn: str
    form: str  # list 150
    form_details: tuple[str, ...] = ()  # list 175
    extents: tuple[Extent, ...] = ()
    publishing_status: str | None = None
    publishing_dates: tuple[DatedEvent, ...] = ()
    supplier: Supplier | None = None
    availability: str | None = None  # list 65
    supply_dates: tuple[DatedEvent, ...] = ()
    prices: tuple[Price, ...] = ()
    unpriced: str | None = None  # list 57
    market: Territory | None = None  # where the supply details apply (ProductSupply/Market)


@dataclass(frozen=True)
class Record:
    """A title (a work) and its formats, as read from one record file."""

    file: str
    title: str
    formats: tuple[Format, ...]
    subtitle: str | None = None
    series: Series | None = None
    contributors: tuple[Contributor, ...] = ()
    contributor_statement: str | None = None
    edition_number: int | None = None
    edition_statement: str | None = None
    languages: tuple[tuple[str, str], ...] = ()  # (list 22 role, list 74 code)
    illustrations_note: str | None = None
    ancillary_content: tuple[AncillaryContent, ...] = ()
    subjects: tuple[Subject, ...] = ()
    audiences: tuple[str, ...] = ()  # list 28
    short_description: Text | None = None
    description: Text | None = None
    table_of_contents: Text | None = None
    reviews: tuple[Review, ...] = ()
    resources: tuple[Resource, ...] = ()
    publisher: str | None = None
    imprint: str | None = None
    city_of_publication: str | None = None
    country_of_publication: str | None = None
    copyright_year: int | None = None
    copyright_owner: tuple[str, str] | None = None  # ("person" or "corporate", name)
    sales_rights: tuple[SalesRights, ...] = ()
