"""Family screens are sound: with them, every product gets exactly the findings it gets when every
rule runs on it. Compared on the rule cases, junk, generated products mutated at random (values
taken from the cases, so each rule's triggers come up), and the real-world corpus."""

from __future__ import annotations

import copy
import random
from dataclasses import replace
from pathlib import Path

import pytest
from lxml import etree

from bench.generate import message_bytes
from onixfeed.validate.checks import MessageInfo
from onixfeed.validate.rules import Context, RuleChecks, registry
from onixfeed.validate.run import iter_results
from rule_cases import TODAY, load_cases, passes_official_schema
from test_rules_meta import junk_products

SCREENED = [rule for rule in registry() if rule.screen is not None]
SCREENS = {rule.screen for rule in SCREENED}
EVERY_RULE = {rule.code: "error" for rule in registry()}
INFO = MessageInfo(file="screens.xml", release="3.0", tags="reference", default_currency=None)
REAL_ONIX = Path(__file__).resolve().parents[3] / "shared" / "real-onix"  # ../shared next to the clone


def _case_products() -> list[etree._Element]:
    products = []
    for case in load_cases():
        root = etree.fromstring(case.xml.encode("utf-8"))
        if case.kind == "product":
            products.append(root)
        elif case.kind == "message":
            products.extend(root.iterchildren("Product"))
    return products


def _value_pool() -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    """Texts by element name and values by attribute name, from every case: each rule's triggers."""
    texts: dict[str, set[str]] = {}
    attributes: dict[str, set[str]] = {}
    for product in _case_products():
        for element in product.iter(etree.Element):
            if len(element) == 0:
                texts.setdefault(element.tag, set()).add(element.text or "")
            for name, value in element.items():
                attributes.setdefault(name, set()).add(value)
    return ({tag: sorted(values) for tag, values in texts.items()},
            {name: sorted(values) for name, values in attributes.items()})


def _generated_products(count: int, seed: int) -> list[etree._Element]:
    data = message_bytes(count, seed=seed).replace(b' xmlns="http://ns.editeur.org/onix/3.0/reference"', b"")
    return list(etree.fromstring(data).iterchildren("Product"))


def _mutate(product: etree._Element, rng: random.Random, texts: dict, attributes: dict,
            donors: list[etree._Element], values_only: bool = False) -> etree._Element:
    """A copy of `product` with one to four changes: a value from the cases' pool, a composite
    repeated or dropped, an attribute changed, or a block of a case product put in (with
    `values_only`, one or two values changed: mutants the schema mostly still accepts)."""
    product = copy.deepcopy(product)
    for _ in range(rng.randint(1, 2) if values_only else rng.randint(1, 4)):
        elements = [element for element in product.iter(etree.Element) if element is not product]
        if not elements:
            break
        element = rng.choice(elements)
        roll = rng.random() * (0.45 if values_only else 1)
        parent = element.getparent()
        if roll < 0.45 and len(element) == 0:
            pool = texts.get(element.tag) or ["", " ", "0", "X"]
            element.text = rng.choice(pool)
        elif roll < 0.6:
            parent.insert(parent.index(element) + 1, copy.deepcopy(element))
        elif roll < 0.7:
            parent.remove(element)
        elif roll < 0.8:
            name = rng.choice(sorted(attributes))
            element.set(name, rng.choice(attributes[name]))
        else:
            donor = rng.choice(donors)
            blocks = [block for block in donor if isinstance(block.tag, str)]
            if blocks:
                block = copy.deepcopy(rng.choice(blocks))
                same = product.find(block.tag)
                if same is not None and rng.random() < 0.7:
                    product.replace(same, block)
                else:
                    product.append(block)
    return product


def _mutants(count: int, seed: int, values_only: bool = False) -> list[etree._Element]:
    rng = random.Random(seed)
    texts, attributes = _value_pool()
    donors = _case_products()
    bases = _generated_products(12, seed)
    if values_only:
        bases += [product for product in donors if passes_official_schema(product)]
    else:
        bases += donors
    return [_mutate(rng.choice(bases), rng, texts, attributes, donors, values_only) for _ in range(count)]


def _findings(products: list[etree._Element], info: MessageInfo, screens: bool) -> list[tuple]:
    checks = RuleChecks.from_mapping(EVERY_RULE, today=TODAY, screens=screens)
    found = []
    keys = []
    for product in products:
        more, more_keys = checks.product(product, info)
        found.extend((f.rule, f.line, f.xpath, f.message, f.record) for f in more)
        keys.extend(more_keys)
    found.extend((f.rule, f.line, f.xpath, f.message, f.record) for f in checks.message(keys, info))
    return found


def _assert_same(products: list[etree._Element], info: MessageInfo) -> None:
    for product in products:  # one by one, so a difference names its product
        screened = _findings([product], info, screens=True)
        every = _findings([product], info, screens=False)
        assert screened == every, etree.tostring(product, encoding="unicode")[:2000]


def test_some_rules_are_screened():
    assert SCREENED, "no rule names a SCREEN"


def test_screens_name_only_their_own_rules_and_never_raise():
    owners = {screen: {rule.code for rule in SCREENED if rule.screen is screen} for screen in SCREENS}
    for product in _case_products() + junk_products(seed=11) + _mutants(200, seed=5):
        context = Context(INFO, TODAY)
        for screen, codes in owners.items():
            named = set(screen(product, context))
            assert named <= codes, (screen.__module__, sorted(named - codes))


def test_same_findings_on_cases_and_junk():
    _assert_same(_case_products() + junk_products(seed=7), INFO)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_same_findings_on_mutated_products(seed):
    _assert_same(_mutants(400, seed), INFO)


def test_same_findings_on_mutated_products_the_schema_accepts():
    # as validate runs them on a product that passed the schema: the rules' schema_valid ways out
    valid = [product for product in _mutants(600, seed=4, values_only=True) if passes_official_schema(product)]
    assert len(valid) > 100
    _assert_same(valid, replace(INFO, schema_checked=True, schema_valid=True))


@pytest.mark.skipif(not REAL_ONIX.is_dir(), reason="../shared/real-onix is absent (a user's clone)")
def test_same_findings_on_the_real_world_corpus():
    files = sorted(str(path) for path in REAL_ONIX.iterdir() if path.is_file() and path.stat().st_size < 3_000_000)
    every = RuleChecks.from_mapping(EVERY_RULE, today=TODAY, screens=False)
    screened = RuleChecks.from_mapping(EVERY_RULE, today=TODAY, screens=True)

    def findings(checks):
        return [(r.name, f.rule, f.line, f.xpath, f.message) for r in iter_results(files, jobs=1, checks=checks)
                for f in r.findings]

    expected = findings(every)
    assert len(expected) > 1000
    assert findings(screened) == expected


def test_a_failing_screen_lets_its_family_run(monkeypatch):
    def broken(product, context):
        raise ValueError("a screen bug")

    for rule in SCREENED:
        if rule.code.startswith("NT"):
            monkeypatch.setattr(rule.module, "SCREEN", broken)
    product = etree.fromstring("<Product><RecordReference>r</RecordReference><NotificationType>03</NotificationType>"
                               "<PublishingDetail><PublishingStatus>04</PublishingStatus></PublishingDetail></Product>")
    checks = RuleChecks.from_mapping({"NT001": "error", "TX010": "error"}, today=TODAY)  # a mapping of its own: a new plan
    findings, _ = checks.product(product, INFO)
    assert [finding.rule for finding in findings] == ["NT001"]  # the screen failed: NT001 ran and found the missing block


def test_ms001_on_the_identifier_screen_finds_what_its_four_rules_find():
    # MS001 runs ID005-ID008 on the Header only when the identifier screen names one of them
    from onixfeed.validate.rules import ms001_header_identifier_invalid as ms001

    headers = [etree.fromstring(case.xml.encode("utf-8")) for case in load_cases() if case.kind == "header"]
    fired = 0
    for root in headers + _case_products() + junk_products(seed=13) + _mutants(300, seed=8):
        screened = [(hit.message, hit.element) for hit in ms001.check(root, Context(INFO, TODAY))]
        every = [(hit.message, hit.element) for rule in ms001.PARTY_RULES for hit in rule.check(root, Context(INFO, TODAY))]
        assert screened == every, etree.tostring(root, encoding="unicode")[:2000]
        fired += bool(every)
    assert fired >= 10  # enough roots where the rules do find something


def test_element_path_from_libxml2_equals_the_walked_path():
    from onixfeed.validate.rules import element_path, walked_path

    headers = [etree.fromstring(case.xml.encode("utf-8")) for case in load_cases() if case.kind != "product"]
    nested = etree.fromstring("<Product><A/><A><Product><B/><B/></Product></A><!-- c --></Product>")
    outside = etree.fromstring("<Feed><X/><X><Y/></X></Feed>")
    namespaced = etree.fromstring('<Product xmlns="urn:x"><A/><A><B/></A></Product>')
    roots = headers + _case_products() + junk_products(seed=17) + _mutants(200, seed=9) + [nested, outside, namespaced]
    checked = 0
    for root in roots:
        for element in root.iter():
            assert element_path(element) == walked_path(element), etree.tostring(root, encoding="unicode")[:500]
            checked += 1
    assert checked > 10_000
