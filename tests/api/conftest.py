"""Seeded data for the open-data API tests: published, hidden and waiting content side by side,
and a participant whose name and email address are easy to spot if they ever leak."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

import pytest

from kil_consult.accounts.models import User
from kil_consult.consultations.models import Consultation, Neighbourhood, Process, Stage
from kil_consult.ideas.models import Idea, Visibility
from kil_consult.timeutil import utcnow

from ..factories import (
    make_comment,
    make_council,
    make_idea,
    make_neighbourhood,
    make_process,
    make_user,
    make_vote,
)

SECRET_EMAIL = "zebediah.leakmore@private.example"
SECRET_NAME = "Zebediah Leakmore"
HIDDEN_MARK = "HIDDEN-TEXT-MUST-NOT-APPEAR"
PENDING_MARK = "PENDING-TEXT-MUST-NOT-APPEAR"
DRAFT_MARK = "DRAFT-TEXT-MUST-NOT-APPEAR"


@dataclass
class Seeded:
    process: Process
    consultation: Consultation
    closed: Consultation
    draft: Consultation
    places: list[Neighbourhood]
    person: User
    published: list[Idea] = field(default_factory=list)
    hidden_idea: Idea | None = None
    pending_idea: Idea | None = None
    draft_idea: Idea | None = None


def seed(db, ideas: int = 12) -> Seeded:
    """A council with two neighbourhoods, a process whose first consultation is open (with
    ``ideas`` published ideas, votes and comments), a closed one and a draft one, and hidden,
    waiting and draft content written by the recognisable participant."""
    make_council()
    places = [make_neighbourhood("Hastings"), make_neighbourhood("Lewes")]
    process = make_process(stage=Stage.OPEN)
    consultation, closed, draft = process.consultations[:3]
    closed.stage, closed.closed_at = Stage.CLOSED, utcnow()
    closed.closes_at = utcnow() - timedelta(hours=1)
    draft.stage = Stage.DRAFT
    draft.question = DRAFT_MARK
    person = make_user(email=SECRET_EMAIL, display_name=SECRET_NAME)
    voters = [make_user() for _ in range(4)]
    seeded = Seeded(process, consultation, closed, draft, places, person)
    start = utcnow() - timedelta(days=2)
    for n in range(ideas):
        idea = make_idea(
            consultation,
            author=person if n % 3 == 0 else voters[n % 4],
            title=f"Published idea {n}",
            neighbourhood=places[n % 2] if n % 3 else None,
            # Some ideas share a time, so the order must fall back to the id.
            created_at=start + timedelta(minutes=n // 2),
        )
        for i, voter in enumerate(voters[: n % 5]):
            make_vote(idea, voter, ("agree", "disagree", "pass")[(n + i) % 3])
        if n % 4 == 0:
            top = make_comment(idea, person, f"Comment on idea {n}")
            make_comment(idea, voters[0], f"Reply on idea {n}", parent=top)
        seeded.published.append(idea)
    make_idea(closed, author=person, title="An idea in the closed consultation")
    seeded.hidden_idea = make_idea(
        consultation,
        author=person,
        title=HIDDEN_MARK,
        body=HIDDEN_MARK,
        visibility=Visibility.HIDDEN,
    )
    seeded.pending_idea = make_idea(
        consultation,
        author=person,
        title=PENDING_MARK,
        body=PENDING_MARK,
        visibility=Visibility.PENDING,
    )
    seeded.draft_idea = make_idea(draft, author=person, title=DRAFT_MARK, body=DRAFT_MARK)
    first = seeded.published[0]
    hidden_comment = make_comment(first, person, HIDDEN_MARK)
    hidden_comment.visibility = Visibility.HIDDEN
    pending_reply = make_comment(first, person, PENDING_MARK, parent=None)
    pending_reply.visibility = Visibility.PENDING
    _publish_summary(consultation, seeded.published[:2])
    _publish_statement(process)
    _sign_off_network_round()
    db.session.commit()
    return seeded


def _sign_off_network_round() -> None:
    """A signed-off self-assessment round (so the network return endpoints answer)."""
    from datetime import date

    from kil_consult.network import services as network

    admin = make_user("admin")
    round_ = network.start_round(admin, "Spring 2027 network meeting", date(2027, 3, 27))
    for number in range(1, 7):
        network.save_assessment(
            round_,
            admin,
            number,
            level=2,
            commitments=[],
            addresses=["/statement"],
            next_steps="More of the same.",
            champion="Cllr Ann Able",
        )
    network.sign_off(round_, admin)


def _publish_summary(consultation: Consultation, cited: list[Idea]) -> None:
    """A published summary (so the summary and results endpoints answer) citing real ideas."""
    from kil_consult.statements import summaries

    facilitator = make_user("facilitator")
    summaries.save_draft(
        consultation,
        facilitator,
        "What people said.",
        "Services close to home.",
        "The council will fund two hubs.",
        "Most ideas asked for help nearby.",
        [summaries.FindingDraft("People want help close to home.", [i.id for i in cited])],
    )
    summaries.publish(consultation, facilitator, early_reason="Test data")


def _publish_statement(process: Process) -> None:
    """A published statement drafted from the published summary, with one signatory."""
    from kil_consult.statements import services as statements

    admin = make_user("admin")
    statement = statements.start_from_summaries(process, admin)
    statements.record_decision(statement, admin, "Cabinet", utcnow().date(), "Minute 12")
    statements.add_signatory(statement, admin, "Cllr Lee Leader", "Leader", utcnow().date())
    statements.publish(statement, admin, override="Owners and dates follow in the next version")


@pytest.fixture
def seeded(db) -> Seeded:
    return seed(db)
