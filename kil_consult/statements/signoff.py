"""Sign-off: open a draft for public comment, close it, record the decision that agreed it
(which freezes its evidence) and who signed it, and publish it. Each step goes to the audit
log; services flush and never commit.

The guard rails: no decision while the public review is open (the admin closes it first), no
decision or signature dated in the future or before the decision, and no publication of a
version with warnings (``checks.py``) unless the admin overrides them with a reason.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import select

from .. import audit
from ..accounts.models import User
from ..extensions import db
from ..timeutil import format_datetime, to_local, utcnow
from .checks import warnings_for
from .evidence import freeze
from .models import (
    Decision,
    Signatory,
    Statement,
    StatementError,
    StatementState,
    StatementVersion,
)
from .notices import review_opened, statement_published


def open_review(statement: Statement, actor: User, closes_at: datetime) -> None:
    """Open the latest version for comment and support until ``closes_at``."""
    version = statement.latest
    if version is None:
        raise StatementError("Save a draft before opening it for comment.")
    statement.open_review(version, closes_at)
    audit.record(
        actor,
        "statement.open_review",
        statement,
        after={"version": version.number, "closes_at": closes_at},
    )
    db.session.flush()
    review_opened(statement)


def decision_of(statement: Statement, version: StatementVersion | None) -> Decision | None:
    """The decision that agreed a version, if any."""
    if version is None:
        return None
    return db.session.scalar(
        select(Decision).where(Decision.version_id == version.id).order_by(Decision.id.desc())
    )


def current_decision(statement: Statement) -> Decision | None:
    """The decision that agreed the latest version, if any."""
    return decision_of(statement, statement.latest)


def _today() -> date:
    return to_local(utcnow()).date()


def close_review(statement: Statement, actor: User) -> None:
    """Close the public review now, before its closing date, so that a decision can be
    recorded. Refuses if no review is open."""
    if not statement.is_reviewing():
        raise StatementError("The draft is not open for comment.")
    before = statement.review_closes_at
    statement.review_closes_at = utcnow()
    audit.record(
        actor,
        "statement.close_review",
        statement,
        before={"closes_at": before},
        after={"closes_at": statement.review_closes_at},
        note=f"Version {statement.review_number} closed for comment early.",
    )
    db.session.flush()


def record_decision(
    statement: Statement, actor: User, body: str, decided_on: date, reference: str
) -> Decision:
    """Record the decision that agreed the latest version and freeze the evidence it shows.
    Refuses while the public review is open and a decision dated in the future."""
    version = statement.latest
    if version is None:
        raise StatementError("There is no draft to agree.")
    if statement.is_reviewing():
        raise StatementError(
            "The draft is open for comment until "
            f"{format_datetime(statement.review_closes_at)}. Close the review first, or wait "
            "until it closes."
        )
    if decided_on > _today():
        raise StatementError("The date of the decision cannot be in the future.")
    statement.agree()
    decision = Decision(
        statement_id=statement.id,
        version_id=version.id,
        body=body,
        decided_on=decided_on,
        reference=reference,
        recorded_by_id=actor.id,
    )
    db.session.add(decision)
    freeze(version)
    audit.record(
        actor,
        "statement.agree",
        statement,
        after={
            "version": version.number,
            "body": body,
            "decided_on": decided_on,
            "reference": reference,
        },
    )
    return decision


def add_signatory(statement: Statement, actor: User, name: str, role: str, signed_on: date):
    """Add a signatory to the decision that agreed the statement. The date of signing can be
    neither in the future nor before the decision."""
    decision = current_decision(statement)
    if statement.state is not StatementState.AGREED or decision is None:
        raise StatementError("Record the decision before adding signatories.")
    if signed_on > _today():
        raise StatementError("The date of signing cannot be in the future.")
    if signed_on < decision.decided_on:
        raise StatementError("The date of signing cannot be before the decision.")
    signatory = Signatory(decision_id=decision.id, name=name, role=role, signed_on=signed_on)
    db.session.add(signatory)
    db.session.flush()
    db.session.expire(decision, ["signatories"])
    audit.record(
        actor,
        "statement.sign",
        statement,
        after={"name": name, "role": role, "signed_on": signed_on},
    )
    return signatory


def publish(statement: Statement, actor: User, override: str = "") -> StatementVersion:
    """Publish the agreed version once at least one person has signed it. A version with
    warnings is refused unless ``override`` says why it is published all the same (audited);
    a decision or signature dated after today is refused."""
    decision = current_decision(statement)
    if decision is None or not decision.signatories:
        raise StatementError("Add at least one signatory before publishing.")
    today = _today()
    if decision.decided_on > today or any(s.signed_on > today for s in decision.signatories):
        raise StatementError("The decision and signatures cannot be dated after publication.")
    version = statement.latest
    warnings = warnings_for(version)
    if warnings and not override.strip():
        raise StatementError(
            f"Version {version.number} has {len(warnings)} "
            f"{'warning' if len(warnings) == 1 else 'warnings'} to resolve. Start a new "
            "version that resolves them, or publish anyway and say why."
        )
    statement.publish(version)
    if warnings:
        audit.record(
            actor,
            "statement.publish_override",
            statement,
            after={"version": version.number, "warnings": [w.message for w in warnings]},
            note=override.strip()[:300],
        )
    audit.record(actor, "statement.publish", statement, after={"version": version.number})
    db.session.flush()
    statement_published(statement)
    return version
