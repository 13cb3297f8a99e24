"""The self-assessment: the admin's wording of each level, the dated rounds, each principle's
assessment in a round, and what residents and organisations say about it.

A round is a draft while facilitators and admins fill it in, may be opened for residents and
organisations to say whether they agree, and is frozen once an admin signs it off; signing off
keeps the network return as it stood (``return_document``), so the published return never
changes after.
"""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import JSON, CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..accounts.models import User
from ..extensions import db, str_enum
from ..organisations.models import Organisation
from ..timeutil import utcnow


class NetworkError(ValueError):
    """A change the round's state does not allow, with a message for the person."""


class RoundState(enum.StrEnum):
    """Where a round is: being filled in, open for views, or signed off (frozen)."""

    DRAFT = "draft"
    OPEN = "open"
    SIGNED_OFF = "signed_off"

    @property
    def label(self) -> str:
        return {
            "draft": "Draft",
            "open": "Open for views",
            "signed_off": "Signed off",
        }[self.value]

    @property
    def colour(self) -> str:
        return {"draft": "grey", "open": "blue", "signed_off": "green"}[self.value]


class LevelDescriptor(db.Model):
    """The admin's own wording of one level of one principle (else the default applies)."""

    __tablename__ = "network_level_descriptors"
    __table_args__ = (UniqueConstraint("principle", "level"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    principle: Mapped[int]
    level: Mapped[int]
    label: Mapped[str] = mapped_column(String(40))
    text: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class AssessmentRound(db.Model):
    """One dated self-assessment, taken before a network meeting."""

    __tablename__ = "network_rounds"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(120))
    meeting_on: Mapped[date]
    state: Mapped[RoundState] = mapped_column(str_enum(RoundState, 20), default=RoundState.DRAFT)
    opened_at: Mapped[datetime | None]
    signed_off_at: Mapped[datetime | None]
    signed_off_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    # The network return as it stood when signed off: what the API serves, never changed after.
    return_document: Mapped[dict | None] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    signed_off_by: Mapped[User | None] = relationship()
    assessments: Mapped[list[PrincipleAssessment]] = relationship(
        back_populates="round",
        order_by="PrincipleAssessment.principle",
        passive_deletes=True,
    )

    @property
    def is_frozen(self) -> bool:
        """A signed-off round is kept as it was: nobody changes it."""
        return self.state is RoundState.SIGNED_OFF

    @property
    def is_open_for_views(self) -> bool:
        """Residents and organisations may say whether they agree."""
        return self.state is RoundState.OPEN

    @property
    def is_public(self) -> bool:
        """Anyone may read a round once it is open for views or signed off."""
        return self.state is not RoundState.DRAFT

    def assessment(self, principle: int) -> PrincipleAssessment | None:
        """This round's assessment of one principle, if recorded."""
        return next((a for a in self.assessments if a.principle == principle), None)

    @property
    def missing_levels(self) -> list[int]:
        """The principles that have no level yet."""
        rated = {a.principle for a in self.assessments if a.level}
        return [n for n in range(1, 7) if n not in rated]

    def open_for_views(self, now: datetime | None = None) -> None:
        """Let residents and organisations say whether they agree. Only a draft opens."""
        if self.state is not RoundState.DRAFT:
            raise NetworkError("Only a draft round can be opened for views.")
        self.state = RoundState.OPEN
        self.opened_at = now or utcnow()

    def sign_off(self, admin: User, now: datetime | None = None) -> None:
        """Freeze the round. Every principle needs a level first; a signed-off round stays so."""
        if self.is_frozen:
            raise NetworkError("This round has already been signed off.")
        if self.missing_levels:
            missing = ", ".join(map(str, self.missing_levels))
            raise NetworkError(f"Record a level for every principle first (missing: {missing}).")
        self.state = RoundState.SIGNED_OFF
        self.signed_off_at = now or utcnow()
        self.signed_off_by_id = admin.id


class PrincipleAssessment(db.Model):
    """Where the council stands on one principle in one round: its level, the evidence, what
    it will do next and the champion who owns that."""

    __tablename__ = "network_assessments"
    __table_args__ = (
        UniqueConstraint("round_id", "principle"),
        CheckConstraint("level IS NULL OR (level >= 1 AND level <= 4)", name="level_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(
        ForeignKey("network_rounds.id", ondelete="CASCADE"), index=True
    )
    principle: Mapped[int]
    level: Mapped[int | None]
    # Each piece of evidence: {"kind", "label", "path"} (an address on this site).
    evidence: Mapped[list] = mapped_column(JSON, default=list)
    next_steps: Mapped[str] = mapped_column(Text, default="")
    champion: Mapped[str] = mapped_column(String(160), default="")
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    round: Mapped[AssessmentRound] = relationship(back_populates="assessments")


class AssessmentView(db.Model):
    """A resident's (or an organisation's) view of one principle's assessment: agree or not,
    and why. One per person, round and principle; answering again replaces it."""

    __tablename__ = "network_views"
    __table_args__ = (UniqueConstraint("round_id", "principle", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(
        ForeignKey("network_rounds.id", ondelete="CASCADE"), index=True
    )
    principle: Mapped[int]
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisations.id", ondelete="SET NULL")
    )
    agrees: Mapped[bool]
    comment: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    user: Mapped[User] = relationship()
    organisation: Mapped[Organisation | None] = relationship()
