"""Small-number suppression (kil_consult/disclosure.py): no hidden count of people comes back
by subtraction, whatever the table."""

from __future__ import annotations

import random
from fractions import Fraction

import pytest

from kil_consult.disclosure import TOTAL, shown, suppress_counts, suppress_table


def _recover(table) -> dict:
    """An attacker's exact solve: every hidden figure that the published cells and margins
    pin down, found by Gaussian elimination over the rationals on the table's sums."""
    rows = list(table.cells)
    columns = list(next(iter(table.cells.values()))) if rows else []
    known = {}
    for r in rows:
        for c in columns:
            known[r, c] = table.cells[r][c]
        known[r, TOTAL] = table.row_totals[r]
    for c in columns:
        known[TOTAL, c] = table.column_totals[c]
    known[TOTAL, TOTAL] = table.total
    unknown = [key for key, v in known.items() if v is None]
    equations = []
    for r in [*rows, TOTAL]:
        terms = {(r, c): 1 for c in columns} | {(r, TOTAL): -1}
        equations.append(terms)
    for c in [*columns, TOTAL]:
        terms = {(r, c): 1 for r in rows} | {(TOTAL, c): -1}
        equations.append(terms)
    matrix = []
    for terms in equations:
        rhs = -sum(
            Fraction(coef * known[key]) for key, coef in terms.items() if known[key] is not None
        )
        matrix.append([Fraction(terms.get(key, 0)) for key in unknown] + [rhs])
    # reduced row echelon form
    pivots = []
    row = 0
    for col in range(len(unknown)):
        pivot = next((i for i in range(row, len(matrix)) if matrix[i][col] != 0), None)
        if pivot is None:
            continue
        matrix[row], matrix[pivot] = matrix[pivot], matrix[row]
        lead = matrix[row][col]
        matrix[row] = [v / lead for v in matrix[row]]
        for i in range(len(matrix)):
            if i != row and matrix[i][col] != 0:
                factor = matrix[i][col]
                matrix[i] = [a - factor * b for a, b in zip(matrix[i], matrix[row], strict=True)]
        pivots.append((row, col))
        row += 1
    recovered = {}
    for r, col in pivots:
        others = [v for j, v in enumerate(matrix[r][:-1]) if j != col]
        if all(v == 0 for v in others):
            recovered[unknown[col]] = matrix[r][-1]
    return recovered


def _small_recovered(counts, table, threshold):
    true = {}
    for r, line in counts.items():
        for c, v in line.items():
            true[r, c] = v
        true[r, TOTAL] = sum(line.values())
    columns = list(next(iter(counts.values())))
    for c in columns:
        true[TOTAL, c] = sum(counts[r].get(c, 0) for r in counts)
    true[TOTAL, TOTAL] = sum(true[r, TOTAL] for r in counts)
    recovered = _recover(table)
    for key, v in recovered.items():
        assert v == true[key]  # the attack itself is right
    return {key: v for key, v in recovered.items() if 0 < true[key] < threshold}


def test_a_small_cell_is_hidden_and_cannot_be_subtracted_from_the_total():
    cells, total = suppress_counts({"16-24": 3, "25-44": 40, "45-64": 52, "65+": 30}, 10)
    assert cells["16-24"] is None
    assert total == 125
    hidden = [k for k, v in cells.items() if v is None]
    assert len(hidden) >= 2  # the total minus the rest no longer gives the 3
    assert cells["65+"] is None  # the smallest other group is hidden with it
    assert cells["25-44"] == 40 and cells["45-64"] == 52


def test_zero_is_shown_and_large_tables_are_untouched():
    cells, total = suppress_counts({"a": 0, "b": 25, "c": 30}, 10)
    assert cells == {"a": 0, "b": 25, "c": 30} and total == 55


def test_a_table_about_too_few_people_says_nothing():
    cells, total = suppress_counts({"a": 6, "b": 0, "c": 2}, 10)
    assert total is None and set(cells.values()) == {None}


def test_two_small_cells_that_add_up_to_a_small_group_get_a_third_partner():
    cells, total = suppress_counts({"a": 3, "b": 4, "c": 50, "d": 60}, 10)
    assert cells["a"] is None and cells["b"] is None
    assert cells["c"] is None  # 3 + 4 = 7 would otherwise be known
    assert cells["d"] == 60 and total == 117


def test_two_way_table_with_margins_hides_enough_in_every_row_and_column():
    counts = {
        "Online": {"Ward A": 120, "Ward B": 4, "Ward C": 60},
        "Workshop": {"Ward A": 30, "Ward B": 25, "Ward C": 2},
        "Paper": {"Ward A": 15, "Ward B": 18, "Ward C": 40},
    }
    table = suppress_table(counts, 10)
    assert table.cells["Online"]["Ward B"] is None
    assert table.cells["Workshop"]["Ward C"] is None
    assert _small_recovered(counts, table, 10) == {}


def test_a_bridge_between_two_protected_blocks_is_protected_too():
    # Line-by-line protection alone leaves a cell joining two protected blocks exactly
    # determined; the exact check hides around it.
    counts = {
        "r1": {"a": 3, "b": 50, "c": 0, "d": 0, "e": 70},
        "r2": {"a": 50, "b": 3, "c": 4, "d": 0, "e": 80},
        "r3": {"a": 0, "b": 0, "c": 60, "d": 5, "e": 90},
        "r4": {"a": 0, "b": 0, "c": 55, "d": 60, "e": 100},
    }
    table = suppress_table(counts, 10)
    assert _small_recovered(counts, table, 10) == {}


@pytest.mark.parametrize("seed", range(40))
def test_no_small_figure_comes_back_by_subtraction_in_random_tables(seed):
    generator = random.Random(seed)
    rows = generator.randint(1, 6)
    columns = generator.randint(2, 7)
    counts = {
        f"r{i}": {
            f"c{j}": generator.choice([0, 0, 1, 2, 3, 5, 8, 9, 11, 20, 40, 90])
            for j in range(columns)
        }
        for i in range(rows)
    }
    table = suppress_table(counts, 10)
    assert _small_recovered(counts, table, 10) == {}
    for r, line in counts.items():
        for c, v in line.items():
            if 0 < v < 10:
                assert table.cells[r][c] is None


def test_threshold_one_hides_nothing_and_bad_input_is_refused():
    cells, total = suppress_counts({"a": 1, "b": 2}, 1)
    assert cells == {"a": 1, "b": 2} and total == 3
    with pytest.raises(ValueError):
        suppress_counts({"a": -1}, 10)
    with pytest.raises(ValueError):
        suppress_counts({"a": 1}, 0)


def test_shown_in_words():
    assert shown(None, 10) == "fewer than 10"
    assert shown(1234, 10) == "1,234"
