"""The idea page as a shell shared by residents (``kil_consult.page_shells``): who may share
it, and the person's own line about their vote where they can no longer vote.

A resident shares the idea page with everyone of their audience only when nothing on it is
theirs: not the idea, no comment on it (their own items carry "Change" and "Withdraw" links,
and their comments waiting for a moderator show only to them), no organisation they may speak
for (the comment form offers it), and no change to the idea (the page tells those who voted
before it that their vote still counts). Anyone else gets the page rendered for them.
"""

from __future__ import annotations

from flask import get_template_attribute
from flask_login import current_user
from sqlalchemy import exists, or_, select

from ..extensions import db
from ..organisations.models import (
    Membership,
    MembershipStatus,
    Organisation,
    OrganisationStatus,
)
from .cards import votes_on
from .models import Comment, Idea


def shares_idea_page(idea_id: int) -> bool:
    """Whether the signed-in person sees the idea page as their audience does (one statement)."""
    user_id = current_user.id
    own_idea = exists().where(
        Idea.id == idea_id, or_(Idea.author_id == user_id, Idea.edited_at.is_not(None))
    )
    own_comment = exists().where(Comment.idea_id == idea_id, Comment.author_id == user_id)
    speaks_for = (
        exists()
        .where(
            Membership.user_id == user_id,
            Membership.status == MembershipStatus.ACTIVE,
            Organisation.id == Membership.organisation_id,
            Organisation.status == OrganisationStatus.VERIFIED,
        )
        .correlate(None)
    )
    return not db.session.scalar(select(or_(own_idea, own_comment, speaks_for)))


def fill_vote_status(slots: list[list]) -> list[str]:
    """Slots ``[idea id, closed]``: "You voted ...", or the closed notice, for each idea."""
    mine = votes_on([idea_id for idea_id, _closed in slots])
    status = get_template_attribute("ideas/_vote_status.html", "vote_status")
    return [str(status(mine.get(idea_id), closed)) for idea_id, closed in slots]
