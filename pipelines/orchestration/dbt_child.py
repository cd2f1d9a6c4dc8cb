"""``fiscal-dbt``: the venv's dbt, run so that it dies with the process that started it.

Dagster starts dbt as a plain subprocess. If the refresh is killed with SIGKILL, that dbt would go on
building the warehouse copy without the write lock, and the next refresh would meet DuckDB's file lock
held by the orphan. This entry point (``[project.scripts]``) asks for the parent-death signal and then
becomes dbt itself (exec): same process, same arguments, same exit code.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from pipelines.land.child_processes import die_with_parent

WRAPPER_NAME = "fiscal-dbt"
# The starter's pid, when it says it: a parent that died before this started is then told from the
# reaper that adopted us.
PARENT_PID_VARIABLE = "FISCAL_DBT_PARENT_PID"


def main() -> None:
    die_with_parent(int(os.environ.get(PARENT_PID_VARIABLE) or os.getppid()))
    dbt = Path(sys.executable).parent / "dbt"
    program = str(dbt) if dbt.exists() else "dbt"
    os.execvp(program, [program, *sys.argv[1:]])


if __name__ == "__main__":
    main()
