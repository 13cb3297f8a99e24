"""Reading the self-assessment: the words of each level, the rounds, a round's previous one,
how it compares with it, and how many agreed with each principle's assessment."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select

from ..consultations.principles import PRINCIPLES, Principle
from ..extensions import db
from .levels import LEVELS, Descriptor, default_descriptor
from .models import AssessmentRound, AssessmentView, LevelDescriptor, RoundState


def descriptor(principle: int, level: int) -> Descriptor:
    """What a level means for a principle: the admin's wording, else the default."""
    row = db.session.scalar(
        select(LevelDescriptor).where(
            LevelDescriptor.principle == principle, LevelDescriptor.level == level
        )
    )
    if row is None:
        return default_descriptor(principle, level)
    return Descriptor(principle, level, row.label, row.text)


def descriptors(principle: int) -> list[Descriptor]:
    """The four levels of one principle, lowest first."""
    return [descriptor(principle, level) for level, _label in LEVELS]


def all_descriptors() -> dict[int, list[Descriptor]]:
    """Every principle's four levels."""
    return {p.number: descriptors(p.number) for p in PRINCIPLES}


def rounds(include_drafts: bool) -> list[AssessmentRound]:
    """The rounds, latest meeting first; drafts only for those who may see them."""
    query = select(AssessmentRound).order_by(
        AssessmentRound.meeting_on.desc(), AssessmentRound.id.desc()
    )
    if not include_drafts:
        query = query.where(AssessmentRound.state != RoundState.DRAFT)
    return list(db.session.scalars(query))


def signed_off_rounds() -> list[AssessmentRound]:
    """The signed-off rounds, latest meeting first: the council's network returns."""
    return list(
        db.session.scalars(
            select(AssessmentRound)
            .where(AssessmentRound.state == RoundState.SIGNED_OFF)
            .order_by(AssessmentRound.meeting_on.desc(), AssessmentRound.id.desc())
        )
    )


def previous_round(round_: AssessmentRound) -> AssessmentRound | None:
    """The latest signed-off round before this one's meeting: what this round is compared with."""
    return db.session.scalar(
        select(AssessmentRound)
        .where(
            AssessmentRound.state == RoundState.SIGNED_OFF,
            AssessmentRound.id != round_.id,
            AssessmentRound.meeting_on <= round_.meeting_on,
        )
        .order_by(AssessmentRound.meeting_on.desc(), AssessmentRound.id.desc())
        .limit(1)
    )


@dataclass(frozen=True)
class Movement:
    """One principle, this round against the previous one."""

    principle: Principle
    before: int | None
    now: int | None

    @property
    def change(self) -> str:
        """``up``, ``down``, ``same``, ``new`` (no earlier level) or ``unrated``."""
        if self.now is None:
            return "unrated"
        if self.before is None:
            return "new"
        return "up" if self.now > self.before else "down" if self.now < self.before else "same"

    @property
    def words(self) -> str:
        return {
            "up": f"Moved up from level {self.before}",
            "down": f"Moved down from level {self.before}",
            "same": "No change",
            "new": "First rated in this round",
            "unrated": "Not rated yet",
        }[self.change]


def comparison(round_: AssessmentRound) -> tuple[AssessmentRound | None, list[Movement]]:
    """Each principle in this round beside the previous round: what moved, what did not."""
    previous = previous_round(round_)
    moves = []
    for principle in PRINCIPLES:
        now = round_.assessment(principle.number)
        before = previous.assessment(principle.number) if previous else None
        moves.append(
            Movement(principle, before.level if before else None, now.level if now else None)
        )
    return previous, moves


def view_counts(round_: AssessmentRound) -> dict[int, tuple[int, int]]:
    """For each principle, how many residents and organisations agreed and did not."""
    counts: dict[int, list[int]] = {}
    for principle, agrees, number in db.session.execute(
        select(AssessmentView.principle, AssessmentView.agrees, func.count(AssessmentView.id))
        .where(AssessmentView.round_id == round_.id)
        .group_by(AssessmentView.principle, AssessmentView.agrees)
    ):
        counts.setdefault(principle, [0, 0])[0 if agrees else 1] += int(number)
    return {p: (a, d) for p, (a, d) in counts.items()}


def views_of(round_: AssessmentRound, principle: int) -> list[AssessmentView]:
    """What residents and organisations said about one principle, newest first (for staff)."""
    return list(
        db.session.scalars(
            select(AssessmentView)
            .where(AssessmentView.round_id == round_.id, AssessmentView.principle == principle)
            .order_by(AssessmentView.updated_at.desc(), AssessmentView.id.desc())
        )
    )


def own_view(round_: AssessmentRound, user, principle: int) -> AssessmentView | None:
    """The signed-in person's own view of one principle, if they gave one."""
    if not getattr(user, "is_authenticated", False):
        return None
    return db.session.scalar(
        select(AssessmentView).where(
            AssessmentView.round_id == round_.id,
            AssessmentView.principle == principle,
            AssessmentView.user_id == user.id,
        )
    )
