"""The self-assessment's workflows: start a round, record a principle's assessment, reword the
levels, open a round for views, take a view, sign a round off. Each flushes; the view commits."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from .. import audit
from ..accounts.models import User
from ..extensions import db
from ..organisations.models import Organisation
from ..timeutil import utcnow
from .evidence import commitment_evidence, resolve_all
from .levels import LEVELS
from .models import (
    AssessmentRound,
    AssessmentView,
    LevelDescriptor,
    NetworkError,
    PrincipleAssessment,
    RoundState,
)
from .returns import build_return
from .rounds import previous_round


def start_round(actor: User, title: str, meeting_on: date) -> AssessmentRound:
    """Start a draft round for a network meeting. The champions and next steps of the latest
    signed-off round are carried into it as a starting point; the levels are not, so that
    each round is rated afresh."""
    title = title.strip()
    taken = db.session.scalar(select(AssessmentRound.id).where(AssessmentRound.title == title))
    if taken is not None:
        raise NetworkError(f"There is already a round called “{title}”: choose another name.")
    round_ = AssessmentRound(title=title, meeting_on=meeting_on)
    db.session.add(round_)
    db.session.flush()
    before = previous_round(round_)
    for earlier in before.assessments if before else []:
        db.session.add(
            PrincipleAssessment(
                round_id=round_.id,
                principle=earlier.principle,
                evidence=list(earlier.evidence),
                next_steps=earlier.next_steps,
                champion=earlier.champion,
                updated_by_id=actor.id,
            )
        )
    db.session.flush()
    db.session.refresh(round_)
    audit.record(actor, "network.start_round", round_)
    return round_


def save_assessment(
    round_: AssessmentRound,
    actor: User,
    principle: int,
    *,
    level: int,
    commitments: list,
    addresses: list[str],
    next_steps: str,
    champion: str,
) -> PrincipleAssessment:
    """Record where the council stands on one principle. A signed-off round cannot change;
    each address must be a page of this site (``evidence.resolve``)."""
    if round_.is_frozen:
        raise NetworkError("This round has been signed off, so it cannot be changed.")
    if not 1 <= principle <= 6 or level not in dict(LEVELS):
        raise NetworkError("Choose a level from 1 to 4.")
    evidence = [commitment_evidence(c) for c in commitments]
    chosen = {e["path"] for e in evidence}
    evidence += [e for e in resolve_all(addresses) if e["path"] not in chosen]
    found = round_.assessment(principle)
    if found is None:
        found = PrincipleAssessment(round_id=round_.id, principle=principle)
        db.session.add(found)
        round_.assessments.append(found)
    found.level = level
    found.evidence = evidence
    found.next_steps = next_steps.strip()
    found.champion = champion.strip()
    found.updated_by_id = actor.id
    round_.updated_at = utcnow()
    db.session.flush()
    return found


def save_descriptors(principle: int, levels: list[tuple[str, str]]) -> None:
    """Reword the four levels of one principle (an admin's own words replace the defaults)."""
    if len(levels) != len(LEVELS):
        raise NetworkError("Give the words for all four levels.")
    existing = {
        row.level: row
        for row in db.session.scalars(
            select(LevelDescriptor).where(LevelDescriptor.principle == principle)
        )
    }
    for (level, _default), (label, text) in zip(LEVELS, levels, strict=True):
        row = existing.get(level) or LevelDescriptor(principle=principle, level=level)
        row.label, row.text = label.strip(), text.strip()
        db.session.add(row)
    db.session.flush()


def open_for_views(round_: AssessmentRound, admin: User | None = None) -> None:
    """Open a draft round for residents and organisations to say whether they agree."""
    round_.open_for_views()
    db.session.flush()
    if admin is not None:
        audit.record(admin, "network.open_for_views", round_)


def sign_off(round_: AssessmentRound, admin: User, now=None) -> dict:
    """Sign the round off: it is frozen, and its network return is kept as it stands now."""
    round_.sign_off(admin, now)
    db.session.flush()
    round_.return_document = build_return(round_)
    db.session.flush()
    audit.record(admin, "network.sign_off", round_)
    return round_.return_document


def record_view(
    round_: AssessmentRound,
    user: User,
    principle: int,
    agrees: bool,
    comment: str,
    organisation: Organisation | None = None,
) -> AssessmentView:
    """A person says whether they agree with one principle's assessment (again: replaced).
    Only while the round is open for views."""
    if round_.state is not RoundState.OPEN:
        raise NetworkError("This round is not taking views.")
    if round_.assessment(principle) is None or not 1 <= principle <= 6:
        raise NetworkError("The council has not assessed this principle yet.")
    view = db.session.scalar(
        select(AssessmentView).where(
            AssessmentView.round_id == round_.id,
            AssessmentView.principle == principle,
            AssessmentView.user_id == user.id,
        )
    )
    if view is None:
        view = AssessmentView(round_id=round_.id, principle=principle, user_id=user.id)
        db.session.add(view)
    view.agrees = agrees
    view.comment = comment.strip()
    view.organisation_id = organisation.id if organisation else None
    db.session.flush()
    return view
