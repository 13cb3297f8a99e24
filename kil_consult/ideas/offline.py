"""Contributions gathered offline: a facilitator records a community event, or a batch of
paper or phone responses, and enters the ideas people gave there on their behalf."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from sqlalchemy import func, select

from .. import audit
from ..consultations.models import Consultation
from ..extensions import db
from .models import CommunityEvent, Idea, Source, Visibility
from .participation import note_participant

if TYPE_CHECKING:
    from ..accounts.models import User


def record_event(
    consultation: Consultation,
    recorder: User,
    kind: Source,
    name: str,
    held_on: date,
    place: str = "",
    neighbourhood_id: int | None = None,
    attendees: int | None = None,
) -> CommunityEvent:
    """Record where offline ideas came from: an event, or paper or phone responses."""
    if kind is Source.ONLINE:
        raise ValueError("An offline source cannot be online.")
    event = CommunityEvent(
        consultation_id=consultation.id,
        kind=kind,
        name=name.strip(),
        held_on=held_on,
        place=place.strip(),
        neighbourhood_id=neighbourhood_id,
        attendees=attendees,
        recorded_by_id=recorder.id,
    )
    db.session.add(event)
    db.session.flush()
    audit.record(
        recorder,
        "offline.record_event",
        event,
        after={"kind": kind, "name": event.name, "held_on": held_on, "attendees": attendees},
    )
    return event


def enter_offline_idea(
    event: CommunityEvent,
    facilitator: User,
    title: str,
    body: str,
    contributor_name: str = "",
    neighbourhood_id: int | None = None,
) -> Idea:
    """Enter an idea someone gave at an event (or on paper or by phone).

    The facilitator is recorded as the one who entered it; the idea shows its source and is
    moderated and voted on like any other.
    """
    idea = Idea(
        consultation_id=event.consultation_id,
        author_id=facilitator.id,
        title=title.strip(),
        body=body.strip(),
        neighbourhood_id=neighbourhood_id or event.neighbourhood_id,
        source=event.kind,
        event_id=event.id,
        contributor_name=contributor_name.strip(),
        visibility=Visibility.PUBLISHED,
    )
    db.session.add(idea)
    db.session.flush()
    note_participant(event.consultation_id, facilitator.id)
    audit.record(
        facilitator,
        "offline.enter_idea",
        idea,
        after={"event": event.id, "source": event.kind, "title": idea.title},
    )
    return idea


def events_for(consultation: Consultation) -> list[tuple[CommunityEvent, int]]:
    """A consultation's offline events, newest first, each with how many ideas it produced."""
    counts = (
        select(Idea.event_id, func.count(Idea.id).label("ideas"))
        .where(Idea.event_id.is_not(None))
        .group_by(Idea.event_id)
        .subquery()
    )
    rows = db.session.execute(
        select(CommunityEvent, func.coalesce(counts.c.ideas, 0))
        .outerjoin(counts, counts.c.event_id == CommunityEvent.id)
        .where(CommunityEvent.consultation_id == consultation.id)
        .order_by(CommunityEvent.held_on.desc(), CommunityEvent.id.desc())
    ).all()
    return [(event, int(count)) for event, count in rows]


def ideas_from(event: CommunityEvent) -> list[Idea]:
    """The ideas entered from one event, in the order they were entered."""
    return list(db.session.scalars(select(Idea).where(Idea.event_id == event.id).order_by(Idea.id)))
