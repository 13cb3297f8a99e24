"""Many people voting and changing votes on one idea at once: one vote row each, exact counts.

Runs on whichever database the suite uses (SQLite by default, PostgreSQL in CI)."""

from __future__ import annotations

import random
import threading

from sqlalchemy import func, select

from kil_consult.extensions import db as _db
from kil_consult.ideas.models import Idea, Vote, VoteValue
from kil_consult.ideas.votes import cast_vote

from .factories import make_idea, make_user

VOTERS = 10
ROUNDS = 40


def test_concurrent_votes_and_changes_keep_one_vote_each_and_exact_counts(app, db):
    idea = make_idea()
    voters = [make_user() for _ in range(VOTERS)]
    db.session.commit()
    idea_id, voter_ids = idea.id, [v.id for v in voters]
    start = threading.Barrier(VOTERS * 2)
    errors: list[BaseException] = []

    def vote_many(user_id: int, seed: int):
        rng = random.Random(seed)
        with app.app_context():
            try:
                start.wait()
                for _ in range(ROUNDS):
                    from kil_consult.accounts.models import User

                    user = _db.session.get(User, user_id)
                    target = _db.session.get(Idea, idea_id)
                    cast_vote(target, user, rng.choice(list(VoteValue)))
                    _db.session.commit()
            except BaseException as exc:  # noqa: BLE001 - reported below
                errors.append(exc)
                _db.session.rollback()
            finally:
                _db.session.remove()

    # Two threads per voter: the same person double-clicking on two devices at once.
    threads = [
        threading.Thread(target=vote_many, args=(uid, n))
        for n, uid in enumerate(voter_ids + voter_ids)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors, errors

    _db.session.expire_all()
    rows = _db.session.execute(
        select(Vote.user_id, func.count()).where(Vote.idea_id == idea_id).group_by(Vote.user_id)
    ).all()
    assert len(rows) == VOTERS and all(count == 1 for _uid, count in rows)
    stored = dict(
        _db.session.execute(
            select(Vote.value, func.count()).where(Vote.idea_id == idea_id).group_by(Vote.value)
        ).all()
    )
    idea = _db.session.get(Idea, idea_id)
    assert idea.agree_count == stored.get(VoteValue.AGREE, 0)
    assert idea.disagree_count == stored.get(VoteValue.DISAGREE, 0)
    assert idea.pass_count == stored.get(VoteValue.PASS, 0)
    assert idea.vote_count == VOTERS


def test_unique_constraint_backs_one_vote_per_person(db):
    import pytest
    from sqlalchemy.exc import IntegrityError

    idea = make_idea()
    user = make_user()
    db.session.add(Vote(idea_id=idea.id, user_id=user.id, value=VoteValue.AGREE))
    db.session.flush()
    db.session.add(Vote(idea_id=idea.id, user_id=user.id, value=VoteValue.PASS))
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()
