"""VCS organisations that residents register, facilitators verify, and members speak for."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import Column, ForeignKey, String, Table, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..accounts.models import User
from ..consultations.models import Neighbourhood
from ..extensions import db, str_enum
from ..timeutil import utcnow

organisation_neighbourhoods = Table(
    "organisation_neighbourhoods",
    db.metadata,
    Column("organisation_id", ForeignKey("organisations.id", ondelete="CASCADE"), primary_key=True),
    Column(
        "neighbourhood_id", ForeignKey("neighbourhoods.id", ondelete="CASCADE"), primary_key=True
    ),
)


class OrganisationStatus(enum.StrEnum):
    """Where an organisation's registration stands. Only verified ones can be spoken for."""

    PENDING = "pending"
    VERIFIED = "verified"
    DECLINED = "declined"

    @property
    def label(self) -> str:
        return {"pending": "Waiting for checks", "verified": "Verified", "declined": "Declined"}[
            self.value
        ]


class Organisation(db.Model):
    """A charity, community group or social enterprise taking part in the conversation."""

    __tablename__ = "organisations"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    slug: Mapped[str] = mapped_column(String(140), unique=True)
    description: Mapped[str] = mapped_column(Text)
    website: Mapped[str] = mapped_column(String(300), default="")
    registration_number: Mapped[str] = mapped_column(String(40), default="")
    status: Mapped[OrganisationStatus] = mapped_column(
        str_enum(OrganisationStatus, 20),
        default=OrganisationStatus.PENDING,
    )
    decision_reason: Mapped[str] = mapped_column(Text, default="")
    requested_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    decided_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    neighbourhoods: Mapped[list[Neighbourhood]] = relationship(
        secondary=organisation_neighbourhoods, order_by="Neighbourhood.position"
    )
    requested_by: Mapped[User | None] = relationship(foreign_keys=[requested_by_id])

    @property
    def is_verified(self) -> bool:
        return self.status is OrganisationStatus.VERIFIED

    @property
    def is_pending(self) -> bool:
        """Waiting for staff to verify or decline it."""
        return self.status is OrganisationStatus.PENDING


class MembershipStatus(enum.StrEnum):
    """A member is active; an invitation waits for the person; a request waits for a member."""

    INVITED = "invited"
    REQUESTED = "requested"
    ACTIVE = "active"


class Membership(db.Model):
    """A person's link to an organisation; active members may post on its behalf."""

    __tablename__ = "memberships"
    __table_args__ = (UniqueConstraint("organisation_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    status: Mapped[MembershipStatus] = mapped_column(str_enum(MembershipStatus, 20))
    invited_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    approved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    joined_at: Mapped[datetime | None]

    organisation: Mapped[Organisation] = relationship()
    user: Mapped[User] = relationship(foreign_keys=[user_id])

    @property
    def is_invited(self) -> bool:
        """An invitation waiting for the person to accept or decline."""
        return self.status is MembershipStatus.INVITED

    @property
    def is_requested(self) -> bool:
        """A request to join waiting for a member to answer."""
        return self.status is MembershipStatus.REQUESTED

    @property
    def is_active(self) -> bool:
        return self.status is MembershipStatus.ACTIVE
