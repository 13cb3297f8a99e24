"""Ideas ranked by support and by division, from their live counts; idea-number lookups.

Pages import this module; NumPy is loaded only when a ranking is computed."""

from __future__ import annotations

import re

from sqlalchemy import select

from ..consultations.models import Consultation
from ..extensions import db
from ..ideas.models import Idea, Visibility
from ..urls import LARGEST_ID
from .values import IdeaRow


def idea_rows(consultation: Consultation) -> list[IdeaRow]:
    """Every published idea with its scores (from the live counts), in id order."""
    rows = db.session.execute(
        select(
            Idea.id,
            Idea.title,
            Idea.agree_count,
            Idea.disagree_count,
            Idea.pass_count,
            Idea.comment_count,
        )
        .where(Idea.consultation_id == consultation.id, Idea.visibility == Visibility.PUBLISHED)
        .order_by(Idea.id)
    ).all()
    if not rows:
        return []
    import numpy as np

    from .stats import divisiveness, wilson_lower_bound

    agree = np.array([r[2] for r in rows])
    disagree = np.array([r[3] for r in rows])
    wilson = wilson_lower_bound(agree, disagree)
    divisive = divisiveness(agree, disagree)
    return [
        IdeaRow(r[0], r[1], r[2], r[3], r[4], r[5], float(w), float(d))
        for r, w, d in zip(rows, wilson, divisive, strict=True)
    ]


def ranked(rows: list[IdeaRow]) -> list[IdeaRow]:
    """Ideas by the Wilson lower bound of agree / (agree + disagree), most supported first."""
    return sorted(rows, key=lambda r: (-r.wilson, -r.votes, r.id))


def most_divisive(rows: list[IdeaRow]) -> list[IdeaRow]:
    """Ideas that split opinion most (twice the smaller side), ties by more votes."""
    return sorted((r for r in rows if r.divisive > 0), key=lambda r: (-r.divisive, -r.votes, r.id))


IDEA_NUMBER = re.compile(r"^#?(\d+)(?:-#?(\d+))?$")


def parse_idea_numbers(text: str, limit: int = 2000) -> list[int]:
    """Read '12, 15, #40-45' as idea numbers; raises ``ValueError`` naming the bad part."""
    numbers: list[int] = []
    for part in re.split(r"[,;\s]+", re.sub(r"\s*-\s*", "-", text or "").strip()):
        if not part:
            continue
        match = IDEA_NUMBER.match(part)
        if not match:
            raise ValueError(part)
        first = int(match[1])
        last = int(match[2] or first)
        if last < first or last - first > limit:
            raise ValueError(part)
        numbers.extend(range(first, last + 1))
    return list(dict.fromkeys(numbers))[:limit]


def published_idea_ids(consultation: Consultation, ids: list[int]) -> set[int]:
    """Which of these ids are published ideas of this consultation."""
    ids = [n for n in ids if 0 < n <= LARGEST_ID]  # larger numbers are no idea's
    if not ids:
        return set()
    return set(
        db.session.scalars(
            select(Idea.id).where(
                Idea.consultation_id == consultation.id,
                Idea.visibility == Visibility.PUBLISHED,
                Idea.id.in_(ids),
            )
        )
    )


def rows_by_id(consultation: Consultation) -> dict[int, IdeaRow]:
    """Every published idea's row by id (live counts, no group figures)."""
    return {row.id: row for row in idea_rows(consultation)}
