"""Cached analysis results, themes and their ideas, summaries with versions, update requests."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import JSON, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..accounts.models import User
from ..consultations.models import Consultation
from ..extensions import db, str_enum
from ..ideas.models import Idea
from ..timeutil import utcnow


class AnalysisResult(db.Model):
    """The last analysis of a consultation's votes, kept until the votes change.

    ``fingerprint`` sums up the data the analysis read (vote count, latest vote change, ideas
    by visibility, comments); a different fingerprint now means the result is out of date.
    ``computing_since`` is a lock: set while someone computes, so two workers do not both do it.
    """

    __tablename__ = "analysis_results"

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(
        ForeignKey("consultations.id", ondelete="CASCADE"), unique=True
    )
    fingerprint: Mapped[str] = mapped_column(String(200), default="")
    computed_at: Mapped[datetime | None]
    duration_ms: Mapped[int] = mapped_column(default=0)
    vote_count: Mapped[int] = mapped_column(default=0)
    payload: Mapped[dict] = mapped_column(JSON, default=dict)
    computing_since: Mapped[datetime | None]

    consultation: Mapped[Consultation] = relationship()


class ThemeStatus(enum.StrEnum):
    """A suggested theme waits for a facilitator; an accepted one is part of the results."""

    SUGGESTED = "suggested"
    ACCEPTED = "accepted"

    @property
    def label(self) -> str:
        return {"suggested": "Suggested", "accepted": "Accepted"}[self.value]


class Theme(db.Model):
    """A theme of a consultation: suggested from the ideas' text or made by a facilitator."""

    __tablename__ = "themes"

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(
        ForeignKey("consultations.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(120))
    status: Mapped[ThemeStatus] = mapped_column(
        str_enum(ThemeStatus, 20), default=ThemeStatus.SUGGESTED
    )
    top_terms: Mapped[str] = mapped_column(String(300), default="")
    is_manual: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    consultation: Mapped[Consultation] = relationship()
    links: Mapped[list[ThemeIdea]] = relationship(
        back_populates="theme", cascade="all, delete-orphan", passive_deletes=True
    )

    @property
    def is_accepted(self) -> bool:
        """Part of the results: accepted by a facilitator (or made by one)."""
        return self.status is ThemeStatus.ACCEPTED

    @property
    def is_suggested(self) -> bool:
        """Suggested from the ideas' text and waiting for a facilitator."""
        return self.status is ThemeStatus.SUGGESTED


class ThemeIdea(db.Model):
    """An idea tagged with a theme (an idea may carry several themes)."""

    __tablename__ = "theme_ideas"

    theme_id: Mapped[int] = mapped_column(
        ForeignKey("themes.id", ondelete="CASCADE"), primary_key=True
    )
    idea_id: Mapped[int] = mapped_column(
        ForeignKey("ideas.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    theme: Mapped[Theme] = relationship(back_populates="links")
    idea: Mapped[Idea] = relationship()


class Summary(db.Model):
    """A consultation's summary: its versions, when first published and when the council replied.

    The public sees the latest version that was published; later drafts stay private until
    they are published in turn.
    """

    __tablename__ = "summaries"

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(
        ForeignKey("consultations.id", ondelete="CASCADE"), unique=True
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    first_published_at: Mapped[datetime | None]
    responded_at: Mapped[datetime | None]

    consultation: Mapped[Consultation] = relationship()
    versions: Mapped[list[SummaryVersion]] = relationship(
        back_populates="summary", order_by="SummaryVersion.number", passive_deletes=True
    )

    @property
    def is_published(self) -> bool:
        """Published once its first version was (versions are never unpublished), and from
        then on the consultation's results are public."""
        return self.first_published_at is not None

    @property
    def latest(self) -> SummaryVersion | None:
        """The newest saved draft (published or not)."""
        return self.versions[-1] if self.versions else None

    @property
    def published(self) -> SummaryVersion | None:
        """The version the public sees: the latest one that was published."""
        return next((v for v in reversed(self.versions) if v.published_at is not None), None)


class SummaryVersion(db.Model):
    """One saved draft of a summary. Every save makes a new version; none is ever changed."""

    __tablename__ = "summary_versions"
    __table_args__ = (UniqueConstraint("summary_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    summary_id: Mapped[int] = mapped_column(
        ForeignKey("summaries.id", ondelete="CASCADE"), index=True
    )
    number: Mapped[int]
    overview: Mapped[str] = mapped_column(Text, default="")
    themes: Mapped[str] = mapped_column(Text, default="")
    decision: Mapped[str] = mapped_column(Text, default="")
    connection: Mapped[str] = mapped_column(Text, default="")
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    published_at: Mapped[datetime | None]

    summary: Mapped[Summary] = relationship(back_populates="versions")
    author: Mapped[User | None] = relationship()
    findings: Mapped[list[Finding]] = relationship(
        back_populates="version", order_by="Finding.position", passive_deletes=True
    )


class Finding(db.Model):
    """A key finding of a summary version, in Markdown, citing the ideas it rests on."""

    __tablename__ = "summary_findings"

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(
        ForeignKey("summary_versions.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int]
    text: Mapped[str] = mapped_column(Text)

    version: Mapped[SummaryVersion] = relationship(back_populates="findings")
    citations: Mapped[list[FindingCitation]] = relationship(
        back_populates="finding", order_by="FindingCitation.position", passive_deletes=True
    )


class FindingCitation(db.Model):
    """An idea a finding cites."""

    __tablename__ = "finding_citations"

    finding_id: Mapped[int] = mapped_column(
        ForeignKey("summary_findings.id", ondelete="CASCADE"), primary_key=True
    )
    idea_id: Mapped[int] = mapped_column(
        ForeignKey("ideas.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    position: Mapped[int] = mapped_column(default=0)

    finding: Mapped[Finding] = relationship(back_populates="citations")
    idea: Mapped[Idea] = relationship()


class UpdateSubscription(db.Model):
    """A participant asked to be emailed when the consultation's summary is published."""

    __tablename__ = "update_subscriptions"
    __table_args__ = (UniqueConstraint("consultation_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(
        ForeignKey("consultations.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    notified_at: Mapped[datetime | None]

    user: Mapped[User] = relationship()


# A fact for the lower layers to read: ``consultation.summary`` (None until a draft is saved).
# Read-only here; summaries are written through their own relationship above.
Consultation.summary = relationship(Summary, uselist=False, viewonly=True)
