"""The council, its neighbourhoods, its co-design process and the six consultations in it."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db, str_enum
from ..timeutil import utcnow
from .principles import Principle, principle


class Council(db.Model):
    """The one council this deployment serves; its name appears in every page header."""

    __tablename__ = "councils"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    area_name: Mapped[str] = mapped_column(String(120))
    contact_email: Mapped[str] = mapped_column(String(254), default="")


class Neighbourhood(db.Model):
    """A ward, district or town people can say they live in and ideas can be about."""

    __tablename__ = "neighbourhoods"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(80), unique=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    population: Mapped[int | None]
    position: Mapped[int] = mapped_column(default=0)

    def __repr__(self) -> str:
        return f"<Neighbourhood {self.name}>"


class Process(db.Model):
    """A co-design process such as 'Keep it Local East Sussex 2027': six consultations."""

    __tablename__ = "processes"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(160))
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    summary: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    consultations: Mapped[list[Consultation]] = relationship(
        back_populates="process", order_by="Consultation.principle_number"
    )


class Stage(enum.StrEnum):
    """Where a consultation is in its life. Only an open one takes ideas, votes and comments."""

    DRAFT = "draft"
    OPEN = "open"
    CLOSED = "closed"

    @property
    def label(self) -> str:
        return {"draft": "Not yet open", "open": "Open", "closed": "Closed"}[self.value]

    @property
    def is_draft(self) -> bool:
        return self is Stage.DRAFT

    @property
    def is_open(self) -> bool:
        return self is Stage.OPEN

    @property
    def is_closed(self) -> bool:
        return self is Stage.CLOSED


class ModerationMode(enum.StrEnum):
    """Post-moderation publishes at once; pre-moderation holds ideas until a moderator publishes."""

    POST = "post"
    PRE = "pre"

    @property
    def label(self) -> str:
        return {"post": "Publish at once, review after", "pre": "Hold for a moderator"}[self.value]


class StageError(ValueError):
    """A lifecycle change that the consultation's current stage does not allow."""


class Consultation(db.Model):
    """One principle put to residents: its question, explanation, dates and stage."""

    __tablename__ = "consultations"
    __table_args__ = (UniqueConstraint("process_id", "principle_number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    process_id: Mapped[int] = mapped_column(ForeignKey("processes.id"), index=True)
    principle_number: Mapped[int]
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    title: Mapped[str] = mapped_column(String(160))
    question: Mapped[str] = mapped_column(String(400))
    explanation: Mapped[str] = mapped_column(Text)
    next_steps: Mapped[str] = mapped_column(Text, default="")
    opens_at: Mapped[datetime | None]
    closes_at: Mapped[datetime | None]
    stage: Mapped[Stage] = mapped_column(
        str_enum(Stage, 20),
        default=Stage.DRAFT,
    )
    moderation: Mapped[ModerationMode] = mapped_column(
        str_enum(ModerationMode, 10),
        default=ModerationMode.POST,
        server_default=ModerationMode.POST.value,
    )
    opened_at: Mapped[datetime | None]
    closed_at: Mapped[datetime | None]
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    # People taking part, kept by ``participation.note_participant`` as contributions arrive
    # (one ``Participant`` row each), so that pages never count them over every vote.
    participant_count: Mapped[int] = mapped_column(default=0, server_default="0")

    process: Mapped[Process] = relationship(back_populates="consultations")

    @property
    def principle(self) -> Principle:
        return principle(self.principle_number)

    def current_stage(self, now: datetime | None = None) -> Stage:
        """The stage people see: an open consultation past its closing time counts as closed."""
        now = now or utcnow()
        if self.stage is Stage.OPEN and self.closes_at is not None and now >= self.closes_at:
            return Stage.CLOSED
        return self.stage

    def ended_at(self, now: datetime | None = None) -> datetime | None:
        """When contributions stopped: the scheduled closing time, or the earlier moment staff
        closed it; None while it is not closed. The scheduled time itself is kept, so a
        consultation closed early can be reopened until then."""
        now = now or utcnow()
        if self.current_stage(now) is not Stage.CLOSED:
            return None
        times = [t for t in (self.closes_at,) if t is not None and t <= now]
        if self.stage is Stage.CLOSED and self.closed_at is not None:
            times.append(self.closed_at)
        return min(times) if times else self.closes_at

    def reopens_until(self, now: datetime | None = None) -> datetime | None:
        """The planned closing time a reopened consultation would run to, if still ahead."""
        now = now or utcnow()
        if self.closes_at is not None and self.closes_at > now:
            return self.closes_at
        return None

    def has_started(self, now: datetime | None = None) -> bool:
        """False while an open consultation waits for its opening time."""
        now = now or utcnow()
        return self.opens_at is None or now >= self.opens_at

    def is_accepting(self, now: datetime | None = None) -> bool:
        """Ideas, votes and comments are taken only while open, started and before closing."""
        now = now or utcnow()
        return self.current_stage(now) is Stage.OPEN and self.has_started(now)

    @property
    def is_premoderated(self) -> bool:
        """Ideas and comments wait for a moderator before they appear."""
        return self.moderation is ModerationMode.PRE

    @property
    def is_public(self) -> bool:
        """Draft consultations are seen only by staff; open and closed ones by everyone."""
        return self.stage is not Stage.DRAFT

    def open(self, now: datetime | None = None) -> None:
        """Open (or schedule, if its opening time is ahead) for contributions.

        Needs a closing time in the future; refuses if already open.
        """
        now = now or utcnow()
        if self.current_stage(now) is Stage.OPEN:
            raise StageError("This consultation is already open.")
        if self.closes_at is None or self.closes_at <= now:
            raise StageError("Set a closing date in the future before opening this consultation.")
        self.stage = Stage.OPEN
        self.opened_at = now
        self.closed_at = None
        if self.opens_at is None:
            self.opens_at = now

    def close(self, now: datetime | None = None) -> None:
        """Stop taking contributions now. Refuses unless the consultation is open.

        The scheduled closing time stays as it was (``ended_at`` says when it really closed).
        """
        now = now or utcnow()
        if self.stage is not Stage.OPEN:
            raise StageError("Only an open consultation can be closed.")
        self.stage = Stage.CLOSED
        self.closed_at = now

    def __repr__(self) -> str:
        return f"<Consultation {self.principle_number} {self.stage.value}>"


class Participant(db.Model):
    """A person who has taken part in a consultation: shared, voted on or commented on one of
    its ideas. One row per person per consultation, added with their first contribution."""

    __tablename__ = "participants"

    consultation_id: Mapped[int] = mapped_column(
        ForeignKey("consultations.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    first_at: Mapped[datetime] = mapped_column(default=utcnow)
