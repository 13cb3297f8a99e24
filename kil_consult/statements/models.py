"""The statement of a process, its versions, review responses, decisions, signatories,
commitments and their progress updates.

A version's ``content`` is the whole statement as it was saved (preamble, a section per
principle, commitments, champions), so that any version can be read or compared whole. A
commitment keeps one ``Commitment`` row across versions for what must outlive them: its status
and its dated progress updates.
"""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import JSON, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..accounts.models import User
from ..consultations.models import Process
from ..extensions import db, str_enum
from ..organisations.models import Organisation
from ..questions.models import Question
from ..timeutil import utcnow
from .content import StatementContent


class StatementError(ValueError):
    """A change the statement's state does not allow, with a message for the person."""


class StatementState(enum.StrEnum):
    """Where the statement is: drafted, out for public review, agreed, or published."""

    DRAFT = "draft"
    REVIEW = "review"
    AGREED = "agreed"
    PUBLISHED = "published"

    @property
    def label(self) -> str:
        return {
            "draft": "Draft",
            "review": "Open for comment",
            "agreed": "Agreed, not yet published",
            "published": "Published",
        }[self.value]


class Stance(enum.StrEnum):
    """What a person says about one part of the draft."""

    SUPPORT = "support"
    OPPOSE = "oppose"
    UNSURE = "unsure"

    @property
    def label(self) -> str:
        return {
            "support": "I support this",
            "oppose": "I do not support this",
            "unsure": "Not sure",
        }[self.value]


class CommitmentStatus(enum.StrEnum):
    """How far the council has got with a commitment."""

    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    DROPPED = "dropped"

    @property
    def label(self) -> str:
        return {
            "not_started": "Not started",
            "in_progress": "In progress",
            "done": "Done",
            "dropped": "Dropped",
        }[self.value]

    @property
    def colour(self) -> str:
        return {
            "not_started": "grey",
            "in_progress": "blue",
            "done": "green",
            "dropped": "red",
        }[self.value]


class Statement(db.Model):
    """The local Keep it Local statement of a process (one per process)."""

    __tablename__ = "statements"

    id: Mapped[int] = mapped_column(primary_key=True)
    process_id: Mapped[int] = mapped_column(
        ForeignKey("processes.id", ondelete="CASCADE"), unique=True
    )
    state: Mapped[StatementState] = mapped_column(
        str_enum(StatementState, 20), default=StatementState.DRAFT
    )
    review_number: Mapped[int | None]
    review_closes_at: Mapped[datetime | None]
    published_number: Mapped[int | None]
    published_at: Mapped[datetime | None]
    public_through: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    process: Mapped[Process] = relationship()
    versions: Mapped[list[StatementVersion]] = relationship(
        back_populates="statement",
        order_by="StatementVersion.number",
        passive_deletes=True,
    )

    def version(self, number: int | None) -> StatementVersion | None:
        """The version with this number, if there is one."""
        for version in self.versions:
            if version.number == number:
                return version
        return None

    @property
    def latest(self) -> StatementVersion | None:
        return self.versions[-1] if self.versions else None

    @property
    def published_version(self) -> StatementVersion | None:
        return self.version(self.published_number)

    @property
    def review_version(self) -> StatementVersion | None:
        return self.version(self.review_number)

    def is_reviewing(self, now: datetime | None = None) -> bool:
        """Comments and support are taken while the review is open and before its closing time."""
        now = now or utcnow()
        return (
            self.state is StatementState.REVIEW
            and self.review_closes_at is not None
            and now < self.review_closes_at
        )

    @property
    def is_in_review(self) -> bool:
        """Opened for comment (the review may since have closed: see ``is_reviewing``)."""
        return self.state is StatementState.REVIEW

    @property
    def is_published(self) -> bool:
        """Published, with no newer draft started since."""
        return self.state is StatementState.PUBLISHED

    @property
    def is_public(self) -> bool:
        """Anyone may read the statement once it has been opened for comment or published."""
        return self.public_through > 0

    @property
    def is_editable(self) -> bool:
        """Drafts and reviewed drafts can be revised; a published one by starting a new version;
        an agreed one that is not yet published cannot be changed."""
        return self.state is not StatementState.AGREED

    def open_review(self, version: StatementVersion, closes_at: datetime, now=None) -> None:
        """Open ``version`` for public comment until ``closes_at``. Refuses once agreed."""
        now = now or utcnow()
        if self.state in (StatementState.AGREED,):
            raise StatementError("An agreed statement cannot be opened for comment.")
        if closes_at <= now:
            raise StatementError("Choose a closing date in the future.")
        self.state = StatementState.REVIEW
        self.review_number = version.number
        self.review_closes_at = closes_at
        self.public_through = max(self.public_through, version.number)

    def agree(self) -> None:
        """Record that the latest version was agreed (a decision is added with it)."""
        if self.state not in (StatementState.DRAFT, StatementState.REVIEW):
            raise StatementError("Only a draft can be agreed.")
        self.state = StatementState.AGREED

    def publish(self, version: StatementVersion, now=None) -> None:
        """Publish the agreed version: its text becomes the public statement."""
        if self.state is not StatementState.AGREED:
            raise StatementError("Record the decision that agreed the statement first.")
        self.state = StatementState.PUBLISHED
        self.published_number = version.number
        self.published_at = now or utcnow()
        self.public_through = max(self.public_through, version.number)

    def start_revision(self) -> None:
        """A change to a published statement starts a new draft that needs its own decision."""
        if self.state is StatementState.AGREED:
            raise StatementError(
                "This statement has been agreed, so it cannot be changed. Publish it, then "
                "start a new version."
            )
        if self.state is StatementState.PUBLISHED:
            self.state = StatementState.DRAFT


class StatementVersion(db.Model):
    """One saved state of the whole statement. Every save makes one; its words are never
    changed (the decision that agrees it adds the frozen evidence)."""

    __tablename__ = "statement_versions"
    __table_args__ = (UniqueConstraint("statement_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    statement_id: Mapped[int] = mapped_column(
        ForeignKey("statements.id", ondelete="CASCADE"), index=True
    )
    number: Mapped[int]
    content: Mapped[dict] = mapped_column(JSON, default=dict)
    reason: Mapped[str] = mapped_column(String(500), default="")
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # The evidence as it stood when the version was agreed (see ``evidence.freeze``): the words
    # stay as saved; this is added once, by the decision, and never changed after.
    evidence: Mapped[dict | None] = mapped_column(JSON)
    evidence_frozen_at: Mapped[datetime | None]

    statement: Mapped[Statement] = relationship(back_populates="versions")
    author: Mapped[User | None] = relationship()

    @property
    def typed_content(self) -> StatementContent:
        """This version's words as a typed value (``content`` is the JSON it was saved as)."""
        return StatementContent.from_dict(self.content)


class Commitment(db.Model):
    """A commitment of the statement; its words live in each version, its progress here."""

    __tablename__ = "commitments"

    id: Mapped[int] = mapped_column(primary_key=True)
    statement_id: Mapped[int] = mapped_column(
        ForeignKey("statements.id", ondelete="CASCADE"), index=True
    )
    status: Mapped[CommitmentStatus] = mapped_column(
        str_enum(CommitmentStatus, 20), default=CommitmentStatus.NOT_STARTED
    )
    status_reason: Mapped[str] = mapped_column(Text, default="")
    status_changed_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    statement: Mapped[Statement] = relationship()
    updates: Mapped[list[ProgressUpdate]] = relationship(
        back_populates="commitment",
        order_by="(ProgressUpdate.happened_on.desc(), ProgressUpdate.id.desc())",
        passive_deletes=True,
    )


class ProgressUpdate(db.Model):
    """A dated note of what happened on a commitment, with its status at that time."""

    __tablename__ = "progress_updates"

    id: Mapped[int] = mapped_column(primary_key=True)
    commitment_id: Mapped[int] = mapped_column(
        ForeignKey("commitments.id", ondelete="CASCADE"), index=True
    )
    happened_on: Mapped[date]
    body: Mapped[str] = mapped_column(Text)
    status: Mapped[CommitmentStatus] = mapped_column(str_enum(CommitmentStatus, 20))
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    commitment: Mapped[Commitment] = relationship(back_populates="updates")
    author: Mapped[User | None] = relationship()


class Frequency(enum.StrEnum):
    """How often an indicator is measured."""

    MONTHLY = "monthly"
    QUARTERLY = "quarterly"
    TWICE_YEARLY = "twice_yearly"
    YEARLY = "yearly"

    @property
    def label(self) -> str:
        return {
            "monthly": "Every month",
            "quarterly": "Every quarter",
            "twice_yearly": "Twice a year",
            "yearly": "Every year",
        }[self.value]


class Indicator(db.Model):
    """A measure of whether a commitment changes anything: where it started (the baseline),
    where the council means it to be by when (the target), where the figures come from and
    how often they are measured. Dated readings track it over time."""

    __tablename__ = "indicators"

    id: Mapped[int] = mapped_column(primary_key=True)
    commitment_id: Mapped[int] = mapped_column(
        ForeignKey("commitments.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(160))
    definition: Mapped[str] = mapped_column(Text, default="")
    unit: Mapped[str] = mapped_column(String(40))
    baseline_value: Mapped[float]
    baseline_on: Mapped[date]
    target_value: Mapped[float]
    target_on: Mapped[date]
    source: Mapped[str] = mapped_column(String(300), default="")
    frequency: Mapped[Frequency] = mapped_column(str_enum(Frequency, 20))
    # The starter-library indicator it was adopted or adapted from ("" if written afresh).
    library_key: Mapped[str] = mapped_column(String(40), default="", server_default="")
    # A repeated (pulse) question whose answers give readings: a radios or scale question of a
    # consultation, and the indexes of the answers counted (``statements/pulse.py``).
    question_id: Mapped[int | None] = mapped_column(
        ForeignKey("questions.id", ondelete="SET NULL"), index=True
    )
    question_answers: Mapped[list | None] = mapped_column(JSON, default=list)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    commitment: Mapped[Commitment] = relationship()
    question: Mapped[Question | None] = relationship()
    readings: Mapped[list[IndicatorReading]] = relationship(
        back_populates="indicator",
        order_by="(IndicatorReading.taken_on, IndicatorReading.id)",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )

    @property
    def higher_is_better(self) -> bool:
        """The target is above the baseline (a share of spend to raise), or not (a waiting
        time to cut)."""
        return self.target_value >= self.baseline_value


class IndicatorReading(db.Model):
    """A dated measurement of an indicator, entered by staff."""

    __tablename__ = "indicator_readings"
    __table_args__ = (UniqueConstraint("indicator_id", "taken_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    indicator_id: Mapped[int] = mapped_column(
        ForeignKey("indicators.id", ondelete="CASCADE"), index=True
    )
    taken_on: Mapped[date]
    value: Mapped[float]
    note: Mapped[str] = mapped_column(String(300), default="")
    # Taken from the answers to the indicator's question: how many people answered it.
    people: Mapped[int | None]
    entered_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    indicator: Mapped[Indicator] = relationship(back_populates="readings")


class ReviewResponse(db.Model):
    """A person's view of one part of a version under review: support or not, and a comment.

    ``part`` is ``preamble``, ``section-<principle>`` or ``commitment-<id>``. One response per
    person, part and version; answering again replaces it.
    """

    __tablename__ = "statement_responses"
    __table_args__ = (UniqueConstraint("version_id", "part", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    statement_id: Mapped[int] = mapped_column(
        ForeignKey("statements.id", ondelete="CASCADE"), index=True
    )
    version_id: Mapped[int] = mapped_column(
        ForeignKey("statement_versions.id", ondelete="CASCADE"), index=True
    )
    part: Mapped[str] = mapped_column(String(40))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisations.id", ondelete="SET NULL"), index=True
    )
    stance: Mapped[Stance] = mapped_column(str_enum(Stance, 10))
    comment: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    user: Mapped[User] = relationship()
    organisation: Mapped[Organisation | None] = relationship()


class Decision(db.Model):
    """The decision that agreed a version (for example a Cabinet minute), with its signatories."""

    __tablename__ = "statement_decisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    statement_id: Mapped[int] = mapped_column(
        ForeignKey("statements.id", ondelete="CASCADE"), index=True
    )
    version_id: Mapped[int] = mapped_column(
        ForeignKey("statement_versions.id", ondelete="CASCADE"), index=True
    )
    body: Mapped[str] = mapped_column(String(160))
    decided_on: Mapped[date]
    reference: Mapped[str] = mapped_column(String(160), default="")
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)

    version: Mapped[StatementVersion] = relationship()
    signatories: Mapped[list[Signatory]] = relationship(
        back_populates="decision", order_by="Signatory.id", passive_deletes=True
    )


class Signatory(db.Model):
    """A person who signed the agreed statement for the council."""

    __tablename__ = "statement_signatories"

    id: Mapped[int] = mapped_column(primary_key=True)
    decision_id: Mapped[int] = mapped_column(
        ForeignKey("statement_decisions.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(120))
    role: Mapped[str] = mapped_column(String(160))
    signed_on: Mapped[date]

    decision: Mapped[Decision] = relationship(back_populates="signatories")


# A fact for the lower layers to read: ``process.statement`` (None until a draft is started).
Process.statement = relationship(Statement, uselist=False, viewonly=True)
