"""Printed targets → operator, number, unit; achieved from actual vs target."""

from __future__ import annotations

import pytest

from pipelines.normalise.targets import Target, achieved, parse_target


@pytest.mark.parametrize(
    "printed, operator, value, unit",
    [
        ("≥1场", ">=", 1.0, "场"),
        ("=100%", "=", 100.0, "%"),
        ("≤ 200 万元", "<=", 200.0, "万元"),
        (r"$\geq 85\%$", ">=", 85.0, "%"),
        (r"$\leq 100\%$", "<=", 100.0, "%"),
        (r"$= 100\%$", "=", 100.0, "%"),
        (r"覆盖率 $\geq 40\%$", ">=", 40.0, "%"),
        ("12个月", None, 12.0, "个月"),
        ("不低于90%", ">=", 90.0, "%"),
        ("不超过3个月", "<=", 3.0, "个月"),
        ("达到95%以上", ">=", 95.0, "%"),
        ("95%以上", ">=", 95.0, "%"),
        ("3天以内", "<=", 3.0, "天"),
        ("大于80%", ">", 80.0, "%"),
        ("＞2家", ">", 2.0, "家"),
        ("<5%", "<", 5.0, "%"),
        ("签约项目总投资≥30亿元", ">=", 30.0, "亿元"),
        ("≥20000辆(标准车)", ">=", 20000.0, "辆(标准车)"),
        ("≥ 1.5 亿元", ">=", 1.5, "亿元"),
        ("≥3 家", ">=", 3.0, "家"),
        ("160万元", None, 160.0, "万元"),
        ("1 0 0", None, 100.0, None),
        ("11588.6 2", None, 11588.62, None),
        ("100", None, 100.0, None),
    ],
)
def test_numeric_targets(printed, operator, value, unit):
    assert parse_target(printed) == Target(operator, value, unit)


@pytest.mark.parametrize(
    "printed", ["基本满意", "2020年1-12月", "按预算安排合规使用", "", None, "≥4288.49 m 2 以上的面积说明"]
)
def test_qualitative_targets_have_no_number(printed):
    assert parse_target(printed).value is None


@pytest.mark.parametrize(
    "target, actual, expected",
    [
        ("≥350台", "150", False),
        ("≥95%", "80%", False),
        ("≥15家", "20", True),
        (r"$\geq 85\%$", "90%", True),
        ("≤3 个月", "3", True),
        ("≤ 200 万元", "201", False),
        ("=100%", "100", True),
        ("=3 家", "7", False),
        ("≥1场", "1场", True),
        ("≥1场", "1次", None),  # units disagree
        ("160万元", "45.23", None),  # no operator printed
        ("基本满意", "满意", None),  # qualitative
        ("≥90%", "", None),  # nothing printed
    ],
)
def test_achieved_compares_actual_with_target(target, actual, expected):
    assert achieved(parse_target(target), parse_target(actual)) is expected
