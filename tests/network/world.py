"""A council with a published statement (a commitment in progress) to assess itself against,
built on the statement tests' world; and a helper that fills in a whole round."""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace

from kil_consult.extensions import db
from kil_consult.network import services as network
from kil_consult.statements import services as statements
from kil_consult.statements.models import CommitmentStatus
from kil_consult.timeutil import utcnow
from tests.statements import world as statement_world


def build() -> SimpleNamespace:
    world = statement_world.build()
    today = utcnow().date()
    statement = statements.start_from_summaries(world.process, world.facilitator)
    statements.record_decision(statement, world.admin, "Cabinet", today, "Minute 42")
    statements.add_signatory(statement, world.admin, "Cllr Lee Leader", "Leader", today)
    statements.publish(statement, world.admin, override="Owners follow later")
    commitments = statements.numbered_commitments(
        statement, statement.published_version.typed_content
    )
    statements.add_progress(
        commitments[0].row, world.admin, CommitmentStatus.IN_PROGRESS, today, "Hub opened."
    )
    db.session.commit()
    world.statement, world.commitments = statement, commitments
    return world


def fill(round_, actor, levels=(2, 2, 3, 1, 3, 2), commitments=()) -> None:
    """Assess every principle of a round with these levels."""
    for number, level in enumerate(levels, start=1):
        network.save_assessment(
            round_,
            actor,
            number,
            level=level,
            commitments=list(commitments) if number == 1 else [],
            addresses=[],
            next_steps=f"Next steps for principle {number}.",
            champion="Cllr Ann Able",
        )


def signed_off_round(world, title="Autumn 2026 network meeting", levels=(2, 2, 3, 1, 3, 2)):
    round_ = network.start_round(world.facilitator, title, date(2026, 10, 1))
    fill(round_, world.facilitator, levels, world.commitments[:1])
    network.sign_off(round_, world.admin)
    db.session.commit()
    return round_
