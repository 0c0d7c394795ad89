"""Benchmark `onixfeed validate` against `xmllint --stream --schema` and onixcheck, same files, same run.

Messages of rich products (bench/generate.py) are generated once into bench-data/
(gitignored). Sizes come from BENCH_SIZES (default 10000,100000 products: about 120 MB
and 1.2 GB). For each tool it prints wall time, CPU time (user + system of the process
and its children), peak RSS (the largest process, and the whole process tree sampled),
the exit code, and onixfeed's ratios against the targets. Files under 500 MB are run
BENCH_REPEAT times (default 3) and the fastest run kept.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from bench.generate import VERSION, generate

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "bench-data"
TARGETS = {"xmllint": 0.6, "onixcheck": 0.45}
RSS_TARGET_MB = 150
ONIXCHECK_BYTES_PER_FILE_BYTE = 7.5  # onixcheck holds the whole tree: about 8.7 GB for 1.2 GB


@dataclass
class Measure:
    tool: str
    wall: float
    cpu: float
    peak_mb: float  # the largest single process
    tree_mb: float  # the whole process tree, sampled: RSS (pages shared by processes counted in each)
    code: int
    tree_pss_mb: float = 0.0  # the whole process tree, sampled: PSS (shared pages divided among their users)


def _tree_memory_kb(pid: int) -> tuple[int, int]:
    """Resident memory (RSS, PSS) of a process and all its descendants, from /proc."""
    total = pss = 0
    pending = [pid]
    while pending:
        current = pending.pop()
        try:
            with open(f"/proc/{current}/status") as status:
                for line in status:
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1])
            with open(f"/proc/{current}/smaps_rollup") as rollup:
                for line in rollup:
                    if line.startswith("Pss:"):
                        pss += int(line.split()[1])
            for task in os.listdir(f"/proc/{current}/task"):
                with open(f"/proc/{current}/task/{task}/children") as children:
                    pending.extend(int(child) for child in children.read().split())
        except (OSError, ValueError):
            continue
    return total, pss


def best_of(tool: str, command: list[str], times: int) -> Measure:
    """The fastest of `times` runs: on a shared machine the others only add noise."""
    return min((measure(tool, command) for _ in range(max(1, times))), key=lambda m: m.wall)


def measure(tool: str, command: list[str]) -> Measure:
    """Run a command to the end; its wall and CPU time, peak memory and exit code."""
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    peak_tree = [0, 0]
    done = threading.Event()

    def sample() -> None:
        while not done.is_set():
            rss, pss = _tree_memory_kb(process.pid)
            peak_tree[0], peak_tree[1] = max(peak_tree[0], rss), max(peak_tree[1], pss)
            done.wait(0.05)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    done.set()
    sampler.join()
    process.returncode = os.waitstatus_to_exitcode(status)
    return Measure(tool, wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, peak_tree[0] / 1024,
                   process.returncode, peak_tree[1] / 1024)


def onixfeed_command(path: Path, rules: bool = False) -> list[str]:
    """The `onixfeed validate` command line (the installed CLI through this interpreter);
    schema only unless `rules`, since the tools it is compared with check the schema only."""
    launcher = "import sys; from onixfeed.cli import app; sys.argv[0] = 'onixfeed'; app()"
    return [sys.executable, "-c", launcher, "validate", "--quiet", *([] if rules else ["--no-rules"]), str(path)]


def xmllint_command(path: Path) -> list[str] | None:
    from onixfeed.schemas import schema_files

    xmllint = shutil.which("xmllint")
    if xmllint is None:
        return None
    return [xmllint, "--noout", "--stream", "--schema", str(schema_files("3.0").main), str(path)]


def onixcheck_command(path: Path) -> list[str]:
    return [sys.executable, "-m", "onixcheck", str(path)]


def available_memory_bytes() -> int:
    with open("/proc/meminfo") as meminfo:
        for line in meminfo:
            if line.startswith("MemAvailable:"):
                return int(line.split()[1]) * 1024
    return 0


def sizes() -> list[int]:
    return [int(size) for size in os.environ.get("BENCH_SIZES", "10000,100000").split(",") if size.strip()]


def report(products: int, path: Path, results: list[Measure]) -> None:
    size_mb = path.stat().st_size / 1e6
    print(f"\n{products:,} products, {size_mb:,.0f} MB ({path.name})")
    print(f"  {'tool':<10} {'wall s':>8} {'cpu s':>8} {'peak MB':>9} {'tree MB':>9} {'exit':>5}")
    for m in results:
        print(f"  {m.tool:<10} {m.wall:8.2f} {m.cpu:8.2f} {m.peak_mb:9.0f} {m.tree_mb:9.0f} {m.code:5d}")
    ours = next(m for m in results if m.tool == "onixfeed")
    for m in results:
        if m.tool in TARGETS:
            ratio = ours.wall / m.wall
            verdict = "meets" if ratio <= TARGETS[m.tool] else "misses"
            print(f"  onixfeed / {m.tool}: {ratio:.2f}x wall, {ours.cpu / m.cpu:.2f}x cpu "
                  f"({verdict} the {TARGETS[m.tool]}x target)")
    verdict = "meets" if ours.tree_mb <= RSS_TARGET_MB else "misses"
    print(f"  onixfeed peak memory: {ours.peak_mb:.0f} MB RSS largest process; all processes together "
          f"{ours.tree_mb:.0f} MB RSS, {ours.tree_pss_mb:.0f} MB PSS ({verdict} the {RSS_TARGET_MB} MB target "
          f"on the RSS sum)")


def main() -> None:
    print("validate: onixfeed validate vs xmllint --stream --schema vs onixcheck (wall, CPU, peak RSS)")
    for products in sizes():
        path = generate(DATA / f"onix-{products}-v{VERSION}.xml", products)
        # Small sizes are cheap to repeat: the best of BENCH_REPEAT runs (default 3) each.
        times = int(os.environ.get("BENCH_REPEAT", "3")) if path.stat().st_size < 500e6 else 1
        results = [best_of("onixfeed", onixfeed_command(path), times)]
        lint = xmllint_command(path)
        if lint is None:
            print("  xmllint not found: install libxml2-utils to compare against it")
        else:
            results.append(best_of("xmllint", lint, times))
        needed = path.stat().st_size * ONIXCHECK_BYTES_PER_FILE_BYTE
        if needed > available_memory_bytes() * 0.9:
            print(f"  onixcheck skipped: it would need about {needed / 1e9:.1f} GB, "
                  f"{available_memory_bytes() / 1e9:.1f} GB available")
        else:
            results.append(measure("onixcheck", onixcheck_command(path)))
        if products == min(sizes()):
            results.append(measure("+rules", onixfeed_command(path, rules=True)))
        report(products, path, results)


if __name__ == "__main__":
    main()
