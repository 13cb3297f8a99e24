"""Who is taking part in each consultation, kept up to date as contributions arrive.

A person counts once per consultation from their first idea, vote or comment in it, whatever
later happens to that contribution (as the Code of Practice on consultation asks: everyone who
responded was heard). The first contribution adds a ``Participant`` row and adds one to
``Consultation.participant_count`` in the same transaction, so a page reads the number of
people in constant time instead of counting distinct people over every vote.
``repair_participation`` rebuilds both from the contributions stored (after a bulk load, a
restore or an account erased with its contributions).
"""

from __future__ import annotations

from sqlalchemy import bindparam, distinct, func, select, union_all, update
from sqlalchemy.dialects import postgresql, sqlite

from ..accounts.models import User
from ..consultations.models import Consultation, Participant
from ..extensions import db
from ..timeutil import utcnow
from .models import Comment, Idea, Vote

# Built once (see ideas.services: a vote's statements): the first contribution's row, added
# unless the pair has one (``INSERT ... ON CONFLICT DO NOTHING`` in each database's words,
# a row back only when it was new), and the consultation's count.
_THE_CONSULTATION, _THE_PERSON, _FIRST_AT = (
    bindparam("the_consultation"),
    bindparam("the_person"),
    bindparam("first_at"),
)
_ADD_PARTICIPANT = {
    name: insert(Participant)
    .values(consultation_id=_THE_CONSULTATION, user_id=_THE_PERSON, first_at=_FIRST_AT)
    .on_conflict_do_nothing()
    .returning(Participant.user_id)
    for name, insert in (("postgresql", postgresql.insert), ("sqlite", sqlite.insert))
}
_COUNT_PARTICIPANT = (
    update(Consultation)
    .where(Consultation.id == _THE_CONSULTATION)
    .values(
        participant_count=Consultation.participant_count + 1,
        updated_at=Consultation.updated_at,  # a new person is not an edit
    )
    .execution_options(synchronize_session=False, kil_tallies=True)
)


def note_participant(consultation_id: int, user_id: int | None) -> bool:
    """Count a person as taking part in a consultation, once: the first call for the pair adds
    their row and one to the consultation's count (a no-op afterwards, also when two requests
    race: the database's unique key decides). Returns whether they were new."""
    if user_id is None:
        return False
    dialect = db.session.get_bind().dialect.name
    added = db.session.execute(
        _ADD_PARTICIPANT[dialect],
        {"the_consultation": consultation_id, "the_person": user_id, "first_at": utcnow()},
    ).first()
    if added:
        db.session.execute(_COUNT_PARTICIPANT, {"the_consultation": consultation_id})
    return added is not None


def people_by_neighbourhood(consultation_ids: list[int]) -> dict[str, int]:
    """The people taking part in these consultations by the neighbourhood they gave (its id as
    text, "" for none), each once however many of them they took part in.

    Read from the participant rows (one per person per consultation), so it costs the same
    with a thousand votes or a million; the results and "who took part" both count with it.
    """
    if not consultation_ids:
        return {}
    rows = db.session.execute(
        select(User.neighbourhood_id, func.count(distinct(User.id)))
        .join(Participant, Participant.user_id == User.id)
        .where(Participant.consultation_id.in_(consultation_ids))
        .group_by(User.neighbourhood_id)
    )
    return {str(k) if k is not None else "": int(n) for k, n in rows}


def newcomers_by_day(consultation_id: int) -> dict[str, int]:
    """How many people took part in a consultation for the first time on each day
    (YYYY-MM-DD, UTC), from the participant rows."""
    day = func.date(Participant.first_at)
    rows = db.session.execute(
        select(day, func.count())
        .where(Participant.consultation_id == consultation_id)
        .group_by(day)
    )
    return {str(d)[:10]: int(n) for d, n in rows}


def forget_participant(user_id: int) -> None:
    """A person's contributions were deleted with their account: they no longer count as
    taking part anywhere (one less in each consultation they had taken part in)."""
    taken_part = select(Participant.consultation_id).where(Participant.user_id == user_id)
    db.session.execute(
        update(Consultation)
        .where(Consultation.id.in_(taken_part), Consultation.participant_count > 0)
        .values(
            participant_count=Consultation.participant_count - 1,
            updated_at=Consultation.updated_at,
        )
        .execution_options(synchronize_session=False)
    )
    db.session.execute(Participant.__table__.delete().where(Participant.user_id == user_id))


def _first_contributions(consultation_ids: list[int]):
    """Every (consultation, person) pair with an idea, vote or comment in these
    consultations, and when they first contributed, from the stored rows."""
    in_scope = Idea.consultation_id.in_(consultation_ids)
    activity = union_all(
        select(
            Idea.consultation_id.label("cid"),
            Idea.author_id.label("uid"),
            Idea.created_at.label("at"),
        ).where(in_scope, Idea.author_id.is_not(None)),
        select(Idea.consultation_id, Vote.user_id, Vote.created_at).join(Vote.idea).where(in_scope),
        select(Idea.consultation_id, Comment.author_id, Comment.created_at)
        .join(Comment.idea)
        .where(in_scope, Comment.author_id.is_not(None)),
    ).subquery()
    return select(activity.c.cid, activity.c.uid, func.min(activity.c.at)).group_by(
        activity.c.cid, activity.c.uid
    )


def repair_participation(consultation_ids: list[int] | None = None) -> dict[int, int]:
    """Rebuild the participants of these consultations (all when ``None``) from the ideas,
    votes and comments stored, and set their counts; returns the new count of each."""
    ids = consultation_ids
    if ids is None:
        ids = list(db.session.scalars(select(Consultation.id)))
    if not ids:
        return {}
    db.session.execute(Participant.__table__.delete().where(Participant.consultation_id.in_(ids)))
    db.session.execute(
        Participant.__table__.insert().from_select(
            ["consultation_id", "user_id", "first_at"], _first_contributions(ids)
        )
    )
    counts = dict(
        db.session.execute(
            select(Participant.consultation_id, func.count())
            .where(Participant.consultation_id.in_(ids))
            .group_by(Participant.consultation_id)
        ).all()
    )
    for cid in ids:
        db.session.execute(
            update(Consultation)
            .where(Consultation.id == cid)
            .values(participant_count=counts.get(cid, 0), updated_at=Consultation.updated_at)
            .execution_options(synchronize_session=False)
        )
    db.session.expire_all()
    return {cid: counts.get(cid, 0) for cid in ids}
