"""Consultation workflows: the current process, the council, edit, open, close."""

from __future__ import annotations

from datetime import datetime

from flask import current_app
from sqlalchemy import select

from .. import audit
from ..extensions import db
from ..timeutil import utcnow
from .models import Consultation, Council, Neighbourhood, Process, Stage, StageError


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
        after={"stage": consultation.stage, "closed_at": consultation.closed_at},
    )
