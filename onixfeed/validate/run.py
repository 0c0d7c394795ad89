"""Validate many sources: expand paths, stream each through the engine, one result per source.

Small files go to one shared pool of worker processes, a whole file per task (a pool per
tiny file would cost more than validating it); a large file is validated on its own with
the engine spreading its products over the workers. Results come back in input order.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Callable, Iterable, Iterator

from onixfeed.findings import Finding
from onixfeed.validate import engine, inputs
from onixfeed.validate.engine import FileResult
from onixfeed.validate.inputs import Source, SourceError

# Below this many bytes of message a file is one task for the shared pool; above, the engine
# parallelises its products. 8 MB is a few thousand products: enough to keep workers busy.
LARGE_FILE_BYTES = 8 << 20

SourceProgress = Callable[[Source, int, int], None]


def iter_results(
    paths: Iterable[str],
    *,
    jobs: int | None = None,
    checks: object | None = None,
    progress: SourceProgress | None = None,
) -> Iterator[FileResult]:
    """A FileResult per source under `paths`, in order; InputError if a path cannot be used.

    `jobs` is the number of processes validating at once, this one included (None: every core,
    1: this process only);
    `checks` goes to the engine; `progress(source, bytes_read, products_done)` is called
    while a large file streams (small files in the pool report only when done).
    """
    sources = list(inputs.expand(paths))  # a bad argument stops the run before any work
    workers = jobs or os.cpu_count() or 1
    small = [index for index, source in enumerate(sources) if workers > 1 and is_small(source)]
    # The small files run first and to the end, so their pool never competes with the
    # engine's workers on a large file.
    done = dict(zip(small, _pool_results([sources[i] for i in small], workers, checks))) if len(small) > 1 else {}
    for index, source in enumerate(sources):
        if index in done:
            yield done.pop(index)
        else:
            # A small file is quicker validated here than handed out to workers.
            own_jobs = 1 if is_small(source) else workers
            yield validate_source(source, jobs=own_jobs, checks=checks, progress=progress)


def validate_source(
    source: Source,
    *,
    jobs: int | None = 1,
    checks: object | None = None,
    progress: SourceProgress | None = None,
) -> FileResult:
    """Stream one source through the engine; a source that cannot be read becomes an IN finding."""
    found: list[Finding] = []
    report = (lambda done, products: progress(source, done, products)) if progress else None
    try:
        with source.open() as stream:
            walker = engine.iter_stream(stream, source.name, jobs=jobs, checks=checks, progress=report)
            while True:
                try:
                    found.append(next(walker))
                except StopIteration as finished:
                    return finished.value
    except SourceError as error:
        # Keep what was found before the stream broke, then say why it stopped.
        return FileResult(source.name, findings=[*found, error.to_finding()])


def is_small(source: Source) -> bool:
    return source.path is not None and source.size is not None and source.size < LARGE_FILE_BYTES


_WORKER_CHECKS: object | None = None


def _start_worker(checks: object | None) -> None:
    global _WORKER_CHECKS
    _WORKER_CHECKS = checks
    # Ctrl-C is the main process's to handle (it stops the pool); workers would print tracebacks.
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _validate_in_worker(source: Source) -> FileResult:
    return validate_source(source, jobs=1, checks=_WORKER_CHECKS)


def _pool_results(sources: list[Source], workers: int, checks: object | None) -> Iterator[FileResult]:
    """Results of the small sources, in order, from one pool."""
    # Batches of files per task keep the pipe traffic low with thousands of tiny files;
    # the checks travel once per worker, not once per file.
    chunk = max(1, min(64, len(sources) // (workers * 4)))
    # An executor, not a multiprocessing.Pool: a worker that dies breaks it loudly, and this
    # process validates what is left, where a Pool would wait for the lost task forever.
    pool = ProcessPoolExecutor(min(workers, len(sources)), mp_context=multiprocessing.get_context("fork"),
                               initializer=_start_worker, initargs=(checks,))
    done = 0
    try:
        for result in pool.map(_validate_in_worker, sources, chunksize=chunk):
            done += 1
            yield result
    except BrokenProcessPool:
        for source in sources[done:]:
            yield validate_source(source, jobs=1, checks=checks)
    finally:
        pool.shutdown(wait=False, cancel_futures=True)
