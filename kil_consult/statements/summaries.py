"""A consultation's summary ("you said, we did"): versioned drafts citing ideas, publishing,
the response date, and the emails to people who asked to hear what happened next.

The summary's tables live with the analysis models (``analysis/models.py``); its workflows live
here, above the analysis they cite.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from flask import current_app
from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError

from ..accounts.models import User
from ..analysis.models import Finding, FindingCitation, Summary, SummaryVersion, UpdateSubscription
from ..analysis.ranking import published_idea_ids
from ..analysis.results import results_published, summary_of
from ..consultations.models import Consultation, Stage
from ..consultations.services import current_council
from ..extensions import db
from ..notifications.services import queue_email
from ..timeutil import to_local, utcnow
from ..urls import base_url
from .notices import summary_published


class SummaryError(ValueError):
    """A summary that cannot be saved as sent, with a message for the facilitator."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


def is_published(consultation: Consultation) -> bool:
    """Whether the consultation has a published summary (and so public results)."""
    return results_published(consultation)


def latest_version(consultation: Consultation) -> SummaryVersion | None:
    """The newest saved draft (published or not)."""
    summary = summary_of(consultation)
    return summary.latest if summary else None


def published_version(consultation: Consultation) -> SummaryVersion | None:
    """The version the public sees: the latest one that was published."""
    return db.session.scalar(
        select(SummaryVersion)
        .join(Summary, SummaryVersion.summary_id == Summary.id)
        .where(Summary.consultation_id == consultation.id, SummaryVersion.published_at.is_not(None))
        .order_by(SummaryVersion.number.desc())
        .limit(1)
    )


@dataclass
class FindingDraft:
    """A finding as typed: its text and the idea numbers it cites."""

    text: str
    idea_ids: list[int]


def save_draft(
    consultation: Consultation,
    author: User,
    overview: str,
    themes: str,
    decision: str,
    connection: str,
    findings: list[FindingDraft],
) -> SummaryVersion:
    """Save the summary as a new version; every cited idea must be published in this consultation.

    Raises ``SummaryError`` (naming the finding) for an idea that is not.
    """
    for position, finding in enumerate(findings, start=1):
        valid = published_idea_ids(consultation, finding.idea_ids)
        missing = [i for i in finding.idea_ids if i not in valid]
        if missing:
            raise SummaryError(
                f"Finding {position} cites idea {', '.join(map(str, missing))}, which is not a "
                "published idea of this consultation",
                field=f"finding_{position}_ideas",
            )
        if finding.idea_ids and not finding.text:
            raise SummaryError(
                f"Enter the text of finding {position}, or remove its ideas",
                field=f"finding_{position}_text",
            )
    summary = summary_of(consultation)
    if summary is None:
        summary = Summary(consultation_id=consultation.id)
        db.session.add(summary)
        db.session.flush()
    number = (
        db.session.scalar(
            select(func.max(SummaryVersion.number)).where(SummaryVersion.summary_id == summary.id)
        )
        or 0
    ) + 1
    version = SummaryVersion(
        summary_id=summary.id,
        number=number,
        overview=overview,
        themes=themes,
        decision=decision,
        connection=connection,
        author_id=author.id,
    )
    db.session.add(version)
    db.session.flush()
    kept = [f for f in findings if f.text]
    for position, finding in enumerate(kept, start=1):
        row = Finding(version_id=version.id, position=position, text=finding.text)
        db.session.add(row)
        db.session.flush()
        for order, idea_id in enumerate(finding.idea_ids):
            db.session.add(FindingCitation(finding_id=row.id, idea_id=idea_id, position=order))
    db.session.flush()
    db.session.expire(summary, ["versions"])
    return version


OPEN_REFUSAL = (
    "This consultation is still open: publish its summary once it has closed, so that the "
    "results do not sway people who are still voting. To publish now anyway, give the reason "
    "for publishing early"
)


def publish(
    consultation: Consultation, actor: User, early_reason: str | None = None
) -> SummaryVersion:
    """Publish the latest draft: it becomes the public summary; subscribers are emailed once.

    A consultation that has not closed is refused (``SummaryError``) unless ``early_reason``
    is given: then it is published and the override is audited with that reason.
    """
    version = latest_version(consultation)
    if version is None:
        raise SummaryError("Save a draft of the summary before publishing it")
    early = consultation.current_stage() is not Stage.CLOSED
    reason = (early_reason or "").strip()
    if early and not reason:
        raise SummaryError(OPEN_REFUSAL)
    if early:
        from ..audit import record

        record(actor, "summary.publish_early", consultation, note=reason[:500])
    now = utcnow()
    if version.published_at is None:
        version.published_at = now
    summary = version.summary
    first_time = summary.first_published_at is None
    summary.first_published_at = summary.first_published_at or now
    if version.decision.strip() and summary.responded_at is None:
        summary.responded_at = now
    _notify_subscribers(consultation)
    if first_time:
        cited = [c.idea_id for finding in version.findings for c in finding.citations]
        summary_published(consultation, list(dict.fromkeys(cited)))
    db.session.flush()
    return version


def _notify_subscribers(consultation: Consultation) -> int:
    """Queue the "what happened next" email to everyone still waiting for it; how many."""

    waiting = list(
        db.session.scalars(
            select(UpdateSubscription).where(
                UpdateSubscription.consultation_id == consultation.id,
                UpdateSubscription.notified_at.is_(None),
            )
        )
    )
    base = base_url()
    for subscription in waiting:
        queue_email(
            subscription.user.email,
            f"What happened next: {consultation.title}",
            "summary_published",
            user=subscription.user,
            consultation=consultation,
            link=f"{base}/consultations/{consultation.slug}#you-said-we-did",
            council=current_council(),
        )
        subscription.notified_at = utcnow()
    return len(waiting)


def subscription_of(consultation: Consultation, user) -> UpdateSubscription | None:
    """The user's request for the update email, if they are signed in and asked for it."""
    if not getattr(user, "is_authenticated", False):
        return None
    return db.session.scalar(
        select(UpdateSubscription).where(
            UpdateSubscription.consultation_id == consultation.id,
            UpdateSubscription.user_id == user.id,
        )
    )


def subscribed_to_updates(user, consultation_ids: list[int]) -> set[int]:
    """Which of these consultations the person asked to be emailed about (one statement)."""
    if not consultation_ids or not getattr(user, "is_authenticated", False):
        return set()
    return set(
        db.session.scalars(
            select(UpdateSubscription.consultation_id).where(
                UpdateSubscription.user_id == user.id,
                UpdateSubscription.consultation_id.in_(consultation_ids),
            )
        )
    )


def subscribe(consultation: Consultation, user: User) -> UpdateSubscription:
    """Ask to be emailed when the summary is published (once; asking twice changes nothing)."""
    existing = subscription_of(consultation, user)
    if existing is not None:
        return existing
    subscription = UpdateSubscription(consultation_id=consultation.id, user_id=user.id)
    try:
        with db.session.begin_nested():
            db.session.add(subscription)
    except IntegrityError:
        return subscription_of(consultation, user)
    return subscription


def unsubscribe(consultation: Consultation, user: User) -> None:
    """Stop asking for the update email."""
    db.session.execute(
        delete(UpdateSubscription).where(
            UpdateSubscription.consultation_id == consultation.id,
            UpdateSubscription.user_id == user.id,
        )
    )


def response_due(consultation: Consultation) -> date | None:
    """The date the council's response is due: ``KIL_RESPONSE_DUE_WEEKS`` after closing."""
    closed = consultation.ended_at() or consultation.closes_at
    if closed is None:
        return None
    weeks = current_app.config.get("KIL_RESPONSE_DUE_WEEKS", 12)
    return (to_local(closed) + timedelta(weeks=weeks)).date()


@dataclass
class YouSaidWeDid:
    """What the consultation page shows once it has closed or its summary is published."""

    version: SummaryVersion | None
    due: date | None
    responded_at: datetime | None
    overdue: bool
    closed: bool = False


def you_said_we_did(consultation: Consultation) -> YouSaidWeDid:
    """The published summary, the response date and whether it was missed."""
    version = published_version(consultation)
    summary = version.summary if version else None
    responded_at = summary.responded_at if summary else None
    due = response_due(consultation)
    today = to_local(utcnow()).date()
    closed = consultation.current_stage() is Stage.CLOSED
    overdue = bool(closed and due and responded_at is None and today > due)
    return YouSaidWeDid(version, due, responded_at, overdue, closed)
