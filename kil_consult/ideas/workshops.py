"""Workshop votes: the tallies a workshop or community event took on ideas, recorded by a
facilitator (who may is ``policy``'s ``workshop.record_votes``).

They are a room's votes, not people's: stored apart from ``Vote`` (so the analysis, which
reads only people's votes, never counts them as people), shown on an idea beside its own
counts and exported as workshop votes. One tally per idea per event; recording it again
replaces it (audited), and all zeros removes it.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import delete, func, select

from .. import audit
from ..extensions import db
from ..timeutil import utcnow
from .models import CommunityEvent, Idea, Visibility, WorkshopVote


class WorkshopVoteError(ValueError):
    """Tallies that cannot be recorded, with a message for the facilitator."""


def record_workshop_votes(
    event: CommunityEvent, idea: Idea, agree: int, disagree: int, passed: int, by
) -> WorkshopVote | None:
    """Record (or replace) the tallies the event took on one idea of its consultation. None
    when all three are zero (the tally is removed)."""
    if idea.consultation_id != event.consultation_id:
        raise WorkshopVoteError("That idea is not in this event's consultation.")
    if idea.visibility is not Visibility.PUBLISHED:
        raise WorkshopVoteError("Votes can only be recorded on a published idea.")
    if min(agree, disagree, passed) < 0:
        raise WorkshopVoteError("Enter a number of votes of 0 or more.")
    total = agree + disagree + passed
    if event.attendees is not None and total > event.attendees:
        raise WorkshopVoteError(
            f"The votes add up to {total}, more than the {event.attendees} people who came. "
            "Each person votes once on an idea."
        )
    existing = db.session.scalar(
        select(WorkshopVote).where(
            WorkshopVote.idea_id == idea.id, WorkshopVote.event_id == event.id
        )
    )
    before = (
        {"agree": existing.agree, "disagree": existing.disagree, "pass": existing.passed}
        if existing
        else None
    )
    after = {"agree": agree, "disagree": disagree, "pass": passed}
    audit.record(by, "offline.workshop_votes", idea, before=before, after=after, note=event.name)
    if total == 0:
        if existing is not None:
            db.session.execute(delete(WorkshopVote).where(WorkshopVote.id == existing.id))
        return None
    tally = existing or WorkshopVote(idea_id=idea.id, event_id=event.id)
    tally.agree, tally.disagree, tally.passed = agree, disagree, passed
    tally.recorded_by_id, tally.recorded_at = by.id, utcnow()
    db.session.add(tally)
    db.session.flush()
    return tally


def tallies_at(event: CommunityEvent) -> list[WorkshopVote]:
    """The tallies recorded for an event, by idea title."""
    return list(
        db.session.scalars(
            select(WorkshopVote)
            .join(WorkshopVote.idea)
            .where(WorkshopVote.event_id == event.id)
            .order_by(Idea.title, Idea.id)
        )
    )


@dataclass(frozen=True)
class WorkshopTotals:
    """An idea's workshop votes added up over every event that voted on it."""

    agree: int
    disagree: int
    passed: int
    events: int

    @property
    def total(self) -> int:
        return self.agree + self.disagree + self.passed


def totals_for(idea: Idea) -> WorkshopTotals | None:
    """What workshops said of an idea, or None if none voted on it."""
    row = db.session.execute(
        select(
            func.coalesce(func.sum(WorkshopVote.agree), 0),
            func.coalesce(func.sum(WorkshopVote.disagree), 0),
            func.coalesce(func.sum(WorkshopVote.passed), 0),
            func.count(WorkshopVote.id),
        ).where(WorkshopVote.idea_id == idea.id)
    ).one()
    return WorkshopTotals(*row) if row[3] else None


def ideas_to_vote_on(event: CommunityEvent) -> list[Idea]:
    """The published ideas of the event's consultation, by title (the choices of the form)."""
    return list(
        db.session.scalars(
            select(Idea)
            .where(
                Idea.consultation_id == event.consultation_id,
                Idea.visibility == Visibility.PUBLISHED,
            )
            .order_by(Idea.title, Idea.id)
        )
    )
