"""Votes: one person's response to an idea, and the counts kept on the idea beside them.

The counts live on the idea and change in the same transaction as the vote, under the idea's
row lock, so the counts shown always equal the vote rows stored (``recount`` sets them from
the rows after a merge, an undo or a moderation decision).
"""

from __future__ import annotations

from sqlalchemy import bindparam, func, insert, select, update
from sqlalchemy.orm.attributes import set_committed_value

from ..accounts.models import User
from ..extensions import db
from ..timeutil import utcnow
from .models import Comment, Idea, Visibility, Vote, VoteValue
from .participation import note_participant

_COUNT_COLUMN = {
    VoteValue.AGREE: "agree_count",
    VoteValue.DISAGREE: "disagree_count",
    VoteValue.PASS: "pass_count",
}
_COUNT_NAMES = ("agree_count", "disagree_count", "pass_count")  # in lock_idea's order


# The vote's statements, built once and on the tables rather than the models: building a
# SQLAlchemy statement costs more than running a small one, and an ORM-enabled statement
# several times a Core one (about 120 against 30 microseconds for the row lock), while a vote
# is the busiest write there is. ``kil_cache_scopes`` tells the cache what each one changes
# on the pages (``cache._statement_scopes``): the lock nothing, the vote itself nothing more
# than the counts updated beside it, which change the idea's and consultation's tallies only
# (``kil_tallies``: pages that fill their tallies per request stay as they are).
_IDEAS, _VOTES = Idea.__table__, Vote.__table__
_THE_IDEA, _THE_PERSON = bindparam("the_idea"), bindparam("the_person")
_LOCK_IDEA = (
    update(_IDEAS)
    .where(_IDEAS.c.id == _THE_IDEA)
    .values(agree_count=_IDEAS.c.agree_count)
    .returning(_IDEAS.c.agree_count, _IDEAS.c.disagree_count, _IDEAS.c.pass_count)
    .execution_options(kil_cache_scopes=())
)
_THE_PERSONS_VOTE = (_VOTES.c.idea_id == _THE_IDEA, _VOTES.c.user_id == _THE_PERSON)
_PERSONS_VOTE = select(_VOTES.c.value).where(*_THE_PERSONS_VOTE)
_ADD_VOTE = (
    insert(_VOTES)
    .values(
        idea_id=_THE_IDEA,
        user_id=_THE_PERSON,
        value=bindparam("value"),
        created_at=bindparam("at"),
        updated_at=bindparam("at"),
    )
    .execution_options(kil_cache_scopes=())
)
_CHANGE_VOTE = (
    update(_VOTES)
    .where(*_THE_PERSONS_VOTE)
    .values(value=bindparam("value"), updated_at=bindparam("at"))
    .execution_options(kil_cache_scopes=())
)
_ADD_TO_COUNTS = (
    update(_IDEAS)
    .where(_IDEAS.c.id == _THE_IDEA)
    .values({name: _IDEAS.c[name] + bindparam(f"add_{name}") for name in _COUNT_NAMES})
    .execution_options(kil_tallies=True)  # the idea's and its consultation's tallies
)


def lock_idea(idea_id: int) -> tuple[int, int, int] | None:
    """Take the idea's row lock (PostgreSQL) or the write lock (SQLite) before reading votes,
    and return its agree, disagree and pass counts as they are under the lock.

    Everything that changes an idea's counts starts here, so concurrent votes on one idea are
    applied one after another and a vote is never counted twice or lost.
    """
    row = db.session.execute(_LOCK_IDEA, {"the_idea": idea_id}).first()
    return None if row is None else (row[0], row[1], row[2])


def cast_vote(idea: Idea, user: User, value: VoteValue) -> bool:
    """Record or change a person's vote on an idea, keeping one vote per person per idea;
    returns whether anything changed (voting the same way again changes nothing).

    What it costs: the row lock (which also reads the counts), the person's vote, one insert or
    update, and one update of the counts (and, at a person's first contribution to the
    consultation, their participant row); the idea's counts are then set from those figures
    without reading the idea again. The statements run on the tables, so a ``Vote`` already
    loaded in this session is not refreshed (requests start with an empty session).
    """
    locked = lock_idea(idea.id)
    the_vote = {"the_idea": idea.id, "the_person": user.id}
    before = db.session.execute(_PERSONS_VOTE, the_vote).scalar()
    if before is not None:
        before = VoteValue(before)
    if before is value:
        return False
    changed = {**the_vote, "value": value, "at": utcnow()}
    deltas = {_COUNT_COLUMN[value]: 1}
    if before is None:
        db.session.execute(_ADD_VOTE, changed)
        note_participant(idea.consultation_id, user.id)
    else:
        db.session.execute(_CHANGE_VOTE, changed)
        deltas[_COUNT_COLUMN[before]] = -1
    db.session.execute(
        _ADD_TO_COUNTS,
        {"the_idea": idea.id, **{f"add_{name}": deltas.get(name, 0) for name in _COUNT_NAMES}},
    )
    if locked is not None:
        for name, count in zip(_COUNT_NAMES, locked, strict=True):
            set_committed_value(idea, name, count + deltas.get(name, 0))
    return True


def recount(idea: Idea) -> None:
    """Set an idea's counts from its stored votes and published comments (after a merge,
    an undo, or a comment being hidden or restored)."""
    votes = dict(
        db.session.execute(
            select(Vote.value, func.count()).where(Vote.idea_id == idea.id).group_by(Vote.value)
        ).all()
    )
    comments = db.session.scalar(
        select(func.count(Comment.id)).where(
            Comment.idea_id == idea.id, Comment.visibility == Visibility.PUBLISHED
        )
    )
    db.session.execute(
        update(Idea)
        .where(Idea.id == idea.id)
        .values(
            agree_count=votes.get(VoteValue.AGREE, 0),
            disagree_count=votes.get(VoteValue.DISAGREE, 0),
            pass_count=votes.get(VoteValue.PASS, 0),
            comment_count=comments or 0,
        )
    )
    db.session.flush()
    db.session.refresh(idea)
