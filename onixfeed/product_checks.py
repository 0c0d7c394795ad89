"""Checks on built products, shared by `export` (native rules) and `export --to` (a recipient's view)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field, replace

from lxml import etree

from onixfeed import transform
from onixfeed.findings import Finding, Severity, has_failures
from onixfeed.profile import Profile
from onixfeed.validate.checks import CombinedChecks, Key, MessageInfo
from onixfeed.validate.requirements import ProfileRequirements
from onixfeed.validate.rules import RuleChecks

CONVERSION_RULE, CONVERSION_NAME = "PF006", "release-conversion"


def strip_namespace(product: etree._Element) -> etree._Element:
    """The same element with reference names and no namespace, as checks and transforms expect (in place)."""
    for node in product.iter():
        if isinstance(node.tag, str) and node.tag[0] == "{":
            node.tag = node.tag[node.tag.index("}") + 1:]
    etree.cleanup_namespaces(product)
    return product


def plain_product(xml: bytes) -> etree._Element:
    """A serialised Product (or Header), parsed with reference names and no namespace."""
    product = etree.fromstring(xml)
    # export's products are serialised without a namespace declaration (build.message), and
    # parsing them is five times faster than renaming every element of a namespaced tree
    return strip_namespace(product) if b"xmlns" in xml else product


def message_info(config, file: str, release: str = "3.0", tags: str = "reference",
                 schema_checked: bool = False, schema_valid: bool = False) -> MessageInfo:
    """What the checks know of the message a built product goes into: the config's Header
    defaults (`schema_valid` when only products that passed the XSD are checked)."""
    return MessageInfo(file=file, release=release, tags=tags, default_currency=config.default_currency,
                       default_language=config.default_language, default_price_type=config.default_price_type,
                       schema_checked=schema_checked, schema_valid=schema_valid)


def base_checks(today: datetime.date | None = None) -> RuleChecks:
    """The native rules at the base profile's severities, as `validate` runs them."""
    return RuleChecks(None, today)


def check_products(checks, products: list[etree._Element], info: MessageInfo,
                   file: str) -> tuple[list[Finding], list[Key]]:
    """Run `checks` on some plain products of one record file: findings on that file, and the keys."""
    findings: list[Finding] = []
    keys: list[Key] = []
    for product in products:
        found, more_keys = checks.product(product, info)
        # lines point into the built product, not into the record file: the xpath says where
        findings.extend(replace(f, file=file, line=None) for f in found)
        keys.extend(more_keys)
    return findings, keys


@dataclass
class RecipientChecks:
    """One recipient's verdict on built products: scope, transforms, its rules and requirements, its release."""

    profile: Profile
    info: MessageInfo
    today: datetime.date
    checks: CombinedChecks = field(init=False)
    keys: list[Key] = field(default_factory=list)
    in_scope: int = 0
    out_of_scope: int = 0
    rejected: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.checks = CombinedChecks((RuleChecks.from_mapping(self.profile.rule_severities(), self.today),
                                      ProfileRequirements.from_profile(self.profile)))
        transforms = self.profile.section("transforms")
        # transforms that remove or recode elements can break the schema: check each product then
        self.check_each = bool(transforms.get("drop") or transforms.get("map_codes") or transforms.get("identifiers"))

    @classmethod
    def for_profile(cls, profile: Profile, config, folder: str, today: datetime.date) -> "RecipientChecks":
        return cls(profile, message_info(config, folder, profile.release, profile.tags), today)

    def header(self, header: etree._Element) -> list[Finding]:
        return [self.own(f, None) for f in self.checks.header(header, self.info)]

    def product(self, file: str, record: str, product: etree._Element) -> tuple[list[Finding], bytes | None] | None:
        """None when out of scope; else the findings and the product as the recipient gets it (None if it cannot)."""
        if not transform.in_scope(product, self.profile):
            self.out_of_scope += 1
            return None
        self.in_scope += 1
        product = transform.apply_transforms(product, self.profile, self.today)
        found, keys = self.checks.product(product, self.info)
        self.keys.extend(keys)
        found = [self.own(f, file) for f in found]
        xml = None
        try:
            xml = transform.serialize_product(product, self.profile.release, self.profile.tags,
                                              validate=self.check_each or None)
        except transform.ConversionError as exc:
            found.append(Finding(CONVERSION_RULE, CONVERSION_NAME, Severity.ERROR, f"{self.profile.name}: {exc}",
                                 file=file, record=record))
        if has_failures(found):
            self.rejected.append(record)
        return found, xml

    def message(self) -> list[Finding]:
        """Cross-product findings from every product's keys."""
        return [self.own(f, None) for f in self.checks.message(self.keys, self.info)]

    def own(self, finding: Finding, file: str | None) -> Finding:
        """A check's finding as this recipient's: its record file, and the recipient named in the message."""
        name = self.profile.name
        message = finding.message if finding.message.startswith(f"{name}: ") else f"{name}: {finding.message}"
        # lines point into the built product, not into the record file: the xpath says where
        return replace(finding, message=message, file=file or finding.file, line=None if file else finding.line)
