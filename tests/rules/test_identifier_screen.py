"""The identifier family's screen and its fast paths: a clean product rules the family out, each
value rule's valid() is exactly its check's verdict, the screen's memory of accepted values
never hides a rejected one, and the faster check character equals the ISO 7064 digit loop."""

from __future__ import annotations

import random

import pytest
from lxml import etree

from bench.generate import message_bytes
from onixfeed.validate.checks import MessageInfo
from onixfeed.validate.rules import Context, registry, rules_by_code
from onixfeed.validate.rules import identifiers
from rule_cases import TODAY, load_cases

INFO = MessageInfo(file="identifiers.xml", release="3.0", tags="reference")
FAMILY = [rule for rule in registry() if rule.code.startswith("ID")]
VALUE_RULES = [rule for rule in FAMILY if hasattr(rule.module, "valid")]


def _generated(count: int, seed: int) -> list[etree._Element]:
    data = message_bytes(count, seed=seed).replace(b' xmlns="http://ns.editeur.org/onix/3.0/reference"', b"")
    return list(etree.fromstring(data).iterchildren("Product"))


def _product(xml: str) -> etree._Element:
    return etree.fromstring(xml.encode("utf-8"))


def test_every_product_rule_of_the_family_names_the_screen():
    product_rules = {rule.code for rule in FAMILY if rule.scope == "product"}
    screened = {rule.code for rule in FAMILY if rule.screen is identifiers.screen}
    assert screened == product_rules
    assert {rule.code for rule in VALUE_RULES} == {f"ID00{digit}" for digit in range(1, 9)}


def test_generated_products_rule_the_family_out():
    for product in _generated(30, seed=3):
        assert not identifiers.screen(product, Context(INFO, TODAY))


def test_a_product_without_identifiers_rules_the_family_out():
    assert not identifiers.screen(_product("<Product><NotificationType>03</NotificationType></Product>"),
                                  Context(INFO, TODAY))


@pytest.mark.parametrize("xml, code", [
    ("<Product><ProductIdentifier><ProductIDType>15</ProductIDType><IDValue>9780306406158</IDValue>"
     "</ProductIdentifier></Product>", "ID001"),
    ("<Product><ProductIdentifier><ProductIDType>02</ProductIDType><IDValue>0306406152</IDValue>"
     "</ProductIdentifier></Product>", "ID014"),
    ("<Product><ProductIdentifier><ProductIDType>15</ProductIDType><IDValue>9780306406157</IDValue>"
     "</ProductIdentifier><ProductIdentifier><ProductIDType>03</ProductIDType><IDValue>9780367874827</IDValue>"
     "</ProductIdentifier></Product>", "ID009"),
    ("<Product><ProductSupply><SupplyDetail><Price><PriceIdentifier><PriceIDType>04</PriceIDType>"
     "<IDValue>P</IDValue></PriceIdentifier></Price></SupplyDetail></ProductSupply></Product>", "ID010"),
])
def test_the_screen_names_the_rule_a_product_breaks(xml, code):
    assert code in identifiers.screen(_product(xml), Context(INFO, TODAY))


def _case_values(rule) -> list[tuple[str, str]]:
    """(type, value) of every composite the rule's TYPES cover in any case, plus a few edge shapes."""
    found = []
    for case in load_cases():
        if case.kind != "product":
            continue
        product = _product(case.xml)
        for tag, rows in identifiers.composites(product, Context(INFO, TODAY)).items():
            for row in rows:
                if row.kind in rule.module.TYPES.get(tag, ()):
                    found.append((row.kind, row.value))
    kinds = sorted({kind for kinds in rule.module.TYPES.values() for kind in kinds})
    edges = ["", "X", "0" * 16, "000000012146438x", "9790000000001", "M000000001", "٩٧٨٠٣٠٦٤٠٦١٥٧"]
    return found + [(kind, value) for kind in kinds for value in edges]


@pytest.mark.parametrize("rule", VALUE_RULES, ids=lambda rule: rule.code)
def test_valid_is_exactly_what_the_check_accepts(rule):
    # one composite per value, so each check's hits are that value's verdict
    tag = next(iter(rule.module.TYPES))
    type_tag = identifiers.type_element(tag)
    values = _case_values(rule)
    assert any(not rule.module.valid(kind, value) for kind, value in values)
    for kind, value in values:
        if kind not in rule.module.TYPES[tag]:
            continue
        product = etree.Element("Product")
        composite = etree.SubElement(product, tag)
        etree.SubElement(composite, type_tag).text = kind
        etree.SubElement(composite, "IDValue").text = value
        hits = list(rule.module.check(product, Context(INFO, TODAY)))
        assert (not hits) == rule.module.valid(kind, value), (kind, value)


def test_a_rejected_value_is_never_remembered_and_memory_is_bounded(monkeypatch):
    monkeypatch.setattr(identifiers, "_ACCEPTED_LIMIT", 2)
    plans = identifiers._screen_plans()
    accepted = next(memory for code, _, memory, _ in plans["ProductIdentifier"][1]["15"] if code == "ID001")
    accepted.clear()
    products = [_product(f"<Product><ProductIdentifier><ProductIDType>15</ProductIDType><IDValue>{value}</IDValue>"
                         "</ProductIdentifier></Product>")
                for value in ("9780306406157", "9780306406158", "9780367874827", "9781000000016")]
    verdicts = [("ID001" in identifiers.screen(product, Context(INFO, TODAY))) for product in products]
    assert verdicts == [False, True, False, False]
    assert "9780306406158" not in accepted
    assert len(accepted) <= 2
    # asked again, the rejected value is still rejected and the remembered ones still pass
    assert "ID001" in identifiers.screen(products[1], Context(INFO, TODAY))
    assert not identifiers.screen(products[3], Context(INFO, TODAY))
    accepted.clear()


def _mod11_2_by_the_digit_loop(value: str) -> str:
    total = 0
    for char in value[:15]:
        total = (total + int(char)) * 2
    result = (12 - total % 11) % 11
    return "X" if result == 10 else str(result)


def test_the_check_character_equals_the_iso_7064_digit_loop():
    rng = random.Random(5)
    values = ["".join(rng.choice("0123456789") for _ in range(15)) + rng.choice("0123456789Xx") for _ in range(3000)]
    values += ["0" * 16, "9" * 15 + "X", "0000000121234565", "٩" * 15 + "0"]
    for value in values:
        assert identifiers.mod11_2_expected(value) == _mod11_2_by_the_digit_loop(value), value
        assert identifiers.mod11_2_ok(value) == (_mod11_2_by_the_digit_loop(value) == value[15:].upper()), value


@pytest.mark.parametrize("code", ["ID007", "ID008"])
def test_every_value_in_range_has_the_shape(code):
    # valid() reads only RANGE: every value it matches must have SHAPE, or the screen would differ
    module = rules_by_code()[code].module
    rng = random.Random(9)
    # the blocks' boundaries, then digits of about the right length and a check character
    prefixes = ["0000000", "00000001", "00000002", "00000003", "00000004", "0001", "0009000", "0009001", "00090",
                "0009", "00", "0", "1"]
    values = [prefix + "".join(rng.choice("0123456789") for _ in range(15 - len(prefix) + rng.randint(-1, 1)))
              + rng.choice("0123456789Xx ") for prefix in prefixes for _ in range(400)]
    matched = [value for value in values if module.RANGE.match(value)]
    assert len(matched) > 100
    assert all(module.SHAPE.match(value) for value in matched)


def _mod10_by_the_digit_loop(digits: str) -> bool:
    return sum(int(char) * (3 if position % 2 else 1) for position, char in enumerate(reversed(digits))) % 10 == 0


def test_the_ascii_check_sums_equal_the_digit_loops():
    # the valid() functions call the ASCII-only forms once their shape regex has matched
    rng = random.Random(11)
    numbers = ["".join(rng.choice("0123456789") for _ in range(rng.randint(1, 18))) for _ in range(3000)]
    numbers += ["0", "9", "0" * 13, "9" * 14]
    verdicts = [identifiers.ascii_mod10_ok(digits) for digits in numbers]
    assert any(verdicts) and not all(verdicts)
    for digits, verdict in zip(numbers, verdicts):
        assert verdict == _mod10_by_the_digit_loop(digits) == identifiers.mod10_ok(digits), digits
    names = ["".join(rng.choice("0123456789") for _ in range(15)) + rng.choice("0123456789Xx") for _ in range(3000)]
    for value in names:
        assert identifiers.ascii_mod11_2_ok(value) == (_mod11_2_by_the_digit_loop(value) == value[15].upper()), value


def _implication_values() -> list[str]:
    """Valid ISBN-13s and near misses: other prefixes, check digits, lengths, non-ASCII digits, spaces."""
    rng = random.Random(17)
    values = []
    for _ in range(1500):
        prefix = rng.choice(["978", "979", "9790", "977", "97", "0", ""])
        body = prefix + "".join(rng.choice("0123456789") for _ in range(12 - len(prefix)))
        valid = body + identifiers.mod10_expected(body + "0")
        values += [valid, body + rng.choice("0123456789X"), valid[:-1], valid + "0", " " + valid, valid + "\n"]
    values += ["", "9780306406157", "9790000000001", "978030640615７", "٩٧٨٠٣٠٦٤٠٦١٥٧", "978-0-306-40615-7",
               "97803064061570", "978030640615", "0000000000000"]
    return values


@pytest.mark.parametrize("code", sorted(identifiers.ACCEPTED_TOO))
def test_a_value_one_rule_accepts_the_other_accepts_too(code):
    # the screen remembers a value for the implied (rule, type) when `code` accepts it, and then
    # never asks that rule: the implication must hold for every value, of every type `code` checks
    module = rules_by_code()[code].module
    implied_code, implied_kind = identifiers.ACCEPTED_TOO[code]
    implied = rules_by_code()[implied_code].module
    kinds = sorted({kind for kinds in module.TYPES.values() for kind in kinds})
    values = _implication_values()
    accepted = [(kind, value) for kind in kinds for value in values if module.valid(kind, value)]
    assert len(accepted) > 1000 and len(accepted) < len(kinds) * len(values)
    for kind, value in accepted:
        assert implied.valid(implied_kind, value), (kind, value)


def test_an_accepted_isbn_lets_the_same_gtin_pass_unasked_and_only_that(monkeypatch):
    monkeypatch.setattr(identifiers, "_ACCEPTED_LIMIT", 2)
    checks = identifiers._screen_plans()["ProductIdentifier"][1]
    gtins = next(memory for code, _, memory, _ in checks["03"] if code == "ID003")
    isbns = next(memory for code, _, memory, _ in checks["15"] if code == "ID001")
    gtins.clear()
    isbns.clear()

    def product(isbn: str, gtin: str) -> etree._Element:
        return _product(f"<Product><ProductIdentifier><ProductIDType>15</ProductIDType><IDValue>{isbn}</IDValue>"
                        f"</ProductIdentifier><ProductIdentifier><ProductIDType>03</ProductIDType><IDValue>{gtin}"
                        "</IDValue></ProductIdentifier></Product>")

    isbn_only = _product("<Product><ProductIdentifier><ProductIDType>15</ProductIDType><IDValue>9780306406157"
                         "</IDValue></ProductIdentifier></Product>")
    assert not identifiers.screen(isbn_only, Context(INFO, TODAY))
    assert "9780306406157" in gtins  # remembered for ID003 without asking it
    assert not identifiers.screen(product("9780306406157", "9780306406157"), Context(INFO, TODAY))
    # a rejected ISBN gives the GTIN nothing; a different, wrong GTIN is still judged
    assert identifiers.screen(product("9780306406158", "9780306406158"), Context(INFO, TODAY)) >= {"ID001", "ID003"}
    assert "9780306406158" not in gtins
    assert "ID003" in identifiers.screen(product("9780306406157", "9780367874820"), Context(INFO, TODAY))
    for isbn in ("9780367874827", "9781000000016"):
        identifiers.screen(product(isbn, isbn), Context(INFO, TODAY))
    assert len(gtins) <= 2
    gtins.clear()
    isbns.clear()


def test_alike_rows_is_a_repeat_of_type_name_and_value():
    rng = random.Random(23)
    cases = 0
    for _ in range(4000):
        rows = [identifiers.Composite(element=None, tag="ProductIdentifier", kind=rng.choice(["15", "03"]),
                                      value_element=None, value=rng.choice(["1", "2", "3"]),
                                      type_name=rng.choice([None, "", "a"]))
                for _ in range(rng.randint(2, 6))]
        expected = len({(row.kind, row.type_name, row.value) for row in rows}) < len(rows)
        assert identifiers.alike_rows(rows) == expected, rows
        cases += expected
    assert 500 < cases < 3500  # both verdicts, for two to six rows
