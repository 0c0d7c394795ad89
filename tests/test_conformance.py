"""The streaming engine agrees with libxml2 validating the whole document, on random mutants.

Each mutant of a valid message (seeded: elements deleted, duplicated, reordered, renamed,
moved; bad codes, dates and attributes; empty elements; RecordReferences repeated across
products; Header and root damage; broken XML) is validated twice: by the engine, split
into batches of one product each, and by lxml's XMLSchema on the whole document. Both must
give the same verdict, the same lines and the same products with errors; for a document
that is not well-formed, the same first error line and nothing reported after it.
"""

from __future__ import annotations

import copy
import io
import json
import random
import re
from pathlib import Path

import pytest
from lxml import etree

from bench.generate import message_bytes
from onixfeed import onix, schemas
from onixfeed.validate import engine, parsing

SHARED = Path(__file__).resolve().parents[2] / "shared" / "real-onix"
MUTANTS_PER_BASE = 60
BAD_CODES = ["XX", "99", "BX", "", "0", "A1"]
BAD_DATES = ["20241345", "2024-01-01", "yesterday", "1", "20240229T25"]


def generated_bases() -> list[tuple[str, bytes]]:
    return [
        ("generated-3.0-reference", message_bytes(4, seed=11)),
        ("generated-3.0-short", message_bytes(3, seed=12, tags="short")),
        ("generated-3.1-reference", message_bytes(3, seed=13, release="3.1")),
        ("generated-3.0-no-namespace", message_bytes(3, seed=14, namespace=False)),
        # Machines often write a whole message on one line: every line is 1, products still differ.
        ("generated-3.0-one-line", re.sub(rb">\s+<", b"><", message_bytes(3, seed=15))),
        # Some systems write every tag with a prefix: libxml2's error paths then name elements.
        ("generated-3.0-prefixed", prefixed(message_bytes(3, seed=16))),
    ]


def prefixed(data: bytes) -> bytes:
    """A message with every element written as onix:Name, the namespace bound to that prefix."""
    data = re.sub(rb"<(/?)([A-Za-z]\w*)(?=[\s/>])", rb"<\1onix:\2", data)
    return data.replace(b'xmlns="http://ns.editeur.org/onix/3.0/reference"',
                        b'xmlns:onix="http://ns.editeur.org/onix/3.0/reference"', 1)


def real_bases() -> list[tuple[str, bytes]]:
    """The valid files of the shared real-world corpus, 2.1 to 3.1 (none when it is absent)."""
    manifest = SHARED / "manifest.json"
    if not manifest.is_file():
        return []
    entries = json.loads(manifest.read_text(encoding="utf-8"))
    chosen = [e for e in entries if e.get("xsd_valid") and e.get("validated_as") in ("2.1", "3.0", "3.1")]
    return [(entry["file"], (SHARED / entry["file"]).read_bytes()) for entry in chosen]


def flavour_of_bytes(data: bytes) -> onix.Flavour:
    root = etree.fromstring(data, parsing.make_parser())
    return onix.flavour_of(root.tag, root.get("release"))


def whole_document(data: bytes) -> dict:
    """What libxml2 says about the whole document: the oracle."""
    try:
        root = etree.fromstring(data, parsing.make_parser())
    except etree.XMLSyntaxError as error:
        return {"syntax": error.position[0]}
    flavour = onix.flavour_of(root.tag, root.get("release"))
    if not flavour.namespace:
        # As onixcheck does: the whole tree moved into the official namespace.
        for element in root.iter(etree.Element):
            element.tag = f"{{{flavour.official_namespace}}}{onix.local_name(element.tag)}"
    schema = schemas.load_schema(flavour.release, flavour.tags)
    schema.validate(root.getroottree())
    errors = list(schema.error_log)
    products = set()
    top_level = _products(root)
    for error in errors:
        prefixes = {prefix: flavour.official_namespace for prefix in re.findall(r"(\w+):", error.path or "")}
        found = root.getroottree().xpath(error.path, namespaces=prefixes) if error.path else []
        node = found[0] if found else None
        while node is not None and node.getparent() is not None and node.getparent() is not root:
            node = node.getparent()
        if node is not None and node in top_level:
            products.add(top_level.index(node) + 1)
    return {"valid": not errors, "lines": {error.line for error in errors}, "products": products}


def engine_result(data: bytes, jobs: int = 1) -> engine.FileResult:
    return engine.validate_stream(io.BytesIO(data), "mutant.xml", jobs=jobs, batch_bytes=1)


def product_numbers(result: engine.FileResult) -> set[int]:
    numbers = set()
    for finding in result.findings:
        match = re.search(r"/(?:Product)\[(\d+)\]", finding.xpath or "")
        if match:
            numbers.add(int(match.group(1)))
    return numbers


def assert_agrees(data: bytes, label: str, jobs: int = 1) -> None:
    oracle = whole_document(data)
    result = engine_result(data, jobs)
    if "syntax" in oracle:
        syntax = [f for f in result.findings if f.rule == "XS000"]
        assert syntax, f"{label}: the engine missed the well-formedness error at line {oracle['syntax']}"
        assert syntax[0].line == oracle["syntax"], f"{label}: XS000 at {syntax[0].line}, libxml2 {oracle['syntax']}"
        assert result.findings[-1].rule == "XS000", f"{label}: findings after the well-formedness error"
        return
    assert result.valid == oracle["valid"], f"{label}: verdict {result.valid}, libxml2 {oracle['valid']}"
    lines = {f.line for f in result.findings}
    assert lines == oracle["lines"], f"{label}: lines {sorted(lines)}, libxml2 {sorted(oracle['lines'])}"
    assert product_numbers(result) == oracle["products"], (
        f"{label}: products {sorted(product_numbers(result))}, libxml2 {sorted(oracle['products'])}"
    )


# --- mutations: each takes (rng, root) and changes the tree in place -------------------------

def _elements(root: etree._Element, leaves: bool | None = None) -> list[etree._Element]:
    found = [e for e in root.iter(etree.Element) if e is not root]
    if leaves is True:
        found = [e for e in found if len(e) == 0]
    elif leaves is False:
        found = [e for e in found if len(e)]
    return found


def _products(root: etree._Element) -> list[etree._Element]:
    return [e for e in root if onix.local_name(e.tag) in ("Product", "product")]


def delete(rng, root):
    element = rng.choice(_elements(root))
    element.getparent().remove(element)


def duplicate(rng, root):
    element = rng.choice(_elements(root))
    element.addnext(copy.deepcopy(element))


def reorder(rng, root):
    element = rng.choice([e for e in _elements(root) if e.getnext() is not None] or _elements(root))
    following = element.getnext()
    if following is not None:
        following.addnext(element)


def rename(rng, root):
    element = rng.choice(_elements(root))
    names = sorted({e.tag for e in _elements(root)})
    namespace = onix.namespace_of(element.tag)
    other = rng.choice(names + [f"{{{namespace}}}Bogus" if namespace else "Bogus"])
    element.tag = other


def move(rng, root):
    element = rng.choice(_elements(root))
    target = rng.choice(_elements(root, leaves=False) + [root])
    if element in target.iterancestors() or element is target:
        return
    target.insert(rng.randrange(len(target) + 1), element)


def bad_code(rng, root):
    leaves = [e for e in _elements(root, leaves=True) if e.text and re.fullmatch(r"[0-9A-Z]{2,4}", e.text.strip())]
    if leaves:
        rng.choice(leaves).text = rng.choice(BAD_CODES)


def bad_date(rng, root):
    dates = [e for e in _elements(root, leaves=True) if onix.local_name(e.tag) in ("Date", "SentDateTime", "b306", "x307", "j143")]
    if dates:
        rng.choice(dates).text = rng.choice(BAD_DATES)


def bad_attribute(rng, root):
    element = rng.choice(_elements(root))
    name, value = rng.choice([("foo", "x"), ("textformat", "99"), ("dateformat", "zz"), ("datestamp", "x1"),
                              ("language", "english"), ("sourcename", "")])
    element.set(name, value)


def empty(rng, root):
    leaves = [e for e in _elements(root, leaves=True) if e.text]
    if leaves:
        rng.choice(leaves).text = rng.choice(["", " "])


def repeat_record_reference(rng, root):
    products = _products(root)
    if len(products) < 2:
        if products:
            products[0].addnext(copy.deepcopy(products[0]))
        return
    source, target = rng.sample(products, 2)
    if len(source) and len(target):
        target[0].text = source[0].text


def add_product(rng, root):
    products = _products(root)
    if not products:
        return
    clone = copy.deepcopy(rng.choice(products))
    if len(clone):
        clone[0].text = f"mutant-{rng.randrange(10**6)}"
    products[-1].addnext(clone)


def header_damage(rng, root):
    header = next((e for e in root if onix.local_name(e.tag) in ("Header", "header")), None)
    if header is None:
        return
    choice = rng.randrange(4)
    if choice == 0:
        root.remove(header)
    elif choice == 1:
        header.addnext(copy.deepcopy(header))
    elif choice == 2:
        _products(root)[0].addnext(header)
    else:
        header.insert(0, etree.Element(header.tag.replace("Header", "Bogus").replace("header", "bogus")))


def root_damage(rng, root):
    products = _products(root)
    choice = rng.randrange(4) if products else 1  # an earlier mutation may have taken every product
    namespace = onix.namespace_of(root.tag)
    if choice == 0:
        rng.choice(products).addnext(etree.Element(f"{{{namespace}}}Bogus" if namespace else "Bogus"))
    elif choice == 1:
        root.set("release", rng.choice(["3.5", "2.1", ""]))
    elif choice == 2:
        products[-1].addnext(etree.Element(f"{{{namespace}}}NoProduct" if namespace else "NoProduct"))
    else:
        root.set("foo", "bar")


TREE_MUTATIONS = [delete, duplicate, reorder, rename, move, bad_code, bad_code, bad_date, bad_attribute, empty,
                  repeat_record_reference, repeat_record_reference, add_product, header_damage, root_damage]


def break_bytes(rng: random.Random, data: bytes) -> bytes:
    """Damage that leaves the document not well-formed (or, now and then, still well-formed)."""
    ends = [m.start() for m in re.finditer(rb"</[A-Za-z][\w:]*>", data)]
    choice = rng.randrange(5)
    if choice == 0:
        return data[: rng.randrange(len(data) // 2, len(data))]  # truncated
    if choice == 1:
        at = rng.choice(ends)
        return data[:at] + data[data.index(b">", at) + 1:]  # an end tag removed
    if choice == 2:
        at = rng.choice(ends)
        return data[:at] + b"<" + data[at:]
    if choice == 3:
        at = rng.choice(ends)
        return data[:at] + b"<!-- unclosed" + data[at:]
    return data + b"<trailing/>"


def serialise(root: etree._Element, original: bytes) -> bytes:
    declaration = re.match(rb"\s*<\?xml[^>]*\?>\s*", original)
    body = etree.tostring(root, encoding="utf-8")
    body = re.sub(rb"^<\?xml[^>]*\?>\s*", b"", body)
    return (declaration.group(0) if declaration else b"") + body


def mutants(name: str, data: bytes, count: int, seed: int):
    rng = random.Random(seed)
    parsed = etree.fromstring(data, parsing.make_parser())
    for number in range(count):
        root = copy.deepcopy(parsed)
        if len(_products(root)) < 2 and rng.random() < 0.7:
            add_product(rng, root)
        steps = rng.choice([1, 1, 1, 2, 3])
        applied = []
        for _ in range(steps):
            mutation = rng.choice(TREE_MUTATIONS)
            try:
                mutation(rng, root)
            except IndexError:
                continue  # earlier steps left nothing for this one to act on
            applied.append(mutation.__name__)
        mutant = serialise(root, data)
        if rng.random() < 0.12:
            mutant = break_bytes(rng, mutant)
            applied.append("break_bytes")
        yield f"{name} #{number} ({', '.join(applied)})", mutant


@pytest.mark.parametrize("base", range(6))
def test_generated_bases_are_valid(base):
    name, data = generated_bases()[base]
    assert whole_document(data)["valid"], name
    assert engine_result(data).valid


@pytest.mark.parametrize("index", range(6))
def test_mutants_of_generated_messages_agree_with_libxml2(index):
    name, data = generated_bases()[index]
    for label, mutant in mutants(name, data, MUTANTS_PER_BASE * 2, seed=index):
        assert_agrees(mutant, label)


def test_mutants_of_real_messages_agree_with_libxml2():
    bases = real_bases()
    if not bases:
        pytest.skip("the shared real-world corpus is absent")
    for index, (name, data) in enumerate(bases):
        for label, mutant in mutants(name, data, max(10, 300 // len(bases)), seed=100 + index):
            assert_agrees(mutant, label)


def test_mutants_agree_with_libxml2_in_worker_processes():
    name, data = generated_bases()[0]
    for label, mutant in mutants(name, data, 12, seed=999):
        assert_agrees(mutant, label, jobs=2)


def test_every_real_file_gets_the_official_verdict_and_libxml2_lines():
    manifest = SHARED / "manifest.json"
    if not manifest.is_file():
        pytest.skip("the shared real-world corpus is absent")
    for entry in json.loads(manifest.read_text(encoding="utf-8")):
        data = (SHARED / entry["file"]).read_bytes()
        assert engine_result(data).valid == entry["xsd_valid"], entry["file"]
        if entry["well_formed_lxml"] and entry["encoding"].lower().startswith("utf-8"):
            assert_agrees(data, entry["file"])
