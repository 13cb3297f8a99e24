"""Who is told about ideas and comments, and when (the rows and emails are ``following``'s).

Only what is published is ever announced: a comment or idea waiting for a moderator is
announced when the moderator publishes it (``moderation.services.publish`` calls these), and
never if it is hidden instead.
"""

from __future__ import annotations

from sqlalchemy import select

from ..extensions import db
from ..following.models import FollowKind, NotificationKind
from ..following.services import follower_ids, notify, target_key, withdraw_about
from .models import Comment, Idea


def _idea_path(idea: Idea, anchor: str = "") -> str:
    return f"/ideas/{idea.id}{anchor}"


def comment_published(comment: Comment) -> int:
    """A published comment tells the author of the comment it replies to, the idea's author
    and the idea's followers (never the person who wrote it); how many were told."""
    if not comment.is_published or not comment.idea.is_published:
        return 0
    idea = comment.idea
    writer = comment.organisation.name if comment.organisation else comment.author.display_name
    path = _idea_path(idea, f"#comment-{comment.id}")
    told = 0
    replied_to = comment.parent.author_id if comment.parent is not None else None
    if replied_to is not None and replied_to != comment.author_id:
        told += notify(
            [replied_to],
            NotificationKind.REPLY,
            f"{writer} replied to your comment on \u201c{idea.title}\u201d",
            path,
            idea_id=idea.id,
            comment_id=comment.id,
        )
    others = {idea.author_id} | follower_ids(target_key(FollowKind.IDEA, idea.id))
    told += notify(
        others,
        NotificationKind.COMMENT,
        f"{writer} commented on \u201c{idea.title}\u201d",
        path,
        idea_id=idea.id,
        comment_id=comment.id,
        exclude=(comment.author_id, replied_to),
    )
    return told


def idea_published(idea: Idea) -> int:
    """A published idea tells the followers of its consultation and of its neighbourhood."""
    if not idea.is_published:
        return 0
    keys = [target_key(FollowKind.CONSULTATION, idea.consultation_id)]
    if idea.neighbourhood_id is not None:
        keys.append(target_key(FollowKind.NEIGHBOURHOOD, idea.neighbourhood_id))
    where = f" about {idea.neighbourhood.name}" if idea.neighbourhood is not None else ""
    return notify(
        follower_ids(*keys),
        NotificationKind.NEW_IDEA,
        f"A new idea{where} in {idea.consultation.title}: \u201c{idea.title}\u201d",
        _idea_path(idea),
        idea_id=idea.id,
        exclude=(idea.author_id,),
    )


def item_hidden(item: Idea | Comment) -> None:
    """A moderator hid an idea or comment: what was said about it is taken back, and its
    author finds the decision among their notifications (they were emailed it already)."""
    if isinstance(item, Idea):
        withdraw_about(idea_id=item.id)
        text, idea = f"A moderator hid your idea \u201c{item.title}\u201d", item
    else:
        withdraw_about(comment_id=item.id)
        text, idea = f"A moderator hid your comment on \u201c{item.idea.title}\u201d", item.idea
    notify(
        [item.author_id],
        NotificationKind.HIDDEN,
        f"{text}: {item.moderation_reason}",
        _idea_path(idea),
        already_emailed=[item.author_id],
    )


def idea_merged(source: Idea, target: Idea, emailed: set[int]) -> int:
    """A merged idea tells its author and followers where it went (voters were emailed)."""
    people = {source.author_id} | follower_ids(target_key(FollowKind.IDEA, source.id))
    return notify(
        people | emailed,
        NotificationKind.MERGED,
        f"\u201c{source.title}\u201d was merged into \u201c{target.title}\u201d",
        _idea_path(target),
        idea_id=target.id,
        already_emailed=emailed,
    )


def ideas_answered(idea_ids: list[int], consultation_title: str, path: str) -> int:
    """The council answered these ideas (its published summary cites them, or a later
    official response names them): their authors and followers are told where to read it."""
    told = 0
    ideas = db.session.scalars(select(Idea).where(Idea.id.in_(idea_ids)))
    for idea in ideas:
        if not idea.is_published and not idea.is_merged:
            continue
        people = {idea.author_id} | follower_ids(target_key(FollowKind.IDEA, idea.id))
        told += notify(
            people,
            NotificationKind.ANSWERED,
            f"The council has answered \u201c{idea.title}\u201d in what happened next for "
            f"{consultation_title}",
            path,
            idea_id=idea.id,
        )
    return told
