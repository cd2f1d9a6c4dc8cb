"""Classification codes: 功能分类 codes split over 类/款/项 columns, class names → codes."""

from __future__ import annotations

import difflib
import re
from functools import lru_cache
from pathlib import Path

import yaml

from pipelines.basics.text import compact

_FUNCTION_PART = re.compile(r"^\d{2,7}$")
_ECONOMIC = re.compile(r"^[35]\d{2}(\d{2})?$")
_HEADER_WORDS = {"类", "款", "项", "栏次", "行次", "科目编码", "编码"}
_ORDINAL = re.compile(r"^(其中[:：]?)?([一二三四五六七八九十]+、|\d+[.、．]|[(（][一二三四五六七八九十\d]+[)）])*")


def is_header_word(text: str) -> bool:
    return compact(text) in _HEADER_WORDS


def function_code_from(parts: list[str]) -> str | None:
    """'201','06','01' → '2010601'; '2010601' → itself; '201','','' → '201'. None if not a code."""
    digits = [compact(p) for p in parts if compact(p)]
    if not digits or not all(_FUNCTION_PART.match(d) for d in digits):
        return None
    if len(digits) == 1 and len(digits[0]) in (3, 5, 7):
        return digits[0]
    head, rest = digits[0], digits[1:]
    if len(head) == 3 and all(len(r) == 2 for r in rest) and len(rest) <= 2:
        return head + "".join(rest)
    if len(head) == 5 and len(rest) == 1 and len(rest[0]) == 2:
        return head + rest[0]
    return None


def is_function_code_part(text: str) -> bool:
    return bool(_FUNCTION_PART.match(compact(text)))


def is_economic_code(text: str) -> bool:
    return bool(_ECONOMIC.match(compact(text)))


def strip_ordinal(label: str) -> str:
    """'一、一般公共服务支出' → '一般公共服务支出'; '其中：（1）公务用车购置费' → '公务用车购置费'."""
    return _ORDINAL.sub("", compact(label))


@lru_cache(maxsize=1)
def _class_names() -> dict[str, str]:
    data = yaml.safe_load(Path(__file__).with_name("function_classes.yaml").read_text(encoding="utf-8"))
    return {name: code for code, names in data.items() for name in names}


def function_class_of(label: str) -> tuple[str | None, bool]:
    """Class code for a printed class name, and whether the match was only approximate."""
    name = strip_ordinal(label)
    names = _class_names()
    if name in names:
        return names[name], False
    close = difflib.get_close_matches(name, list(names), n=1, cutoff=0.8)
    if close:
        return names[close[0]], True
    return None, False
