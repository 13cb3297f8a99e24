"""What waits for staff, for the staff home: counts from several areas, each with its page."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask import url_for

from .. import policy
from ..consultations.models import Consultation, Stage
from ..moderation import queue as moderation_queue
from ..organisations import services as organisations
from ..statements import summaries
from ..timeutil import format_iso_date, to_local, utcnow


@dataclass(frozen=True)
class Task:
    """One kind of work waiting: how many, where to do it, and whether any is late."""

    label: str
    count: int
    href: str
    hint: str = ""
    overdue: bool = False
    action: str = "Review"
    status: str = ""  # shown instead of the count (a summary is one task: "To write")

    @property
    def shown(self) -> str:
        return self.status or str(self.count)


def staff_tasks(consultations: list[Consultation], mine: list[int] | None = None) -> list[Task]:
    """The work waiting for the signed-in staff member, in the order it is usually done:
    reports, items waiting for approval, organisations to check, then the summaries of
    closed consultations (due ``KIL_RESPONSE_DUE_WEEKS`` after closing; overdue once past).
    For a facilitator assigned to consultations (``mine``), reports and approvals are counted
    in those, and link to the queue filtered to them."""
    tasks: list[Task] = []
    if policy.can("moderation.act"):
        where = " in your consultations" if mine else ""
        tasks.append(
            Task(
                "Reported ideas and comments in your consultations"
                if mine
                else "Reported ideas, comments and people",
                moderation_queue.open_report_count(mine or None),
                url_for("moderation.queue", tab="reported"),
            )
        )
        tasks.append(
            Task(
                f"Ideas and comments waiting for approval{where}",
                moderation_queue.waiting_count(mine or None),
                url_for("moderation.queue", tab="waiting"),
            )
        )
    if policy.can("organisation.verify"):
        tasks.append(
            Task(
                "Community organisations to check",
                organisations.waiting_count(),
                url_for("organisations.staff_list"),
            )
        )
    today = to_local(utcnow()).date()
    for consultation in consultations:
        if consultation.current_stage() is not Stage.CLOSED:
            continue
        if summaries.is_published(consultation) or not policy.can("summary.write", consultation):
            continue
        due: date | None = summaries.response_due(consultation)
        late = due is not None and due < today
        tasks.append(
            Task(
                f"Summary of principle {consultation.principle_number}: {consultation.title}",
                1,
                url_for("statements.edit_summary", slug=consultation.slug),
                hint=_due_text(due, late),
                overdue=late,
                action="Write",
                status="To write",
            )
        )
    return tasks


def _due_text(due: date | None, late: bool) -> str:
    if due is None:
        return ""
    return f"{'Overdue: it was due' if late else 'Due'} {format_iso_date(due.isoformat())}"
