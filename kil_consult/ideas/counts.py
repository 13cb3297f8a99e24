"""How much has been said in each consultation: published ideas, votes, comments and the
people taking part (the home page, the consultation page and reports show them). The people
are counted as they arrive (``ideas.participation``), never over the votes in a request."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select

from ..cache import consultation_scope, remembered
from ..consultations.models import Consultation
from ..extensions import db
from .models import Idea, Visibility


@dataclass(frozen=True)
class Counts:
    """How much has been said in a consultation."""

    ideas: int = 0
    votes: int = 0
    comments: int = 0
    participants: int = 0


def counts_for(consultation_ids: list[int]) -> dict[int, Counts]:
    """Published ideas, votes, comments and people taking part for each consultation.

    The number of people is kept on the consultation as contributions arrive; where a cache is
    configured all the figures are kept until something of these consultations changes (see
    ``kil_consult.cache``).
    """
    if not consultation_ids:
        return {}
    key = ",".join(str(cid) for cid in sorted(consultation_ids))

    def compute() -> dict:
        people = db.session.execute(
            select(Consultation.id, Consultation.participant_count).where(
                Consultation.id.in_(consultation_ids)
            )
        )
        return {"totals": _totals(consultation_ids), "people": {str(c): n for c, n in people}}

    # kept until one of these consultations' ideas, votes, comments or people change
    found = remembered(
        f"counts:{key}",
        compute,
        seconds=3600,
        scopes=[consultation_scope(cid) for cid in consultation_ids],
    )
    result = {}
    for cid in consultation_ids:
        ideas, votes, comments = found["totals"].get(str(cid), (0, 0, 0))
        result[cid] = Counts(ideas, votes, comments, int(found["people"].get(str(cid)) or 0))
    return result


def _totals(consultation_ids: list[int]) -> dict[str, tuple[int, int, int]]:
    """Published ideas, and the votes and comments on them, by consultation id (as text)."""
    rows = db.session.execute(
        select(
            Idea.consultation_id,
            func.count(Idea.id),
            func.coalesce(func.sum(Idea.agree_count + Idea.disagree_count + Idea.pass_count), 0),
            func.coalesce(func.sum(Idea.comment_count), 0),
        )
        .where(Idea.consultation_id.in_(consultation_ids), Idea.visibility == Visibility.PUBLISHED)
        .group_by(Idea.consultation_id)
    ).all()
    return {str(cid): (int(i), int(v), int(c)) for cid, i, v, c in rows}
