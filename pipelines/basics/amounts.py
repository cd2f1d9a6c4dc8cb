"""Printed amounts → Decimal in 万元, keeping blank / placeholder / value apart."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from pipelines.basics.text import normalise

PLACEHOLDERS = {"-", "--", "—", "——", "–", "无", "/", "*", "…", "……", "...", "x", "X", "×"}
_NUMBER = re.compile(r"^[+-]?(\d{1,3}(,\d{3})+|\d+)(\.\d+)?$")
_UNIT_FACTOR = {"万元": Decimal(1), "元": Decimal("0.0001")}


@dataclass(frozen=True)
class Amount:
    state: str  # 'blank' | 'placeholder' | 'value' | 'unparseable'
    value: Decimal | None  # as printed (printed unit)


def parse_amount(text: str | None) -> Amount:
    raw = normalise(text).strip()
    compact = re.sub(r"\s+", "", raw).replace("，", ",")
    if not compact:
        return Amount("blank", None)
    if compact in PLACEHOLDERS:
        return Amount("placeholder", None)
    negative = False
    if compact.startswith("(") and compact.endswith(")"):
        negative, compact = True, compact[1:-1]
    if compact.startswith("－") or compact.startswith("-"):
        negative, compact = not negative, compact[1:]
    if not _NUMBER.match(compact):
        return Amount("unparseable", None)
    try:
        value = Decimal(compact.replace(",", ""))
    except InvalidOperation:
        return Amount("unparseable", None)
    return Amount("value", -value if negative else value)


def looks_like_amount(text: str | None) -> bool:
    return parse_amount(text).state == "value"


def to_wanyuan(value: Decimal, printed_unit: str) -> Decimal:
    return (value * _UNIT_FACTOR[printed_unit]).quantize(Decimal("0.000001"))


def is_decimal_amount(text: str | None) -> bool:
    """A printed amount with decimals (2,946.25), as opposed to a row number or a code."""
    amount = parse_amount(text)
    return amount.state == "value" and "." in (text or "")
