"""The people who use kil-consult and the roles they hold."""

from __future__ import annotations

import enum
import secrets
from datetime import datetime
from typing import TYPE_CHECKING

from flask import g, has_request_context
from flask_login import UserMixin
from sqlalchemy import ForeignKey, String, UniqueConstraint, select
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db, str_enum
from ..timeutil import utcnow

if TYPE_CHECKING:
    from ..consultations.models import Neighbourhood


class Role(enum.StrEnum):
    """What a person is to the council. Visitors have no account and so no role."""

    RESIDENT = "resident"
    FACILITATOR = "facilitator"
    ADMIN = "admin"

    @property
    def label(self) -> str:
        return {"resident": "Resident", "facilitator": "Facilitator", "admin": "Admin"}[self.value]


def new_pseudonym_seed() -> str:
    """A fresh random value behind a person's open-data pseudonyms (``accounts/pseudonyms.py``):
    drawn when the account is made and again when it is erased."""
    return secrets.token_hex(16)


class User(UserMixin, db.Model):
    """A registered person. ``session_generation`` changes to end every open session;
    ``pseudonym_seed`` is what their authorship pseudonym is made from (never their id)."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    display_name: Mapped[str] = mapped_column(String(60))
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[Role] = mapped_column(
        str_enum(Role, 20),
        default=Role.RESIDENT,
    )
    neighbourhood_id: Mapped[int | None] = mapped_column(
        ForeignKey("neighbourhoods.id", ondelete="SET NULL"), index=True
    )
    email_confirmed_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_signed_in_at: Mapped[datetime | None]
    session_generation: Mapped[int] = mapped_column(default=1)
    erased_at: Mapped[datetime | None]
    pseudonym_seed: Mapped[str] = mapped_column(String(32), default=new_pseudonym_seed)

    neighbourhood: Mapped[Neighbourhood | None] = relationship(lazy="joined")

    def get_id(self) -> str:
        """Flask-Login's session id: id plus generation, so bumping it signs out everywhere."""
        return f"{self.id}:{self.session_generation}"

    @property
    def is_confirmed(self) -> bool:
        """A person may take part only once they have confirmed their email address."""
        return self.email_confirmed_at is not None

    @property
    def is_erased(self) -> bool:
        """An erased account keeps no personal data; its contributions show as a former
        participant's."""
        return self.erased_at is not None

    @property
    def is_active(self) -> bool:
        """Flask-Login: an erased account can never sign in again."""
        return self.erased_at is None

    @property
    def is_admin(self) -> bool:
        return self.role is Role.ADMIN

    def __repr__(self) -> str:
        return f"<User {self.id} {self.role.value}>"


class FacilitatorAssignment(db.Model):
    """A facilitator an admin made responsible for a consultation (``accounts/facilitators.py``).
    A consultation with none is everyone's: every facilitator may act on it; once it has some,
    only they (and admins) moderate it and answer for it."""

    __tablename__ = "consultation_facilitators"
    __table_args__ = (UniqueConstraint("consultation_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(
        ForeignKey("consultations.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    assigned_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    assigned_at: Mapped[datetime] = mapped_column(default=utcnow)

    @staticmethod
    def user_ids_for(consultation_id: int) -> frozenset[int]:
        """A fact for the policy: who is assigned to a consultation (remembered for the
        request, as a page asks once per button; ``forget`` after a change)."""
        cache = g.setdefault("kil_assigned", {}) if has_request_context() else {}
        if consultation_id not in cache:
            cache[consultation_id] = frozenset(
                db.session.scalars(
                    select(FacilitatorAssignment.user_id).where(
                        FacilitatorAssignment.consultation_id == consultation_id
                    )
                )
            )
        return cache[consultation_id]

    @staticmethod
    def forget() -> None:
        """Forget the request's remembered assignments (after one changes)."""
        if has_request_context():
            g.pop("kil_assigned", None)
