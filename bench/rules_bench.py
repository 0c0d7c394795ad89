"""Benchmark the native rules: how much they add to schema validation of the 10,000-product file.

Target (issue 4): all native rules together add at most 50% to schema-validation time.
Runs the library equivalent of `onixfeed validate --no-rules` and `onixfeed validate` on
bench-data/onix-10000-v<VERSION>.xml (bench/generate.py's versioned name, the file
bench/validate_bench.py measures; generated once, gitignored), in one process
(CPU time is then exact) and with every core (wall time, as a user sees it), and prints
both times and the ratio; then the ten costliest rules per product, for whoever tunes them.
"""

from __future__ import annotations

import collections
import datetime
import os
import time
from pathlib import Path

from lxml import etree

from bench import strict_bench
from bench.generate import VERSION, generate
from onixfeed import onix
from onixfeed.validate.checks import MessageInfo
from onixfeed.validate.rules import Context, RuleChecks, default_severities, registry
from onixfeed.validate.run import iter_results

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "bench-data"
PRODUCTS = int(os.environ.get("RULES_BENCH_PRODUCTS", "10000"))
TARGET = 1.5  # rules may add at most 50% to schema validation
PROFILED = 2_000  # products timed rule by rule


def _run(path: Path, jobs: int, checks) -> tuple[float, float, int]:
    """(wall seconds, CPU seconds of this process, findings) of one validation."""
    wall, cpu = time.perf_counter(), time.process_time()
    results = list(iter_results([str(path)], jobs=jobs, checks=checks))
    return time.perf_counter() - wall, time.process_time() - cpu, sum(len(r.findings) for r in results)


def _products(path: Path, count: int) -> list[etree._Element]:
    """The first products of the file with reference names and no namespace, as the engine hands them over."""
    products = []
    for _, element in etree.iterparse(str(path), tag=f"{{{onix.NAMESPACES[('3.0', 'reference')]}}}Product"):
        for node in element.iter(etree.Element):
            node.tag = onix.local_name(node.tag)
        products.append(element)
        if len(products) == count:
            break
    return products


def costliest_rules(path: Path, count: int = PROFILED, top: int = 10) -> list[tuple[str, float]]:
    """(code, CPU microseconds per product) of the costliest rules on the first `count` products."""
    levels = default_severities()
    rules = [rule for rule in registry() if levels.get(rule.code, "off") != "off" and rule.scope != "header"]
    # as `validate` runs them on a batch that passed the schema: CL002/CL003 then leave unknown
    # codes to it, and the rules take the ways out schema_valid allows
    info = MessageInfo(str(path), "3.0", "reference", schema_checked=True, schema_valid=True)
    cost: collections.Counter = collections.Counter()
    products = _products(path, count)
    for product in products:
        context = Context(info, datetime.date.today())
        started = time.process_time()
        present = context.index(product).keys()  # the shared index, built once per product
        cost["(index)"] += time.process_time() - started
        for rule in rules:
            if rule.needs is not None and present.isdisjoint(rule.needs):
                continue  # the runner skips it too: none of the elements it needs
            function = rule.keys if rule.scope == "message" else rule.check
            started = time.process_time()
            for _ in function(product, context):
                pass
            cost[rule.code] += time.process_time() - started
    return [(code, seconds * 1e6 / len(products)) for code, seconds in cost.most_common(top)]


def main() -> None:
    DATA.mkdir(exist_ok=True)
    path = generate(DATA / f"onix-{PRODUCTS}-v{VERSION}.xml", PRODUCTS)
    print(f"rules bench: {path.name}, {path.stat().st_size / 1e6:.0f} MB, {PRODUCTS} products")
    native_cpu = None
    for jobs, label in ((1, "1 process (CPU s)"), (os.cpu_count() or 1, f"{os.cpu_count()} workers (wall s)")):
        schema_wall, schema_cpu, _ = _run(path, jobs, None)
        rules_wall, rules_cpu, findings = _run(path, jobs, RuleChecks())
        schema, rules = (schema_cpu, rules_cpu) if jobs == 1 else (schema_wall, rules_wall)
        native_cpu = rules_cpu if jobs == 1 else native_cpu
        ratio = rules / schema
        verdict = "ok" if ratio <= TARGET else f"over the {TARGET:.1f}x target"
        print(f"  {label}: --no-rules {schema:.2f}, with rules {rules:.2f}, ratio {ratio:.2f} ({verdict}); "
              f"{findings} findings with rules; rules add {(rules - schema) * 1e6 / PRODUCTS:.0f} us a product")
    for line in strict_bench.report(path, PRODUCTS, native_cpu):
        print(line)
    print(f"  costliest rules over the first {PROFILED} products (CPU us per product):")
    for code, micros in costliest_rules(path):
        print(f"    {code:<8} {micros:7.1f}")


if __name__ == "__main__":
    main()
