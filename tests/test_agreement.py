"""The native rules agree with EDItEUR's strict XSD on a corpus of mutated products.

Needs EDItEUR's strict XSD in ../shared/editeur beside the clone (skips otherwise). The
corpus and the table live in bench/agreement.py (`python -m bench.agreement` prints it);
run with `pytest -s` to see the table here. One test does the slow strict run, so that
pytest-xdist does not repeat it on every worker.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bench import agreement
from onixfeed.validate import strict
from onixfeed.validate.rules import codes

SHARED = Path(__file__).resolve().parents[2] / "shared" / "editeur"
STRICT_30 = SHARED / strict.STRICT_FILES["3.0"]
# Products the strict XSD rejects and the native rules do not, each waiting for a rule in
# another helper's family (reported to its owner). A fixed gap makes the test fail until
# it is removed from here, so this list cannot go stale.
KNOWN_GAPS: dict[tuple[str, str], str] = {}


# Where onixfeed deliberately reads ONIX differently from the strict XSD's wording.
DELIBERATE = {
    ("prices", "tax on a price typed by the header default"):
        "strict _20171219_c_1 reads only the Price's own PriceType; PR003 applies DefaultPriceType (02 here)",
}


@pytest.fixture(scope="module")
def outcomes():
    if not STRICT_30.is_file():
        pytest.skip(f"EDItEUR's strict XSD is not available in {SHARED}")
    return agreement.run(SHARED)


def test_native_rules_agree_with_the_strict_xsd(outcomes):
    print()
    print(agreement.table(outcomes))
    by_family = {row.family: row for row in agreement.figures(outcomes)}
    assert by_family["control"].strict_rejects == 0 and by_family["control"].native_errors == 0
    false_errors = [(o.mutation.family, o.mutation.name, sorted(o.native_errors))
                    for o in outcomes if o.native_rejects and not o.strict_rejects]
    assert false_errors == []
    misses = {(o.mutation.family, o.mutation.name) for o in outcomes if o.strict_rejects and not o.native_rejects}
    expected = set(KNOWN_GAPS) | set(DELIBERATE)
    assert misses - expected == set(), "new products the strict XSD rejects without a native error"
    assert expected - misses == set(), "a known gap is now covered: remove it from KNOWN_GAPS"
    # Recall on what the native rules set out to cover: deliberate readings are left out.
    covered = agreement.figures([o for o in outcomes if (o.mutation.family, o.mutation.name) not in DELIBERATE])
    # Every family breaks the strict XSD at least ten times, so its recall means something.
    for row in covered:
        if row.family in agreement.FAMILIES:
            assert row.strict_rejects >= 10 and row.recall >= 0.95, row


def test_every_mutation_applies_to_the_base_product():
    names = [(m.family, m.name) for m in agreement.mutations(full=True)]
    assert len(names) == len(set(names))
    for index, mutation in enumerate(agreement.mutations(full=True)):
        product = agreement.build(mutation, f"r{index}")
        assert product.findtext("RecordReference") == f"r{index}"


def test_second_order_lists_match_the_strict_assertions():
    """Which list a value comes from, read from code list notes, agrees with EDItEUR's assertions."""
    if not STRICT_30.is_file():
        pytest.skip(f"EDItEUR's strict XSD is not available in {SHARED}")
    text = STRICT_30.read_text(encoding="utf-8")
    asserted: dict[tuple[str, str], int] = {}
    pattern = re.compile(r'<xs:assert id="[^"]+" test="\(: [^:]*?[Cc]odelist (\d+)[^:]*:\) (.*?)" />')
    condition = re.compile(r"\(?(\w+) (?:ne|eq) '(\w+)'\)?|not\(matches\((\w+), '\^\(([\w|]+)\)\$'\)\)")
    for number, test in pattern.findall(text):
        match = condition.match(test)
        if match is None:
            continue
        element = match.group(1) or match.group(3)
        for code in (match.group(2) or match.group(4)).split("|"):
            asserted[(element, code)] = int(number)
    derived = codes.second_order("3.0")
    type_elements = {pair[1] for pair in codes.SECOND_ORDER_PAIRS}
    relevant = {key: number for key, number in asserted.items() if key[0] in type_elements}
    assert len(relevant) >= 30
    disagree = {key: (number, derived[key]) for key, number in relevant.items() if key in derived and derived[key] != number}
    assert disagree == {}
    uncovered = sorted(key for key in relevant if key not in derived)
    # EUDR location values (types 47-49) are compound (country, species, date), not one code.
    assert len(uncovered) <= 5, uncovered
