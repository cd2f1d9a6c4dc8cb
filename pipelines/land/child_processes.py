"""Children that die with the refresh that started them.

A refresh killed with SIGKILL cannot clean up: a parse worker it leaves would go on parsing past its
limits, and a dbt it leaves would go on writing the warehouse copy without the write lock (the next
refresh then meets DuckDB's lock held by the orphan). Linux can kill a child when its parent dies
(PR_SET_PDEATHSIG); the request survives exec, so a wrapper can make it for a program it runs.
"""

from __future__ import annotations

import ctypes
import os
import signal

_PR_SET_PDEATHSIG = 1  # linux/prctl.h


def die_with_parent(parent_pid: int) -> bool:
    """Ask the kernel to SIGKILL this process when its parent dies. Exits at once if `parent_pid` is
    already gone (it died before the request took effect). False where the request is not available
    (not Linux): the caller then relies on its parent's own clean-up."""
    try:
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):
        return False
    if os.getppid() != parent_pid:
        os._exit(1)
    return True
