"""Figures published side by side must not give a hidden one away by subtraction between them.

Two kinds of "side by side" meet on the "Who took part" pages:

- Every characteristic's table has the same margins: the people who answered, by source. They
  are published once (``known``), the same in every table, and each table is suppressed with
  them fixed: a margin hidden anywhere is hidden everywhere, one shown anywhere is taken as
  known everywhere.
- A consultation's page and the whole process's page count the same people: the process's
  counts minus the consultation's are the people who took part only elsewhere, a group neither
  page shows but either's reader can work out.

Each table is suppressed with ``disclosure.suppress_table``; then, while all the published
figures together (linear algebra over every cell of both tables, as ``disclosure`` does within
one) fix a small count of people, in the table, in the whole or in their difference, one more
figure of the table is hidden (``also_hide``) and the table suppressed again.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping

import numpy as np
from threadpoolctl import threadpool_limits

from ..disclosure import TOTAL, Table, suppress_table

Counts = Mapping[Hashable, Mapping[Hashable, int]]
Key = tuple[Hashable, Hashable]
MAX_ROUNDS = 500


def _shape(counts: Counts) -> tuple[list, list]:
    rows = list(counts)
    columns: list = []
    for r in rows:
        for c in counts[r]:
            if c not in columns:
                columns.append(c)
    return rows, columns


def _figures(rows: list, columns: list) -> dict[Key, list[Key]]:
    """Each published figure of a table (cells and margins) and the cells it adds up."""
    found: dict[Key, list[Key]] = {}
    for r in rows:
        for c in columns:
            found[r, c] = [(r, c)]
        found[r, TOTAL] = [(r, c) for c in columns]
    for c in columns:
        found[TOTAL, c] = [(r, c) for r in rows]
    found[TOTAL, TOTAL] = [(r, c) for r in rows for c in columns]
    return found


def value_of(table: Table, key: Key) -> int | None:
    """One figure of a suppressed table by its key (``TOTAL`` for a margin)."""
    r, c = key
    if r == TOTAL and c == TOTAL:
        return table.total
    if r == TOTAL:
        return table.column_totals[c]
    if c == TOTAL:
        return table.row_totals[r]
    return table.cells[r][c]


def _true(counts: Counts, cells: list[Key]) -> int:
    return sum(int(counts.get(r, {}).get(c, 0)) for r, c in cells)


def _with_known(table: Table, known: Mapping[Key, int | None]) -> Table:
    """The table as published: margins fixed elsewhere carry their published value."""
    row_totals = dict(table.row_totals)
    column_totals = dict(table.column_totals)
    total = table.total
    for (r, c), value in known.items():
        if r == TOTAL and c == TOTAL:
            total = value
        elif c == TOTAL and r in row_totals:
            row_totals[r] = value
        elif r == TOTAL and c in column_totals:
            column_totals[c] = value
    return Table(table.cells, row_totals, column_totals, total, table.threshold)


def _null_space(equations: list[np.ndarray], size: int) -> np.ndarray:
    """The directions no published figure sees: a sum of counts is fixed exactly when it is
    orthogonal to all of them. (From AᵀA's eigenvectors, much quicker here than an SVD.)"""
    if not equations:
        return np.eye(size)
    matrix = np.array(equations)
    values, vectors = np.linalg.eigh(matrix.T @ matrix)
    return vectors[:, values < 1e-8].T


def _exposed_group(part, shown_part, rows, columns, threshold, whole, shown_whole):
    """The cells of a small count that the published figures fix, or None."""
    figures = _figures(rows, columns)
    cells = [(r, c) for r in rows for c in columns]
    index = {cell: i for i, cell in enumerate(cells)}
    n = len(cells)
    size = 2 * n if whole is not None else n
    equations = []
    for key, adds in figures.items():
        if whole is not None and value_of(shown_whole, key) is not None:  # whole = part + rest
            vector = np.zeros(size)
            for cell in adds:
                vector[index[cell]] = vector[n + index[cell]] = 1
            equations.append(vector)
        if value_of(shown_part, key) is not None:
            vector = np.zeros(size)
            for cell in adds:
                vector[index[cell]] = 1
            equations.append(vector)
    null = _null_space(equations, size)
    for _key, adds in figures.items():
        in_part = _true(part, adds)
        groups = [((0,), in_part)]
        if whole is not None:
            rest = _true(whole, adds) - in_part
            groups += [((n,), rest), ((0, n), in_part + rest)]
        for offsets, value in groups:
            if not 0 < value < threshold:
                continue
            vector = np.zeros(size)
            for cell in adds:
                for offset in offsets:
                    vector[offset + index[cell]] = 1
            if null.size == 0 or np.abs(null @ vector).max() < 1e-7:
                return adds
    return None


def protect(
    part: Counts,
    threshold: int,
    known: Mapping[Key, int | None] | None = None,
    whole: Counts | None = None,
    whole_table: Table | None = None,
) -> Table:
    """Suppress a table of counts of people so that no small count comes back by subtraction,
    with ``known`` margins fixed (None: hidden) and, when ``whole`` (with its published
    ``whole_table``) is given, also not by subtraction from the whole's table."""
    # Small matrices: BLAS threads only get in each other's way (as in analysis/payload.py).
    with threadpool_limits(limits=1):
        return _protect(part, threshold, known, whole, whole_table)


def _protect(part, threshold, known, whole, whole_table) -> Table:
    known = dict(known or {})
    rows, columns = _shape(whole if whole is not None else part)
    part = {r: {c: int(part.get(r, {}).get(c, 0)) for c in columns} for r in rows}
    figures = _figures(rows, columns)
    forced = {key for key, value in known.items() if value is None}
    for _round in range(MAX_ROUNDS):
        shown = _with_known(suppress_table(part, threshold, also_hide=forced), known)
        adds = _exposed_group(part, shown, rows, columns, threshold, whole, whole_table)
        if adds is None:
            return shown
        candidates = [
            key
            for key, its in figures.items()
            if key not in known and value_of(shown, key) is not None and set(its) & set(adds)
        ] or [key for key in figures if key not in known and value_of(shown, key) is not None]
        if not candidates:
            return shown  # pragma: no cover - everything not fixed elsewhere is hidden
        forced.add(min(candidates, key=lambda k: (_true(part, figures[k]) or 10**9, repr(k))))
    raise RuntimeError("Suppression did not settle")  # pragma: no cover
