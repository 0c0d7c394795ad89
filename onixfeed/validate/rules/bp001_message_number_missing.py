"""The Header has no MessageNumber.

Checks:
    The message Header carries a MessageNumber. ONIX makes it optional, so this is best
    practice (a warning by default).

Why:
    Recipients use the sequence number to spot a missing or repeated delivery and to
    apply updates in order; without it a lost file goes unnoticed.

Pass:
    <Header><Sender>...</Sender><MessageNumber>231</MessageNumber><SentDateTime>20250301</SentDateTime></Header>

Fail:
    <Header><Sender>...</Sender><SentDateTime>20250301</SentDateTime></Header>
"""

from __future__ import annotations

from typing import Iterator

from onixfeed.validate.rules import Hit, child

CODE = "BP001"
NAME = "message-number-missing"
SCOPE = "header"


def check(header, context) -> Iterator[Hit]:
    number = child(header, "MessageNumber")
    if number is None or not (number.text or "").strip():
        yield Hit("the <Header> has no <MessageNumber>; number messages so recipients can detect a missing one",
                  number if number is not None else header)
