"""How much has been said in each consultation: published ideas, votes, comments and the
distinct people taking part (the home page, the consultation page and reports show them)."""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app
from sqlalchemy import distinct, func, select, union

from ..cache import remembered
from ..extensions import db
from .models import Comment, Idea, Visibility, Vote


@dataclass(frozen=True)
class Counts:
    """How much has been said in a consultation."""

    ideas: int = 0
    votes: int = 0
    comments: int = 0
    participants: int = 0


def counts_for(consultation_ids: list[int]) -> dict[int, Counts]:
    """Published ideas, votes, comments and distinct participants for each consultation.

    Where a cache is configured the idea, vote and comment figures are kept until anything
    public changes, and the number of people (a distinct count over every vote) is recomputed
    at most every ``KIL_PARTICIPANTS_MAX_AGE`` seconds (see ``kil_consult.cache``).
    """
    if not consultation_ids:
        return {}
    key = ",".join(str(cid) for cid in sorted(consultation_ids))
    totals = remembered(f"counts:{key}", lambda: _totals(consultation_ids), seconds=3600)
    people = remembered(
        f"participants:{key}",
        lambda: _participants(consultation_ids),
        seconds=24 * 3600,
        fresh_for=current_app.config["KIL_PARTICIPANTS_MAX_AGE"],
    )
    result = {}
    for cid in consultation_ids:
        ideas, votes, comments = totals.get(str(cid), (0, 0, 0))
        result[cid] = Counts(ideas, votes, comments, people.get(str(cid), 0))
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


def _participants(consultation_ids: list[int]) -> dict[str, int]:
    """Distinct people who shared, voted on or commented on an idea, by consultation id."""
    in_scope = Idea.consultation_id.in_(consultation_ids)
    people = union(
        select(Idea.consultation_id.label("cid"), Idea.author_id.label("uid")).where(in_scope),
        select(Idea.consultation_id, Vote.user_id).join(Vote.idea).where(in_scope),
        select(Idea.consultation_id, Comment.author_id).join(Comment.idea).where(in_scope),
    ).subquery()
    rows = db.session.execute(
        select(people.c.cid, func.count(distinct(people.c.uid))).group_by(people.c.cid)
    ).all()
    return {str(cid): int(count) for cid, count in rows}
