"""The checks a version of the statement gets before the council agrees it and before it is
published: each commitment has an owner and a target date, cites ideas of its own principle
that people voted on, and cites no idea that has since been hidden or merged.

Warnings do not stop drafting; they are shown to the facilitator and admin on the statement's
page, and publication refuses a version that has any unless the admin overrides them with a
reason (``signoff.publish``).
"""

from __future__ import annotations

from dataclasses import dataclass

from ..extensions import db
from ..ideas.models import Idea
from .evidence import version_evidence
from .models import StatementVersion
from .versions import not_citable


@dataclass(frozen=True)
class StatementWarning:
    """Something to resolve in one commitment, in words for the facilitator."""

    commitment_id: int
    commitment_number: int
    message: str


def warnings_for(version: StatementVersion) -> list[StatementWarning]:
    """Every warning on the version's commitments, in commitment order."""
    content = version.typed_content
    evidence = version_evidence(version).ideas
    found: list[StatementWarning] = []
    for number, commitment in enumerate(content.commitments, start=1):

        def warn(message: str, number=number, commitment=commitment) -> None:
            found.append(StatementWarning(commitment.id, number, f"Commitment {number} {message}"))

        if not commitment.owner.strip():
            warn("has no owner.")
        if not commitment.due:
            warn("has no target date.")
        for idea_id in commitment.ideas:
            item = evidence.get(idea_id)
            if item is None:
                warn(f"cites {not_citable(db.session.get(Idea, idea_id), idea_id)}.")
                continue
            if item.principle != commitment.principle:
                warn(
                    f"is under principle {commitment.principle} but cites idea {idea_id} "
                    f"from principle {item.principle} (“{item.consultation_title}”)."
                )
            if item.votes == 0:
                warn(f"cites idea {idea_id}, which nobody has voted on.")
    return found
