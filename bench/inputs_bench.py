"""Benchmark what `onixfeed validate` reads: a folder of many small files, gzip and zip.

Three questions, each against a target:
- 10,000 one-product files in a folder, and the same as members of one zip: wall time
  (target: a few seconds, FOLDER_TARGET_S), beside `xmllint --schema` given the same
  files, since a pool per tiny file or a zip directory read per member would show here;
- the same message plain, gzipped and zipped: compression must add little time
  (COMPRESSED_TARGET times the plain wall) and no memory (the stream is never held whole).
Data goes to bench-data/ (gitignored) and is reused.
"""

from __future__ import annotations

import gzip
import os
import zipfile
from pathlib import Path

from bench.generate import VERSION, generate, message_bytes
from bench.validate_bench import DATA, RSS_TARGET_MB, measure, onixfeed_command, sizes, xmllint_command

SMALL_FILES = int(os.environ.get("BENCH_SMALL_FILES", "10000"))
FOLDER_TARGET_S = 5.0
COMPRESSED_TARGET = 1.25


def small_folder(count: int) -> Path:
    """A folder of `count` one-product messages, written once."""
    folder = DATA / f"small-{count}-v{VERSION}"
    if not (folder / "done").exists():
        folder.mkdir(parents=True, exist_ok=True)
        for number in range(count):
            (folder / f"{number:06}.xml").write_bytes(message_bytes(1, seed=number, first=number + 1))
        (folder / "done").touch()
    return folder


def zipped_folder(folder: Path, files: list[str]) -> Path:
    """The folder's files as members of one zip (distributors ship thousands per archive)."""
    archive = folder.with_suffix(".zip")
    if not archive.exists():
        with zipfile.ZipFile(archive.with_suffix(".partial"), "w", compression=zipfile.ZIP_DEFLATED) as zipped:
            for file in files:
                zipped.write(file, Path(file).name)
        archive.with_suffix(".partial").rename(archive)
    return archive


def compressed_copies(plain: Path) -> tuple[Path, Path]:
    """The plain message gzipped (as `gzip` does by default) and zipped (deflate), written once."""
    packed = plain.with_name(plain.name + ".gz")
    if not packed.exists():
        with open(plain, "rb") as source, gzip.open(packed.with_suffix(".partial"), "wb", compresslevel=6) as target:
            while block := source.read(1 << 20):
                target.write(block)
        packed.with_suffix(".partial").rename(packed)
    archive = plain.with_name(plain.stem + ".zip")
    if not archive.exists():
        with zipfile.ZipFile(archive.with_suffix(".partial"), "w", compression=zipfile.ZIP_DEFLATED) as zipped:
            zipped.write(plain, plain.name)
        archive.with_suffix(".partial").rename(archive)
    return packed, archive


def row(label: str, measured) -> str:
    return f"  {label:<22} {measured.wall:8.2f} {measured.cpu:8.2f} {measured.peak_mb:9.0f} {measured.tree_mb:9.0f} {measured.code:5d}"


def main() -> None:
    header = f"  {'run':<22} {'wall s':>8} {'cpu s':>8} {'peak MB':>9} {'tree MB':>9} {'exit':>5}"
    folder = small_folder(SMALL_FILES)
    files = sorted(str(path) for path in folder.glob("*.xml"))
    print(f"\ninputs: a folder of {len(files):,} one-product files")
    print(header)
    ours = measure("onixfeed", onixfeed_command(folder))
    print(row("onixfeed --no-rules", ours))
    print(row("onixfeed with rules", measure("+rules", onixfeed_command(folder, rules=True))))
    lint = xmllint_command(Path(files[0]))
    if lint is not None:
        print(row("xmllint --schema", measure("xmllint", [part for part in lint if part != "--stream"][:-1] + files)))
    zipped = measure("onixfeed", onixfeed_command(zipped_folder(folder, files)))
    print(row("the same, one zip", zipped))
    verdict = "meets" if max(ours.wall, zipped.wall) <= FOLDER_TARGET_S else "misses"
    print(f"  {verdict} the {FOLDER_TARGET_S:.0f} s target for the folder and the zip (schema only)")

    products = min(sizes())
    plain = generate(DATA / f"onix-{products}-v{VERSION}.xml", products)
    packed, archive = compressed_copies(plain)
    print(f"\ninputs: one {products:,}-product message, {plain.stat().st_size / 1e6:,.0f} MB plain, "
          f"{packed.stat().st_size / 1e6:,.0f} MB gzipped")
    print(header)
    base = measure("onixfeed", onixfeed_command(plain))
    print(row("plain", base))
    for label, path in (("gzip", packed), ("zip", archive)):
        measured = measure("onixfeed", onixfeed_command(path))
        ratio = measured.wall / base.wall
        verdict = "meets" if ratio <= COMPRESSED_TARGET and measured.peak_mb <= RSS_TARGET_MB else "misses"
        print(row(label, measured) + f"   {ratio:.2f}x plain ({verdict} {COMPRESSED_TARGET}x, {RSS_TARGET_MB} MB)")


if __name__ == "__main__":
    main()
