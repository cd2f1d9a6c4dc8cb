"""Table layouts (layouts.yaml): titles, shapes, column and row-label mappings."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

import yaml

LAYOUTS_FILE = Path(__file__).with_name("layouts.yaml")
_NOT_LAYOUTS = ("row_labels", "content_title_words")


@dataclass(frozen=True)
class Layout:
    kind: str
    family: str
    number: int | None
    titles: tuple[str, ...]
    spec: dict

    @property
    def shape(self) -> str:
        return self.spec["shape"]


@lru_cache(maxsize=1)
def load_layouts() -> tuple[dict[str, Layout], dict[str, list[dict]]]:
    data = yaml.safe_load(LAYOUTS_FILE.read_text(encoding="utf-8"))
    layouts: dict[str, Layout] = {}
    for family, kinds in data.items():
        if family in _NOT_LAYOUTS:
            continue
        for kind, spec in kinds.items():
            layouts[kind] = Layout(kind, family, spec.get("number"), tuple(spec["titles"]), spec)
    return layouts, data["row_labels"]


def layouts() -> dict[str, Layout]:
    return load_layouts()[0]


@cache
def content_title_words() -> list[dict]:
    return yaml.safe_load(LAYOUTS_FILE.read_text(encoding="utf-8"))["content_title_words"]


@cache
def row_label_rules(name: str) -> list[dict]:
    """The rules of a row-label list, with `include` entries replaced by the lists they name."""
    rules: list[dict] = []
    for rule in load_layouts()[1][name]:
        rules += row_label_rules(rule["include"]) if "include" in rule else [rule]
    return rules


def match_title(compact_line: str) -> Layout | None:
    """The layout whose title pattern gives the longest match in the line (most specific wins)."""
    best = _longest_title_match(compact_line)
    return best[2] if best else None


def title_span(compact_line: str) -> tuple[int, int] | None:
    """Where in the line the title of the layout `match_title` gives stands."""
    best = _longest_title_match(compact_line)
    return (best[0], best[1]) if best else None


def _longest_title_match(compact_line: str) -> tuple[int, int, Layout] | None:
    best: tuple[int, int, Layout] | None = None
    for layout in layouts().values():
        for pattern in layout.titles:
            for found in re.finditer(pattern, compact_line):
                if best is None or found.end() - found.start() > best[1] - best[0]:
                    best = (found.start(), found.end(), layout)
    return best


def first_matching_rule(rules: list[dict], text: str) -> dict | None:
    for rule in rules:
        pattern = rule.get("match")
        if pattern and re.search(pattern, text):
            return rule
    return None
