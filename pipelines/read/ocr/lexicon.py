"""OCR misreads of the words these documents are made of, corrected against a lexicon.

Tesseract reads 支 as 文 or 款 as 笋 often enough to lose a table (its title no longer matches) or a
column (its header no longer maps to a measure). The words that matter are few and known: the table
titles, header labels and row labels of layouts.yaml, the function-class names, the cover words.
A run of an OCR word that differs from such a word in one character (two for words of eight
characters or more) is replaced by it, unless the run is already a known word. Only OCR text goes
through this: a text layer is never corrected.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import yaml

_ROOT = Path(__file__).resolve().parents[2]
_CJK_WORD = re.compile(r"[\u4e00-\u9fff]{3,}")
_EXTRA = (
    "部门决算",
    "单位决算",
    "部门预算",
    "单位预算",
    "年度",
    "单位",
    "科目编码",
    "科目名称",
    "功能分类",
    "经济分类",
    "人员经费",
    "公用经费",
    "栏次",
    "行次",
    "决算数",
    "预算数",
    "项目",
    "年初结转和结余",
    "年末结转和结余",
)


@lru_cache(maxsize=1)
def lexicon() -> dict[int, frozenset[str]]:
    """Known words by length (three characters and more)."""
    words: set[str] = set(_EXTRA)
    layouts = yaml.safe_load((_ROOT / "recognise" / "layouts.yaml").read_text(encoding="utf-8"))
    for pattern in _patterns(layouts):
        for variant in _variants(pattern):
            words.update(_CJK_WORD.findall(variant))
    classes = yaml.safe_load((_ROOT / "normalise" / "function_classes.yaml").read_text(encoding="utf-8"))
    for names in classes.values():
        for name in names:
            words.update(_CJK_WORD.findall(name))
    by_length: dict[int, set[str]] = {}
    for word in words:
        if len(word) >= 3:
            by_length.setdefault(len(word), set()).add(word)
    return {length: frozenset(found) for length, found in by_length.items()}


def _variants(pattern: str) -> list[str]:
    """The words a pattern's optional parts make: 收入预算总?表 → 收入预算总表, 收入预算表; 分类(情况|预算)?表
    → 分类情况表, 分类预算表, 分类表."""
    optional = re.search(r"\(([\u4e00-\u9fff|]+)\)\?|([\u4e00-\u9fff])\?", pattern)
    if optional is None:
        return [pattern]
    choices = (optional.group(1) or optional.group(2)).split("|") + [""]
    return [
        v for choice in choices for v in _variants(pattern[: optional.start()] + choice + pattern[optional.end() :])
    ]


def _patterns(node) -> list[str]:
    """Every title and match pattern in the layouts file."""
    if isinstance(node, dict):
        found = []
        for key, value in node.items():
            if key in ("match", "titles", "header") and isinstance(value, str):
                found.append(value)
            elif key == "titles" and isinstance(value, list):
                found += [v for v in value if isinstance(v, str)]
            else:
                found += _patterns(value)
        return found
    if isinstance(node, list):
        return [p for item in node for p in _patterns(item)]
    return []


def corrected(text: str) -> str:
    """`text` with each CJK run's near-misses of known words replaced by the words."""
    return _CJK_WORD.sub(lambda run: _corrected_run(run.group(0)), text)


def _corrected_run(run: str) -> str:
    known = lexicon()
    chars = list(run)
    fixed = [False] * len(chars)
    for length in sorted(known, reverse=True):  # longest words first
        if length > len(chars):
            continue
        for start in range(len(chars) - length + 1):
            if any(fixed[start : start + length]):
                continue
            window = "".join(chars[start : start + length])
            if window in known[length]:
                fixed[start : start + length] = [True] * length
                continue
            allowed = 2 if length >= 8 else 1
            match = _near(window, known[length], allowed)
            if match is not None:
                chars[start : start + length] = list(match)
                fixed[start : start + length] = [True] * length
    return "".join(chars)


def _near(window: str, words: frozenset[str], allowed: int) -> str | None:
    """The one known word within `allowed` substituted characters of `window` (None if none or several)."""
    found = None
    for word in words:
        misses = 0
        for a, b in zip(window, word):
            if a != b:
                misses += 1
                if misses > allowed:
                    break
        else:
            if misses * 2 < len(word):  # most of the word must be right
                if found is not None and found != word:
                    return None
                found = word
    return found


_SHORT_WORDS = frozenset(
    {"合计", "总计", "小计", "项目", "行次", "栏次", "金额", "单位", "部门", "年度", "类", "款", "项"}
)


def is_known(text: str) -> bool:
    """Every run of Chinese characters in `text` is a known word (and there is one)."""
    runs = re.findall(r"[\u4e00-\u9fff]+", text)
    known = lexicon()
    return bool(runs) and all(run in _SHORT_WORDS or run in known.get(len(run), ()) for run in runs)
