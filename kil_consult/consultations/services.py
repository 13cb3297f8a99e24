"""Consultation workflows: the current process, counts for the home page, edit, open, close."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask import current_app
from sqlalchemy import distinct, func, select, union

from .. import audit
from ..extensions import db
from ..timeutil import utcnow
from .models import Consultation, Council, Neighbourhood, Process, Stage, StageError


@dataclass(frozen=True)
class Counts:
    """How much has been said in a consultation."""

    ideas: int = 0
    votes: int = 0
    comments: int = 0
    participants: int = 0


def current_council() -> Council:
    """The council this deployment serves (a placeholder name until one is set up)."""
    council = db.session.scalar(select(Council).order_by(Council.id).limit(1))
    if council is None:
        name = current_app.config.get("KIL_COUNCIL_NAME") or "Your council"
        council = Council(name=name, area_name=name)
    return council


def council_for_pages() -> Council:
    """The council as every page header shows it, without a query per page where a cache is
    configured (a detached copy: read its name and area, do not change it)."""
    from ..cache import per_request, remembered

    def details() -> dict:
        council = current_council()
        return {
            "id": council.id,
            "name": council.name,
            "area_name": council.area_name,
            "contact_email": council.contact_email or "",
        }

    memo = per_request()
    if "council" not in memo:
        memo["council"] = Council(**remembered("council", details, seconds=3600))
    return memo["council"]


def current_process() -> Process | None:
    """The co-design process shown on the home page (the most recent one)."""
    return db.session.scalar(select(Process).order_by(Process.id.desc()).limit(1))


def neighbourhoods() -> list[Neighbourhood]:
    """The council's neighbourhoods in their display order."""
    return list(
        db.session.scalars(
            select(Neighbourhood).order_by(Neighbourhood.position, Neighbourhood.name)
        )
    )


def consultation_by_slug(slug: str) -> Consultation | None:
    """The consultation at this address, if there is one."""
    return db.session.scalar(select(Consultation).where(Consultation.slug == slug))


def counts_for(consultation_ids: list[int]) -> dict[int, Counts]:
    """Published ideas, votes, comments and distinct participants for each consultation.

    Where a cache is configured the idea, vote and comment figures are kept until anything
    public changes, and the number of people (a distinct count over every vote) is recomputed
    at most every ``KIL_PARTICIPANTS_MAX_AGE`` seconds (see ``kil_consult.cache``).
    """
    from ..cache import remembered

    if not consultation_ids:
        return {}
    key = ",".join(str(cid) for cid in sorted(consultation_ids))
    totals = remembered(f"counts:{key}", lambda: _totals(consultation_ids), seconds=3600)
    people = remembered(
        f"participants:{key}",
        lambda: _participants(consultation_ids),
        seconds=24 * 3600,
        fresh_for=current_app.config["KIL_PARTICIPANTS_MAX_AGE"],
    )
    result = {}
    for cid in consultation_ids:
        ideas, votes, comments = totals.get(str(cid), (0, 0, 0))
        result[cid] = Counts(ideas, votes, comments, people.get(str(cid), 0))
    return result


def _totals(consultation_ids: list[int]) -> dict[str, tuple[int, int, int]]:
    """Published ideas, and the votes and comments on them, by consultation id (as text)."""
    from ..ideas.models import Idea, Visibility

    rows = db.session.execute(
        select(
            Idea.consultation_id,
            func.count(Idea.id),
            func.coalesce(func.sum(Idea.agree_count + Idea.disagree_count + Idea.pass_count), 0),
            func.coalesce(func.sum(Idea.comment_count), 0),
        )
        .where(Idea.consultation_id.in_(consultation_ids), Idea.visibility == Visibility.PUBLISHED)
        .group_by(Idea.consultation_id)
    ).all()
    return {str(cid): (int(i), int(v), int(c)) for cid, i, v, c in rows}


def _participants(consultation_ids: list[int]) -> dict[str, int]:
    """Distinct people who shared, voted on or commented on an idea, by consultation id."""
    from ..ideas.models import Comment, Idea, Vote

    in_scope = Idea.consultation_id.in_(consultation_ids)
    people = union(
        select(Idea.consultation_id.label("cid"), Idea.author_id.label("uid")).where(in_scope),
        select(Idea.consultation_id, Vote.user_id).join(Vote.idea).where(in_scope),
        select(Idea.consultation_id, Comment.author_id).join(Comment.idea).where(in_scope),
    ).subquery()
    rows = db.session.execute(
        select(people.c.cid, func.count(distinct(people.c.uid))).group_by(people.c.cid)
    ).all()
    return {str(cid): int(count) for cid, count in rows}


EDITABLE = ("title", "question", "explanation", "next_steps", "opens_at", "closes_at", "moderation")


def update_consultation(consultation: Consultation, actor=None, **changes) -> None:
    """Change a consultation's wording, dates or moderation; closing must follow opening.
    The change is recorded in the audit log with what it was before."""
    opens_at: datetime | None = changes.get("opens_at", consultation.opens_at)
    closes_at: datetime | None = changes.get("closes_at", consultation.closes_at)
    if opens_at and closes_at and closes_at <= opens_at:
        raise StageError("The closing date must be after the opening date.")
    if consultation.stage is Stage.OPEN and closes_at is not None and closes_at <= utcnow():
        raise StageError(
            "The closing date must be in the future while the consultation is open. "
            "To stop it now, use Close consultation."
        )
    before, after = audit.changes(consultation, list(EDITABLE), changes)
    for name in EDITABLE:
        if name in changes:
            setattr(consultation, name, changes[name])
    if after:
        audit.record(actor, "consultation.edit", consultation, before=before, after=after)


def open_consultation(consultation: Consultation, actor=None) -> None:
    """Open (or schedule) a consultation; raises ``StageError`` if it cannot open."""
    before = consultation.current_stage()
    consultation.open()
    audit.record(
        actor,
        "consultation.open",
        consultation,
        before={"stage": before},
        after={"stage": consultation.stage, "opens_at": consultation.opens_at},
    )


def close_consultation(consultation: Consultation, actor=None) -> None:
    """Close a consultation now; raises ``StageError`` unless it is open."""
    consultation.close()
    audit.record(
        actor,
        "consultation.close",
        consultation,
        before={"stage": Stage.OPEN},
        after={"stage": consultation.stage, "closes_at": consultation.closes_at},
    )
