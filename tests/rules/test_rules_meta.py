"""Meta-tests that keep the rules honest: documented, configured, tested, and robust to junk."""

from __future__ import annotations

import random
import re
from collections import Counter

import pytest
from lxml import etree

from onixfeed import onix
from onixfeed.validate.checks import MessageInfo
from onixfeed.validate.rules import FAMILIES, SECTIONS, RuleChecks, default_severities, registry
from rule_cases import TODAY, load_cases

RULES = registry()
IDS = [rule.code for rule in RULES]


def test_registry_is_not_empty_and_codes_are_unique():
    codes = [rule.code for rule in RULES]
    assert codes and len(codes) == len(set(codes))


@pytest.mark.parametrize("rule", RULES, ids=IDS)
def test_rule_is_named_and_documented(rule):
    assert re.fullmatch(r"[A-Z]{2}\d{3}", rule.code) and rule.code[:2] in FAMILIES
    assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)+", rule.name), rule.name
    assert rule.summary
    sections = rule.sections
    assert [name for name in SECTIONS if not sections.get(name)] == []


def test_rule_names_are_unique():
    repeated = [name for name, count in Counter(rule.name for rule in RULES).items() if count > 1]
    assert repeated == []


@pytest.mark.parametrize("rule", RULES, ids=IDS)
def test_rule_has_a_default_severity_in_the_base_profile(rule):
    assert default_severities()[rule.code] in ("error", "warning", "info", "off")


def test_base_profile_names_no_unknown_rule():
    assert sorted(set(default_severities()) - set(IDS)) == []


@pytest.mark.parametrize("rule", RULES, ids=IDS)
def test_rule_has_passing_and_failing_cases(rule):
    cases = [case for case in load_cases() if case.rule == rule.code]
    assert any(case.hits == 0 for case in cases), "no passing case"
    assert any(case.hits > 0 for case in cases), "no failing case"


def _junk_value(rng: random.Random) -> str | None:
    choices = [None, "", " ", "0", "00", "15", "01", "05", "X", "-1", "1e9", "9780367874827", "abc",
               "2024", "20241301", "2024-02-30", "20250101/20240101", "<p>x</p>", "&lt;b&gt;", "é\u0301",
               "\u0000".replace("\u0000", "\ufffd"), "9" * 40, "M230671187", "Ü" * 300]
    return rng.choice(choices)


def _junk_element(rng: random.Random, names: list[str], depth: int) -> etree._Element:
    element = etree.Element(rng.choice(names))
    if rng.random() < 0.3:
        element.set(rng.choice(["dateformat", "textformat", "language", "collationkey", "x"]),
                    _junk_value(rng) or "")
    if depth < 4 and rng.random() < 0.6:
        for _ in range(rng.randint(1, 6)):
            element.append(_junk_element(rng, names, depth + 1))
    else:
        element.text = _junk_value(rng)
    return element


def _mutated_cases(rng: random.Random) -> list[etree._Element]:
    """The rule cases' products with values swapped for junk and elements dropped or emptied."""
    mutated = []
    for case in load_cases():
        if case.kind == "header":
            continue
        root = etree.fromstring(case.xml.encode("utf-8"))
        products = [root] if case.kind == "product" else list(root.iterchildren("Product"))
        for product in products:
            for element in list(product.iter()):
                if element is product or not isinstance(element.tag, str):
                    continue
                roll = rng.random()
                if roll < 0.1 and element.getparent() is not None:
                    element.getparent().remove(element)
                elif roll < 0.5 and len(element) == 0:
                    element.text = _junk_value(rng)
                elif roll < 0.6:
                    element.set("dateformat", _junk_value(rng) or "")
            mutated.append(product)
    return mutated


def junk_products(count: int = 200, seed: int = 20260615) -> list[etree._Element]:
    """Products of random ONIX elements (nested anyhow) holding odd values, and mutated rule cases."""
    rng = random.Random(seed)
    names = sorted(set(onix.short_to_reference("3.0").values()))
    products = []
    for _ in range(count):
        product = etree.Element("Product")
        for _ in range(rng.randint(0, 12)):
            product.append(_junk_element(rng, names, 1))
        products.append(product)
    return products + _mutated_cases(rng) + _mutated_cases(rng)


def test_every_rule_survives_junk_products():
    checks = RuleChecks.from_mapping({rule.code: "error" for rule in RULES}, today=TODAY)
    info = MessageInfo(file="junk.xml", release="3.0", tags="reference", default_currency="")
    keys = []
    crashes = []
    for product in junk_products():
        findings, more = checks.product(product, info)
        keys.extend(more)
        crashes.extend(f.message for f in findings if f.rule == "RL001")
        crashes.extend(f.message for f in checks.header(product, info) if f.rule == "RL001")
    crashes.extend(f.message for f in checks.message(keys, info) if f.rule == "RL001")
    assert crashes == []


def test_a_crashing_rule_becomes_a_finding_not_an_exception(monkeypatch):
    rule = next(rule for rule in RULES if rule.scope == "product")

    def explode(product, context):
        raise ValueError("boom")
        yield  # pragma: no cover - makes this a generator like a rule's check

    monkeypatch.setattr(rule.module, "check", explode)
    # without screens: the rule's family screen would rightly keep it off this empty product
    checks = RuleChecks.from_mapping({rule.code: "error"}, today=TODAY, screens=False)
    findings, _ = checks.product(etree.fromstring("<Product/>"), MessageInfo("f.xml", "3.0", "reference"))
    assert [f.rule for f in findings] == ["RL001"]


def test_rules_skip_release_2_1_messages():
    product = etree.fromstring("<Product><NotificationType>03</NotificationType></Product>")
    checks = RuleChecks.from_mapping({"NT001": "error"}, today=TODAY)
    modern, _ = checks.product(product, MessageInfo("f.xml", "3.0", "reference"))
    legacy, _ = checks.product(product, MessageInfo("f.xml", "2.1", "reference"))
    assert ([f.rule for f in modern], legacy) == (["NT001", "NT001"], [])
