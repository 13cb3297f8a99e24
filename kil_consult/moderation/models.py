"""Reports, hide-reason templates and merges (the audit log lives in ``kil_consult.audit``)."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..accounts.models import User
from ..extensions import db, str_enum
from ..timeutil import utcnow


class ReportReason(enum.StrEnum):
    """Why someone reported an idea, a comment or a person."""

    OFF_TOPIC = "off_topic"
    PERSONAL_INFORMATION = "personal_information"
    ABUSIVE = "abusive"
    SPAM = "spam"
    DUPLICATE = "duplicate"
    OTHER = "other"

    @property
    def label(self) -> str:
        return {
            "off_topic": "Off topic",
            "personal_information": "Shares personal information",
            "abusive": "Abusive or offensive",
            "spam": "Spam or advertising",
            "duplicate": "Duplicate of another idea",
            "other": "Something else",
        }[self.value]


class Report(db.Model):
    """One person's report of an idea, a comment or a user; reports of one item form one entry."""

    __tablename__ = "reports"
    __table_args__ = (
        CheckConstraint(
            "(CASE WHEN idea_id IS NULL THEN 0 ELSE 1 END) + "
            "(CASE WHEN comment_id IS NULL THEN 0 ELSE 1 END) + "
            "(CASE WHEN user_id IS NULL THEN 0 ELSE 1 END) = 1",
            name="exactly_one_item",
        ),
        Index("ix_reports_open", "resolved_at", "idea_id", "comment_id", "user_id"),
        # One open report per person per item (NULLs are distinct, so one index per item kind).
        *(
            Index(
                f"uq_reports_{column}",
                "reporter_id",
                column,
                unique=True,
                sqlite_where=text(f"{column} IS NOT NULL AND resolved_at IS NULL"),
                postgresql_where=text(f"{column} IS NOT NULL AND resolved_at IS NULL"),
            )
            for column in ("idea_id", "comment_id", "user_id")
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    reporter_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    idea_id: Mapped[int | None] = mapped_column(ForeignKey("ideas.id", ondelete="CASCADE"))
    comment_id: Mapped[int | None] = mapped_column(ForeignKey("comments.id", ondelete="CASCADE"))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    reason: Mapped[ReportReason] = mapped_column(str_enum(ReportReason, 30))
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    resolved_at: Mapped[datetime | None]
    resolved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    reporter: Mapped[User] = relationship(foreign_keys=[reporter_id])


class HideReason(db.Model):
    """An editable template for the public reason shown when a moderator hides something."""

    __tablename__ = "hide_reasons"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(80), unique=True)
    public_text: Mapped[str] = mapped_column(String(300))
    position: Mapped[int] = mapped_column(default=0)
    active: Mapped[bool] = mapped_column(default=True)


class HouseRules(db.Model):
    """The house rules the admin wrote (Markdown): what contributions are moderated against.
    One row, changed in place (the audit log keeps each change); none yet means the default."""

    __tablename__ = "house_rules"

    id: Mapped[int] = mapped_column(primary_key=True)
    body: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
