"""Every rule case of tests/rules/cases/*.yaml: the rule reports exactly the expected hits."""

from __future__ import annotations

import pytest

from rule_cases import load_cases, run_case

CASES = load_cases()


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_rule_case(case):
    findings = run_case(case)
    assert [f.rule for f in findings if f.rule == "RL001"] == [], [f.message for f in findings]
    hits = [f for f in findings if f.rule == case.rule]
    assert len(hits) == case.hits, [f.message for f in hits]
    if case.lines is not None:
        assert sorted(f.line for f in hits) == sorted(case.lines)
