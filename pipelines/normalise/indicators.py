"""Indicator rows of a performance table → indicator records.

Level labels (一级 / 二级 / 三级指标) are printed once and span the rows below them, so a row
prints only the levels that change: the labels it does print are its lowest levels, the others
are carried from the rows above. Value columns are named by the header (performance.yaml
`indicator_columns`). What a row prints (an indicator, or fragments of the row above) is told in
indicator_rows; what single cells hold is read in indicator_cells. A row of label fragments only
(a cell split by a page break: “产出指” / “标”) completes the previous row's labels.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from pipelines.basics.amounts import PLACEHOLDERS
from pipelines.basics.text import compact
from pipelines.normalise.indicator_cells import (
    LEVEL_FIELDS,
    TEXT_FIELDS,
    IndicatorColumns,
    decimal_of,
    indicator_columns,
    is_frame,
    is_header_continuation,
    is_number,
    is_placed,
    level_name,
    parse_targets_of,
    wraps_score,
)
from pipelines.normalise.indicator_rows import Fragments, IndicatorCells, classify_indicator_row, completes_levels
from pipelines.normalise.page_breaks import cell_above, joined_over_page_break
from pipelines.normalise.performance_records import IndicatorRecord
from pipelines.normalise.project_funding import number_of
from pipelines.normalise.targets import achieved, parse_target
from pipelines.recognise.performance_tables import (
    PerformanceKind,
    performance_spec,
)

__all__ = ["IndicatorColumns", "IndicatorReader", "indicator_columns", "is_header_continuation"]


@dataclass(frozen=True)
class RowCells:
    """A printed row: its cells' texts, their x0, x1 on a PDF page (None elsewhere), page and row number."""

    texts: list[str]
    spans: list[tuple[float, float] | None] | None
    page: int | None
    row: int


_NO_ROW = RowCells([], None, None, 0)


@dataclass
class Levels:
    """The level labels carried down the rows (一级, 二级, 三级) and the weights of the first two."""

    names: list[str | None] = field(default_factory=lambda: [None, None, None])
    weights: list[Decimal | None] = field(default_factory=lambda: [None, None])

    def copy(self) -> Levels:
        return Levels(list(self.names), list(self.weights))


@dataclass(frozen=True)
class ReadRow:
    """The last row read: a PDF page's first row may end it, and is then read again joined to it."""

    cells: RowCells
    levels_before: Levels  # the levels carried down to it, before it was read
    made_record: bool  # it made a record (not fragments of one)


class IndicatorReader:
    """Reads the indicator rows of one table in order, carrying the level labels down."""

    def __init__(self, kind: PerformanceKind, project_seq: int, table_id: int, source_table: str):
        self.kind = kind
        self.project_seq, self.table_id, self.source_table = project_seq, table_id, source_table
        self.levels = Levels()
        self.records: list[IndicatorRecord] = []
        self.stray_fragments: list[tuple[int | None, int, str]] = []  # page, row, text: read into no field
        self._last: ReadRow | None = None
        self._record_row = _NO_ROW  # the row the last record came from

    def read(
        self,
        texts: list[str],
        columns: IndicatorColumns,
        page: int | None,
        row: int,
        spans: list[tuple[float, float] | None] | None = None,
    ) -> IndicatorRecord | None:
        """One indicator row; `spans` are its cells' x0, x1 on a PDF page (None elsewhere)."""
        if self.kind.shape == "scored_levels":
            return self._scored_levels(texts, page, row)
        cells = RowCells(list(texts), spans, page, row)
        if self._continues_last(cells):
            cells = self._joined_to_last(cells)
        levels_before = self.levels.copy()
        reading = classify_indicator_row(
            cells.texts, columns.values, cells.spans, self.levels.names[0], self.records[-1] if self.records else None
        )
        record = None
        if isinstance(reading, Fragments):
            self._complete_labels(reading.texts, cells, reading.note)
        elif isinstance(reading, IndicatorCells):
            record = self._record(reading.labels, reading.values, cells.page, cells.row)
        self._last = ReadRow(cells, levels_before, record is not None)
        if record is not None:
            self._record_row = cells
        return record

    def finished(self) -> list[IndicatorRecord]:
        """The records read; the first rows get the first-level name printed below them.

        A first-level cell spanning rows prints its name on its middle row: a text export puts it on
        that row, so the rows above it, at the start of the table, print none.
        """
        first = next((r for r in self.records if r.level1 is not None), None)
        for record in self.records:
            if first is None or record.level1 is not None:
                break
            record.level1, record.level1_weight = first.level1, first.level1_weight
        return self.records

    def forget_row(self, row: int) -> None:
        """Drops what a row made: it is read again, joined to the row after it."""
        self.records = [r for r in self.records if r.source_row != row]

    def completes_levels(self, texts: list[str]) -> bool:
        """Every printed cell ends a level name of the previous row (“效益” + “指标”)."""
        return completes_levels(self.records[-1] if self.records else None, texts)

    def _continues_last(self, cells: RowCells) -> bool:
        """A PDF page's first row that starts no indicator (no scores; no 目标N) and has the columns of
        the row before it, or cells placed under them (an office suite's page may split columns anew)."""
        last = self._last
        if last is None or not last.made_record or cells.page is None or last.cells.page in (None, cells.page):
            return False
        if len(cells.texts) != len(last.cells.texts) and not (
            is_placed(cells.texts, cells.spans) and is_placed(last.cells.texts, last.cells.spans)
        ):
            return False
        tokens = [t for t in cells.texts if t and not is_frame(t)]
        if _ends_a_cut_level_name(last.cells.texts, tokens):
            return True  # “效益指” / “标”: numbers wrapped in their cells too
        if "score" in self.kind.default_fields:
            return not any(is_number(t) for t in tokens[-3:])
        return not any(re.match(performance_spec()["ordinal_label"], compact(t)) for t in tokens)

    def _joined_to_last(self, cells: RowCells) -> RowCells:
        """The row cut by the page break, read again as one: its record and levels are undone."""
        last = self._last.cells
        if self.records and self.records[-1].source_row == last.row and self.records[-1].source_page == last.page:
            self.records.pop()
        self.levels = self._last.levels_before.copy()
        texts = joined_over_page_break(last.texts, last.spans, cells.texts, cells.spans)
        return RowCells(texts, last.spans, last.page, last.row)

    def _record(self, labels: list[str | None], values: dict[str, str], page, row) -> IndicatorRecord | None:
        self._carry_levels(labels)
        if self.levels.names[2] is None or self.levels.names[2] in PLACEHOLDERS:
            return None  # an empty template line (其他资源投入目标 | 目标1 | /)
        return self._new_record(values, page, row)

    def _carry_levels(self, labels: list[str | None]) -> None:
        """The levels a row prints replace the carried ones; a cut name (“产出指” / “标”) is completed."""
        if labels[0] is None and labels[1] is not None:
            parent = performance_spec()["second_level_parents"].get(level_name(labels[1])[0])
            family = set(performance_spec()["second_level_parents"].values())
            if parent and self.levels.names[0] in family and self.levels.names[0] != parent:
                labels = [parent, *labels[1:]]  # the first-level cell was lost: the second level's own
        for index, label in enumerate(labels):
            if label is None:
                continue
            name, weight = level_name(label)
            carried = self.levels.names[index]
            if (
                index < 2
                and carried
                and carried not in performance_spec()["level_names"]
                and carried + name in performance_spec()["level_names"]
            ):
                name = carried + name  # “产出指” over “标”: a name wrapped onto the cell's next row
                for record in reversed(self.records):
                    if getattr(record, LEVEL_FIELDS[index]) != carried:
                        break
                    setattr(record, LEVEL_FIELDS[index], name)
            self.levels.names[index] = name
            if index < 2:
                self.levels.weights[index] = weight
            for lower in range(index + 1, 3):  # a new level resets the ones below it
                if labels[lower] is None:
                    self.levels.names[lower] = None

    def _indicator(self, page, row, **fields) -> IndicatorRecord:
        """The next indicator of the project, under the levels carried down to this row."""
        return IndicatorRecord(
            self.project_seq,
            self.table_id,
            self.source_table,
            page,
            row,
            len(self.records) + 1,
            *self.levels.names,
            level1_weight=self.levels.weights[0],
            level2_weight=self.levels.weights[1],
            **fields,
        )

    def _new_record(self, values: dict[str, str], page, row) -> IndicatorRecord:
        target = parse_target(values.get("target_text"))
        actual = parse_target(values.get("actual_text"))
        record = self._indicator(
            page,
            row,
            explanation=values.get("explanation"),
            criterion=values.get("criterion"),
            target_text=values.get("target_text"),
            actual_text=values.get("actual_text"),
            period_target_text=values.get("period_target_text"),
            half_year_target_text=values.get("half_year_target_text"),
            full_year_target_text=values.get("full_year_target_text"),
            weight=decimal_of(values.get("weight")),
            score=decimal_of(values.get("score")),
            deviation_note=values.get("deviation_note"),
            target_operator=target.operator,
            target_value=target.value,
            target_unit=target.unit,
            actual_value=actual.value,
            actual_unit=actual.unit,
            achieved=achieved(target, actual),
        )
        if record.target_text is None and record.full_year_target_text is not None:
            full = parse_target(record.full_year_target_text)
            record.target_operator, record.target_value, record.target_unit = full.operator, full.value, full.unit
        self.records.append(record)
        return record

    def _complete_labels(self, fragments: list[str], cells: RowCells, note: str | None = None) -> None:
        """Fragments of cells split over a page break → appended to the previous row's cells.

        A fragment that completes a level name (“产出指” + “标”) goes to that level; several fragments
        that do not are the ends of the previous row's text columns (解释, 评分标准, 目标值, 完成值),
        right-aligned, or — fewer than those columns — of a long 评分标准; a single one ends the
        indicator's name, or — a number — the end of a score or an actual wrapped in its cell (“4.9” / “4”).
        On a PDF page, fragments go to the field of the cell above them instead. A note ends the
        previous row's 偏差原因.
        """
        if not self.records:
            return
        previous = self.records[-1]
        if note is not None and previous.deviation_note is not None:
            previous.deviation_note += note
        if len(fragments) == 1 and wraps_score(previous, compact(fragments[0])):
            previous.score = Decimal(f"{previous.score}{compact(fragments[0])}")
            return
        if len(fragments) == 1 and _ends_bare_actual(previous, compact(fragments[0])):
            return  # “175999” / “9.92”, wherever the page printed the 9.92
        vocabulary = performance_spec()["level_names"]
        completing = [
            f
            for f in fragments
            if any(getattr(previous, n) and getattr(previous, n) + compact(f) in vocabulary for n in LEVEL_FIELDS[:2])
        ]
        placed = self._fragments_under_their_cells(previous, fragments, cells) if not completing else None
        if placed:
            for name, fragment in placed:
                setattr(previous, name, getattr(previous, name) + fragment)
            parse_targets_of(previous)
            return
        if len(fragments) > 1 and not completing:
            texts = [f for f in TEXT_FIELDS if getattr(previous, f) is not None]
            if len(fragments) < len(texts) and previous.criterion is not None:
                texts, fragments = ["criterion"], ["".join(fragments)]  # a long 评分标准 wrapped onto a row
            for name, fragment in zip(texts[-len(fragments) :], fragments[-len(texts) :]):
                setattr(previous, name, getattr(previous, name) + fragment)
            parse_targets_of(previous)
            return
        for fragment in (compact(f) for f in fragments):
            completed = False
            for index, name in enumerate(LEVEL_FIELDS[:2]):
                current = getattr(previous, name)
                if current and current + fragment in vocabulary:
                    for record in reversed(self.records):  # every row the split cell spans
                        if getattr(record, name) != current:
                            break
                        setattr(record, name, current + fragment)
                    if self.levels.names[index] == current:
                        self.levels.names[index] = current + fragment
                    completed = True
                    if len(fragments) > 1:
                        break  # one fragment per cell; a lone one ends both levels
            if completed or _ends_bare_actual(previous, fragment):  # “效益指 … 1600” / “标 0”
                continue
            if _is_level_name_end(fragment):  # “标” of a level name no row printed whole: no name's end
                self.stray_fragments.append((cells.page, cells.row, fragment))
            else:
                previous.level3 = (previous.level3 or "") + fragment
                self.levels.names[2] = previous.level3

    def _fragments_under_their_cells(
        self, previous: IndicatorRecord, fragments: list[str], cells: RowCells
    ) -> list[tuple[str, str]] | None:
        """On a PDF page, each fragment goes to the field of the cell printed above it: “元” under
        “签约项目总投资≥30亿” ends the target, not the 评分标准; “减弱” under the 偏差原因 ends the
        note. None where a fragment has no such cell."""
        texts, spans, above, above_spans = cells.texts, cells.spans, self._record_row.texts, self._record_row.spans
        if not any(spans or ()) and not any(above_spans or ()) and len(texts) == len(above) and len(fragments) == 1:
            spans = above_spans = [(i, i + 1) for i in range(len(texts))]  # a text export's rows of one width
        if not (is_placed(texts, spans) and above and is_placed(above, above_spans)):
            return None
        printed_above = [i for i, t in enumerate(above) if t]
        slots = [i for i, s in enumerate(above_spans) if s is not None]
        wanted = list(fragments)
        placed = []
        for text, span in zip(texts, spans):
            if not wanted or text != wanted[0]:
                continue
            wanted.pop(0)
            index = cell_above(above_spans, slots, printed_above, span, spans)
            if not above[index]:
                index = cell_above(above_spans, printed_above, printed_above, span)
            cell = compact(above[index])
            name = next(
                (
                    f
                    for f in (*TEXT_FIELDS, "level3", "deviation_note")
                    if getattr(previous, f) and cell in compact(getattr(previous, f))
                ),
                None,
            )
            if name is None:
                return None
            placed.append((name, text))
        return placed if not wanted else None

    def _scored_levels(self, texts: list[str], page, row) -> IndicatorRecord | None:
        """Rows of (name, 分值) pairs, one pair per level printed, then 扣分 and 得分."""
        pairs: list[list] = []
        trailing: list[Decimal] = []
        last_name_column = 0
        for column, text in enumerate(texts):
            value = number_of(text) if text else None
            if isinstance(value, Decimal):
                if pairs and pairs[-1][1] is None:
                    pairs[-1][1] = value
                else:
                    trailing.append(value)
            elif text and value is None:
                pairs.append([compact(text), None])
                last_name_column = column
                trailing = []
        if not pairs or not trailing:
            return None
        if len(pairs) >= 3:
            placed = pairs[-3:]
            indexes = [0, 1, 2]
        elif len(pairs) == 2 and last_name_column <= 2:  # a first-level name over a second-level leaf
            placed, indexes = pairs, [0, 1]
        elif len(pairs) == 2:
            placed, indexes = pairs, [1, 2]
        else:
            placed, indexes = pairs, [2]
        for index, (name, weight) in zip(indexes, placed):
            self.levels.names[index] = name
            if index < 2:
                self.levels.weights[index] = weight
            if index == 0:
                self.levels.names[1] = self.levels.names[2] = None
                self.levels.weights[1] = None
        if indexes == [0, 1]:
            self.levels.names[2] = None
        leaf_weight = placed[-1][1]
        deduction = trailing[0] if len(trailing) > 1 else None
        record = self._indicator(
            page,
            row,
            weight=leaf_weight,
            score=trailing[-1],
            deduction=deduction,
        )
        self.records.append(record)
        return record


def _ends_bare_actual(previous: IndicatorRecord, fragment: str) -> bool:
    """A number wrapped out of an actual printed as a bare integer (“175999” / “9.92”) ends it."""
    if not (is_number(fragment) and re.fullmatch(r"\d+", compact(previous.actual_text or ""))):
        return False
    previous.actual_text += fragment
    parse_targets_of(previous)
    return True


def _ends_a_cut_level_name(above: list[str], tokens: list[str]) -> bool:
    """The row's first cell ends a level name the row above printed cut (“效益指” over “标”)."""
    vocabulary = performance_spec()["level_names"]
    cut = [compact(t) for t in above if t and compact(t) not in vocabulary]
    return bool(tokens) and any(c + compact(tokens[0]) in vocabulary for c in cut)


def _is_level_name_end(fragment: str) -> bool:
    return len(fragment) <= 2 and any(
        name.endswith(fragment) and name != fragment for name in performance_spec()["level_names"]
    )
