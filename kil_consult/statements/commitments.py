"""The statement's commitments: add, change and remove one (each a new version), number them
for a version, and record their status and dated progress.

A commitment's words live in each version's content; its ``Commitment`` row keeps what must
outlive versions: its status and its progress updates. Services flush and never commit.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from .. import audit
from ..accounts.models import User
from ..extensions import db
from ..timeutil import utcnow
from .content import CommitmentText, StatementContent, typed
from .models import (
    Commitment,
    CommitmentStatus,
    ProgressUpdate,
    Statement,
    StatementError,
    StatementVersion,
)
from .notices import progress_added
from .versions import save_version


def new_commitment(statement: Statement) -> Commitment:
    """A commitment row to hold the status and progress of a commitment being added."""
    commitment = Commitment(statement_id=statement.id)
    db.session.add(commitment)
    db.session.flush()
    return commitment


def commitment_in(content, commitment_id: int) -> CommitmentText | None:
    """The words of a commitment in a version's content, if it has that commitment."""
    return typed(content).commitment(commitment_id)


def save_commitment(
    statement: Statement,
    author: User,
    commitment_id: int | None,
    *,
    principle: int,
    text: str,
    owner: str,
    due: date | None,
    ideas: Iterable[int],
    reason: str,
) -> StatementVersion:
    """Add a commitment (``commitment_id`` None) at the end, or change one in its place, in a
    new version; every idea it cites must be a published idea of the process."""
    content = statement.latest.typed_content
    if commitment_id is not None and content.commitment(commitment_id) is None:
        raise StatementError("That commitment is not in the latest version.")
    if commitment_id is None:
        commitment_id = new_commitment(statement).id
    item = CommitmentText(
        id=commitment_id,
        principle=principle,
        text=text,
        owner=owner,
        due=due.isoformat() if due else "",
        ideas=tuple(ideas),
    )
    return save_version(statement, author, content.with_commitment(item), reason)


def remove_commitment(
    statement: Statement, author: User, commitment_id: int, reason: str
) -> StatementVersion:
    """Take a commitment out of the statement in a new version (its row and progress stay)."""
    content = statement.latest.typed_content
    if content.commitment(commitment_id) is None:
        raise StatementError("That commitment is not in the latest version.")
    return save_version(statement, author, content.without_commitment(commitment_id), reason)


def move_commitment(
    statement: Statement, author: User, commitment_id: int, up: bool
) -> StatementVersion:
    """Move a commitment one place up or down in a new version (its number changes with it).
    Refuses to move the first up or the last down."""
    content = statement.latest.typed_content
    if content.commitment(commitment_id) is None:
        raise StatementError("That commitment is not in the latest version.")
    number = content.commitment_number(commitment_id)
    if (up and number == 1) or (not up and number == len(content.commitments)):
        raise StatementError(f"Commitment {number} cannot move further {'up' if up else 'down'}.")
    to = number - 1 if up else number + 1
    moved = content.with_commitment_moved(commitment_id, -1 if up else 1)
    return save_version(statement, author, moved, f"Commitment {number} moved to number {to}.")


# --- progress ------------------------------------------------------------------------------


def add_progress(
    commitment: Commitment,
    actor: User,
    status: CommitmentStatus,
    happened_on: date,
    body: str,
) -> ProgressUpdate:
    """Add a dated progress update; a change of status is kept on the commitment and audited.
    Dropping a commitment needs a reason (the update's text)."""
    if status is CommitmentStatus.DROPPED and not body.strip():
        raise StatementError("Say why the commitment was dropped.")
    if status is not commitment.status:
        audit.record(
            actor,
            "commitment.change_status",
            commitment,
            before={"status": commitment.status},
            after={"status": status},
            note=body[:300],
        )
        commitment.status = status
        commitment.status_changed_at = utcnow()
        commitment.status_reason = body if status is CommitmentStatus.DROPPED else ""
    update = ProgressUpdate(
        commitment_id=commitment.id,
        happened_on=happened_on,
        body=body,
        status=status,
        author_id=actor.id,
    )
    db.session.add(update)
    db.session.flush()
    db.session.expire(commitment, ["updates"])
    progress_added(commitment, update, actor.id)
    return update


def commitments_by_id(statement: Statement) -> dict[int, Commitment]:
    """The statement's commitment rows by id."""
    return {
        c.id: c
        for c in db.session.scalars(
            select(Commitment).where(Commitment.statement_id == statement.id)
        )
    }


@dataclass
class NumberedCommitment:
    """A commitment of a version with its number, its row (status, updates) and principle."""

    number: int
    text: str
    owner: str
    due: str
    principle: int
    ideas: list[int]
    row: Commitment | None
    id: int


def numbered_commitments(
    statement: Statement, content: StatementContent | dict
) -> list[NumberedCommitment]:
    """A version's commitments in order, numbered from 1, each with its row."""
    rows = commitments_by_id(statement)
    return [
        NumberedCommitment(
            n, c.text, c.owner, c.due, c.principle, list(c.ideas), rows.get(c.id), c.id
        )
        for n, c in enumerate(typed(content).commitments, start=1)
    ]


def progress_counts(commitments: list[NumberedCommitment]) -> dict[CommitmentStatus, int]:
    """How many of these commitments have each status."""
    counts = dict.fromkeys(CommitmentStatus, 0)
    for c in commitments:
        if c.row is not None:
            counts[c.row.status] += 1
    return counts
