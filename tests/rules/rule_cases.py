"""Load the rule cases of tests/rules/cases/*.yaml and run one through the rule engine."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, replace
from pathlib import Path

from lxml import etree
from ruamel.yaml import YAML

from onixfeed import onix, schemas
from onixfeed.findings import Finding
from onixfeed.validate.checks import MessageInfo
from onixfeed.validate.rules import RuleChecks

CASES = Path(__file__).resolve().parent / "cases"
TODAY = datetime.date(2026, 6, 15)  # fixed so date rules give the same verdict every day


@dataclass(frozen=True)
class Case:
    rule: str
    name: str
    kind: str  # product | header | message
    xml: str
    hits: int
    lines: tuple[int, ...] | None
    context: dict
    source: str

    @property
    def id(self) -> str:
        return f"{self.rule}:{self.name}"


def load_cases() -> list[Case]:
    cases: list[Case] = []
    for path in sorted(CASES.glob("*.yaml")):
        data = YAML(typ="safe").load(path.read_text(encoding="utf-8"))
        rule = data["rule"]
        for entry in data["cases"]:
            kinds = [kind for kind in ("product", "header", "message") if kind in entry]
            assert len(kinds) == 1, f"{path}: case {entry.get('name')!r} needs one of product/header/message"
            lines = entry.get("lines")
            cases.append(Case(rule, entry["name"], kinds[0], entry[kinds[0]], int(entry["hits"]),
                              tuple(lines) if lines is not None else None, entry.get("context") or {}, path.name))
    return cases


# A Header the official schema accepts, so a wrapped product is judged on its own.
VALID_HEADER = "<Header><Sender><SenderName>Cases</SenderName></Sender><SentDateTime>20260615</SentDateTime></Header>"


def passes_official_schema(product: etree._Element, release: str = "3.0") -> bool:
    """True when the official XSD accepts `product` (reference names, no namespace) in a message
    of its own: the products the engine hands over with MessageInfo.schema_valid."""
    if release not in ("3.0", "3.1"):
        return False
    namespace = onix.NAMESPACES[(release, "reference")]
    body = etree.tostring(product, encoding="unicode")
    data = f'<ONIXMessage release="{release}">{VALID_HEADER}{body}</ONIXMessage>'
    try:
        root = etree.fromstring(data.encode("utf-8"))
    except etree.XMLSyntaxError:
        return False
    for element in root.iter(etree.Element):
        if "}" not in element.tag:
            element.tag = f"{{{namespace}}}{element.tag}"
    return schemas.load_schema(release, "reference").validate(root.getroottree())


def message_info(context: dict) -> MessageInfo:
    return MessageInfo(
        file="case.xml",
        release=str(context.get("release", "3.0")),
        tags="reference",
        default_currency=context.get("default_currency"),
        default_language=context.get("default_language"),
        default_price_type=context.get("default_price_type"),
        message_number=context.get("message_number"),
        schema_checked=bool(context.get("schema_checked", False)),
    )


def is_schema_valid(case: Case) -> bool:
    """True for a product case the official XSD accepts (decided by the XSD, never by hand)."""
    if case.kind != "product":
        return False
    return passes_official_schema(etree.fromstring(case.xml.encode("utf-8")), str(case.context.get("release", "3.0")))


def run_case(case: Case, codes: dict[str, str] | None = None, schema_valid: bool = False) -> list[Finding]:
    """Every finding of the selected rules (only the case's rule by default) on the case's XML;
    with `schema_valid`, as validate runs them on a product that passed the schema."""
    checks = RuleChecks.from_mapping(codes or {case.rule: "error"}, today=TODAY)
    info = message_info(case.context)
    if schema_valid:
        info = replace(info, schema_checked=True, schema_valid=True)
    root = etree.fromstring(case.xml.encode("utf-8"))
    if case.kind == "header":
        return list(checks.header(root, info))
    products = [root] if case.kind == "product" else list(root.iterchildren("Product"))
    findings: list[Finding] = []
    keys = []
    for product in products:
        more, more_keys = checks.product(product, info)
        findings.extend(more)
        keys.extend(more_keys)
    findings.extend(checks.message(keys, info))
    return findings
