"""Every rule case of tests/rules/cases/*.yaml: the rule reports exactly the expected hits."""

from __future__ import annotations

import pytest

from rule_cases import is_schema_valid, load_cases, run_case

CASES = load_cases()
# The product cases the official XSD accepts: run again as validate runs them after the schema passed.
VALID = [case for case in CASES if is_schema_valid(case)]
# Rules with a way out taken only when the schema has passed the product (MessageInfo.schema_valid)
# or when an element they need is absent (NEEDS); findings must not change on either path.
FAST_PATHS = ("CL001", "CL002", "CL003", "PD001", "PR008", "TX004")


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_rule_case(case):
    _assert_hits(case, run_case(case))


@pytest.mark.parametrize("case", VALID, ids=[case.id for case in VALID])
def test_schema_valid_rule_case(case):
    _assert_hits(case, run_case(case, schema_valid=True))


@pytest.mark.parametrize("code", FAST_PATHS)
def test_fast_paths_have_schema_valid_cases(code):
    valid = [case for case in VALID if case.rule == code]
    assert any(case.hits == 0 for case in valid), f"{code}: no passing case the schema accepts"
    # a finding the schema itself excludes (an unknown code, a zero price, XHTML outside the subset)
    # has no schema-valid failing case: its failing cases run the path for products that did not pass
    if code in ("CL001", "PD001"):
        assert any(case.hits > 0 for case in valid), f"{code}: no failing case the schema accepts"
    assert any(case.hits > 0 for case in CASES if case.rule == code), f"{code}: no failing case"


def _assert_hits(case, findings):
    assert [f.rule for f in findings if f.rule == "RL001"] == [], [f.message for f in findings]
    hits = [f for f in findings if f.rule == case.rule]
    assert len(hits) == case.hits, [f.message for f in hits]
    if case.lines is not None:
        assert sorted(f.line for f in hits) == sorted(case.lines)
