"""Parse documents in worker processes, each parse within the time and memory limits.

Every worker is a spawned process that imports the parser only (no DuckDB) and parses one document
at a time. Its address space is capped (RLIMIT_AS) before it parses anything; a parse that runs out
of it, overruns its time, or kills its process (a crash in a native PDF library) gives a rejected
document with a one-line reason, and the worker is replaced. concurrent.futures would break the
whole pool when one worker dies, hence this small pool of our own.
"""

from __future__ import annotations

import logging
import multiprocessing
import resource
import time
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from pathlib import Path

from pipelines.land.child_processes import die_with_parent
from pipelines.land.limits import ParseLimits
from pipelines.parse import parse_document
from pipelines.parsed_document import ParsedDocument

log = logging.getLogger(__name__)

Task = tuple[str, Path]  # (document_id, path)


@dataclass
class _Worker:
    process: multiprocessing.process.BaseProcess
    connection: Connection
    ready: bool = False  # imported the parser and set its limit: the clock starts on a task only then
    task: Task | None = None
    started: float = 0.0


class WorkerStartError(RuntimeError):
    """A parse worker died before it was ready: the environment is broken, not a document."""


def parse_in_workers(todo: list[Task], workers: int, limits: ParseLimits) -> Iterator[tuple[ParsedDocument, bool]]:
    """(parse, cacheable?) of every task, in completion order. Not cacheable: rejected for a limit."""
    context = multiprocessing.get_context("spawn")
    pending: deque[Task] = deque(todo)
    pool: list[_Worker] = []
    try:
        while pending or any(w.task for w in pool):
            while len(pool) < min(workers, len(pending) + sum(1 for w in pool if w.task)):
                pool.append(_start(context, limits))
            for worker in pool:
                if worker.ready and worker.task is None and pending:
                    worker.task, worker.started = pending.popleft(), time.monotonic()
                    worker.connection.send(worker.task)
            waiting = [w for w in pool if w.task or not w.ready]
            wait(
                [w.connection for w in waiting] + [w.process.sentinel for w in waiting],
                timeout=_wait_seconds([w for w in waiting if w.task], limits),
            )
            for worker in waiting:
                if not worker.ready:
                    _await_ready(worker)
                    continue
                outcome = _collect(worker, limits)
                if outcome is not None:
                    worker.task = None
                    if not worker.process.is_alive():
                        pool.remove(worker)
                    yield outcome
    finally:
        for worker in pool:
            _stop(worker)


def _start(context, limits: ParseLimits) -> _Worker:
    parent, child = context.Pipe()
    process = context.Process(target=_serve, args=(child, limits.memory_mb), daemon=True)
    process.start()
    child.close()
    return _Worker(process, parent)


def _await_ready(worker: _Worker) -> None:
    if worker.connection.poll():
        try:
            worker.ready = worker.connection.recv() == "ready"
            return
        except (EOFError, OSError):
            pass
    if not worker.process.is_alive():
        raise WorkerStartError(f"a parse worker exited with code {worker.process.exitcode} before it was ready")


def _wait_seconds(busy: list[_Worker], limits: ParseLimits) -> float | None:
    if limits.timeout_seconds is None or not busy:
        return None
    first_deadline = min(w.started for w in busy) + limits.timeout_seconds
    return max(0.0, first_deadline - time.monotonic())


def _collect(worker: _Worker, limits: ParseLimits) -> tuple[ParsedDocument, bool] | None:
    """The worker's result if it has one, or a rejection if it died or overran; None while it works."""
    document_id, path = worker.task
    elapsed = time.monotonic() - worker.started
    if worker.connection.poll():
        try:
            parsed, out_of_memory = worker.connection.recv()
        except (EOFError, OSError):
            return _died(worker, limits, elapsed)
        if out_of_memory:
            # it stops after such a parse; one that has not stopped is stopped, never given the next file
            worker.process.join(timeout=5)
            _stop(worker, kill=True)
            return _limit_rejection(document_id, path, limits.memory_reason(), elapsed), False
        return parsed, True
    if not worker.process.is_alive():
        return _died(worker, limits, elapsed)
    if limits.timeout_seconds is not None and elapsed >= limits.timeout_seconds:
        log.warning("%s: parse stopped after %.1f s (limit %g s)", path.name, elapsed, limits.timeout_seconds)
        _stop(worker, kill=True)
        return _limit_rejection(document_id, path, limits.time_reason(), elapsed), False
    return None


def _died(worker: _Worker, limits: ParseLimits, elapsed: float) -> tuple[ParsedDocument, bool]:
    document_id, path = worker.task
    worker.process.join(timeout=5)
    code = worker.process.exitcode
    if limits.memory_mb is not None:
        # a native library that cannot allocate aborts the process instead of raising MemoryError
        reason = f"{limits.memory_reason()}: the parse process ended with exit code {code}"
    else:
        reason = f"the parse process ended unexpectedly with exit code {code}"
    _stop(worker)
    return _limit_rejection(document_id, path, reason, elapsed), False


def _stop(worker: _Worker, kill: bool = False) -> None:
    if worker.process.is_alive() and not kill and worker.task is None:
        try:
            worker.connection.send(None)  # finish politely: no task running
            worker.process.join(timeout=5)
        except (BrokenPipeError, OSError):
            pass
    if worker.process.is_alive():
        worker.process.kill()
    worker.process.join()
    worker.connection.close()


def _limit_rejection(document_id: str, path: Path, reason: str, elapsed: float) -> ParsedDocument:
    byte_size = path.stat().st_size if path.exists() else 0
    return ParsedDocument(
        document_id,
        path.suffix.lower().lstrip("."),
        byte_size,
        None,
        None,
        None,
        None,
        None,
        None,
        "rejected",
        reason,
        seconds=round(elapsed, 3),
    )


def _serve(connection: Connection, memory_mb: int | None) -> None:
    """Worker process: parse each task received until told to stop (None)."""
    parent = multiprocessing.parent_process()
    if parent is not None:
        die_with_parent(parent.pid)
    connection.send("ready")  # before the limit: a limit too small for anything fails the parse, not the start
    if memory_mb is not None:
        _, hard = resource.getrlimit(resource.RLIMIT_AS)
        limit = memory_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit if hard == resource.RLIM_INFINITY else min(limit, hard), hard))
    while True:
        task = connection.recv()
        if task is None:
            return
        document_id, path = task
        parsed = parse_document(path, document_id)
        # parse_document turns every exception into a rejection; running out of memory is a limit, not the file
        out_of_memory = memory_mb is not None and (parsed.rejection_reason or "").startswith(
            "extraction failed: MemoryError"
        )
        connection.send((parsed, out_of_memory))
        if out_of_memory:
            return  # a process that ran out of memory is not trusted with another parse
