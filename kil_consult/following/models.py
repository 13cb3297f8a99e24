"""Follows, notifications and each person's email frequency.

A follow names its target by a key (``idea:12``, ``consultation:3``, ``neighbourhood:5`` or
``statement``), with the idea, consultation or neighbourhood also as a foreign key so that a
follow goes when its target is deleted. A notification keeps the words and the link it was
made with, and the idea or comment it is about, so that it goes when that is deleted and can
be withdrawn when a moderator hides it.
"""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db, str_enum
from ..timeutil import utcnow


class Frequency(enum.StrEnum):
    """How often a person is emailed about their notifications."""

    AT_ONCE = "at_once"
    DAILY = "daily"
    WEEKLY = "weekly"
    NEVER = "never"

    @property
    def label(self) -> str:
        return {
            "at_once": "At once, an email for each notification",
            "daily": "A daily digest",
            "weekly": "A weekly digest",
            "never": "Never: only on this site",
        }[self.value]


DEFAULT_FREQUENCY = Frequency.AT_ONCE


class FollowKind(enum.StrEnum):
    """What can be followed."""

    CONSULTATION = "consultation"
    IDEA = "idea"
    NEIGHBOURHOOD = "neighbourhood"
    STATEMENT = "statement"


class NotificationKind(enum.StrEnum):
    """Why a person was told something."""

    COMMENT = "comment"  # a comment on an idea you shared or follow
    REPLY = "reply"  # a reply to your comment
    NEW_IDEA = "new_idea"  # an idea in a consultation or neighbourhood you follow
    HIDDEN = "hidden"  # a moderator hid your idea or comment
    MERGED = "merged"  # an idea you shared or follow was merged into another
    ANSWERED = "answered"  # the council answered an idea you shared or follow
    CONSULTATION_OPEN = "consultation_open"
    CONSULTATION_CLOSING = "consultation_closing"
    STATEMENT_REVIEW = "statement_review"  # the statement is open for comment
    STATEMENT_PUBLISHED = "statement_published"
    COMMITMENT_PROGRESS = "commitment_progress"


class Follow(db.Model):
    """One person following one thing."""

    __tablename__ = "follows"
    __table_args__ = (UniqueConstraint("user_id", "target", name="uq_follows_user_target"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[FollowKind] = mapped_column(str_enum(FollowKind, 20))
    target: Mapped[str] = mapped_column(String(40), index=True)
    idea_id: Mapped[int | None] = mapped_column(
        ForeignKey("ideas.id", ondelete="CASCADE"), index=True
    )
    consultation_id: Mapped[int | None] = mapped_column(
        ForeignKey("consultations.id", ondelete="CASCADE"), index=True
    )
    neighbourhood_id: Mapped[int | None] = mapped_column(
        ForeignKey("neighbourhoods.id", ondelete="CASCADE"), index=True
    )
    label: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Notification(db.Model):
    """Something a person was told, read or not, emailed or not."""

    __tablename__ = "notifications"
    __table_args__ = (
        Index("ix_notifications_user_created", "user_id", "created_at"),
        Index("ix_notifications_unread", "user_id", "read_at"),
        Index("ix_notifications_unemailed", "emailed_at", "user_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[NotificationKind] = mapped_column(str_enum(NotificationKind, 30))
    text: Mapped[str] = mapped_column(String(400))
    link: Mapped[str] = mapped_column(String(300))
    idea_id: Mapped[int | None] = mapped_column(
        ForeignKey("ideas.id", ondelete="CASCADE"), index=True
    )
    comment_id: Mapped[int | None] = mapped_column(
        ForeignKey("comments.id", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    read_at: Mapped[datetime | None]
    emailed_at: Mapped[datetime | None]


class NotificationSetting(db.Model):
    """A person's chosen email frequency (no row: the default, at once)."""

    __tablename__ = "notification_settings"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    frequency: Mapped[Frequency] = mapped_column(str_enum(Frequency, 10))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    last_digest_at: Mapped[datetime | None]


class Announcement(db.Model):
    """A consultation's opening or closing-soon notice, sent once."""

    __tablename__ = "consultation_announcements"
    __table_args__ = (
        UniqueConstraint("consultation_id", "kind", name="uq_consultation_announcements_kind"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(ForeignKey("consultations.id", ondelete="CASCADE"))
    kind: Mapped[NotificationKind] = mapped_column(str_enum(NotificationKind, 30))
    sent_at: Mapped[datetime] = mapped_column(default=utcnow)
