"""The message <Header>: sender from onixfeed.toml, message number, sent time, defaults."""

from __future__ import annotations

import datetime

from lxml import etree

from onixfeed.build.elements import add, element
from onixfeed.config import Config


def build_header(config: Config, message_number: int | None, sent: datetime.datetime) -> etree._Element:
    """A parentless <Header>; `sent` is written in UTC with its time (YYYYMMDDTHHMMSSZ)."""
    header = element("Header")
    sender = add(header, "Sender")
    for identifier in config.sender_identifiers:
        node = add(sender, "SenderIdentifier")
        add(node, "SenderIDType", identifier.type)
        if identifier.type_name:
            add(node, "IDTypeName", identifier.type_name)
        add(node, "IDValue", identifier.value)
    add(sender, "SenderName", config.sender_name)
    if config.sender_contact:
        add(sender, "ContactName", config.sender_contact)
    if config.sender_email:
        add(sender, "EmailAddress", config.sender_email)
    if message_number is not None:
        add(header, "MessageNumber", message_number)
    add(header, "SentDateTime", sent.astimezone(datetime.timezone.utc).strftime("%Y%m%dT%H%M%SZ"))
    if config.default_language:
        add(header, "DefaultLanguageOfText", config.default_language)
    if config.default_price_type:
        add(header, "DefaultPriceType", config.default_price_type)
    if config.default_currency:
        add(header, "DefaultCurrencyCode", config.default_currency)
    return header
