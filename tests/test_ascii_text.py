"""MessageInfo.ascii_text: the engine tells a product its text is all ASCII only when the bytes
it was parsed from prove it, and TX005 (text not in NFC) still fires on every other product."""

from __future__ import annotations

import io
from dataclasses import dataclass, field

import pytest

from bench.generate import message_bytes
from onixfeed.validate import engine
from onixfeed.validate.batch_validation import ascii_text
from onixfeed.validate.rules import RuleChecks

DECLARED = b'<?xml version="1.0" encoding="%s"?>\n<ONIXMessage release="3.0">'


@pytest.mark.parametrize("prolog, data, expected", [
    (b"<ONIXMessage>", b"<Product><a>plain</a></Product>", True),
    (DECLARED % b"UTF-8", b"<Product><a>plain</a></Product>", True),
    (DECLARED % b"iso-8859-1", b"<Product><a>plain</a></Product>", True),
    (DECLARED % b"windows-1252", b"<Product><a>plain &amp; &lt;b&gt;</a></Product>", True),
    (b"<ONIXMessage>", "<Product><a>café</a></Product>".encode(), False),
    (b"<ONIXMessage>", b"<Product><a>cafe&#769;</a></Product>", False),  # a combining mark by reference
    (b"<ONIXMessage>", b"<Product><a>x&#x301;</a></Product>", False),
    (DECLARED % b"cp500", b"<Product><a>plain</a></Product>", False),  # EBCDIC: bytes mean other characters
    (DECLARED % b"UTF-16", b"<Product><a>plain</a></Product>", False),
    (b'<!DOCTYPE ONIXMessage [<!ENTITY e "x">]><ONIXMessage>', b"<Product><a>&e;</a></Product>", False),
    ("<ONIXMessage><!-- é -->".encode(), b"<Product><a>plain</a></Product>", False),
    (b"<ONIXMessage>", b"<Product><a>https://a\x7fb</a></Product>", False),  # DEL: ASCII, not printable
])
def test_ascii_text_only_when_the_bytes_prove_it(prolog, data, expected):
    assert ascii_text(prolog, data) is expected


@dataclass(frozen=True)
class Recording:
    """A Checks that notes what each product was told (jobs=1: the notes stay in this process)."""

    seen: list = field(default_factory=list, compare=False)

    def header(self, header, message):
        return []

    def product(self, product, message):
        self.seen.append(message.ascii_text)
        return [], []

    def message(self, keys, message):
        return []


def test_products_of_an_ascii_batch_are_told_and_others_are_not():
    data = message_bytes(6, seed=41)
    assert data.isascii()
    recording = Recording()
    engine.validate_stream(io.BytesIO(data), "message.xml", jobs=1, checks=recording, batch_bytes=20_000)
    assert recording.seen == [True] * 6
    accented = data.replace(b"<KeyNames>", "<KeyNames>Cafe\u0301 ".encode(), 1)  # only the first product
    recording = Recording()
    engine.validate_stream(io.BytesIO(accented), "message.xml", jobs=1, checks=recording, batch_bytes=1)
    assert recording.seen[0] is False and recording.seen[1:] == [True] * 5


def test_text_not_in_nfc_is_still_found_beside_ascii_batches():
    data = message_bytes(6, seed=42)
    decomposed = data.replace(b"<KeyNames>", "<KeyNames>Cafe\u0301 ".encode(), 1)
    result = engine.validate_stream(io.BytesIO(decomposed), "message.xml", jobs=1,
                                    checks=RuleChecks.from_mapping({"TX005": "warning"}), batch_bytes=1)
    assert [finding.rule for finding in result.findings] == ["TX005"]
