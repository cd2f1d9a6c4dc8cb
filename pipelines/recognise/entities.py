"""One key per body: printed entity names normalised through entities.yaml (data, not code)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from pipelines.basics.text import compact

_ENTITIES_FILE = Path(__file__).with_name("entities.yaml")


@dataclass(frozen=True)
class Entity:
    key: str  # the same for every printing of one body
    level: str | None  # 'department' | 'unit' (the department's own unit, “（本级）”)


@lru_cache(maxsize=1)
def _rules() -> dict:
    rules = yaml.safe_load(_ENTITIES_FILE.read_text(encoding="utf-8"))
    rules["abbreviations"] = sorted(rules["abbreviations"].items(), key=lambda item: -len(item[0]))
    return rules


def normalise_entity(printed: str | None, doc_type: str | None) -> Entity | None:
    if not printed:
        return None
    rules = _rules()
    name = compact(printed).replace("（", "(").replace("）", ")")
    marked_unit = False
    for mark in rules["unit_marks"]:
        if name.endswith(mark):
            name, marked_unit = name[: -len(mark)], True
            break
    for rule in rules["contractions"]:
        name = re.sub(rule["pattern"], rule["replace"], name)
    for short, full in rules["abbreviations"]:
        if short in name and full not in name:
            name = name.replace(short, full)
    for ending in rules["body_endings"]:
        if name.endswith(ending) and len(name) > len(ending) + 2:
            name = name[: -len(ending)]
            break
    return Entity(name, _level(doc_type, marked_unit))


def _level(doc_type: str | None, marked_unit: bool) -> str | None:
    if marked_unit or (doc_type or "").startswith("unit_"):
        return "unit"
    if (doc_type or "").startswith("department_") or doc_type == "performance_evaluation":
        return "department"
    return None
