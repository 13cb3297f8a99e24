"""Sign-off: open a draft for public comment, record the decision that agreed it and who
signed it, and publish it. Each step goes to the audit log; services flush and never commit.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import select

from .. import audit
from ..accounts.models import User
from ..extensions import db
from ..timeutil import utcnow
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


def record_decision(
    statement: Statement, actor: User, body: str, decided_on: date, reference: str
) -> Decision:
    """Record the decision that agreed the latest version (which closes any review)."""
    version = statement.latest
    if version is None:
        raise StatementError("There is no draft to agree.")
    statement.agree()
    statement.review_closes_at = (
        min(statement.review_closes_at, utcnow()) if statement.review_closes_at else None
    )
    decision = Decision(
        statement_id=statement.id,
        version_id=version.id,
        body=body,
        decided_on=decided_on,
        reference=reference,
        recorded_by_id=actor.id,
    )
    db.session.add(decision)
    db.session.flush()
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
    """Add a signatory to the decision that agreed the statement."""
    decision = current_decision(statement)
    if statement.state is not StatementState.AGREED or decision is None:
        raise StatementError("Record the decision before adding signatories.")
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


def publish(statement: Statement, actor: User) -> StatementVersion:
    """Publish the agreed version once at least one person has signed it."""
    decision = current_decision(statement)
    if decision is None or not decision.signatories:
        raise StatementError("Add at least one signatory before publishing.")
    version = statement.latest
    statement.publish(version)
    audit.record(actor, "statement.publish", statement, after={"version": version.number})
    db.session.flush()
    statement_published(statement)
    return version
