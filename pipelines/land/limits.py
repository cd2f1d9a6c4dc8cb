"""How long and how much memory one document's parse may take, and the reasons given when it does not fit.

FISCAL_PARSE_TIMEOUT_SECONDS (default 600) and FISCAL_PARSE_MEMORY_MB (default 4096; the address space of
the parse process, see resource.RLIMIT_AS) bound each parse; 0 turns a limit off. A document over a limit
is rejected with a one-line reason and the run goes on (pipelines/land/workers.py enforces them).

A rejection for a limit is not a property of the document alone, so it is never cached: once the
limits change, landing treats such a document as due for another try (see `is_stale_rejection`).
"""

from __future__ import annotations

import os
from dataclasses import dataclass

DEFAULT_TIMEOUT_SECONDS = 600.0
DEFAULT_MEMORY_MB = 4096
_REASON_PREFIX = "parse exceeded "


@dataclass(frozen=True)
class ParseLimits:
    timeout_seconds: float | None  # None: no time limit
    memory_mb: int | None  # None: no memory limit

    @classmethod
    def from_environment(cls) -> ParseLimits:
        timeout = float(os.environ.get("FISCAL_PARSE_TIMEOUT_SECONDS", DEFAULT_TIMEOUT_SECONDS))
        memory = int(os.environ.get("FISCAL_PARSE_MEMORY_MB", DEFAULT_MEMORY_MB))
        return cls(timeout if timeout > 0 else None, memory if memory > 0 else None)

    def time_reason(self) -> str:
        return f"{_REASON_PREFIX}{self.timeout_seconds:g} s time limit"

    def memory_reason(self) -> str:
        return f"{_REASON_PREFIX}{self.memory_mb} MB memory limit"

    def is_stale_rejection(self, reason: str | None) -> bool:
        """A landed rejection for a limit other than the current ones: the document gets another try."""
        if not reason or not reason.startswith(_REASON_PREFIX):
            return False
        current = [self.time_reason()] if self.timeout_seconds else []
        current += [self.memory_reason()] if self.memory_mb else []
        return not any(reason.startswith(limit) for limit in current)


def is_limit_rejection(reason: str | None) -> bool:
    return bool(reason) and reason.startswith(_REASON_PREFIX)
