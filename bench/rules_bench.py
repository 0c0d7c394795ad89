"""Benchmark the native rules: how much they add to schema validation of the 10,000-product file.

Target (issue 4): all native rules together add at most 50% to schema-validation time.
Runs the library equivalent of `onixfeed validate --no-rules` and `onixfeed validate` on
bench-data/onix-10000-v<VERSION>.xml (bench/generate.py's versioned name, the file
bench/validate_bench.py measures; generated once, gitignored), in one process
(CPU time is then exact) and with every core (wall time, as a user sees it), and prints
both times and the ratio (best of alternated rounds, after a warm-up run); then the same
through the command line, start-up included (a process per run, as a user runs it); then on
a copy where one rule fires on every product; then the ten costliest parts per product (index, family screens, rules), for whoever tunes them.
"""

from __future__ import annotations

import collections
import copy
import datetime
import os
import time
from pathlib import Path

from lxml import etree

from bench import strict_bench
from bench.validate_bench import measure, onixfeed_command
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
ROUNDS = int(os.environ.get("RULES_BENCH_ROUNDS", "5"))  # the ratio moves by +-0.05 between single runs


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
    """(what, CPU microseconds per product) of the costliest parts of the rules on the first
    `count` products, as the runner runs them: the index, each family's screen, and each rule
    its screen lets run (none, on a clean product). Each figure includes the timer calls around
    it, about half a microsecond."""
    levels = default_severities()
    rules = [rule for rule in registry() if levels.get(rule.code, "off") != "off" and rule.scope != "header"]
    # as `validate` runs them on a clean ASCII batch that passed the current-codes screening schema
    info = MessageInfo(str(path), "3.0", "reference", schema_checked=True, schema_valid=True,
                       codes_current=True, ascii_text=True)
    cost: collections.Counter = collections.Counter()
    products = _products(path, count)
    screens = list(dict.fromkeys(rule.screen for rule in rules if rule.screen is not None))
    warm = RuleChecks(today=datetime.date.today())
    for product in products[-100:]:  # tables read once per process (code lists, schema facts) are not a product's cost
        warm.product(copy.deepcopy(product), info)
    for product in products:
        context = Context(info, datetime.date.today())
        started = time.process_time()
        present = context.index(product).keys()  # the shared index, built once per product
        context.child_text(product, "RecordReference")  # the product's children table, as the runner reads it
        cost["(index)"] += time.process_time() - started
        suspects = {}
        for screen in screens:
            started = time.process_time()
            suspects[screen] = screen(product, context)
            cost[f"({screen.__module__.rsplit('.', 1)[-1]} screen)"] += time.process_time() - started
        for rule in rules:
            if rule.needs is not None and present.isdisjoint(rule.needs):
                continue  # the runner skips it too: none of the elements it needs
            if rule.screen is not None and rule.code not in suspects[rule.screen]:
                continue  # and so does its family's screen
            function = rule.keys if rule.scope == "message" else rule.check
            started = time.process_time()
            for _ in function(product, context):
                pass
            cost[rule.code] += time.process_time() - started
    return [(code, seconds * 1e6 / len(products)) for code, seconds in cost.most_common(top)]


def _command_line_row(path: Path) -> str:
    """`onixfeed validate --no-rules` against `onixfeed validate`, each a process of its own using
    every core: wall and CPU seconds (best of alternated rounds), start-up included."""
    schema_runs, rules_runs = [], []
    for _ in range(ROUNDS):
        schema_runs.append(measure("--no-rules", onixfeed_command(path)))
        rules_runs.append(measure("rules", onixfeed_command(path, rules=True)))
    schema_wall, rules_wall = min(m.wall for m in schema_runs), min(m.wall for m in rules_runs)
    schema_cpu, rules_cpu = min(m.cpu for m in schema_runs), min(m.cpu for m in rules_runs)
    ratio = rules_wall / schema_wall
    verdict = "ok" if ratio <= TARGET else f"over the {TARGET:.1f}x target"
    return (f"  command line, start-up included (wall s): --no-rules {schema_wall:.2f}, with rules {rules_wall:.2f}, "
            f"ratio {ratio:.2f} ({verdict}); CPU s {schema_cpu:.2f} / {rules_cpu:.2f}, ratio {rules_cpu / schema_cpu:.2f}")


def _rule_on_every_product_row(path: Path) -> str:
    """The same in one process on a copy of the file where a rule fires on every product (a BISAC
    subject made a deprecated BIC one, CL001): feeds are rarely clean, and a screen that names a
    rule lets it run."""
    dirty = path.with_name(f"{path.stem}-deprecated-code.xml")
    if not dirty.is_file() or dirty.stat().st_mtime < path.stat().st_mtime:
        dirty.write_bytes(path.read_bytes().replace(b"<SubjectSchemeIdentifier>10</SubjectSchemeIdentifier>",
                                                    b"<SubjectSchemeIdentifier>12</SubjectSchemeIdentifier>"))
    _run(dirty, 1, RuleChecks())  # warm, as for the clean file
    schema_runs, rules_runs = [], []
    for _ in range(ROUNDS):
        schema_runs.append(_run(dirty, 1, None))
        rules_runs.append(_run(dirty, 1, RuleChecks()))
    schema, rules = min(run[1] for run in schema_runs), min(run[1] for run in rules_runs)
    return (f"  a deprecated code in every product, 1 process (CPU s): --no-rules {schema:.2f}, with rules "
            f"{rules:.2f}, ratio {rules / schema:.2f}; {rules_runs[-1][2]} findings; rules add "
            f"{(rules - schema) * 1e6 / PRODUCTS:.0f} us a product (for comparison: the target is on the clean file)")


def main() -> None:
    DATA.mkdir(exist_ok=True)
    path = generate(DATA / f"onix-{PRODUCTS}-v{VERSION}.xml", PRODUCTS)
    print(f"rules bench: {path.name}, {path.stat().st_size / 1e6:.0f} MB, {PRODUCTS} products")
    native_cpu = None
    _run(path, 1, RuleChecks())  # warm: schemas compiled and cached, code lists read, files in the page cache
    for jobs, label in ((1, "1 process (CPU s)"), (os.cpu_count() or 1, f"{os.cpu_count()} workers (wall s)")):
        # alternated, best of ROUNDS each: a noisy machine slows single runs, never speeds them up
        schema_runs, rules_runs = [], []
        for _ in range(ROUNDS):
            schema_runs.append(_run(path, jobs, None))
            rules_runs.append(_run(path, jobs, RuleChecks()))
        pick = 1 if jobs == 1 else 0  # CPU of this process when it does all the work, else wall time
        schema = min(run[pick] for run in schema_runs)
        rules = min(run[pick] for run in rules_runs)
        rules_cpu = min(run[1] for run in rules_runs)
        findings = rules_runs[-1][2]
        native_cpu = rules_cpu if jobs == 1 else native_cpu
        ratio = rules / schema
        verdict = "ok" if ratio <= TARGET else f"over the {TARGET:.1f}x target"
        print(f"  {label}: --no-rules {schema:.2f}, with rules {rules:.2f}, ratio {ratio:.2f} ({verdict}); "
              f"{findings} findings with rules; rules add {(rules - schema) * 1e6 / PRODUCTS:.0f} us a product")
    print(_command_line_row(path))
    print(_rule_on_every_product_row(path))
    for line in strict_bench.report(path, PRODUCTS, native_cpu):
        print(line)
    print(f"  costliest parts of the rules over the first {PROFILED} products (CPU us per product):")
    for code, micros in costliest_rules(path):
        print(f"    {code:<24} {micros:7.1f}")


if __name__ == "__main__":
    main()
