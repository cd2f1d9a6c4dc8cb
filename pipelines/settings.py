"""Where things are. One absolute path each, shared by Python and dbt."""

from __future__ import annotations

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DBT_PROJECT_DIR = PROJECT_ROOT / "dbt_project"


def _absolute(value: str) -> Path:
    path = Path(value).expanduser()
    return path if path.is_absolute() else (PROJECT_ROOT / path)


def raw_dir() -> Path:
    return _absolute(os.environ.get("FISCAL_RAW_DIR", "raw")).resolve()


def duckdb_path() -> Path:
    return _absolute(os.environ.get("FISCAL_DUCKDB_PATH", "warehouse/fiscal.duckdb")).resolve()


def allow_empty_raw() -> bool:
    """FISCAL_ALLOW_EMPTY_RAW=1: an empty raw folder empties the warehouse (otherwise it is refused)."""
    return os.environ.get("FISCAL_ALLOW_EMPTY_RAW", "").strip().lower() in ("1", "true", "yes")


def cache_dir() -> Path:
    """Parse results, immutable and keyed by content hash (beside the warehouse by default)."""
    default = duckdb_path().parent / "parsed"
    return _absolute(os.environ.get("FISCAL_CACHE_DIR", str(default))).resolve()
