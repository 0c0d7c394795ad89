"""A profile's requirements beyond the schema, run on each Product and the Header as a `Checks`.

Finding codes are stable, one per kind of failure; the finding's `name` is the
requirement's id and its message starts with the profile's name:

    PF001 requirement-missing    fewer matches than the requirement's count
    PF002 requirement-too-many   more matches than the requirement's count
    PF003 requirement-code       a value outside the allowed codes
    PF004 requirement-length     a value shorter or longer than allowed
    PF005 requirement-pattern    a value that does not match the pattern
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import Iterable, Sequence

from lxml import etree

from onixfeed.findings import Finding, Severity
from onixfeed.profile import Profile, Requirement
from onixfeed.validate.checks import Key, MessageInfo

MISSING, TOO_MANY, CODE, LENGTH, PATTERN = "PF001", "PF002", "PF003", "PF004", "PF005"


@functools.lru_cache(maxsize=None)
def _compiled(path: str) -> etree.XPath:
    return etree.XPath(path)


@functools.lru_cache(maxsize=None)
def _regex(pattern: str) -> re.Pattern:
    return re.compile(pattern)


@dataclass(frozen=True)
class ProfileRequirements:
    """The requirements of one profile as a `Checks` (picklable: plain data, XPaths compiled per process)."""

    profile: str
    requirements: tuple[Requirement, ...]

    @classmethod
    def from_profile(cls, profile: Profile) -> "ProfileRequirements":
        return cls(profile.name, profile.requirements())

    def header(self, header: etree._Element, message: MessageInfo) -> list[Finding]:
        return [f for r in self.requirements if r.scope == "header" for f in self._check(r, header, message, None)]

    def product(self, product: etree._Element, message: MessageInfo) -> tuple[list[Finding], list[Key]]:
        record = (product.findtext("RecordReference") or "").strip() or None
        findings = [f for r in self.requirements if r.scope == "product" for f in self._check(r, product, message, record)]
        return findings, []

    def message(self, keys: Sequence[Key], message: MessageInfo) -> list[Finding]:
        return []

    def _check(self, requirement: Requirement, element: etree._Element, message: MessageInfo,
               record: str | None) -> Iterable[Finding]:
        try:
            if requirement.when and not _compiled(requirement.when)(element):
                return
            matches = _compiled(requirement.path)(element)
        except etree.XPathEvalError as exc:
            # the profile loader compiles every path; an evaluation error is still the profile's fault
            yield self._finding(requirement, MISSING, f"cannot evaluate {requirement.path!r}: {exc}",
                                message, element, record)
            return
        if not isinstance(matches, list):
            matches = [matches] if matches else []
        count = len(matches)
        if requirement.min_count is not None and count < requirement.min_count:
            found = "none found" if count == 0 else f"found {count}"
            yield self._finding(requirement, MISSING, f"{requirement.message}; {found}", message, element, record)
        if requirement.max_count is not None and count > requirement.max_count:
            yield self._finding(requirement, TOO_MANY, f"{requirement.message}; found {count}", message,
                                matches[requirement.max_count] if _is_node(matches[requirement.max_count]) else element,
                                record)
        for match in matches:
            yield from self._check_value(requirement, match, element, message, record)

    def _check_value(self, requirement: Requirement, match, context: etree._Element, message: MessageInfo,
                     record: str | None) -> Iterable[Finding]:
        value = _value_of(match)
        where = match if _is_node(match) else context
        shown = value if len(value) <= 60 else value[:57] + "..."
        if requirement.codes and value not in requirement.codes:
            yield self._finding(requirement, CODE, f"{requirement.message}; found {shown!r}", message, where, record)
        length = len(value)
        if (requirement.min_length is not None and length < requirement.min_length) or (
                requirement.max_length is not None and length > requirement.max_length):
            yield self._finding(requirement, LENGTH, f"{requirement.message}; found {length} characters",
                                message, where, record)
        if requirement.pattern and not _regex(requirement.pattern).fullmatch(value):
            yield self._finding(requirement, PATTERN, f"{requirement.message}; found {shown!r}", message, where,
                                record)

    def _finding(self, requirement: Requirement, code: str, text: str, message: MessageInfo,
                 element, record: str | None) -> Finding:
        return Finding(
            rule=code,
            name=requirement.id,
            severity=Severity(requirement.severity),
            message=f"{self.profile}: {text}",
            file=message.file,
            line=getattr(element, "sourceline", None),
            xpath=requirement.path,
            record=record,
        )


def _is_node(match) -> bool:
    return isinstance(match, etree._Element)


def _value_of(match) -> str:
    """The text a requirement tests: an element's whole text, or an attribute's or XPath string's value."""
    if _is_node(match):
        return "".join(match.itertext()).strip()
    return str(match).strip()


def profile_checks(name: str, config=None):
    """Everything a profile checks after the schema: native rules at its severities, then its requirements."""
    from onixfeed import profile as profiles
    from onixfeed.validate.checks import CombinedChecks
    from onixfeed.validate.rules import RuleChecks

    loaded = profiles.load(name, config)
    return CombinedChecks((RuleChecks.from_mapping(loaded.rule_severities()), ProfileRequirements.from_profile(loaded)))
