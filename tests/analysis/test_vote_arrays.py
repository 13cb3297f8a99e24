"""The analysis reads a consultation's votes as one array from one query."""

from __future__ import annotations

from sqlalchemy import event

from kil_consult.analysis.payload import load_votes, vote_arrays
from kil_consult.extensions import db as _db
from kil_consult.ideas.models import Visibility

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
    assert sorted(map(tuple, found.tolist())) == sorted(
        [(ann.id, shown.id, 1), (bob.id, shown.id, -1), (ann.id, hidden.id, 0)]
    )

    data, idea_ids, user_ids = load_votes(consultation)
    assert idea_ids.tolist() == [shown.id, hidden.id]
    assert data.zeroed.tolist() == [False, True]
    assert sorted(user_ids.tolist()) == sorted([ann.id, bob.id])
    assert data.values.size == 3


def test_a_consultation_without_votes_gives_an_empty_array(council, db):
    consultation = make_consultation()
    make_idea(consultation)
    db.session.commit()
    assert vote_arrays(consultation).shape == (0, 3)
    assert load_votes(consultation)[0].n_participants == 0
