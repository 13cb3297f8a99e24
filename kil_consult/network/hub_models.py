"""The hub's register: the member councils by base address, how the last harvest of each went,
and the returns harvested from them (a council's timeline)."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import JSON, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db, str_enum
from ..timeutil import utcnow


class HarvestStatus(enum.StrEnum):
    """How the last attempt to harvest a member's returns went."""

    WAITING = "waiting"  # not tried yet
    CHANGED = "changed"  # new or changed returns were taken in
    UNCHANGED = "unchanged"  # the council answered 304 Not Modified
    INVALID = "invalid"  # the council answered, but its returns do not fit the schema
    DOWN = "down"  # no answer, or a server error: tried again later

    @property
    def label(self) -> str:
        return {
            "waiting": "Not harvested yet",
            "changed": "Up to date (new returns taken in)",
            "unchanged": "Up to date (no change)",
            "invalid": "Returns do not fit the schema",
            "down": "Could not be reached",
        }[self.value]

    @property
    def colour(self) -> str:
        return {
            "waiting": "grey",
            "changed": "green",
            "unchanged": "green",
            "invalid": "red",
            "down": "orange",
        }[self.value]


class MemberCouncil(db.Model):
    """A council in the network, known by the base address of its kil-consult site."""

    __tablename__ = "hub_members"

    id: Mapped[int] = mapped_column(primary_key=True)
    base_url: Mapped[str] = mapped_column(String(300), unique=True)
    name: Mapped[str] = mapped_column(String(160), default="")
    gss_code: Mapped[str] = mapped_column(String(9), default="")
    status: Mapped[HarvestStatus] = mapped_column(
        str_enum(HarvestStatus, 20), default=HarvestStatus.WAITING
    )
    problem: Mapped[str] = mapped_column(Text, default="")  # why it is invalid or down
    etag: Mapped[str] = mapped_column(String(200), default="")
    failures: Mapped[int] = mapped_column(default=0)  # attempts in a row that found it down
    last_tried_at: Mapped[datetime | None]
    last_changed_at: Mapped[datetime | None]
    next_try_at: Mapped[datetime] = mapped_column(default=utcnow)
    added_at: Mapped[datetime] = mapped_column(default=utcnow)

    returns: Mapped[list[HarvestedReturn]] = relationship(
        back_populates="member",
        order_by="HarvestedReturn.meeting_on",
        passive_deletes=True,
    )

    @property
    def latest(self) -> HarvestedReturn | None:
        """The member's most recent return (by meeting date)."""
        return self.returns[-1] if self.returns else None

    @property
    def display_name(self) -> str:
        return self.name or self.base_url


class HarvestedReturn(db.Model):
    """One signed-off return of a member council, as harvested (its document kept whole)."""

    __tablename__ = "hub_returns"
    __table_args__ = (UniqueConstraint("member_id", "round_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(
        ForeignKey("hub_members.id", ondelete="CASCADE"), index=True
    )
    round_id: Mapped[int]  # the round's id in the council's own site
    round_title: Mapped[str] = mapped_column(String(120))
    meeting_on: Mapped[str] = mapped_column(String(10))  # ISO date
    document: Mapped[dict] = mapped_column(JSON)
    harvested_at: Mapped[datetime] = mapped_column(default=utcnow)
    changed_at: Mapped[datetime] = mapped_column(default=utcnow)

    member: Mapped[MemberCouncil] = relationship(back_populates="returns")

    def level(self, principle: int) -> int | None:
        """The level the council gave itself on one principle in this return."""
        for item in self.document.get("self_assessment", []):
            if item.get("principle") == principle:
                return item.get("level")
        return None
