"""Vote through a consultation's ideas one at a time, as Pol.is does.

The next idea is the published idea, shared by someone else, that the person has not voted on
or skipped, with the fewest votes so far (the oldest first among equals): ideas entered from
workshops or shared late get votes too, instead of the first ideas collecting them all.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from ..accounts.models import User
from ..consultations.models import Consultation
from ..extensions import db
from .models import Idea, Visibility, Vote

MAX_SKIPPED = 200  # ideas skipped are carried in the page's links and forms, so keep it short


@dataclass(frozen=True)
class Progress:
    """How far the person has got: "you have voted on ``voted`` of ``total``"."""

    voted: int
    total: int

    @property
    def left(self) -> int:
        return self.total - self.voted


def _theirs_to_vote_on(consultation: Consultation, user: User) -> list:
    """Published ideas of the consultation that the person did not share themselves."""
    return [
        Idea.consultation_id == consultation.id,
        Idea.visibility == Visibility.PUBLISHED,
        Idea.author_id != user.id,
    ]


def _not_voted(user: User):
    return ~select(Vote.id).where(Vote.idea_id == Idea.id, Vote.user_id == user.id).exists()


def next_idea(consultation: Consultation, user: User, skipped: list[int]) -> Idea | None:
    """The next idea for the person to vote on, or None when none is left (bar those skipped)."""
    conditions = _theirs_to_vote_on(consultation, user) + [_not_voted(user)]
    if skipped:
        conditions.append(Idea.id.not_in(skipped))
    return db.session.scalar(
        select(Idea)
        .options(
            joinedload(Idea.author),
            joinedload(Idea.neighbourhood),
            joinedload(Idea.organisation),
            joinedload(Idea.event),
        )
        .where(*conditions)
        .order_by(Idea.agree_count + Idea.disagree_count + Idea.pass_count, Idea.id)
        .limit(1)
    )


def progress(consultation: Consultation, user: User) -> Progress:
    """How many of the ideas shared by others the person has voted on, and how many there are."""
    conditions = _theirs_to_vote_on(consultation, user)
    total = db.session.scalar(select(func.count(Idea.id)).where(*conditions)) or 0
    voted = (
        db.session.scalar(
            select(func.count(Vote.id)).join(Idea).where(*conditions, Vote.user_id == user.id)
        )
        or 0
    )
    return Progress(voted, total)


def parse_skipped(raw: str | None) -> list[int]:
    """The ideas skipped so far, from the ``skipped`` parameter ("3,17,20"); anything that is
    not a list of ids is ignored (it is only a convenience), and the list is kept short."""
    ids = []
    for part in (raw or "").split(","):
        part = part.strip()
        if part.isdigit() and len(part) < 12:
            ids.append(int(part))
    return list(dict.fromkeys(ids))[-MAX_SKIPPED:]


def format_skipped(ids: list[int]) -> str:
    return ",".join(str(i) for i in ids[-MAX_SKIPPED:])
