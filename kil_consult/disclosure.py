"""Small-number suppression: figures about people that never point at one of them.

Any count of people that the app publishes by a characteristic (who took part, answers to a
question, figures by neighbourhood or source) goes through here first. The rules are the ones
statistical offices use for tables of counts:

1. **Primary suppression**: a cell counting between 1 and ``threshold - 1`` people is hidden.
   Zero is shown: "nobody" identifies nobody.
2. **Secondary suppression**: a table is published with its totals, so a single hidden cell in a
   row or column could be recovered by subtraction (total minus the cells shown). In every line
   that has hidden cells, more cells are hidden (the smallest shown ones first) until the line
   has at least two hidden cells whose sum is at least ``threshold``, and this is repeated until
   no line changes, so no chain of subtractions across rows and columns recovers a hidden cell.
3. **Totals**: a total below the threshold is hidden as well, together with its cells.

A hidden figure is ``None``; pages show it as "fewer than N" (see :func:`shown`).
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass

DEFAULT_THRESHOLD = 10


TOTAL = "__total__"


@dataclass(frozen=True)
class Table:
    """A suppressed two-way table: ``cells[row][column]`` and both margins, ``None`` where
    hidden. A one-way table is a table with one row (see :func:`suppress_counts`)."""

    cells: dict[Hashable, dict[Hashable, int | None]]
    row_totals: dict[Hashable, int | None]
    column_totals: dict[Hashable, int | None]
    total: int | None
    threshold: int


def _small(value: int, threshold: int) -> bool:
    return 0 < value < threshold


def suppress_table(
    counts: Mapping[Hashable, Mapping[Hashable, int]],
    threshold: int = DEFAULT_THRESHOLD,
    also_hide: Iterable[tuple[Hashable, Hashable]] = (),
    *,
    hidden_row_totals: Iterable[Hashable] = (),
    hide_total: bool = False,
) -> Table:
    """Suppress a two-way table of counts of people (rows by columns) with its margins.

    The table is published with its row totals, column totals and grand total, so the margins
    take part in every rule: each row and each column (margins included) is a line whose cells
    add up to its margin. A column missing from a row counts as zero.

    ``also_hide`` names figures to hide whatever their size, as ``(row, column)`` keys (with
    :data:`TOTAL` for a margin): what another published table would give away by subtraction
    (see ``equality.figures``). They are protected like small cells.

    ``hidden_row_totals`` and ``hide_total`` hide those margins from the start, whatever their
    size: where the same row totals are published in several tables (answers to a question by
    neighbourhood and by source), each table must hide every total that any of them hides,
    or one table would give away what another hid (see :func:`suppress_together`)."""
    if threshold < 1:
        raise ValueError("The suppression threshold must be at least 1")
    rows = list(counts)
    columns: list[Hashable] = []
    for row in rows:
        for column in counts[row]:
            if column not in columns:
                columns.append(column)
    value: dict[tuple, int] = {(r, c): int(counts[r].get(c, 0)) for r in rows for c in columns}
    if any(v < 0 for v in value.values()):
        raise ValueError("Counts of people cannot be negative")
    for r in rows:
        value[r, TOTAL] = sum(value[r, c] for c in columns)
    for c in columns:
        value[TOTAL, c] = sum(value[r, c] for r in rows)
    value[TOTAL, TOTAL] = sum(value[r, TOTAL] for r in rows)

    if _small(value[TOTAL, TOTAL], threshold):
        hidden = set(value)  # too few people to say anything about them
    else:
        hidden = {key for key, v in value.items() if _small(v, threshold)}
        hidden |= {key for key in also_hide if key in value}
        hidden |= {(r, TOTAL) for r in hidden_row_totals if r in rows}
        if hide_total:
            hidden.add((TOTAL, TOTAL))
        lines = [[(r, c) for c in [*columns, TOTAL]] for r in [*rows, TOTAL]]
        lines += [[(r, c) for r in [*rows, TOTAL]] for c in [*columns, TOTAL]]
        _protect_lines(lines, value, hidden, threshold)
        _protect_exactly(rows, columns, value, hidden, threshold, lines)

    def get(key):
        return None if key in hidden else value[key]

    return Table(
        cells={r: {c: get((r, c)) for c in columns} for r in rows},
        row_totals={r: get((r, TOTAL)) for r in rows},
        column_totals={c: get((TOTAL, c)) for c in columns},
        total=get((TOTAL, TOTAL)),
        threshold=threshold,
    )


def _margin(line: list[tuple]) -> tuple:
    return line[-1]


def _line_needs_more(line, value, hidden, threshold) -> bool:
    """Whether a line still gives a hidden figure away by subtraction."""
    cells = [key for key in line[:-1] if key in hidden]
    if _margin(line) in hidden:
        # The margin is unknown: one cell hidden beside it is enough, or the shown cells
        # would add up to the margin.
        return not cells
    if not cells:
        return False
    return len(cells) < 2 or sum(value[key] for key in cells) < threshold


def _hide_next(line, value, hidden) -> bool:
    """Hide the smallest shown non-zero cell of a line (then a zero, then its margin)."""
    order = [key for key in line[:-1] if key not in hidden]
    candidates = [key for key in order if value[key] > 0] or order
    if not candidates:
        if _margin(line) in hidden:
            return False
        hidden.add(_margin(line))
        return True
    hidden.add(min(candidates, key=lambda key: (value[key], order.index(key))))
    return True


def _protect_lines(lines, value, hidden, threshold) -> None:
    changed = True
    while changed:
        changed = False
        for line in lines:
            if not any(key in hidden for key in line):
                continue
            while _line_needs_more(line, value, hidden, threshold):
                if not _hide_next(line, value, hidden):
                    break
                changed = True


def _determined(rows, columns, value, hidden) -> set[tuple]:
    """The hidden figures that the published ones fix exactly, by any combination of the
    table's sums (linear algebra, not only one line at a time)."""
    import numpy as np

    unknown = sorted(hidden, key=repr)
    if not unknown:
        return set()
    index = {key: i for i, key in enumerate(unknown)}
    equations = []
    for r in [*rows, TOTAL]:
        equations.append({(r, c): 1 for c in columns} | {(r, TOTAL): -1})
    for c in [*columns, TOTAL]:
        equations.append({(r, c): 1 for r in rows} | {(TOTAL, c): -1})
    matrix = np.zeros((len(equations), len(unknown)))
    for i, equation in enumerate(equations):
        for key, coefficient in equation.items():
            if key in index:
                matrix[i, index[key]] = coefficient
    rank = np.linalg.matrix_rank(matrix)
    fixed = set()
    for key, i in index.items():
        unit = np.zeros((1, len(unknown)))
        unit[0, i] = 1
        if np.linalg.matrix_rank(np.vstack([matrix, unit])) == rank:
            fixed.add(key)
    return fixed


def _protect_exactly(rows, columns, value, hidden, threshold, lines) -> None:
    """Line by line protection can leave a hidden cell that a chain of sums pins down (a cell
    joining two protected blocks): hide more around any small figure so found until none is."""
    while True:
        fixed = _determined(rows, columns, value, hidden)
        exposed = [key for key in fixed if _small(value[key], threshold)]
        if not exposed:
            return
        key = min(exposed, key=repr)
        for line in lines:
            if key in line and _hide_next(line, value, hidden):
                break
        else:  # pragma: no cover - everything in its lines is hidden already
            return
        _protect_lines(lines, value, hidden, threshold)


def suppress_counts(
    counts: Mapping[Hashable, int], threshold: int = DEFAULT_THRESHOLD
) -> tuple[dict[Hashable, int | None], int | None]:
    """Suppress a one-way table (category -> people) published with its total: the cells and
    the total, ``None`` where hidden."""
    table = suppress_table({"all": dict(counts)}, threshold)
    return table.cells["all"], table.total


def suppress_together(
    tables: Mapping[Hashable, Mapping[Hashable, Mapping[Hashable, int]]],
    threshold: int = DEFAULT_THRESHOLD,
) -> dict[Hashable, Table]:
    """Suppress several two-way tables that share their rows and row totals (the same people
    counted by different columns, such as answers by neighbourhood and by source), so that
    every table hides the same row totals and grand total: each is suppressed again, hiding
    what any other hid, until none changes."""
    hidden_rows: set[Hashable] = set()
    hide_total = False
    while True:
        result = {
            name: suppress_table(
                counts, threshold, hidden_row_totals=hidden_rows, hide_total=hide_total
            )
            for name, counts in tables.items()
        }
        rows = {r for t in result.values() for r, v in t.row_totals.items() if v is None}
        total = any(t.total is None for t in result.values())
        if rows == hidden_rows and total == hide_total:
            return result
        hidden_rows, hide_total = rows, total


def shown(value: int | None, threshold: int) -> str:
    """A suppressed figure in words for a page or a document."""
    return f"fewer than {threshold}" if value is None else f"{value:,}"
