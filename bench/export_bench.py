"""Benchmark `onixfeed export` against a plain-lxml baseline at several record counts.

For each size N (BENCH_SIZES, default 10000,100000) it generates N realistic records (one
title and one format each, seeded) into a temporary folder, then runs each side in a
fresh subprocess so timings and peak memory are the side's own:

- onixfeed: `onixfeed.export.export()`, the streaming pipeline (workers read, build and
  validate products in chunks; the main process writes bytes);
- baseline: the same record reader and builders (so the products are the same), but in
  one process: every Product into one lxml tree, `XMLSchema.validate` on the whole tree,
  then `tree.write`.

Memory is reported three ways: peak RSS of the main process and of the largest child
(ru_maxrss; RUSAGE_CHILDREN is a maximum over children, not a sum), and the peak of the
summed PSS of the main process and all its workers, sampled every 0.2 s from
/proc/<pid>/smaps_rollup (PSS counts pages the forked workers share with the main
process once, so the sum is the memory the whole export really holds).
"""

from __future__ import annotations

import json
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

DEFAULT_SIZES = (10_000, 100_000)
WORDS = (
    "empire border treaty river archive harbour memory trade winter frontier council market "
    "railway steppe oil grain language reform city island letter village migration garden "
    "kingdom policy theatre silence music industry mountain coast science province"
).split()
NAMES = [("Maria", "Lindqvist"), ("Tomas", "Okafor"), ("Ana", "Ribeiro"), ("Kenji", "Watanabe"),
         ("Claire", "Dubois"), ("Samuel", "Achterberg"), ("Leila", "Haddad"), ("Oskar", "Nilsen")]
FORMS = [("paperback", None), ("hardback", None), ("ebook", "epub")]
BISAC = ["HIS037080", "POL011000", "FIC019000", "BIO000000", "SOC015000", "CKB009000"]
THEMA = ["NHB", "JPS", "FBA", "DNB", "RGC", "WB"]
PUBLISHERS = ["Harbour Lane Press", "Fenwick Academic", "Northlight Digital", "Stonebridge Books"]


def isbn13(number: int) -> str:
    """A valid ISBN-13 in the 978-1 range for a record number."""
    body = f"9781{number % 100_000_000:08d}"
    total = sum(int(digit) * (3 if i % 2 else 1) for i, digit in enumerate(body))
    return body + str((10 - total % 10) % 10)


def _sentence(rng: random.Random, words: int) -> str:
    text = " ".join(rng.choice(WORDS) for _ in range(words))
    return text[0].upper() + text[1:] + "."


def record_text(number: int, rng: random.Random) -> str:
    """One realistic record: contributors with biographies, two-paragraph description,
    review, subjects, sales rights, three prices with tax, supplier."""
    form, detail = rng.choice(FORMS)
    contributors = []
    for sequence in range(rng.randint(1, 3)):
        first, last = rng.choice(NAMES)
        contributors.append(
            f"  - role: {'author' if sequence == 0 else rng.choice(['author', 'editor', 'translator'])}\n"
            f"    name: {first} {last}\n    names_before_key: {first}\n    key_names: {last}\n"
            f"    biography: {first} {last} {_sentence(rng, 14).lower()}\n"
        )
    paragraphs = "\n\n".join(" ".join(_sentence(rng, 12) for _ in range(4)) for _ in range(2))
    description = "\n".join("  " + line if line else "" for line in paragraphs.split("\n"))
    extent = "" if form == "ebook" else f"pages: {rng.randint(96, 640)}\n"
    form_detail = f"    form_detail: {detail}\n" if detail else ""
    return f"""title: The {rng.choice(WORDS).title()} of {rng.choice(WORDS).title()} {number}
subtitle: {_sentence(rng, 5)[:-1]}
contributors:
{''.join(contributors)}language: eng
edition: {rng.randint(1, 3)}
{extent}publisher: {rng.choice(PUBLISHERS)}
country_of_publication: GB
copyright_year: {rng.randint(2005, 2026)}
publishing_status: active
publication_date: {rng.randint(2005, 2026)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}
subjects:
  - {{scheme: bisac, code: {rng.choice(BISAC)}, main: true}}
  - {{scheme: thema, code: {rng.choice(THEMA)}}}
keywords: [{', '.join(rng.sample(WORDS, 4))}]
audience: general-adult
description: |
{description}
reviews:
  - text: {_sentence(rng, 20)}
    author: {' '.join(rng.choice(NAMES))}
    source_title: The {rng.choice(WORDS).title()} Review
resources:
  - type: front-cover
    url: https://example.com/covers/{isbn13(number)}.jpg
sales_rights:
  - type: exclusive
    regions: WORLD
supplier:
  name: {rng.choice(PUBLISHERS)} Distribution
  role: publisher
availability: available
formats:
  - form: {form}
{form_detail}    isbn: {isbn13(number)}
    prices:
      - {{type: rrp-including-tax, amount: {rng.randint(5, 40)}.99, currency: GBP, territory: {{countries: GB}},
         tax: {{type: vat, rate_code: zero, percent: 0}}}}
      - {{type: rrp-including-tax, amount: {rng.randint(6, 45)}.99, currency: EUR, territory: {{countries: [IE]}},
         tax: {{type: vat, rate_code: zero, percent: 0}}}}
      - {{type: rrp-excluding-tax, amount: {rng.randint(7, 50)}.99, currency: USD, territory: {{countries: US}}}}
"""


def generate(folder: Path, count: int, seed: int = 2016) -> None:
    """Write `count` record files into folder (in subfolders of 1,000, as a large project would)."""
    rng = random.Random(seed)
    for number in range(count):
        sub = folder / f"{number // 1000:04d}"
        if number % 1000 == 0:
            sub.mkdir(parents=True, exist_ok=True)
        (sub / f"record-{number:06d}.yaml").write_text(record_text(number, rng), encoding="utf-8")


def run_onixfeed(records: Path, out: Path) -> int:
    """The side under test: the export pipeline as the command runs it."""
    from onixfeed.config import Config
    from onixfeed.export import export

    config = Config(sender_name="Bench Sender", state=str(out / ".state"))
    result = export([records], out, config)
    if result.feed is None:
        raise SystemExit(f"export wrote no feed: {result.findings[:3]}")
    return result.products


def run_baseline(records: Path, out: Path) -> int:
    """The baseline: one process, one tree, whole-tree XSD validation, then write."""
    import datetime

    from lxml import etree

    from onixfeed import schemas
    from onixfeed.build.header import build_header
    from onixfeed.build.message import wrap
    from onixfeed.build.product import build_products
    from onixfeed.config import Config
    from onixfeed.records import discover, read_record

    products = []
    for path in discover([records]):
        products.extend(build_products(read_record(path).record))
    header = build_header(Config(sender_name="Bench Sender"), 1, datetime.datetime.now(datetime.timezone.utc))
    root = wrap(header, products)
    schema = schemas.load_schema("3.0")
    if not schema.validate(root):
        raise SystemExit(f"baseline message is not valid: {schema.error_log.last_error}")
    out.mkdir(parents=True, exist_ok=True)
    etree.ElementTree(root).write(str(out / "baseline.xml"), encoding="UTF-8", xml_declaration=True)
    return len(products)


def measure_side(side: str, records: Path, out: Path) -> dict:
    """Run one side in a fresh interpreter and read back its time and peak memory."""
    command = [sys.executable, "-m", "bench.export_bench", "--side", side, str(records), str(out)]
    root = Path(__file__).resolve().parent.parent
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [str(root), os.environ.get("PYTHONPATH")])))
    done = subprocess.run(command, capture_output=True, text=True, env=env, cwd=root)
    if done.returncode != 0:
        raise SystemExit(f"{side} failed:\n{done.stderr[-2000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def pss_kib(pid: int) -> int:
    """Proportional set size of a process: shared pages counted once across the processes sharing them."""
    try:
        with open(f"/proc/{pid}/smaps_rollup", encoding="ascii") as handle:
            for line in handle:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return 0


def children_of(pid: int) -> list[int]:
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat", encoding="ascii", errors="replace") as handle:
                    fields = handle.read().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                found.append(int(entry))
    return found


class PssSampler(threading.Thread):
    """Samples the PSS of this process plus its children every 0.2 s; keeps the peak sum."""

    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.peak_kib = 0
        self.stopped = threading.Event()

    def run(self) -> None:
        me = os.getpid()
        while not self.stopped.wait(0.2):
            total = pss_kib(me) + sum(pss_kib(child) for child in children_of(me))
            self.peak_kib = max(self.peak_kib, total)


def side_main(side: str, records: Path, out: Path) -> None:
    """Inside the subprocess: run one side and print its measurements as JSON."""
    sampler = PssSampler()
    sampler.start()
    started = time.perf_counter()
    products = (run_onixfeed if side == "onixfeed" else run_baseline)(records, out)
    seconds = time.perf_counter() - started
    sampler.stopped.set()
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)  # the pool's workers, joined by now
    cpu = own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime
    print(json.dumps({"side": side, "products": products, "seconds": seconds, "cpu_seconds": cpu,
                      "rss_main_mb": own.ru_maxrss / 1024, "rss_child_mb": children.ru_maxrss / 1024,
                      "pss_sum_mb": sampler.peak_kib / 1024}))


def sizes_from_environment() -> list[int]:
    text = os.environ.get("BENCH_SIZES", "")
    if not text.strip():
        return list(DEFAULT_SIZES)
    try:
        return [int(part.replace("_", "")) for part in text.replace(",", " ").split()]
    except ValueError:
        raise SystemExit(f"BENCH_SIZES={text!r}: expected whole numbers such as 10000,100000")


def main() -> None:
    """Generate, run both sides per size, print a table side by side."""
    sizes = sizes_from_environment()
    workers = os.cpu_count() or 1
    print(f"export benchmark: onixfeed export (with XSD validation, {workers} workers) vs plain-lxml baseline")
    rows = []
    for size in sizes:
        scratch = Path(tempfile.mkdtemp(prefix="onixfeed-bench-"))
        try:
            started = time.perf_counter()
            generate(scratch / "records", size)
            print(f"  N={size:,}: generated records in {time.perf_counter() - started:.1f}s", flush=True)
            baseline = measure_side("baseline", scratch / "records", scratch / "baseline")
            onixfeed = measure_side("onixfeed", scratch / "records", scratch / "onixfeed")
            rows.append((size, onixfeed, baseline, workers))
        finally:
            shutil.rmtree(scratch, ignore_errors=True)
    print()
    print(f"{'N':>8} | {'side':<8} | {'products':>8} | {'wall s':>7} | {'CPU s':>7} | {'products/s':>10} | "
          f"{'RSS main MB':>11} | {'RSS max child MB':>16} | {'PSS sum MB':>10} | wall ratio")
    for size, onixfeed, baseline, workers in rows:
        for result in (onixfeed, baseline):
            ratio = f"{onixfeed['seconds'] / baseline['seconds']:.2f}x baseline" if result is onixfeed else "1.00x"
            print(f"{size:>8,} | {result['side']:<8} | {result['products']:>8,} | {result['seconds']:>7.1f} | "
                  f"{result['cpu_seconds']:>7.1f} | {result['products'] / result['seconds']:>10,.0f} | "
                  f"{result['rss_main_mb']:>11.0f} | {result['rss_child_mb']:>16.0f} | {result['pss_sum_mb']:>10.0f} | {ratio}")
    load = os.getloadavg()[0]
    if load > workers + 0.5:
        print(f"note: load average {load:.1f} on {workers} cores: other processes competed, so wall times are inflated")
    print("targets at 100,000: onixfeed at most 0.60x the baseline's wall time; peak RSS under 250 MB")


if __name__ == "__main__":
    if len(sys.argv) == 5 and sys.argv[1] == "--side":
        side_main(sys.argv[2], Path(sys.argv[3]), Path(sys.argv[4]))
    else:
        main()
