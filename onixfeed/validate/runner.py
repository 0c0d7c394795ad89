"""Run batches through validate_batch in this process and forked worker processes, in
order, with a bounded number in flight so memory stays flat."""

from __future__ import annotations

import multiprocessing
import os
import signal
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from collections import deque
from typing import Iterator

from onixfeed.validate import screening
from onixfeed.validate.batch_validation import Outcome, Plan, validate_batch
from onixfeed.validate.split import Batch


IN_FLIGHT_PER_JOB = 2  # batches queued per worker: keeps workers busy, memory flat


def default_jobs() -> int:
    """Processes by default: every core this process may run on."""
    try:
        return len(os.sched_getaffinity(0)) or 1
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


_WORKER_PLAN: Plan | None = None


def _start_worker(plan: Plan) -> None:
    global _WORKER_PLAN
    _WORKER_PLAN = plan
    # Ctrl-C is the main process's to handle; workers would print tracebacks
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _validate_in_worker(batch: Batch, validate: bool) -> Outcome:
    return validate_batch(_WORKER_PLAN, batch, validate)


class Runner:
    """Validate batches in this process (jobs=1, or a single batch) or in a pool, in order,
    with a bounded number in flight so memory stays flat."""

    def __init__(self, plan: Plan, jobs: int):
        self.plan = plan
        self.jobs = jobs
        self.validate = True
        self.pool: ProcessPoolExecutor | None = None
        self.broken = False  # a worker died: everything left is validated here
        self.pending: deque = deque()
        self.unread: Iterator[Batch] = iter(())

    def run(self, batches: Iterator[Batch]) -> Iterator[tuple[Batch, Outcome]]:
        first = next(batches, None)
        if first is None:
            return
        second = None if first.last else next(batches, None)
        self.unread = _prepend(first, second, batches) if second is not None else iter([first])
        if self.jobs == 1 or second is None:
            for batch in self.unread:
                yield batch, validate_batch(self.plan, batch, self.validate)
            return
        # This process is one of the `jobs`: it validates a batch itself whenever the
        # workers have enough queued, which saves a process's memory and a batch's trip
        # through a pipe. An executor, not a multiprocessing.Pool: a worker that dies (killed,
        # out of memory) breaks it loudly, where a Pool would wait for its task forever.
        if self.plan.current_codes and self.plan.screen_prolog is not None:
            # compiled once, before the workers fork (a file of one batch never needs it)
            screening.load_screening_schema(self.plan.release, self.plan.tags, current_codes=True)
        self.pool = ProcessPoolExecutor(self.jobs - 1, mp_context=multiprocessing.get_context("fork"),
                                        initializer=_start_worker, initargs=(self.plan,))
        queue_limit = (self.jobs - 1) * IN_FLIGHT_PER_JOB
        for batch in self.unread:
            queued = sum(1 for _, waiting in self.pending if not waiting.done())
            self.pending.append((batch, self._submit(batch) if queued < queue_limit else self._here(batch)))
            while self.pending and (self.pending[0][1].done() or len(self.pending) > 2 * queue_limit):
                yield self._next()
        while self.pending:
            yield self._next()

    def _submit(self, batch: Batch):
        if self.broken:
            return self._here(batch)
        try:
            return self.pool.submit(_validate_in_worker, batch, self.validate)
        except BrokenProcessPool:
            self.broken = True
            return self._here(batch)

    def _here(self, batch: Batch) -> "_Done":
        return _Done(validate_batch(self.plan, batch, self.validate))

    def _next(self) -> tuple[Batch, Outcome]:
        batch, waiting = self.pending.popleft()
        try:
            return batch, waiting.result()
        except BrokenProcessPool:
            # a worker died: this process validates what was lost, and the rest
            self.broken = True
            return batch, validate_batch(self.plan, batch, self.validate)

    def abandon(self) -> Iterator[Batch]:
        """The batches not yet handed back (in flight, then unread), dropping their work."""
        while self.pending:
            yield self.pending.popleft()[0]
        yield from self.unread

    def close(self) -> None:
        if self.pool is not None:
            # workers finish the batch they hold (a second at most) and exit
            self.pool.shutdown(wait=False, cancel_futures=True)
            self.pool = None


class _Done:
    """A batch validated in this process, queued beside the workers' futures."""

    def __init__(self, outcome: Outcome):
        self.outcome = outcome

    def done(self) -> bool:
        return True

    def result(self) -> Outcome:
        return self.outcome


def _prepend(first: Batch, second: Batch, rest: Iterator[Batch]) -> Iterator[Batch]:
    yield first
    yield second
    yield from rest
