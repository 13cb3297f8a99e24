"""Idea workflows: share an idea, vote, comment, and list ideas for a consultation.

Vote and comment counts live on the idea and change in the same transaction as the vote or
comment, so the counts shown always equal the rows stored.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import func, or_, select, update
from sqlalchemy.orm import joinedload

from .. import policy
from ..accounts.models import User
from ..cache import GLOBAL, consultation_scope, remembered
from ..consultations.models import Consultation, ModerationMode, Stage
from ..extensions import db
from ..organisations.models import Organisation
from ..timeutil import utcnow
from .models import Comment, Idea, Merge, Visibility, Vote, VoteValue, divisiveness
from .notices import comment_published, idea_published
from .participation import note_participant
from .votes import lock_idea

DUPLICATE_WINDOW = timedelta(minutes=2)

# What appears in a consultation's list: hidden, merged and withdrawn ideas show as notes in
# place.
LISTED = (Visibility.PUBLISHED, Visibility.HIDDEN, Visibility.MERGED, Visibility.WITHDRAWN)

SORTS = {
    "newest": "Newest",
    "agreed": "Most agreed",
    "discussed": "Most discussed",
    "divisive": "Most divisive",
}
DEFAULT_SORT = "newest"


class ContributionError(ValueError):
    """A contribution that cannot be accepted, with a message for the person."""


def initial_visibility(consultation: Consultation, author: User) -> Visibility:
    """Under pre-moderation, contributions wait for a moderator (unless policy's
    ``contribution.publish_at_once`` lets their author skip the queue)."""
    if consultation.moderation is ModerationMode.PRE and not policy.allowed(
        "contribution.publish_at_once", author, consultation
    ):
        return Visibility.PENDING
    return Visibility.PUBLISHED


def recent_duplicate(
    consultation: Consultation, author: User, title: str, body: str
) -> Idea | None:
    """The same idea from the same person in the last two minutes (a double click or resend)."""
    return db.session.scalar(
        select(Idea).where(
            Idea.consultation_id == consultation.id,
            Idea.author_id == author.id,
            Idea.title == title.strip(),
            Idea.body == body.strip(),
            Idea.created_at >= utcnow() - DUPLICATE_WINDOW,
        )
    )


def submit_idea(
    consultation: Consultation,
    author: User,
    title: str,
    body: str,
    neighbourhood_id: int | None = None,
    organisation=None,
) -> Idea:
    """Share an idea in a consultation, as its author or on behalf of an organisation
    they may act for (the caller checks that with the policy).

    A second identical submission by the same person within two minutes (a double click, or
    a resent form) returns the first idea instead of creating a copy.
    """
    title, body = title.strip(), body.strip()
    if not title or not body:
        raise ContributionError("Enter a title and a description for your idea.")
    lock_author(author.id)  # the same form sent twice at once: the second waits, sees the first
    recent = recent_duplicate(consultation, author, title, body)
    if recent is not None:
        return recent
    idea = Idea(
        consultation=consultation,
        author=author,
        title=title,
        body=body,
        neighbourhood_id=neighbourhood_id,
        organisation_id=organisation.id if organisation else None,
        visibility=initial_visibility(consultation, author),
    )
    db.session.add(idea)
    db.session.flush()
    note_participant(consultation.id, author.id)
    idea_published(idea)
    return idea


def lock_author(user_id: int) -> None:
    """Take the person's row lock (PostgreSQL) or the write lock (SQLite) before checking for
    a duplicate, so that two copies of one submission arriving at once are made one after
    the other and the second finds the first."""
    db.session.execute(
        update(User).where(User.id == user_id).values(session_generation=User.session_generation)
    )


def add_comment(
    idea: Idea, author: User, body: str, parent: Comment | None = None, organisation=None
) -> Comment:
    """Add a comment to an idea, or a reply to a top-level comment on it (optionally on behalf
    of an organisation). Under pre-moderation it waits for a moderator."""
    body = body.strip()
    if not body:
        raise ContributionError("Enter your comment.")
    if parent is not None and (parent.idea_id != idea.id or parent.parent_id is not None):
        raise ContributionError("You can only reply to a comment on this idea.")
    recent = db.session.scalar(
        select(Comment).where(
            Comment.idea_id == idea.id,
            Comment.author_id == author.id,
            Comment.body == body,
            Comment.parent_id == (parent.id if parent else None)
            if parent
            else Comment.parent_id.is_(None),
            Comment.created_at >= utcnow() - DUPLICATE_WINDOW,
        )
    )
    if recent is not None:
        return recent
    lock_idea(idea.id)
    comment = Comment(
        idea_id=idea.id,
        author_id=author.id,
        body=body,
        parent=parent,
        organisation_id=organisation.id if organisation else None,
        visibility=initial_visibility(idea.consultation, author),
    )
    db.session.add(comment)
    note_participant(idea.consultation_id, author.id)
    if comment.visibility is Visibility.PUBLISHED:
        db.session.execute(
            update(Idea).where(Idea.id == idea.id).values(comment_count=Idea.comment_count + 1)
        )
    db.session.flush()
    db.session.refresh(idea)
    comment_published(comment)
    return comment


@dataclass
class IdeaPage:
    """One page of a consultation's ideas."""

    items: list[Idea]
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.per_page))


def sort_keys(sort: str) -> tuple:
    """The expressions a sort orders ideas by, most significant first, each one descending.

    The last key is always ``Idea.id``, so the order is total: the pages (offset) and the open
    data API (keyset, after the last idea seen) list ideas in exactly this order.
    """
    divisive = divisiveness()
    return {
        "newest": (Idea.created_at, Idea.id),
        "agreed": (Idea.agree_count, Idea.created_at, Idea.id),
        "discussed": (Idea.comment_count, Idea.created_at, Idea.id),
        "divisive": (divisive, Idea.agree_count + Idea.disagree_count, Idea.id),
    }[sort]


# The sorts whose order the votes change: their pages depend on the ideas' tallies.
SORTS_BY_TALLIES = frozenset({"agreed", "divisive"})


def sort_reads_tallies(sort: str | None) -> bool:
    """Whether a list in this sort (the default when none or unknown) changes order as votes
    arrive (``cache.tally_scope``)."""
    return (sort if sort in SORTS else DEFAULT_SORT) in SORTS_BY_TALLIES


def _order(sort: str):
    return tuple(key.desc() for key in sort_keys(sort))


def list_ideas(
    consultation: Consultation,
    sort: str = DEFAULT_SORT,
    neighbourhood_id: int | None = None,
    page: int = 1,
    per_page: int = 20,
) -> IdeaPage:
    """A consultation's ideas, sorted, optionally in one neighbourhood, paged.

    Hidden and merged ideas stay in the list as notes (never a silent gap); ideas waiting
    for a moderator do not appear.
    """
    conditions = [
        Idea.consultation_id == consultation.id,
        Idea.visibility.in_(LISTED),
    ]
    if neighbourhood_id is not None:
        conditions.append(Idea.neighbourhood_id == neighbourhood_id)
    sort = sort if sort in SORTS else DEFAULT_SORT

    def page_ids() -> list:
        total = db.session.scalar(select(func.count(Idea.id)).where(*conditions)) or 0
        number = max(1, min(page, max(1, math.ceil(total / per_page))))
        # The page's ids first, from the sort's index alone, then just those ideas are loaded:
        # a deep page skips index entries, never whole rows, so it costs what the first does.
        ids = db.session.scalars(
            select(Idea.id)
            .where(*conditions)
            .order_by(*_order(sort))
            .limit(per_page)
            .offset((number - 1) * per_page)
        )
        return [total, number, list(ids)]

    # kept in the cache until an idea or comment of this consultation changes (or a vote,
    # for the sorts that votes reorder)
    total, page, ids = remembered(
        f"idea-list:{consultation.id}:{sort}:{neighbourhood_id}:{page}:{per_page}",
        page_ids,
        seconds=3600,
        scopes=[GLOBAL, consultation_scope(consultation.id)],
        tallies=sort in SORTS_BY_TALLIES,
    )
    found = ideas_for_cards(ids)
    items = [found[idea_id] for idea_id in ids if idea_id in found]
    return IdeaPage(items, total, page, per_page)


def has_posted_in_public(user_id: int) -> bool:
    """Whether anything the person shared under their own name is public: a published idea or
    comment not shared as an organisation. Until then their display name is nobody's business
    (pages that take a person's id answer as if the id did not exist)."""

    def shown(model):
        return (
            select(model.id)
            .where(
                model.author_id == user_id,
                model.visibility == Visibility.PUBLISHED,
                model.organisation_id.is_(None),
            )
            .exists()
        )

    return bool(db.session.scalar(select(or_(shown(Idea), shown(Comment)))))


def votes_by(user, ideas: list[Idea]) -> dict[int, VoteValue]:
    """The signed-in person's vote on each of these ideas (empty for visitors)."""
    if not getattr(user, "is_authenticated", False) or not ideas:
        return {}
    rows = db.session.execute(
        select(Vote.idea_id, Vote.value).where(
            Vote.user_id == user.id, Vote.idea_id.in_([idea.id for idea in ideas])
        )
    )
    return dict(rows.tuples().all())


@dataclass
class Thread:
    """A top-level comment and its replies."""

    comment: Comment
    replies: list[Comment]


def comment_threads(idea: Idea, viewer=None) -> list[Thread]:
    """An idea's comments, oldest first, with replies under their comment.

    Hidden and withdrawn comments stay as notes (their replies stay under them); a comment
    waiting for a moderator is shown only to its author and to whom policy's
    ``comment.view_pending`` allows.
    """
    noted = (Visibility.PUBLISHED, Visibility.HIDDEN, Visibility.WITHDRAWN)
    shown = Comment.visibility.in_(noted)
    if getattr(viewer, "is_authenticated", False):
        if policy.allowed("comment.view_pending", viewer, idea):
            shown = Comment.visibility.in_((*noted, Visibility.PENDING))
        else:
            shown = or_(shown, Comment.author_id == viewer.id)
    comments = list(
        db.session.scalars(
            select(Comment)
            .options(joinedload(Comment.author), joinedload(Comment.organisation))
            .where(Comment.idea_id == idea.id, shown)
            .order_by(Comment.created_at, Comment.id)
        )
    )
    threads = {c.id: Thread(c, []) for c in comments if c.parent_id is None}
    for comment in comments:
        if comment.parent_id is not None and comment.parent_id in threads:
            threads[comment.parent_id].replies.append(comment)
    return list(threads.values())


def latest_merge(source: Idea) -> Merge | None:
    """The merge that made this idea a duplicate, if it is still in effect."""
    return db.session.scalar(
        select(Merge)
        .where(Merge.source_idea_id == source.id, Merge.undone_at.is_(None))
        .order_by(Merge.id.desc())
        .limit(1)
    )


@dataclass(frozen=True)
class Contributions:
    """What an organisation has said in public: its published ideas and comments."""

    ideas: list
    comments: list


def published_contributions(organisation: Organisation, limit: int = 100) -> Contributions:
    """Published ideas and comments posted on the organisation's behalf, newest first.

    Only what anyone may read: published items in consultations that are open or closed (not
    drafts); a comment only if the idea it belongs to is published too.
    """
    public = Consultation.stage != Stage.DRAFT
    ideas = db.session.scalars(
        select(Idea)
        .join(Idea.consultation)
        .where(
            Idea.organisation_id == organisation.id,
            Idea.visibility == Visibility.PUBLISHED,
            public,
        )
        .order_by(Idea.created_at.desc(), Idea.id.desc())
        .limit(limit)
    )
    comments = db.session.scalars(
        select(Comment)
        .join(Comment.idea)
        .join(Idea.consultation)
        .where(
            Comment.organisation_id == organisation.id,
            Comment.visibility == Visibility.PUBLISHED,
            Idea.visibility == Visibility.PUBLISHED,
            public,
        )
        .order_by(Comment.created_at.desc(), Comment.id.desc())
        .limit(limit)
    )
    return Contributions(list(ideas), list(comments))


def ideas_for_cards(ids: list[int]) -> dict[int, Idea]:
    """These ideas by id, with everything an idea card shows loaded in the same query (the
    list, search and any other page of cards use this, so none loads per card)."""
    if not ids:
        return {}
    return {
        idea.id: idea
        for idea in db.session.scalars(
            select(Idea)
            .options(
                joinedload(Idea.author),
                joinedload(Idea.neighbourhood),
                joinedload(Idea.organisation),
                joinedload(Idea.merged_into),
                joinedload(Idea.event),
                joinedload(Idea.consultation),
            )
            .where(Idea.id.in_(ids))
        ).unique()
    }
