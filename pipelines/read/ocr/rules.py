"""The rules of a scanned table: found in the image, erased before OCR, turned into cells.

A scan of a ruled table keeps its rules as ink. They are what tells its columns apart (a dense
two-line header, three column groups side by side), so they are read the way pdfplumber reads the
rules of a text-layer PDF: long horizontal ink runs are rules, and vertical ink runs are column
rules where they reach from one rule to another (a stroke of a character touches no rule). The
cells they enclose come from pdfplumber's own cell finding, so a scanned table becomes the same
grid, merged header cells included, as the table would be with a text layer.

The rules are then painted white: OCR reads them as strings of 一 and |, gluing neighbouring
words together.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from pdfplumber.table import Table, cells_to_tables, edges_to_intersections, intersections_to_cells, merge_edges

_DARK = 215  # grey level below which a pixel may be part of a rule (hairlines print grey)
_RULE_PIXELS = 160  # a horizontal ink run this long (≈ 13 mm) is a rule, not a stroke of a character
_SIDE_PIXELS = 40  # a vertical run this long (≈ 3.4 mm) reaching from rule to rule is a column rule
_REACH = 6  # pixels between the end of a column rule and the rule it meets
_TOLERANCE = 3  # points: rules this close are one (snapped and joined, as pdfplumber does)


@dataclass
class Rules:
    """The rules of a page image: where they are (pixels) and as pdfplumber edges (PDF points)."""

    mask: np.ndarray
    edges: list[dict]

    def walls(self) -> list[dict]:
        """The vertical rules: no word reaches across one."""
        return [e for e in self.edges if e["orientation"] == "v"]

    def look_sideways(self) -> bool:
        """Rules closer together across the page than down it: table rows (a text line high) run
        down the image, columns (wider than that) across it. A page scanned turned a quarter."""
        across = _median_gap([e["top"] for e in self.edges if e["orientation"] == "h"])
        down = _median_gap([e["x0"] for e in self.edges if e["orientation"] == "v"])
        return across is not None and down is not None and down < across


def _median_gap(positions: list[float]) -> float | None:
    """The median distance between neighbouring rules (None with fewer than three)."""
    distinct = sorted({round(p) for p in positions})
    gaps = sorted(b - a for a, b in zip(distinct, distinct[1:]))
    return gaps[len(gaps) // 2] if len(gaps) >= 2 else None


def rules_of(image: np.ndarray, points_per_pixel: float) -> Rules:
    ink = image < _DARK
    across = _long_runs(ink, _RULE_PIXELS)
    down = _long_runs(ink.T, _SIDE_PIXELS).T
    sides, side_edges = _column_rules(down, across, points_per_pixel)
    mask = across | sides | _long_runs(ink.T, _RULE_PIXELS).T
    edges = _row_edges(across, points_per_pixel) + side_edges
    if edges:
        edges = merge_edges(edges, _TOLERANCE, _TOLERANCE, _TOLERANCE, _TOLERANCE)
    return Rules(mask, edges)


def without_rules(image: np.ndarray, rules: Rules) -> np.ndarray:
    """The image with its rules painted white (two pixels more on each side: anti-aliased edges)."""
    grown = rules.mask.copy()
    for _ in range(2):
        grown[1:] |= grown[:-1].copy()
        grown[:-1] |= grown[1:].copy()
        grown[:, 1:] |= grown[:, :-1].copy()
        grown[:, :-1] |= grown[:, 1:].copy()
    cleaned = image.copy()
    cleaned[grown] = 255
    return cleaned


def ruled_tables(rules: Rules, page) -> list[Table]:
    """pdfplumber tables of the cells the rules enclose, on `page` (which answers their text)."""
    if not rules.edges:
        return []
    intersections = edges_to_intersections(rules.edges, _TOLERANCE, _TOLERANCE)
    return [Table(page, cells) for cells in cells_to_tables(intersections_to_cells(intersections)) if cells]


def _runs(ink: np.ndarray, minimum: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(row, start, end) of every ink run at least `minimum` long along the rows."""
    height, width = ink.shape
    padded = np.zeros((height, width + 2), dtype=np.int8)
    padded[:, 1:-1] = ink
    steps = np.diff(padded, axis=1)
    starts_r, starts_c = np.nonzero(steps == 1)
    ends_r, ends_c = np.nonzero(steps == -1)  # same order: runs alternate start, end along a row
    long = (ends_c - starts_c) >= minimum
    return starts_r[long], starts_c[long], ends_c[long]


def _long_runs(ink: np.ndarray, minimum: int) -> np.ndarray:
    """Pixels that belong to a run of ink at least `minimum` long along each row."""
    mask = np.zeros(ink.shape, dtype=bool)
    for row, start, end in zip(*_runs(ink, minimum)):
        mask[row, start:end] = True
    return mask


def _column_rules(down: np.ndarray, across: np.ndarray, points: float) -> tuple[np.ndarray, list[dict]]:
    """Vertical runs that meet a horizontal rule at both ends, as a mask and as edges."""
    mask = np.zeros(down.shape, dtype=bool)
    edges = []
    height, width = across.shape
    for column, top, bottom in zip(*_runs(down.T, _SIDE_PIXELS)):
        left, right = max(0, column - _REACH), min(width, column + _REACH + 1)
        meets_top = across[max(0, top - _REACH) : top + _REACH + 1, left:right].any()
        meets_bottom = across[max(0, bottom - _REACH - 1) : min(height, bottom + _REACH), left:right].any()
        if meets_top and meets_bottom:
            mask[top:bottom, column] = True
            edges.append(_edge("v", column * points, top * points, (column + 1) * points, bottom * points))
    return mask, edges


def _row_edges(across: np.ndarray, points: float) -> list[dict]:
    return [
        _edge("h", start * points, row * points, end * points, (row + 1) * points)
        for row, start, end in zip(*_runs(across, _RULE_PIXELS))
    ]


def _edge(orientation: str, x0: float, top: float, x1: float, bottom: float) -> dict:
    """A pdfplumber edge: a line along its middle."""
    if orientation == "h":
        top = bottom = (top + bottom) / 2
    else:
        x0 = x1 = (x0 + x1) / 2
    return {
        "orientation": orientation,
        "object_type": "line",
        "x0": x0,
        "x1": x1,
        "top": top,
        "bottom": bottom,
        "doctop": top,
        "width": x1 - x0,
        "height": bottom - top,
    }
