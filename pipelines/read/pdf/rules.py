"""Table rules a word processor left out: the outer verticals of tables ruled inside only, and the
top or bottom rule a page break cut off."""

from __future__ import annotations

_RULE_MIN_LENGTH = 10  # shorter horizontal edges are the ends of thin rectangles, not rules
_ROW_GAP = 80  # rules further apart than this belong to different tables
_SIDE_COVERAGE = 0.5  # a side with less of its height ruled is an open side


def open_sides(edges: list[dict]) -> list[dict]:
    """Vertical rules to close tables drawn without left or right borders.

    Word processors often leave a table's outer verticals out: rows are ruled across the whole
    width and the columns are divided inside, but pdfplumber only makes cells between two verticals,
    so the first and last columns would be lost. For each stack of horizontal rules with column
    rules inside it, a side whose x has (almost) no vertical rule gets one, from the first rule of
    the stack to the last. Tables ruled on every side get nothing.
    """
    vertical = _verticals(edges)
    added = []
    for stack in _ruled_stacks(edges):
        top, bottom = stack["top"], stack["bottom"]
        inside = [
            e
            for e in vertical
            if stack["x0"] + 3 < e["x0"] < stack["x1"] - 3 and e["top"] < bottom and e["bottom"] > top
        ]
        if not inside:
            continue  # rows ruled but no columns: nothing to close
        sides = {x: [e for e in vertical if abs(e["x0"] - x) <= 3] for x in (stack["x0"], stack["x1"])}
        for x, other in ((stack["x0"], stack["x1"]), (stack["x1"], stack["x0"])):
            ruled = sum(max(0.0, min(e["bottom"], bottom) - max(e["top"], top)) for e in sides[x])
            if ruled < _SIDE_COVERAGE * (bottom - top):
                added.append(_vertical(x, top, bottom))
            else:  # a row whose merged cell a page cut left open on one side: ruled as far as the other side
                added += [
                    _vertical(x, max(e["top"], top), min(e["bottom"], bottom))
                    for e in sides[other]
                    if not _covered(sides[x], e["top"], e["bottom"])
                ]
    return added


def open_ends(edges: list[dict]) -> list[dict]:
    """Horizontal rules to close a table whose first or last row a page break left open.

    A table continued over pages is often drawn row by row, each row with its rule below it: the
    row at the top of the next page then has its verticals but no rule above, and pdfplumber, which
    makes cells only between two rules, drops it. Where the column rules of a stack reach past its
    first (or last) rule, the stack is closed where they end.
    """
    vertical = _verticals(edges)
    added = []
    for stack in _ruled_stacks(edges):
        top, bottom = stack["top"], stack["bottom"]
        columns = [e for e in vertical if stack["x0"] - 3 <= e["x0"] <= stack["x1"] + 3]
        above = [e["top"] for e in columns if top - _ROW_GAP < e["top"] < top - 3 and abs(e["bottom"] - top) <= 2]
        below = [
            e["bottom"] for e in columns if bottom + 3 < e["bottom"] < bottom + _ROW_GAP and abs(e["top"] - bottom) <= 2
        ]
        if len(above) >= 2:
            added.append(_horizontal(min(above), stack["x0"], stack["x1"]))
        if len(below) >= 2:
            added.append(_horizontal(max(below), stack["x0"], stack["x1"]))
    return added


def _verticals(edges: list[dict]) -> list[dict]:
    return [e for e in edges if e["orientation"] == "v" and e["bottom"] - e["top"] >= 3]


def _ruled_stacks(edges: list[dict]) -> list[dict]:
    """Stacks of horizontal rules close enough and wide enough together to be one table's rows
    (at least three rules, spanning at least one row)."""
    horizontal = _rule_runs([e for e in edges if e["orientation"] == "h" and e["x1"] - e["x0"] >= _RULE_MIN_LENGTH])
    stacks: list[dict] = []
    for edge in horizontal:
        for stack in stacks:
            overlap = min(stack["x1"], edge["x1"]) - max(stack["x0"], edge["x0"])
            if edge["top"] - stack["bottom"] <= _ROW_GAP and overlap >= 0.5 * min(
                edge["x1"] - edge["x0"], stack["x1"] - stack["x0"]
            ):
                stack.update(x0=min(stack["x0"], edge["x0"]), x1=max(stack["x1"], edge["x1"]), bottom=edge["top"])
                stack["rules"].add(round(edge["top"]))
                break
        else:
            stacks.append(
                {
                    "x0": edge["x0"],
                    "x1": edge["x1"],
                    "top": edge["top"],
                    "bottom": edge["top"],
                    "rules": {round(edge["top"])},
                }
            )
    return [s for s in stacks if len(s["rules"]) >= 3 and s["bottom"] - s["top"] >= 10]


def _horizontal(y: float, x0: float, x1: float) -> dict:
    return {"object_type": "line", "x0": x0, "x1": x1, "top": y, "bottom": y, "width": x1 - x0, "height": 0.0}


def _vertical(x: float, top: float, bottom: float) -> dict:
    return {"object_type": "line", "x0": x, "x1": x, "top": top, "bottom": bottom, "width": 0.0, "height": bottom - top}


def _covered(edges: list[dict], top: float, bottom: float) -> bool:
    """Whether `edges` (at one x) rule all of top..bottom, give or take a point at each end."""
    reach = top + 1
    for edge in sorted(edges, key=lambda e: e["top"]):
        if edge["top"] <= reach:
            reach = max(reach, edge["bottom"])
    return reach >= bottom - 1


def _rule_runs(horizontal: list[dict]) -> list[dict]:
    """Horizontal edges at one height that touch, joined: a rule drawn cell by cell is one rule."""
    runs: list[dict] = []
    for edge in sorted(horizontal, key=lambda e: (round(e["top"]), e["x0"])):
        last = runs[-1] if runs else None
        if last is not None and abs(last["top"] - edge["top"]) <= 1 and edge["x0"] <= last["x1"] + 3:
            last["x1"] = max(last["x1"], edge["x1"])
        else:
            runs.append({"top": edge["top"], "x0": edge["x0"], "x1": edge["x1"]})
    return sorted(runs, key=lambda e: (e["top"], e["x0"]))
