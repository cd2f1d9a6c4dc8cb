"""Child process of the benchmark: read one PDF and report its own peak memory as JSON on stdout.

    python -m benchmarks.measure_one parse FILE   # pipelines.parse.parse_document (what a worker does)
    python -m benchmarks.measure_one bare FILE    # bare pdfplumber text + tables of every page

A fresh process per measurement, so its peak memory is that of reading this one document (plus the
interpreter and the imports, reported separately as `baseline_max_rss_bytes`).

Peak memory is the kernel's high-water mark of resident memory, VmHWM of /proc/<pid>/status: on
Linux, getrusage's ru_maxrss of a child starts at the RSS its parent had when it forked (the
high-water mark survives exec), so a child of a big process would report the parent's size.
VmHWM belongs to the process's own address space and starts afresh at exec. `PeakSampler` reads it
for every descendant of this process while a stage runs (pool workers, dbt).
"""

from __future__ import annotations

import json
import os
import resource
import sys
import threading
import time
from pathlib import Path


def max_rss_bytes(who: int = resource.RUSAGE_SELF) -> int:
    """getrusage's ru_maxrss in bytes (Linux reports KiB); for RUSAGE_CHILDREN see the module note."""
    return resource.getrusage(who).ru_maxrss * 1024


def high_water_bytes(pid: int | str = "self") -> int | None:
    """VmHWM of a live process (its peak resident memory so far), None when it is gone or unknown."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return None
    for line in status.splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) * 1024
    return None


def reset_high_water() -> bool:
    """Start VmHWM of this process afresh from its current RSS (Linux ≥ 4.0), so the next reading is
    the peak of what runs in between; False where that is not possible."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
        return True
    except OSError:
        return False


def _descendants(root: int) -> list[int]:
    parents: dict[int, int] = {}
    for entry in os.scandir("/proc"):
        if entry.name.isdigit():
            try:
                stat = Path(entry.path, "stat").read_text()
            except OSError:
                continue
            parents[int(entry.name)] = int(stat[stat.rindex(")") + 2 :].split()[1])
    found, frontier = [], [root]
    while frontier:
        parent = frontier.pop()
        children = [pid for pid, ppid in parents.items() if ppid == parent]
        found += children
        frontier += children
    return found


class PeakSampler:
    """Within `with PeakSampler() as sampler:`, the peak VmHWM of every descendant process, sampled
    every `interval` seconds (growth in a child's last interval before it exits can be missed)."""

    def __init__(self, interval: float = 0.1):
        self.interval = interval
        self.peaks: dict[int, int] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while True:
            for pid in _descendants(os.getpid()):
                peak = high_water_bytes(pid)
                if peak is not None and peak > self.peaks.get(pid, 0):
                    self.peaks[pid] = peak
            if self._stop.wait(self.interval):
                return

    def __enter__(self) -> PeakSampler:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()

    @property
    def max_bytes(self) -> int:
        return max(self.peaks.values(), default=0)


def bare_extract(path: Path) -> int:
    """The floor of our approach: pdfplumber text and tables of every page, each page closed after use."""
    import pdfplumber

    with pdfplumber.open(path) as pdf:
        pages = len(pdf.pages)
        for page in pdf.pages:
            page.extract_text()
            for table in page.find_tables():
                table.extract()
            page.close()
    return pages


def main(argv: list[str]) -> int:
    mode, path = argv[0], Path(argv[1])
    if mode == "parse":
        from pipelines.parse import parse_document
    else:
        import pdfplumber  # noqa: F401
    baseline = high_water_bytes() or max_rss_bytes()
    started = time.perf_counter()
    if mode == "parse":
        parsed = parse_document(path)
        result = {
            "status": parsed.status,
            "pages": parsed.page_count,
            "tables": len(parsed.tables),
            "amounts": len(parsed.amounts),
            "rejection_reason": parsed.rejection_reason,
        }
    elif mode == "bare":
        result = {"pages": bare_extract(path)}
    else:
        raise SystemExit(f"unknown mode {mode!r}")
    result.update(
        seconds=round(time.perf_counter() - started, 3),
        max_rss_bytes=high_water_bytes() or max_rss_bytes(),
        baseline_max_rss_bytes=baseline,
    )
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
