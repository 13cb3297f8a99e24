"""The council's official response to an idea, and staff's internal notes on it.

A response (taken forward, being considered, not taken forward, with the reason) is public on
the idea's page; its author and everyone who agreed with it are emailed when it is given or
changes. Staff notes are for facilitators and admins only and are never published.
"""

from __future__ import annotations

from sqlalchemy import func, select

from .. import audit
from ..accounts.models import User
from ..extensions import db
from ..notifications.services import queue_email
from ..urls import external_url
from .models import Idea, IdeaResponse, ResponseStatus, StaffNote, Visibility, Vote, VoteValue


class ResponseError(ValueError):
    """A response or note that cannot be recorded, with a message for the member of staff."""


def current_response(idea: Idea) -> IdeaResponse | None:
    """The latest official response to the idea, if any."""
    return db.session.scalar(
        select(IdeaResponse)
        .where(IdeaResponse.idea_id == idea.id)
        .order_by(IdeaResponse.id.desc())
        .limit(1)
    )


def response_history(idea: Idea) -> list[IdeaResponse]:
    """Every response given to the idea, newest first."""
    return list(
        db.session.scalars(
            select(IdeaResponse)
            .where(IdeaResponse.idea_id == idea.id)
            .order_by(IdeaResponse.id.desc())
        )
    )


def supporters(idea: Idea) -> list[User]:
    """Who is told about a response: the idea's author and everyone who agreed with it, each
    once, if their address is confirmed and their account not erased."""
    agreed = select(Vote.user_id).where(Vote.idea_id == idea.id, Vote.value == VoteValue.AGREE)
    people = db.session.scalars(
        select(User).where((User.id == idea.author_id) | User.id.in_(agreed)).order_by(User.id)
    )
    return [person for person in people if person.is_confirmed and not person.erased_at]


def respond(
    idea: Idea, actor: User, status: ResponseStatus, reason: str
) -> tuple[IdeaResponse, int]:
    """Record the council's response to a published idea and tell its supporters.

    Refuses a response identical to the current one (nothing would change, nobody should be
    emailed twice). Returns the response and how many people were told.
    """
    reason = reason.strip()
    if idea.visibility is not Visibility.PUBLISHED:
        raise ResponseError("Only a published idea can be given a response.")
    if not reason:
        raise ResponseError("Enter the reason for the response")
    previous = current_response(idea)
    if previous is not None and previous.status is status and previous.reason == reason:
        raise ResponseError("This is already the response. Change the status or the reason.")
    response = IdeaResponse(idea_id=idea.id, status=status, reason=reason, responded_by=actor)
    db.session.add(response)
    db.session.flush()
    audit.record(
        actor,
        "idea.respond",
        idea,
        before={"status": previous.status, "reason": previous.reason} if previous else None,
        after={"status": status, "reason": reason},
    )
    told = supporters(idea)
    for person in told:
        queue_email(
            person.email,
            "The council has responded to an idea you supported"
            if person.id != idea.author_id
            else "The council has responded to your idea",
            "idea_response",
            user=person,
            idea=idea,
            response=response,
            changed=previous is not None,
            is_author=person.id == idea.author_id,
            link=external_url("ideas.show", idea_id=idea.id) + "#council-response",
        )
    return response, len(told)


def staff_notes(idea: Idea) -> list[StaffNote]:
    """The internal notes on an idea, newest first."""
    return list(
        db.session.scalars(
            select(StaffNote).where(StaffNote.idea_id == idea.id).order_by(StaffNote.id.desc())
        )
    )


def staff_note_count(idea: Idea) -> int:
    """How many internal notes the idea has."""
    return db.session.scalar(select(func.count()).where(StaffNote.idea_id == idea.id)) or 0


def add_staff_note(idea: Idea, actor: User, body: str) -> StaffNote:
    """Add an internal note to an idea (for facilitators and admins; never shown publicly)."""
    body = body.strip()
    if not body:
        raise ResponseError("Enter the note")
    note = StaffNote(idea_id=idea.id, author=actor, body=body)
    db.session.add(note)
    db.session.flush()
    audit.record(actor, "idea.note", idea, after={"note": body[:200]})
    return note
