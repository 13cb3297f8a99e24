"""A person's own activity: everything they shared and every vote they cast, newest first,
with what became of each (published, waiting for a moderator, hidden, merged)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from ..accounts.models import User
from ..extensions import db
from ..ideas.models import Comment, Idea, Vote

SHOWN = 200  # of each kind, newest first; the download holds them all


@dataclass(frozen=True)
class Activity:
    """What the person shared and voted on, and how many of each there are in all."""

    ideas: list[Idea]
    comments: list[Comment]
    votes: list[Vote]
    idea_count: int
    comment_count: int
    vote_count: int


def _count(model, column, user: User) -> int:
    return db.session.scalar(select(func.count(model.id)).where(column == user.id)) or 0


def activity_of(user: User) -> Activity:
    """The person's ideas, comments and votes (each up to ``SHOWN``, newest first)."""
    ideas = db.session.scalars(
        select(Idea)
        .options(joinedload(Idea.consultation), joinedload(Idea.merged_into))
        .where(Idea.author_id == user.id)
        .order_by(Idea.created_at.desc(), Idea.id.desc())
        .limit(SHOWN)
    )
    comments = db.session.scalars(
        select(Comment)
        .options(joinedload(Comment.idea), joinedload(Comment.organisation))
        .where(Comment.author_id == user.id)
        .order_by(Comment.created_at.desc(), Comment.id.desc())
        .limit(SHOWN)
    )
    votes = db.session.scalars(
        select(Vote)
        .options(joinedload(Vote.idea))
        .where(Vote.user_id == user.id)
        .order_by(Vote.updated_at.desc(), Vote.id.desc())
        .limit(SHOWN)
    )
    return Activity(
        list(ideas),
        list(comments.unique()),
        list(votes.unique()),
        _count(Idea, Idea.author_id, user),
        _count(Comment, Comment.author_id, user),
        _count(Vote, Vote.user_id, user),
    )
