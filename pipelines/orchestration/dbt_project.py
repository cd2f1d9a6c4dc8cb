"""The dbt project as Dagster sees it: where it is, which dbt runs it, and its manifest.

Dagster builds the dbt assets from ``dbt_project/target/manifest.json``. ``dagster dev`` re-creates
it at every code load (see definitions.py); everywhere else ``prepare_manifest()`` (``python -m
pipelines prepare``, called by the Makefile, the CLI and the tests) runs ``dbt parse`` when the
manifest is missing or older than a file of the project. ``dbt parse`` reads no data: it never
opens the warehouse.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import subprocess
import sys
from pathlib import Path

from pipelines import settings
from pipelines.orchestration.dbt_child import WRAPPER_NAME

# Folders of the dbt project that dbt writes (or that are not part of the project's meaning).
_GENERATED = {"target", "logs", "dbt_packages", "__pycache__"}


def project_dir(path: Path | str | None = None) -> Path:
    return Path(path).resolve() if path is not None else settings.DBT_PROJECT_DIR


def is_dbt_project(path: Path | str | None = None) -> bool:
    return (project_dir(path) / "dbt_project.yml").is_file()


def manifest_path(path: Path | str | None = None) -> Path:
    return project_dir(path) / "target" / "manifest.json"


def dbt_executable() -> str:
    """The ``fiscal-dbt`` wrapper installed beside this Python (dbt that dies with its parent, see
    dbt_child.py), else the venv's ``dbt``, else whatever ``dbt`` is on PATH."""
    for name in (WRAPPER_NAME, "dbt"):
        beside = Path(sys.executable).parent / name
        if beside.exists():
            return str(beside)
    return "dbt"


def dbt_environment(db_path: Path | str | None = None) -> dict[str, str]:
    """Environment for a dbt process: the profile reads FISCAL_DUCKDB_PATH (absolute)."""
    env = dict(os.environ)
    env["FISCAL_DUCKDB_PATH"] = str(Path(db_path).resolve() if db_path else settings.duckdb_path())
    env.setdefault("DBT_SEND_ANONYMOUS_USAGE_STATS", "false")
    return env


def _project_files(root: Path):
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(
            d for d in dirnames if not d.startswith(".") and not (Path(dirpath) == root and d in _GENERATED)
        )
        for name in sorted(filenames):
            if not name.startswith("."):
                yield Path(dirpath) / name


def project_fingerprint(path: Path | str | None = None) -> str:
    """sha256 over the project's own files (models, seeds, macros, yml): changes when dbt code changes."""
    root = project_dir(path)
    digest = hashlib.sha256()
    for file in _project_files(root):
        digest.update(file.relative_to(root).as_posix().encode())
        digest.update(b"\0")
        digest.update(hashlib.sha256(file.read_bytes()).digest())
    return digest.hexdigest()


def manifest_is_stale(path: Path | str | None = None) -> bool:
    """True when the manifest is missing or a project file changed after it was written."""
    manifest = manifest_path(path)
    if not manifest.is_file():
        return True
    written = manifest.stat().st_mtime_ns
    return any(f.stat().st_mtime_ns > written for f in _project_files(project_dir(path)))


class DbtPrepareError(RuntimeError):
    pass


def prepare_manifest(path: Path | str | None = None, *, force: bool = False) -> Path | None:
    """Run ``dbt parse`` (and ``dbt deps`` when the project has packages) if the manifest is stale.

    Returns the manifest path, or None when there is no dbt project yet. Raises DbtPrepareError
    with dbt's output when dbt fails.
    """
    root = project_dir(path)
    if not is_dbt_project(root):
        return None
    if not force and not manifest_is_stale(root):
        return manifest_path(root)

    target = root / "target"
    target.mkdir(exist_ok=True)
    # Two processes loading definitions at once must not write the manifest at once.
    with open(target / ".prepare.lock", "w") as guard:
        fcntl.flock(guard, fcntl.LOCK_EX)
        try:
            if not force and not manifest_is_stale(root):
                return manifest_path(root)
            commands = []
            has_packages = (root / "packages.yml").exists() or (root / "dependencies.yml").exists()
            if has_packages and not (root / "dbt_packages").exists():
                commands.append(["deps"])
            commands.append(["parse"])
            for args in commands:
                completed = subprocess.run(
                    [dbt_executable(), *args, "--project-dir", str(root), "--profiles-dir", str(root)],
                    cwd=root,
                    env=dbt_environment(),
                    capture_output=True,
                    text=True,
                )
                if completed.returncode != 0:
                    raise DbtPrepareError(
                        f"`dbt {' '.join(args)}` failed in {root}:\n{completed.stdout}{completed.stderr}"
                    )
            manifest = manifest_path(root)
            if not manifest.is_file():
                raise DbtPrepareError(f"`dbt parse` wrote no manifest at {manifest}")
            manifest.touch()  # newer than every project file, even when dbt reused a partial parse
            return manifest
        finally:
            fcntl.flock(guard, fcntl.LOCK_UN)
