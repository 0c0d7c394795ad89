"""The persisted MessageNumber: one integer in the project's state folder (.onixfeed/, gitignored)."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from onixfeed.findings import InputError

FILE_NAME = "message-number"


def next_message_number(folder: Path) -> int:
    """The number the next message will carry: one more than the last one written (1 at first)."""
    path = folder / FILE_NAME
    try:
        text = path.read_text(encoding="ascii").strip()
    except FileNotFoundError:
        return 1
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}: cannot read the message number: {exc}") from exc
    if not text.isdigit():
        raise InputError(f"{path}: expected the last message number (a whole number), found {text[:40]!r}")
    return int(text) + 1


def save_message_number(folder: Path, number: int) -> None:
    """Remember `number` as the last one written (atomically: a crash keeps the old value)."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        descriptor, temporary = tempfile.mkstemp(prefix=f".{FILE_NAME}.", dir=folder)
        with os.fdopen(descriptor, "w", encoding="ascii") as handle:
            handle.write(f"{number}\n")
        os.replace(temporary, folder / FILE_NAME)
    except OSError as exc:
        raise InputError(f"{folder / FILE_NAME}: cannot save the message number: {exc.strerror or exc}") from exc
