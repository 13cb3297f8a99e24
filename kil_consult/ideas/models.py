"""Ideas residents share, their agree / disagree / pass votes and their comments."""

from __future__ import annotations

import enum
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import (
    JSON,
    CheckConstraint,
    ForeignKey,
    Index,
    String,
    Text,
    UniqueConstraint,
    case,
)
from sqlalchemy.orm import Mapped, WriteOnlyMapped, mapped_column, relationship

from ..consultations.models import Consultation, Neighbourhood
from ..extensions import db, str_enum
from ..timeutil import utcnow

if TYPE_CHECKING:  # the ORM links these by name
    from ..accounts.models import User
    from ..organisations.models import Organisation


class Visibility(enum.StrEnum):
    """Whether people can see an idea or comment.

    Pending items wait for a moderator (pre-moderation); hidden ones leave a public note with
    the reason; a merged idea points to the idea it was merged into; a withdrawn one was taken
    back by its author and leaves a note in its place (replies to it stay).
    """

    PUBLISHED = "published"
    PENDING = "pending"
    HIDDEN = "hidden"
    MERGED = "merged"
    WITHDRAWN = "withdrawn"


class Moderated:
    """What pages ask of an idea's or comment's ``visibility``, as plain yes-or-no facts."""

    @property
    def is_published(self) -> bool:
        return self.visibility is Visibility.PUBLISHED

    @property
    def is_pending(self) -> bool:
        """Waiting for a moderator (pre-moderation)."""
        return self.visibility is Visibility.PENDING

    @property
    def is_hidden(self) -> bool:
        """Hidden by a moderator: a public note with the reason stands in its place."""
        return self.visibility is Visibility.HIDDEN

    @property
    def is_merged(self) -> bool:
        """Merged into another idea, to which it points."""
        return self.visibility is Visibility.MERGED

    @property
    def is_withdrawn(self) -> bool:
        """Taken back by its author: a note stands in its place."""
        return self.visibility is Visibility.WITHDRAWN


class Source(enum.StrEnum):
    """Where an idea came from: typed online, or gathered offline and entered by a facilitator."""

    ONLINE = "online"
    EVENT = "event"
    PAPER = "paper"
    PHONE = "phone"

    @property
    def label(self) -> str:
        return {
            "online": "Online",
            "event": "Community event",
            "paper": "Paper response",
            "phone": "Phone response",
        }[self.value]


class VoteValue(enum.StrEnum):
    """How someone responds to an idea."""

    AGREE = "agree"
    DISAGREE = "disagree"
    PASS = "pass"

    @property
    def label(self) -> str:
        return {"agree": "Agree", "disagree": "Disagree", "pass": "Pass"}[self.value]


_visibility = str_enum(Visibility, 20)


class CommunityEvent(db.Model):
    """A workshop or community event, or a batch of paper or phone responses, for a consultation."""

    __tablename__ = "community_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(ForeignKey("consultations.id"), index=True)
    kind: Mapped[Source] = mapped_column(str_enum(Source, 10))
    name: Mapped[str] = mapped_column(String(160))
    held_on: Mapped[date]
    place: Mapped[str] = mapped_column(String(160), default="")
    neighbourhood_id: Mapped[int | None] = mapped_column(
        ForeignKey("neighbourhoods.id", ondelete="SET NULL")
    )
    attendees: Mapped[int | None]
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    consultation: Mapped[Consultation] = relationship()
    neighbourhood: Mapped[Neighbourhood | None] = relationship()

    @property
    def is_event(self) -> bool:
        """A workshop or community event (not a batch of paper or phone responses)."""
        return self.kind is Source.EVENT


class Idea(Moderated, db.Model):
    """An idea shared in a consultation. Vote and comment counts are kept with each change."""

    __tablename__ = "ideas"
    __table_args__ = (
        # One index per sort of the idea list (see ``services.sort_keys``), each ending with
        # the columns the list filters on, so a page's ids come from the index alone.
        Index("ix_ideas_list_newest", "consultation_id", "created_at", "id", "visibility"),
        Index(
            "ix_ideas_list_agreed",
            "consultation_id",
            "agree_count",
            "created_at",
            "id",
            "visibility",
        ),
        Index(
            "ix_ideas_list_discussed",
            "consultation_id",
            "comment_count",
            "created_at",
            "id",
            "visibility",
        ),
        CheckConstraint(
            "agree_count >= 0 AND disagree_count >= 0 AND pass_count >= 0 AND comment_count >= 0",
            name="counts_not_negative",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(ForeignKey("consultations.id"))
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    neighbourhood_id: Mapped[int | None] = mapped_column(
        ForeignKey("neighbourhoods.id", ondelete="SET NULL"), index=True
    )
    title: Mapped[str] = mapped_column(String(120))
    body: Mapped[str] = mapped_column(Text)
    visibility: Mapped[Visibility] = mapped_column(_visibility, default=Visibility.PUBLISHED)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisations.id", ondelete="SET NULL"), index=True
    )
    source: Mapped[Source] = mapped_column(
        str_enum(Source, 10),
        default=Source.ONLINE,
        server_default=Source.ONLINE.value,
    )
    event_id: Mapped[int | None] = mapped_column(
        ForeignKey("community_events.id", ondelete="SET NULL"), index=True
    )
    contributor_name: Mapped[str] = mapped_column(String(80), default="", server_default="")
    merged_into_id: Mapped[int | None] = mapped_column(
        ForeignKey("ideas.id", ondelete="SET NULL"), index=True
    )
    moderation_reason: Mapped[str] = mapped_column(String(300), default="", server_default="")
    moderation_note: Mapped[str] = mapped_column(Text, default="", server_default="")
    moderated_at: Mapped[datetime | None]
    agree_count: Mapped[int] = mapped_column(default=0)
    disagree_count: Mapped[int] = mapped_column(default=0)
    pass_count: Mapped[int] = mapped_column(default=0)
    comment_count: Mapped[int] = mapped_column(default=0)
    edited_at: Mapped[datetime | None]  # the author's latest change (``ideas/edits.py``)
    withdrawn_at: Mapped[datetime | None]

    consultation: Mapped[Consultation] = relationship()
    author: Mapped[User] = relationship()
    neighbourhood: Mapped[Neighbourhood | None] = relationship()
    organisation: Mapped[Organisation | None] = relationship()
    event: Mapped[CommunityEvent | None] = relationship()
    merged_into: Mapped[Idea | None] = relationship(remote_side=[id])
    votes: WriteOnlyMapped[Vote] = relationship(back_populates="idea", passive_deletes=True)

    @property
    def is_offline(self) -> bool:
        """Gathered at an event, on paper or by phone, and entered by a facilitator."""
        return self.source is not Source.ONLINE

    @property
    def vote_count(self) -> int:
        return self.agree_count + self.disagree_count + self.pass_count

    def __repr__(self) -> str:
        return f"<Idea {self.id}>"


def divisiveness():
    """How divisive an idea is: the smaller of its agree and disagree counts."""
    return case(
        (Idea.agree_count < Idea.disagree_count, Idea.agree_count), else_=Idea.disagree_count
    )


# The "most divisive" sort's index (an index on expressions, so it is declared here).
Index(
    "ix_ideas_list_divisive",
    Idea.consultation_id,
    divisiveness(),
    Idea.agree_count + Idea.disagree_count,
    Idea.id,
    Idea.visibility,
    info={"compare": False},  # migrations/env.py: each database prints expressions its own way
)


class Vote(db.Model):
    """One person's response to one idea; the unique constraint keeps it to one per person."""

    __tablename__ = "votes"
    __table_args__ = (UniqueConstraint("idea_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    idea_id: Mapped[int] = mapped_column(ForeignKey("ideas.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    value: Mapped[VoteValue] = mapped_column(str_enum(VoteValue, 10))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    idea: Mapped[Idea] = relationship(back_populates="votes")


class Comment(Moderated, db.Model):
    """A comment on an idea, or a reply to one (replies go one level deep)."""

    __tablename__ = "comments"
    __table_args__ = (Index("ix_comments_idea_created", "idea_id", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    idea_id: Mapped[int] = mapped_column(ForeignKey("ideas.id", ondelete="CASCADE"))
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    parent_id: Mapped[int | None] = mapped_column(
        ForeignKey("comments.id", ondelete="CASCADE"), index=True
    )
    body: Mapped[str] = mapped_column(Text)
    visibility: Mapped[Visibility] = mapped_column(_visibility, default=Visibility.PUBLISHED)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisations.id", ondelete="SET NULL"), index=True
    )
    moderation_reason: Mapped[str] = mapped_column(String(300), default="", server_default="")
    moderation_note: Mapped[str] = mapped_column(Text, default="", server_default="")
    moderated_at: Mapped[datetime | None]
    edited_at: Mapped[datetime | None]  # the author's latest change (``ideas/edits.py``)
    withdrawn_at: Mapped[datetime | None]

    idea: Mapped[Idea] = relationship()
    author: Mapped[User] = relationship()
    organisation: Mapped[Organisation | None] = relationship()
    parent: Mapped[Comment | None] = relationship(remote_side=[id])


class Merge(db.Model):
    """One idea merged into another, with what happened to each vote so it can be undone."""

    __tablename__ = "merges"

    id: Mapped[int] = mapped_column(primary_key=True)
    source_idea_id: Mapped[int] = mapped_column(ForeignKey("ideas.id", ondelete="CASCADE"))
    target_idea_id: Mapped[int] = mapped_column(ForeignKey("ideas.id", ondelete="CASCADE"))
    merged_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    merged_at: Mapped[datetime] = mapped_column(default=utcnow)
    undone_at: Mapped[datetime | None]
    undone_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    # [{"user_id": 3, "value": "agree", "outcome": "moved" | "dropped"}, ...]
    vote_moves: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)


class ResponseStatus(enum.StrEnum):
    """The council's official answer to an idea."""

    TAKEN_FORWARD = "taken_forward"
    BEING_CONSIDERED = "being_considered"
    NOT_TAKEN_FORWARD = "not_taken_forward"

    @property
    def label(self) -> str:
        return {
            "taken_forward": "Taken forward",
            "being_considered": "Being considered",
            "not_taken_forward": "Not taken forward",
        }[self.value]

    @property
    def tag_class(self) -> str:
        """The GOV.UK tag colour for the status."""
        return {
            "taken_forward": "govuk-tag--green",
            "being_considered": "govuk-tag--blue",
            "not_taken_forward": "govuk-tag--grey",
        }[self.value]


class IdeaResponse(db.Model):
    """One official response to an idea; the latest is the current one, earlier ones are kept
    so that a change of mind shows."""

    __tablename__ = "idea_responses"

    id: Mapped[int] = mapped_column(primary_key=True)
    idea_id: Mapped[int] = mapped_column(ForeignKey("ideas.id", ondelete="CASCADE"), index=True)
    status: Mapped[ResponseStatus] = mapped_column(str_enum(ResponseStatus, 20))
    reason: Mapped[str] = mapped_column(Text)
    responded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    responded_by: Mapped[User | None] = relationship()


class StaffNote(db.Model):
    """An internal note on an idea, for facilitators and admins only (never published)."""

    __tablename__ = "idea_staff_notes"

    id: Mapped[int] = mapped_column(primary_key=True)
    idea_id: Mapped[int] = mapped_column(ForeignKey("ideas.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    author: Mapped[User | None] = relationship()


class EditKind(enum.StrEnum):
    """What an author did to their own idea or comment."""

    EDIT = "edit"
    WITHDRAW = "withdraw"


class ContributionEdit(db.Model):
    """One change an author made to their own idea or comment: the words as they were before
    it, and (for an idea) how many votes it had then. The history staff read is these rows,
    oldest first, followed by the words as they are now."""

    __tablename__ = "contribution_edits"

    id: Mapped[int] = mapped_column(primary_key=True)
    idea_id: Mapped[int] = mapped_column(ForeignKey("ideas.id", ondelete="CASCADE"), index=True)
    comment_id: Mapped[int | None] = mapped_column(
        ForeignKey("comments.id", ondelete="CASCADE"), index=True
    )
    editor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    kind: Mapped[EditKind] = mapped_column(str_enum(EditKind, 10))
    title_before: Mapped[str] = mapped_column(String(120), default="", server_default="")
    body_before: Mapped[str] = mapped_column(Text)
    votes_before: Mapped[int] = mapped_column(default=0, server_default="0")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    @property
    def is_withdrawal(self) -> bool:
        return self.kind is EditKind.WITHDRAW

    @property
    def words_erased(self) -> bool:
        """Whether the earlier words were removed when their author erased their account
        (keeping contributions keeps only what the contribution says now)."""
        return not self.body_before


class WorkshopVote(db.Model):
    """The agree, disagree and pass tallies a workshop or community event took on one idea (a
    show of hands, dots on a sheet): a room's votes, stored apart from people's own votes,
    shown and exported as workshop votes and never counted as people in the analysis."""

    __tablename__ = "workshop_tallies"  # not "..._votes": people's votes are the votes table
    __table_args__ = (
        UniqueConstraint("idea_id", "event_id"),
        CheckConstraint(
            "agree >= 0 AND disagree >= 0 AND passed >= 0", name="tallies_not_negative"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    idea_id: Mapped[int] = mapped_column(ForeignKey("ideas.id", ondelete="CASCADE"), index=True)
    event_id: Mapped[int] = mapped_column(
        ForeignKey("community_events.id", ondelete="CASCADE"), index=True
    )
    agree: Mapped[int] = mapped_column(default=0)
    disagree: Mapped[int] = mapped_column(default=0)
    passed: Mapped[int] = mapped_column(default=0)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)

    idea: Mapped[Idea] = relationship()
    event: Mapped[CommunityEvent] = relationship()

    @property
    def total(self) -> int:
        return self.agree + self.disagree + self.passed
