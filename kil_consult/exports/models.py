"""Downloads built by the job queue: a large file is a row first, then the worker fills it."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, deferred, mapped_column

from ..extensions import db, str_enum
from ..timeutil import utcnow


class DownloadState(enum.StrEnum):
    """Where a prepared download is: waiting for a worker, being built, ready, or failed."""

    QUEUED = "queued"
    RUNNING = "running"
    READY = "ready"
    FAILED = "failed"

    @property
    def label(self) -> str:
        return {
            "queued": "Waiting to start",
            "running": "Being made",
            "ready": "Ready",
            "failed": "Could not be made",
        }[self.value]


class PreparedDownload(db.Model):
    """One large download (open data, a Word or PDF document) made by the worker for whoever
    asked for it, with its state and progress; the file is kept in the database so that any
    server can hand it out. Its page and file are checked against the same rule as the
    download itself (``what`` and ``subject_id`` name it)."""

    __tablename__ = "prepared_downloads"
    __table_args__ = (Index("ix_prepared_downloads_what", "what", "subject_id", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    token: Mapped[str] = mapped_column(String(43), unique=True)
    what: Mapped[str] = mapped_column(String(40))
    subject_id: Mapped[int]
    options: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    state: Mapped[DownloadState] = mapped_column(
        str_enum(DownloadState, 10), default=DownloadState.QUEUED
    )
    progress: Mapped[int] = mapped_column(default=0)  # per cent
    filename: Mapped[str] = mapped_column(String(200))
    mimetype: Mapped[str] = mapped_column(String(120))
    content: Mapped[bytes | None] = deferred(mapped_column(LargeBinary))
    size: Mapped[int] = mapped_column(default=0)
    error: Mapped[str] = mapped_column(Text, default="")
    requested_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    started_at: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]

    @property
    def waiting(self) -> bool:
        """Whether a person is still waiting for it (queued or being made)."""
        return self.state in (DownloadState.QUEUED, DownloadState.RUNNING)

    @property
    def is_ready(self) -> bool:
        return self.state is DownloadState.READY

    @property
    def has_failed(self) -> bool:
        return self.state is DownloadState.FAILED

    @property
    def is_running(self) -> bool:
        """Whether a worker is making it now (not still waiting for one)."""
        return self.state is DownloadState.RUNNING
