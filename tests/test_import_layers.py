"""The package imports one way: basics ← read ← recognise ← normalise ← parse ← land ← orchestration."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "pipelines"
LAYERS = {
    "basics": 0,
    "read": 1,
    "recognise": 2,
    "normalise": 3,
    "parse": 4,
    "parsed_document": 4,
    "land": 5,
    "orchestration": 6,
}


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {_module_name(path): path for path in PACKAGE.rglob("*.py")}


def _imported(node: ast.Import | ast.ImportFrom) -> set[str]:
    """The project modules an import statement loads (a package's own module for `from p import name`)."""
    if isinstance(node, ast.Import):
        names = [alias.name for alias in node.names]
    else:
        names = [f"{node.module}.{alias.name}" for alias in node.names] if node.module else []
    found = set()
    for name in names:
        while name and name not in MODULES:
            name = name.rpartition(".")[0]
        if name.startswith("pipelines."):
            found.add(name)
    return found


def _imports() -> dict[str, list[tuple[str, int, bool]]]:
    """module → (imported module, line, whether the import runs inside a function)"""
    graph = {}
    for module, path in MODULES.items():
        found: list[tuple[str, int, bool]] = []
        _collect(ast.parse(path.read_text(encoding="utf-8")), False, found)
        graph[module] = [entry for entry in found if entry[0] != module]
    return graph


def _collect(node: ast.AST, in_function: bool, found: list) -> None:
    if isinstance(node, (ast.Import, ast.ImportFrom)):
        found += [(target, node.lineno, in_function) for target in _imported(node)]
    in_function = in_function or isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda))
    for child in ast.iter_child_nodes(node):
        _collect(child, in_function, found)


def _layer(module: str) -> int | None:
    parts = module.split(".")
    return LAYERS.get(parts[1]) if len(parts) > 1 else None


def test_no_layer_imports_a_layer_above_it():
    upward = [
        (module, target, line)
        for module, imports in _imports().items()
        for target, line, _ in imports
        if _layer(module) is not None and _layer(target) is not None and _layer(target) > _layer(module)
    ]
    assert upward == []


def test_no_import_circle():
    graph = {module: {target for target, _, _ in imports} for module, imports in _imports().items()}
    circles = []

    def visit(module: str, path: list[str]) -> None:
        for target in sorted(graph.get(module, ())):
            if target in path:
                circles.append(path[path.index(target) :] + [target])
            elif target not in done:
                visit(target, path + [target])
        done.add(module)

    done: set[str] = set()
    for module in sorted(graph):
        if module not in done:
            visit(module, [module])
    assert circles == []


def test_project_imports_are_at_module_level():
    """A late import is how a circle hides; only the command line defers loading the Dagster
    definitions until the dbt manifest they read is prepared."""
    late = [
        (module, target, line)
        for module, imports in _imports().items()
        for target, line, inside in imports
        if inside and module != "pipelines.__main__"
    ]
    assert late == []
