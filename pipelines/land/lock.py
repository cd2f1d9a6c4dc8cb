"""The warehouse write lock: one writer of the DuckDB file at a time, across processes.

DuckDB itself refuses a second writing process with an error instead of waiting, so every
writer (the landing step and the dbt build) takes an advisory ``fcntl.flock`` on
``<db_path>.lock`` first and waits for it. Readers (analysts, the CLI summary) do not take it.

The lock is reentrant within one thread (landing code that takes it may be called by code that
already holds it); other threads and processes wait.
"""

from __future__ import annotations

import fcntl
import os
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

DEFAULT_TIMEOUT_SECONDS = 6 * 60 * 60  # a full re-parse of a large raw folder may take hours
_POLL_SECONDS = 0.2

_held: dict[str, tuple[int, int]] = {}  # lock path -> (owning thread id, depth)
_held_guard = threading.Lock()


class WarehouseLockTimeout(TimeoutError):
    """Another writer held the warehouse lock for longer than the timeout."""


def lock_path_for(db_path: Path | str) -> Path:
    db_path = Path(db_path).expanduser().resolve()
    return db_path.with_name(db_path.name + ".lock")


@contextmanager
def warehouse_write_lock(db_path: Path | str, timeout: float | None = DEFAULT_TIMEOUT_SECONDS) -> Iterator[Path]:
    """Hold the exclusive write lock of the warehouse at ``db_path``; yields the lock file path.

    Waits up to ``timeout`` seconds (None: forever), then raises WarehouseLockTimeout.
    """
    path = lock_path_for(db_path)
    key = str(path)
    me = threading.get_ident()

    with _held_guard:
        owner, depth = _held.get(key, (None, 0))
        if owner == me:
            _held[key] = (me, depth + 1)
            reentered = True
        else:
            reentered = False
    if reentered:
        try:
            yield path
        finally:
            with _held_guard:
                owner, depth = _held[key]
                _held[key] = (owner, depth - 1)
        return

    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        deadline = None if timeout is None else time.monotonic() + timeout
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if deadline is not None and time.monotonic() >= deadline:
                    raise WarehouseLockTimeout(
                        f"another process has been writing {Path(db_path)} for over {timeout:.0f} s (lock {path})"
                    ) from None
                time.sleep(_POLL_SECONDS)
        # who holds it, for humans looking at the file; the flock is what counts
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n".encode())
        with _held_guard:
            _held[key] = (me, 1)
        try:
            yield path
        finally:
            with _held_guard:
                _held.pop(key, None)
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)
