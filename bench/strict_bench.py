"""Benchmark `validate --strict-xsd` (xmlschema, EDItEUR's strict XSD 1.1) against the native rules.

xmlschema takes about 0.1 s a product, so the 10,000-product file would take a quarter
of an hour: a sample of its first products is timed (after a few untimed ones that warm
xmlschema's lazily compiled XPath up) and the time is extrapolated to the whole file,
which the output says. Target (issue 4): the native rules are at least 100 times faster
than the strict XSD. Needs EDItEUR's strict XSD (../shared/editeur beside the clone, or
STRICT_XSD=path); skipped without it.
"""

from __future__ import annotations

import io
import os
import time
from pathlib import Path

from lxml import etree

from onixfeed import onix
from onixfeed.validate import strict

DEFAULT_STRICT = Path(__file__).resolve().parents[2] / "shared" / "editeur"
SAMPLE = int(os.environ.get("STRICT_BENCH_SAMPLE", "200"))
WARM_UP = 10  # untimed products: xmlschema compiles each assertion's XPath on first use
TARGET = 100.0


def strict_path() -> Path | None:
    path = Path(os.environ.get("STRICT_XSD", DEFAULT_STRICT))
    return path if path.exists() else None


def sample_message(path: Path, count: int) -> bytes:
    """The file's root, Header and first `count` products as one message."""
    namespace = onix.NAMESPACES[("3.0", "reference")]
    header = None
    products = []
    for _, element in etree.iterparse(str(path), tag=(f"{{{namespace}}}Header", f"{{{namespace}}}Product")):
        if onix.local_name(element.tag) == "Header":
            header = etree.tostring(element, with_tail=False)
        else:
            products.append(etree.tostring(element, with_tail=False))
            if len(products) == count:
                break
    body = b"\n".join([header or b"", *products])
    return f'<ONIXMessage xmlns="{namespace}" release="3.0">\n'.encode() + body + b"\n</ONIXMessage>\n"


def time_strict(path: Path, total_products: int, xsd: Path) -> dict:
    """CPU seconds per product of the strict XSD in one process, and the extrapolation."""
    started = time.process_time()
    schema = strict.load_once(xsd, "3.0")
    compile_seconds = time.process_time() - started
    warm = sample_message(path, WARM_UP)
    strict.validate_strict(io.BytesIO(warm), "warm-up", xsd, jobs=1, schema=schema)
    message = sample_message(path, SAMPLE)
    started = time.process_time()
    findings = strict.validate_strict(io.BytesIO(message), path.name, xsd, jobs=1, schema=schema)
    seconds = time.process_time() - started
    per_product = seconds / SAMPLE
    return {"compile": compile_seconds, "per_product": per_product, "sample": SAMPLE,
            "extrapolated": compile_seconds + per_product * total_products, "findings": len(findings)}


def report(path: Path, total_products: int, native_seconds: float) -> list[str]:
    """Lines comparing the native validation (CPU s, one process) with the strict XSD."""
    xsd = strict_path()
    if xsd is None:
        return [f"  strict XSD: skipped (no EDItEUR strict XSD at {DEFAULT_STRICT}; set STRICT_XSD)"]
    figures = time_strict(path, total_products, xsd)
    ratio = figures["extrapolated"] / native_seconds if native_seconds else float("inf")
    verdict = "ok" if ratio >= TARGET else f"under the {TARGET:.0f}x target"
    return [
        f"  --strict-xsd, 1 process (CPU s): {figures['per_product'] * 1000:.0f} ms a product timed on "
        f"{figures['sample']} products, EXTRAPOLATED to {total_products}: {figures['extrapolated']:.0f} s "
        f"(incl. {figures['compile']:.1f} s compile); {figures['findings']} strict findings in the sample",
        f"  native validation with rules is {ratio:.0f}x faster than --strict-xsd ({verdict})",
    ]
