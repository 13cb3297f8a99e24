"""The moderation queue, read only: what waits for a moderator (reported, waiting for approval,
recently published), how many reports are open, and the reports about one item."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import func, or_, select
from sqlalchemy.orm import joinedload

from ..accounts.models import User
from ..consultations.models import Consultation
from ..extensions import db
from ..ideas.models import Comment, Idea, Visibility
from ..timeutil import utcnow
from .models import Report, ReportReason

TABS = {"reported": "Reported", "waiting": "Waiting for approval", "recent": "Recently published"}
KINDS = {"": "Ideas and comments", "idea": "Ideas", "comment": "Comments", "user": "People"}


@dataclass
class QueueEntry:
    """One item in the moderation queue, with the reports gathered about it."""

    kind: str  # "idea", "comment" or "user"
    item: Idea | Comment | User
    report_count: int = 0
    reasons: list[str] = field(default_factory=list)
    latest_report_at: datetime | None = None
    notes: list[str] = field(default_factory=list)

    @property
    def key(self) -> str:
        return f"{self.kind}:{self.item.id}"

    @property
    def consultation(self) -> Consultation | None:
        if isinstance(self.item, Idea):
            return self.item.consultation
        if isinstance(self.item, Comment):
            return self.item.idea.consultation
        return None

    @property
    def created_at(self) -> datetime:
        return getattr(self.item, "created_at", None) or utcnow()


def queue(
    tab: str = "reported",
    consultation: Consultation | None = None,
    kind: str = "",
    reason: str = "",
    sort: str = "newest",
    limit: int = 200,
) -> list[QueueEntry]:
    """The moderation queue: reported items (gathered with a count), items waiting for
    approval, or recently published items; for one consultation or all."""
    if tab == "reported":
        entries = _reported(consultation, kind, reason, limit)
    elif tab == "waiting":
        entries = _by_visibility(Visibility.PENDING, consultation, kind, limit)
    else:
        since = utcnow() - timedelta(days=14)
        entries = _by_visibility(Visibility.PUBLISHED, consultation, kind, limit, since=since)
    if sort == "oldest":
        entries.sort(key=lambda e: (e.latest_report_at or e.created_at, e.key))
    elif sort == "most_reported":
        entries.sort(key=lambda e: (-e.report_count, e.key))
    else:
        entries.sort(key=lambda e: (e.latest_report_at or e.created_at, e.key), reverse=True)
    return entries


def _by_visibility(visibility, consultation, kind, limit, since=None) -> list[QueueEntry]:
    entries: list[QueueEntry] = []
    if kind in ("", "idea"):
        statement = (
            select(Idea)
            .options(joinedload(Idea.author), joinedload(Idea.consultation))
            .where(Idea.visibility == visibility)
            .order_by(Idea.created_at.desc())
            .limit(limit)
        )
        if consultation is not None:
            statement = statement.where(Idea.consultation_id == consultation.id)
        if since is not None:
            statement = statement.where(Idea.created_at >= since)
        entries += [QueueEntry("idea", idea) for idea in db.session.scalars(statement)]
    if kind in ("", "comment"):
        statement = (
            select(Comment)
            .join(Comment.idea)
            .options(joinedload(Comment.author), joinedload(Comment.idea))
            .where(Comment.visibility == visibility)
            .order_by(Comment.created_at.desc())
            .limit(limit)
        )
        if consultation is not None:
            statement = statement.where(Idea.consultation_id == consultation.id)
        if since is not None:
            statement = statement.where(Comment.created_at >= since)
        entries += [QueueEntry("comment", comment) for comment in db.session.scalars(statement)]
    return entries


def _reported(consultation, kind, reason, limit) -> list[QueueEntry]:
    conditions = [Report.resolved_at.is_(None)]
    if reason:
        conditions.append(Report.reason == ReportReason(reason))
    if kind == "idea":
        conditions.append(Report.idea_id.is_not(None))
    elif kind == "comment":
        conditions.append(Report.comment_id.is_not(None))
    elif kind == "user":
        conditions.append(Report.user_id.is_not(None))
    if consultation is not None:
        in_consultation = select(Idea.id).where(Idea.consultation_id == consultation.id)
        conditions.append(
            or_(
                Report.idea_id.in_(in_consultation),
                Report.comment_id.in_(
                    select(Comment.id).where(Comment.idea_id.in_(in_consultation))
                ),
            )
        )
    rows = db.session.execute(
        select(
            Report.idea_id,
            Report.comment_id,
            Report.user_id,
            Report.reason,
            Report.note,
            Report.created_at,
        )
        .where(*conditions)
        .order_by(Report.created_at.desc())
    ).all()
    grouped: dict[tuple, QueueEntry] = {}
    ideas = _load(
        Idea,
        {r.idea_id for r in rows if r.idea_id},
        joinedload(Idea.author),
        joinedload(Idea.consultation),
    )
    comments = _load(
        Comment,
        {r.comment_id for r in rows if r.comment_id},
        joinedload(Comment.author),
        joinedload(Comment.idea),
    )
    users = _load(User, {r.user_id for r in rows if r.user_id})
    for row in rows:
        if row.idea_id:
            key, item = ("idea", row.idea_id), ideas.get(row.idea_id)
        elif row.comment_id:
            key, item = ("comment", row.comment_id), comments.get(row.comment_id)
        else:
            key, item = ("user", row.user_id), users.get(row.user_id)
        if item is None:
            continue
        entry = grouped.setdefault(key, QueueEntry(key[0], item, latest_report_at=row.created_at))
        entry.report_count += 1
        label = ReportReason(row.reason).label
        if label not in entry.reasons:
            entry.reasons.append(label)
        if row.note:
            entry.notes.append(row.note)
    return list(grouped.values())[:limit]


def _load(model, ids: set[int], *options) -> dict:
    """These rows by id, with what the queue shows of each loaded alongside (no query each)."""
    if not ids:
        return {}
    statement = select(model).options(*options).where(model.id.in_(ids))
    return {obj.id: obj for obj in db.session.scalars(statement)}


def open_report_count() -> int:
    """How many items have reports nobody has dealt with yet (for the staff page)."""
    items = (
        select(Report.idea_id, Report.comment_id, Report.user_id)
        .where(Report.resolved_at.is_(None))
        .distinct()
        .subquery()
    )
    return db.session.scalar(select(func.count()).select_from(items)) or 0


def reports_about(item) -> list[Report]:
    """Every report about an item, open ones first, newest first."""
    column = {Idea: Report.idea_id, Comment: Report.comment_id, User: Report.user_id}[type(item)]
    return list(
        db.session.scalars(
            select(Report)
            .options(joinedload(Report.reporter))
            .where(column == item.id)
            .order_by(Report.resolved_at.is_not(None), Report.created_at.desc())
        )
    )
