"""The aggregate figures of "Who took part": suppressed, and safe from subtraction across the
pages published (the whole process beside one consultation, by source)."""

from __future__ import annotations

import pytest

from kil_consult.disclosure import TOTAL, suppress_table
from kil_consult.equality import figures
from kil_consult.equality.protect import protect, value_of
from kil_consult.ideas.models import Source
from tests import factories

from .attacker import Attacker
from .helpers import event, offline_responses, online

SOURCES = [s.value for s in Source]


def _published(table, rows, columns):
    """Every figure shown on a page, as (cells it adds up, value)."""
    found = []
    for r in [*rows, TOTAL]:
        for c in [*columns, TOTAL]:
            value = value_of(table, (r, c))
            if value is None:
                continue
            cells = [
                (rr, cc)
                for rr in (rows if r == TOTAL else [r])
                for cc in (columns if c == TOTAL else [c])
            ]
            found.append(cells)
    return found


def _leaks(whole, part, whole_table, part_table, threshold=10) -> list:
    """What an attacker reading both pages recovers: small counts in the part, in the rest
    (the whole minus the part) or in the whole."""
    rows = list(whole)
    columns = list(next(iter(whole.values())))
    cells = [(r, c) for r in rows for c in columns]
    attacker = Attacker([("part", cell) for cell in cells] + [("rest", cell) for cell in cells])
    for adds in _published(whole_table, rows, columns):
        attacker.learn([("part", cell) for cell in adds] + [("rest", cell) for cell in adds])
    for adds in _published(part_table, rows, columns):
        attacker.learn([("part", cell) for cell in adds])
    leaks = []
    for r in [*rows, TOTAL]:
        for c in [*columns, TOTAL]:
            adds = [
                (rr, cc)
                for rr in (rows if r == TOTAL else [r])
                for cc in (columns if c == TOTAL else [c])
            ]
            in_part = sum(part[rr][cc] for rr, cc in adds)
            rest = sum(whole[rr][cc] for rr, cc in adds) - in_part
            for name, value, terms in (
                ("part", in_part, [("part", x) for x in adds]),
                ("rest", rest, [("rest", x) for x in adds]),
            ):
                if 0 < value < threshold and attacker.knows(terms):
                    leaks.append((name, r, c, value))
    return leaks


WHOLE = {
    "online": {"a": 30, "b": 15, "c": 40},
    "event": {"a": 12, "b": 0, "c": 11},
    "paper": {"a": 0, "b": 0, "c": 0},
}
PART = {
    "online": {"a": 30, "b": 12, "c": 25},
    "event": {"a": 12, "b": 0, "c": 11},
    "paper": {"a": 0, "b": 0, "c": 0},
}


def test_suppressing_each_page_alone_leaks_by_subtraction():
    """The attack works against pages suppressed one at a time: 15 - 12 = 3 people of group b
    took part only elsewhere."""
    whole_table = suppress_table(WHOLE)
    part_table = suppress_table(PART)
    assert ("rest", "online", "b", 3) in _leaks(WHOLE, PART, whole_table, part_table)


def test_protected_pages_give_nothing_away_by_subtraction():
    whole_table = protect(WHOLE, 10)
    part_table = protect(PART, 10, whole=WHOLE, whole_table=whole_table)
    assert _leaks(WHOLE, PART, whole_table, part_table) == []
    assert whole_table.cells["online"]["b"] == 15  # the whole's page is as it is on its own
    assert part_table.cells["online"]["b"] is None


@pytest.mark.parametrize("seed", range(12))
def test_random_pages_never_leak(seed):
    import random

    rng = random.Random(seed)
    whole, part = {}, {}
    for r in SOURCES[:3]:
        whole[r], part[r] = {}, {}
        for c in "abcde":
            n = rng.choice([0, 0, 1, 2, 3, 5, 8, 12, 20, 40])
            whole[r][c] = n
            part[r][c] = rng.randint(0, n)
    whole_table = protect(whole, 10)
    part_table = protect(part, 10, whole=whole, whole_table=whole_table)
    assert _leaks(whole, part, whole_table, part_table) == []
    assert _leaks(whole, whole, whole_table, whole_table) == []


def test_known_margins_are_the_same_in_every_table():
    """A margin hidden in the table of people who answered is hidden in each characteristic's
    table, and a margin shown there is taken as known."""
    counts = {"online": {"a": 40, "b": 3}, "event": {"a": 5, "b": 0}}
    known = {("online", TOTAL): 43, ("event", TOTAL): None, (TOTAL, TOTAL): None}
    table = protect(counts, 10, known=known)
    assert table.row_totals["online"] == 43
    assert table.row_totals["event"] is None and table.total is None
    assert table.cells["online"]["b"] is None


def test_who_took_part_counts_through_suppression(app, db):
    process = factories.make_process()
    first, second = process.consultations[0], process.consultations[1]
    online([first, second], 30, age_band="25_34", sex="female")
    online([first], 12, age_band="35_44", sex="male")
    online([second], 3, age_band="35_44", sex="male")
    workshop = event(first)
    offline_responses(workshop, 11, age_band="65_74", sex="female")
    db.session.commit()

    whole = figures.who_took_part(process.consultations)
    age = next(c for c in whole.characteristics if c.name == "age_band")
    rows = {r.code: r.people for r in age.rows}
    assert rows["25_34"] == 30 and rows["35_44"] == 15 and rows["65_74"] == 11
    assert age.answered == 56

    one = figures.who_took_part([first], process.consultations)
    age_one = next(c for c in one.characteristics if c.name == "age_band")
    shown = {r.code: r.people for r in age_one.rows}
    # 15 in the process, 12 here: showing 12 would tell that 3 took part only elsewhere
    assert shown["35_44"] is None
    sources = {row.source: row.people for row in age_one.by_source}
    assert sources["event"] == 11


def test_threshold_is_a_setting(app, db):
    process = factories.make_process()
    online(process.consultations[:1], 4, age_band="25_34")
    db.session.commit()
    shown = figures.who_took_part(process.consultations)
    age = next(c for c in shown.characteristics if c.name == "age_band")
    assert age.answered is None and not shown.any_figures  # 4 people: fewer than 10
    app.config["KIL_DISCLOSURE_THRESHOLD"] = 3
    try:
        shown = figures.who_took_part(process.consultations)
        age = next(c for c in shown.characteristics if c.name == "age_band")
        assert age.answered == 4
    finally:
        app.config["KIL_DISCLOSURE_THRESHOLD"] = 10


def test_also_hide_hides_a_large_figure_and_protects_it():
    table = suppress_table({"r": {"a": 50, "b": 40, "c": 30}}, 10, also_hide=[("r", "a")])
    assert table.cells["r"]["a"] is None
    assert table.cells["r"]["c"] is None  # or 50 would come back as total minus the rest
    assert table.total == 120


def test_the_threshold_setting_must_be_a_whole_number_from_one(monkeypatch):
    from kil_consult.config import ConfigError, settings_from_environ

    monkeypatch.setenv("KIL_DISCLOSURE_THRESHOLD", "0")
    with pytest.raises(ConfigError, match="at least 1"):
        settings_from_environ()
    monkeypatch.setenv("KIL_DISCLOSURE_THRESHOLD", "ten")
    with pytest.raises(ConfigError, match="whole number"):
        settings_from_environ()
    monkeypatch.setenv("KIL_DISCLOSURE_THRESHOLD", "5")
    assert settings_from_environ()["KIL_DISCLOSURE_THRESHOLD"] == 5
