"""Changing what one wrote: an author edits or withdraws their own idea or comment.

Who may is ``policy`` (``contribution.edit``, ``contribution.withdraw``); these functions hold
what happens. Every change keeps the words as they were in a ``ContributionEdit`` row, so
staff can read each earlier version and everyone sees that (and when) it was edited.

The rule for votes: votes cast before an edit stay (a vote is the voter's, and only they may
change it); the idea's page says how many votes it had when it was last changed, so readers
and voters can judge. Under pre-moderation an edited idea or comment waits for a moderator
again, as a new one would. Withdrawing leaves a note in the item's place, keeps the replies
to it, and takes it out of voting, search, results and open data; its votes stay stored.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from ..consultations.models import ModerationMode
from ..extensions import db
from ..following.services import withdraw_about
from ..timeutil import utcnow
from .models import Comment, ContributionEdit, EditKind, Idea, Visibility, Vote
from .services import ContributionError, initial_visibility
from .votes import lock_idea, recount


def _record(item: Idea | Comment, editor, kind: EditKind) -> ContributionEdit:
    idea = item if isinstance(item, Idea) else item.idea
    edit = ContributionEdit(
        idea_id=idea.id,
        comment_id=item.id if isinstance(item, Comment) else None,
        editor_id=editor.id,
        kind=kind,
        title_before=item.title if isinstance(item, Idea) else "",
        body_before=item.body,
        votes_before=idea.vote_count if isinstance(item, Idea) else 0,
    )
    db.session.add(edit)
    return edit


def _back_to_moderation(item: Idea | Comment, author) -> None:
    """Under pre-moderation, changed words wait for a moderator as new ones would."""
    consultation = item.consultation if isinstance(item, Idea) else item.idea.consultation
    if consultation.moderation is not ModerationMode.PRE or not item.is_published:
        return
    if initial_visibility(consultation, author) is Visibility.PENDING:
        item.visibility = Visibility.PENDING


def edit_idea(idea: Idea, author, title: str, body: str) -> bool:
    """Change the title and description of one's own idea (the caller checks the policy).
    The words before are kept; votes cast before stay. False if nothing changed."""
    title, body = title.strip(), body.strip()
    if not title or not body:
        raise ContributionError("Enter a title and a description for your idea.")
    lock_idea(idea.id)
    db.session.refresh(idea)
    if (idea.title, idea.body) == (title, body):
        return False
    _record(idea, author, EditKind.EDIT)
    idea.title, idea.body, idea.edited_at = title, body, utcnow()
    _back_to_moderation(idea, author)
    db.session.flush()
    return True


def edit_comment(comment: Comment, author, body: str) -> bool:
    """Change the words of one's own comment or reply; the words before are kept. False if
    nothing changed."""
    body = body.strip()
    if not body:
        raise ContributionError("Enter your comment.")
    if comment.body == body:
        return False
    _record(comment, author, EditKind.EDIT)
    was_published = comment.is_published
    comment.body, comment.edited_at = body, utcnow()
    _back_to_moderation(comment, author)
    db.session.flush()
    if was_published and not comment.is_published:
        recount(comment.idea)
    return True


def withdraw(item: Idea | Comment, author) -> None:
    """Withdraw one's own idea or comment: a note takes its place (replies to it stay), and
    what others were told about it is taken back."""
    if item.visibility not in (Visibility.PUBLISHED, Visibility.PENDING):
        raise ContributionError("This has already been withdrawn, hidden or merged.")
    _record(item, author, EditKind.WITHDRAW)
    was_published = item.is_published
    item.visibility, item.withdrawn_at = Visibility.WITHDRAWN, utcnow()
    db.session.flush()
    if isinstance(item, Comment):
        withdraw_about(comment_id=item.id)
        if was_published:
            recount(item.idea)
    else:
        withdraw_about(idea_id=item.id)


def edits_of(item: Idea | Comment) -> list[ContributionEdit]:
    """Every change made to an idea (its own words, not its comments') or to a comment,
    oldest first."""
    query = select(ContributionEdit).order_by(ContributionEdit.created_at, ContributionEdit.id)
    if isinstance(item, Idea):
        query = query.where(
            ContributionEdit.idea_id == item.id, ContributionEdit.comment_id.is_(None)
        )
    else:
        query = query.where(ContributionEdit.comment_id == item.id)
    return list(db.session.scalars(query))


def latest_edit(idea: Idea) -> ContributionEdit | None:
    """The idea's latest change of words (not a withdrawal), for "changed after N votes"."""
    if idea.edited_at is None:
        return None
    return db.session.scalar(
        select(ContributionEdit)
        .where(
            ContributionEdit.idea_id == idea.id,
            ContributionEdit.comment_id.is_(None),
            ContributionEdit.kind == EditKind.EDIT,
        )
        .order_by(ContributionEdit.id.desc())
        .limit(1)
    )


def vote_time(idea: Idea, user) -> datetime | None:
    """When the person last set their vote on the idea (to tell them it changed since)."""
    return db.session.scalar(
        select(Vote.updated_at).where(Vote.idea_id == idea.id, Vote.user_id == user.id)
    )
