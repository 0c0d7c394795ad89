"""The <ONIXMessage> envelope: a whole message for validation, and a streaming, atomic writer."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from lxml import etree

from onixfeed.build.elements import NAMESPACE, PREFIX

RELEASE = "3.0"
# lxml declares the default namespace on every serialised subtree; inside the message the
# root's declaration is inherited, so the product's own copy is dropped.
_OWN_DECLARATION = f' xmlns="{NAMESPACE}"'.encode()


def wrap(header: etree._Element, products: list[etree._Element]) -> etree._Element:
    """A message holding a copy of the header and the given products (moved in)."""
    root = etree.Element(PREFIX + "ONIXMessage", {"release": RELEASE}, nsmap={None: NAMESPACE})
    root.append(_copy(header))
    root.extend(products)
    return root


def _copy(node: etree._Element) -> etree._Element:
    return etree.fromstring(etree.tostring(node))


def product_bytes(product: etree._Element) -> bytes:
    """A Product serialised for the streaming writer: UTF-8, no own namespace declaration, newline."""
    text = etree.tostring(product, encoding="UTF-8")
    return text.replace(_OWN_DECLARATION, b"", 1) + b"\n"


class MessageWriter:
    """Writes a message product by product to an open binary file; memory stays flat."""

    def __init__(self, handle, header: etree._Element):
        self.handle = handle
        self.count = 0
        handle.write(b'<?xml version="1.0" encoding="UTF-8"?>\n')
        handle.write(f'<ONIXMessage xmlns="{NAMESPACE}" release="{RELEASE}">\n'.encode())
        handle.write(product_bytes(header))

    def write(self, product: bytes) -> None:
        self.handle.write(product)
        self.count += 1

    def close(self) -> None:
        self.handle.write(b"</ONIXMessage>\n")


class AtomicFile:
    """A temporary file beside `path`: `commit()` renames it onto path, anything else removes it.

    Used as a context manager, so a crash or an abandoned run never leaves a half-written feed.
    """

    def __init__(self, path: Path):
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        descriptor, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        self.temporary = Path(temporary)
        self.handle = os.fdopen(descriptor, "wb")
        self.committed = False

    def commit(self) -> None:
        self.handle.flush()
        os.fsync(self.handle.fileno())
        self.handle.close()
        os.replace(self.temporary, self.path)
        self.committed = True

    def __enter__(self) -> "AtomicFile":
        return self

    def __exit__(self, *exc_info) -> None:
        if not self.committed:
            self.handle.close()
            self.temporary.unlink(missing_ok=True)
