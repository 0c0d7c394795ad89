"""Run batches through validate_batch in this process and a pool of forked workers, in
order, with a bounded number in flight so memory stays flat."""

from __future__ import annotations

import multiprocessing
import os
from collections import deque
from typing import Iterator

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


def _validate_in_worker(batch: Batch, validate: bool) -> Outcome:
    return validate_batch(_WORKER_PLAN, batch, validate)


class Runner:
    """Validate batches in this process (jobs=1, or a single batch) or in a pool, in order,
    with a bounded number in flight so memory stays flat."""

    def __init__(self, plan: Plan, jobs: int):
        self.plan = plan
        self.jobs = jobs
        self.validate = True
        self.pool = None
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
        # through a pipe.
        context = multiprocessing.get_context("fork")
        self.pool = context.Pool(self.jobs - 1, initializer=_start_worker, initargs=(self.plan,))
        queue_limit = (self.jobs - 1) * IN_FLIGHT_PER_JOB
        for batch in self.unread:
            queued = sum(1 for _, waiting in self.pending if not waiting.ready())
            if queued < queue_limit:
                self.pending.append((batch, self.pool.apply_async(_validate_in_worker, (batch, self.validate))))
            else:
                self.pending.append((batch, _Done(validate_batch(self.plan, batch, self.validate))))
            while self.pending and (self.pending[0][1].ready() or len(self.pending) > 2 * queue_limit):
                batch_done, waiting = self.pending.popleft()
                yield batch_done, waiting.get()
        while self.pending:
            batch_done, waiting = self.pending.popleft()
            yield batch_done, waiting.get()

    def abandon(self) -> Iterator[Batch]:
        """The batches not yet handed back (in flight, then unread), dropping their work."""
        while self.pending:
            yield self.pending.popleft()[0]
        yield from self.unread

    def close(self) -> None:
        if self.pool is not None:
            self.pool.terminate()
            self.pool.join()
            self.pool = None


class _Done:
    """A batch validated in this process, queued beside the workers' results."""

    def __init__(self, outcome: Outcome):
        self.outcome = outcome

    def ready(self) -> bool:
        return True

    def get(self) -> Outcome:
        return self.outcome


def _prepend(first: Batch, second: Batch, rest: Iterator[Batch]) -> Iterator[Batch]:
    yield first
    yield second
    yield from rest
