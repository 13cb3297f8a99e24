"""The append-only audit event."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..timeutil import utcnow


class AuditEvent(db.Model):
    """An append-only record of a moderation, verification, role or consultation change.

    ``item_label`` is what the item was called when the event was recorded (empty for items
    whose names are personal data, such as people, ideas and comments: those are read from
    the item itself while it exists, so erasing an account leaves no copy here)."""

    __tablename__ = "audit_events"
    __table_args__ = (Index("ix_audit_events_created", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    actor_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    action: Mapped[str] = mapped_column(String(60), index=True)
    item_type: Mapped[str] = mapped_column(String(30))
    item_id: Mapped[int | None]
    item_label: Mapped[str] = mapped_column(String(200), default="", server_default="")
    consultation_id: Mapped[int | None] = mapped_column(
        ForeignKey("consultations.id", ondelete="SET NULL"), index=True
    )
    before: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    after: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    # By name, so this layer needs no import of the accounts area.
    actor: Mapped[Any | None] = relationship("User")
