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


PER_PAGE = 50


@dataclass(frozen=True)
class _Row:
    """One item the filters match, as sorted before anything is loaded."""

    kind: str
    id: int
    at: datetime  # latest report, or when it was posted
    reports: int = 0

    @property
    def key(self) -> str:
        return f"{self.kind}:{self.id}"


@dataclass
class QueuePage:
    """One page of the queue, and how many items match in all."""

    entries: list[QueueEntry]
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


def queue(
    tab: str = "reported",
    consultation: Consultation | list[int] | None = None,
    kind: str = "",
    reason: str = "",
    sort: str = "newest",
    page: int = 1,
    per_page: int = PER_PAGE,
) -> QueuePage:
    """The moderation queue, a page at a time: reported items (gathered with a count), items
    waiting for approval, or recently published items; for one consultation, a list of
    consultation ids (a facilitator's own), or all.

    Every matching item is sorted by id and time first (no rows loaded), so the count and
    the pages are exact however long the queue is; only the page shown is loaded.
    """
    rows = _sorted_rows(tab, consultation, kind, reason, sort)
    page = min(max(page, 1), max(1, -(-len(rows) // per_page)))
    shown = rows[(page - 1) * per_page : page * per_page]
    return QueuePage(_entries(shown, tab, reason), len(rows), page, per_page)


def matching_keys(
    tab: str = "reported",
    consultation: Consultation | list[int] | None = None,
    kind: str = "",
    reason: str = "",
) -> list[str]:
    """Every ``kind:id`` the tab and filters match, oldest first ("select all N matching")."""
    return [row.key for row in _sorted_rows(tab, consultation, kind, reason, "oldest")]


def _in_consultations(consultation: Consultation | list[int]):
    """An idea is in the consultation, or (a list of ids: "your consultations") in one of them."""
    if isinstance(consultation, Consultation):
        return Idea.consultation_id == consultation.id
    return Idea.consultation_id.in_(consultation)


def _sorted_rows(tab, consultation, kind, reason, sort) -> list[_Row]:
    if tab == "reported":
        rows = _reported_rows(consultation, kind, reason)
    elif tab == "waiting":
        rows = _visibility_rows(Visibility.PENDING, consultation, kind)
    else:
        since = utcnow() - timedelta(days=14)
        rows = _visibility_rows(Visibility.PUBLISHED, consultation, kind, since=since)
    if sort == "oldest":
        rows.sort(key=lambda r: (r.at, r.key))
    elif sort == "most_reported":
        rows.sort(key=lambda r: (-r.reports, r.key))
    else:
        rows.sort(key=lambda r: (r.at, r.key), reverse=True)
    return rows


def _visibility_rows(visibility, consultation, kind, since=None) -> list[_Row]:
    rows: list[_Row] = []
    if kind in ("", "idea"):
        statement = select(Idea.id, Idea.created_at).where(Idea.visibility == visibility)
        if consultation is not None:
            statement = statement.where(_in_consultations(consultation))
        if since is not None:
            statement = statement.where(Idea.created_at >= since)
        rows += [_Row("idea", id_, at) for id_, at in db.session.execute(statement)]
    if kind in ("", "comment"):
        statement = (
            select(Comment.id, Comment.created_at)
            .join(Comment.idea)
            .where(Comment.visibility == visibility)
        )
        if consultation is not None:
            statement = statement.where(_in_consultations(consultation))
        if since is not None:
            statement = statement.where(Comment.created_at >= since)
        rows += [_Row("comment", id_, at) for id_, at in db.session.execute(statement)]
    return rows


def _report_conditions(consultation, kind, reason) -> list:
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
        in_consultation = select(Idea.id).where(_in_consultations(consultation))
        conditions.append(
            or_(
                Report.idea_id.in_(in_consultation),
                Report.comment_id.in_(
                    select(Comment.id).where(Comment.idea_id.in_(in_consultation))
                ),
            )
        )
    return conditions


def _reported_rows(consultation, kind, reason) -> list[_Row]:
    """Open reports gathered per item: one row each, with the count and the latest time."""
    statement = (
        select(
            Report.idea_id,
            Report.comment_id,
            Report.user_id,
            func.count(),
            func.max(Report.created_at),
        )
        .where(*_report_conditions(consultation, kind, reason))
        .group_by(Report.idea_id, Report.comment_id, Report.user_id)
    )
    rows = []
    for idea_id, comment_id, user_id, count, latest in db.session.execute(statement):
        if idea_id:
            rows.append(_Row("idea", idea_id, latest, count))
        elif comment_id:
            rows.append(_Row("comment", comment_id, latest, count))
        elif user_id:
            rows.append(_Row("user", user_id, latest, count))
    return rows


def _entries(rows: list[_Row], tab: str, reason: str) -> list[QueueEntry]:
    """The queue entries for these rows, in their order, each item loaded with what the
    queue shows of it (and, on the reported tab, the reasons and notes of its reports)."""
    ids = {kind: {r.id for r in rows if r.kind == kind} for kind in ("idea", "comment", "user")}
    items = {
        "idea": _load(Idea, ids["idea"], joinedload(Idea.author), joinedload(Idea.consultation)),
        "comment": _load(
            Comment, ids["comment"], joinedload(Comment.author), joinedload(Comment.idea)
        ),
        "user": _load(User, ids["user"]),
    }
    entries = {
        row.key: QueueEntry(
            row.kind,
            items[row.kind][row.id],
            report_count=row.reports,
            latest_report_at=row.at if tab == "reported" else None,
        )
        for row in rows
        if row.id in items[row.kind]
    }
    if tab == "reported" and rows:
        column = {"idea": Report.idea_id, "comment": Report.comment_id, "user": Report.user_id}
        about = or_(*(column[kind].in_(values) for kind, values in ids.items() if values))
        statement = (
            select(Report.idea_id, Report.comment_id, Report.user_id, Report.reason, Report.note)
            .where(*_report_conditions(None, "", reason), about)
            .order_by(Report.created_at.desc(), Report.id.desc())
        )
        for idea_id, comment_id, user_id, why, note in db.session.execute(statement):
            if idea_id:
                key = f"idea:{idea_id}"
            elif comment_id:
                key = f"comment:{comment_id}"
            else:
                key = f"user:{user_id}"
            entry = entries.get(key)
            if entry is None:
                continue
            label = ReportReason(why).label
            if label not in entry.reasons:
                entry.reasons.append(label)
            if note:
                entry.notes.append(note)
    return list(entries.values())


def _load(model, ids: set[int], *options) -> dict:
    """These rows by id, with what the queue shows of each loaded alongside (no query each)."""
    if not ids:
        return {}
    statement = select(model).options(*options).where(model.id.in_(ids))
    return {obj.id: obj for obj in db.session.scalars(statement)}


def open_report_count(consultation_ids: list[int] | None = None) -> int:
    """How many items have reports nobody has dealt with yet (for the staff page), in every
    consultation or in these ones (then reports about people are left out)."""
    conditions = (
        _report_conditions(consultation_ids, "", "")
        if consultation_ids
        else [Report.resolved_at.is_(None)]
    )
    items = (
        select(Report.idea_id, Report.comment_id, Report.user_id)
        .where(*conditions)
        .distinct()
        .subquery()
    )
    return db.session.scalar(select(func.count()).select_from(items)) or 0


def waiting_count(consultation_ids: list[int] | None = None) -> int:
    """How many ideas and comments wait for a moderator to publish them (in every consultation
    or in these ones)."""
    ideas = select(func.count()).select_from(Idea).where(Idea.visibility == Visibility.PENDING)
    comments = (
        select(func.count())
        .select_from(Comment)
        .join(Comment.idea)
        .where(Comment.visibility == Visibility.PENDING)
    )
    if consultation_ids:
        ideas = ideas.where(Idea.consultation_id.in_(consultation_ids))
        comments = comments.where(Idea.consultation_id.in_(consultation_ids))
    return (db.session.scalar(ideas) or 0) + (db.session.scalar(comments) or 0)


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
