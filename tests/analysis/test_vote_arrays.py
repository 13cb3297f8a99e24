"""The analysis reads a consultation's votes as one array from one query."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import event

from kil_consult.analysis.payload import load_votes, vote_arrays
from kil_consult.extensions import db as _db
from kil_consult.ideas.models import Visibility
from kil_consult.timeutil import utcnow

from ..factories import make_consultation, make_idea, make_user, make_vote


def test_votes_come_as_one_array_of_people_ideas_and_signs(council, db):
    consultation = make_consultation()
    other = make_consultation(slug="other")
    shown, hidden = make_idea(consultation), make_idea(consultation)
    waiting = make_idea(consultation)
    waiting.visibility = Visibility.PENDING
    elsewhere = make_idea(other)
    ann, bob = make_user(), make_user()
    make_vote(shown, ann, "agree")
    make_vote(shown, bob, "disagree")
    make_vote(hidden, ann, "pass")
    make_vote(waiting, bob, "agree")
    make_vote(elsewhere, ann, "agree")
    hidden.visibility = Visibility.HIDDEN
    db.session.commit()

    assert consultation.id  # loaded again after the commit, before counting
    statements = []
    listener = lambda *args: statements.append(args[2])  # noqa: E731
    event.listen(_db.engine, "before_cursor_execute", listener)
    try:
        found = vote_arrays(consultation)
    finally:
        event.remove(_db.engine, "before_cursor_execute", listener)
    assert len(statements) == 1
    assert found.dtype.kind == "i"
    today = (utcnow().date() - date(1970, 1, 1)).days
    assert sorted(map(tuple, found.tolist())) == sorted(
        [(ann.id, shown.id, 1, today), (bob.id, shown.id, -1, today), (ann.id, hidden.id, 0, today)]
    )

    read = {}
    data, idea_ids, user_ids = load_votes(consultation, read)
    assert read["votes_by_day"] == {utcnow().date().isoformat(): 2}  # published ideas only
    assert read["votes_seen"][0] == 3
    assert idea_ids.tolist() == [shown.id, hidden.id]
    assert data.zeroed.tolist() == [False, True]
    assert sorted(user_ids.tolist()) == sorted([ann.id, bob.id])
    assert data.values.size == 3


def test_a_consultation_without_votes_gives_an_empty_array(council, db):
    consultation = make_consultation()
    make_idea(consultation)
    db.session.commit()
    assert vote_arrays(consultation).shape == (0, 4)
    assert load_votes(consultation)[0].n_participants == 0


def test_each_vote_counts_on_the_day_it_was_cast(council, db):
    """The day comes from the database's own date arithmetic (SQLite's julianday, PostgreSQL's
    epoch), the same day ``func.date`` gives, also just before and after midnight."""
    consultation = make_consultation()
    idea = make_idea(consultation)
    casts = [datetime(2027, 3, 1, 0, 0, 1), datetime(2027, 3, 1, 23, 59, 59), datetime(2027, 3, 2)]
    for at in casts:
        make_vote(idea, make_user()).created_at = at
    db.session.commit()
    read = {}
    load_votes(consultation, read)
    assert read["votes_by_day"] == {"2027-03-01": 2, "2027-03-02": 1}
