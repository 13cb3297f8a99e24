"""Moderation workflows: report, publish / hide / restore, dismiss, merge, undo (what waits
for a moderator is in ``queue.py``).

Every action records an audit event and, where a person is affected, emails them. Services
flush; the route commits once.
"""

from __future__ import annotations

from sqlalchemy import and_, func, select, update
from sqlalchemy.exc import IntegrityError

from .. import audit, policy
from ..accounts.models import User
from ..extensions import db
from ..ideas import notices
from ..ideas.models import Comment, Idea, Merge, Visibility, Vote
from ..ideas.votes import lock_idea, recount
from ..notifications.services import queue_email
from ..timeutil import utcnow
from ..urls import external_url
from .models import HideReason, Report, ReportReason

DEFAULT_HIDE_REASONS = [
    ("Off topic", "It is not about this consultation's question."),
    ("Personal information", "It shared personal information about someone."),
    ("Abusive", "It broke our rules on respectful language."),
    ("Spam", "It was advertising or spam."),
    ("Duplicate", "It repeats another idea. Please vote on that idea instead."),
]


class ModerationError(ValueError):
    """A moderation action that cannot be done, with a message for the moderator."""


# --- reports -----------------------------------------------------------------------------


def report(
    reporter: User,
    reason: ReportReason,
    note: str = "",
    *,
    idea: Idea | None = None,
    comment: Comment | None = None,
    user: User | None = None,
) -> Report:
    """Report an idea, a comment or a person. A second report of the same item by the same
    person updates the first instead of adding another."""
    if sum(item is not None for item in (idea, comment, user)) != 1:
        raise ModerationError("Report one idea, comment or person at a time.")
    key = {
        "idea_id": idea.id if idea else None,
        "comment_id": comment.id if comment else None,
        "user_id": user.id if user else None,
    }
    existing = _open_report(reporter.id, key)
    if existing is None:
        try:
            with db.session.begin_nested():
                existing = Report(reporter_id=reporter.id, reason=reason, note=note, **key)
                db.session.add(existing)
                db.session.flush()
            return existing
        except IntegrityError:  # the same person reporting twice at once
            existing = _open_report(reporter.id, key)
    existing.reason, existing.note = reason, note
    db.session.flush()
    return existing


def _open_report(reporter_id: int, key: dict) -> Report | None:
    conditions = [Report.reporter_id == reporter_id, Report.resolved_at.is_(None)]
    for column, value in key.items():
        attribute = getattr(Report, column)
        conditions.append(attribute == value if value is not None else attribute.is_(None))
    return db.session.scalar(select(Report).where(*conditions))


# --- actions -------------------------------------------------------------------------------


def _snapshot(item) -> dict:
    return {"visibility": item.visibility, "reason": item.moderation_reason}


def _audit(actor, action: str, item, before: dict, note: str = "") -> None:
    audit.record(actor, action, item, before=before, after=_snapshot(item), note=note)


def _tell_author(item, template: str, subject: str, **context) -> None:
    idea = item if isinstance(item, Idea) else item.idea
    queue_email(
        item.author.email,
        subject,
        template,
        user=item.author,
        item=item,
        kind="idea" if isinstance(item, Idea) else "comment",
        link=external_url("ideas.show", idea_id=idea.id),
        **context,
    )


def _resolve_reports(item, moderator: User) -> int:
    column = (
        Report.idea_id
        if isinstance(item, Idea)
        else (Report.comment_id if isinstance(item, Comment) else Report.user_id)
    )
    result = db.session.execute(
        update(Report)
        .where(column == item.id, Report.resolved_at.is_(None))
        .values(resolved_at=utcnow(), resolved_by_id=moderator.id)
    )
    return result.rowcount


def publish(item: Idea | Comment, moderator: User) -> None:
    """Publish an item waiting for approval; its author is told."""
    if item.visibility is not Visibility.PENDING:
        raise ModerationError("Only an item waiting for approval can be published.")
    before = _snapshot(item)
    _set_visibility(item, Visibility.PUBLISHED)
    item.moderated_at = utcnow()
    _audit(moderator, "item.publish", item, before)
    _tell_author(item, "moderation_published", "Your contribution has been published")
    if isinstance(item, Idea):
        notices.idea_published(item)
    else:
        notices.comment_published(item)


def hide(item: Idea | Comment, moderator: User, reason: str, note: str = "") -> None:
    """Hide an item with a public reason (a note stays in its place); its author is told why.
    Reports about it are marked as dealt with."""
    reason = reason.strip()
    if not reason:
        raise ModerationError("Choose a reason for hiding this.")
    if item.visibility is Visibility.MERGED:
        raise ModerationError("A merged idea cannot be hidden. Undo the merge first.")
    before = _snapshot(item)
    _set_visibility(item, Visibility.HIDDEN)
    item.moderation_reason, item.moderation_note, item.moderated_at = reason, note, utcnow()
    _resolve_reports(item, moderator)
    _audit(moderator, "item.hide", item, before, note)
    _tell_author(
        item,
        "moderation_hidden",
        "A moderator has hidden your contribution",
        reason=reason,
        note=note,
    )
    notices.item_hidden(item)


def restore(item: Idea | Comment, moderator: User, note: str = "") -> None:
    """Show a hidden item again; its author is told."""
    if item.visibility is not Visibility.HIDDEN:
        raise ModerationError("Only a hidden item can be restored.")
    before = _snapshot(item)
    _set_visibility(item, Visibility.PUBLISHED)
    item.moderation_reason, item.moderation_note, item.moderated_at = "", note, utcnow()
    _audit(moderator, "item.restore", item, before, note)
    _tell_author(item, "moderation_restored", "Your contribution is visible again")


def dismiss_reports(item: Idea | Comment | User, moderator: User, note: str = "") -> int:
    """Mark every open report about an item as dealt with, leaving the item as it is."""
    count = _resolve_reports(item, moderator)
    if count == 0:
        raise ModerationError("There are no open reports about this.")
    audit.record(moderator, "item.dismiss_reports", item, after={"reports": count}, note=note)
    return count


def _set_visibility(item: Idea | Comment, visibility: Visibility) -> None:
    """Change visibility, keeping the idea's comment count equal to its published comments."""
    was_published = item.visibility is Visibility.PUBLISHED
    item.visibility = visibility
    if isinstance(item, Comment) and was_published != (visibility is Visibility.PUBLISHED):
        db.session.flush()
        recount(item.idea)


def find_item(kind: str, item_id: int):
    """The idea, comment or person a queue key points to, or None."""
    model = {"idea": Idea, "comment": Comment, "user": User}.get(kind)
    return db.session.get(model, item_id) if model else None


def apply_bulk(keys: list[str], action: str, moderator: User, reason: str = "", note: str = ""):
    """Apply one action to many queue items; returns (done, problems) counts and messages."""
    done, problems = 0, []
    for key in keys:
        kind, _, raw_id = key.partition(":")
        item = find_item(kind, int(raw_id)) if raw_id.isdigit() else None
        if item is None:
            problems.append(f"{key} no longer exists")
            continue
        if not policy.allowed("moderation.act", moderator, item):
            problems.append(f"{_describe(item)}: not in a consultation you are assigned to")
            continue
        try:
            with db.session.begin_nested():
                if action == "dismiss":
                    dismiss_reports(item, moderator, note)
                elif kind == "user":
                    raise ModerationError("People can only have their reports dismissed.")
                elif action == "publish":
                    publish(item, moderator)
                elif action == "hide":
                    hide(item, moderator, reason, note)
                elif action == "restore":
                    restore(item, moderator, note)
                else:
                    raise ModerationError("Choose an action.")
            done += 1
        except ModerationError as exc:
            problems.append(f"{_describe(item)}: {exc}")
    return done, problems


def _describe(item) -> str:
    if isinstance(item, Idea):
        return f"Idea “{item.title}”"
    if isinstance(item, Comment):
        return f"Comment {item.id}"
    return f"{item.display_name}"


# --- hide reasons ------------------------------------------------------------------------


def hide_reasons(include_inactive: bool = False) -> list[HideReason]:
    """The reason templates moderators choose from, in their display order."""
    statement = select(HideReason).order_by(HideReason.position, HideReason.id)
    if not include_inactive:
        statement = statement.where(HideReason.active.is_(True))
    return list(db.session.scalars(statement))


def ensure_default_hide_reasons() -> None:
    """Create the default reason templates if there are none (demo and first use)."""
    if db.session.scalar(select(func.count(HideReason.id))):
        return
    for position, (title, text) in enumerate(DEFAULT_HIDE_REASONS):
        db.session.add(HideReason(title=title, public_text=text, position=position))
    db.session.flush()


def save_hide_reason(
    reason: HideReason | None, title: str, public_text: str, active: bool, actor: User
) -> HideReason:
    """Create or edit a reason template; titles must be unique."""
    clash = db.session.scalar(
        select(HideReason).where(func.lower(HideReason.title) == title.strip().lower())
    )
    if clash is not None and clash is not reason:
        raise ModerationError("There is already a reason with this title.")
    before = None
    if reason is None:
        position = (db.session.scalar(select(func.max(HideReason.position))) or 0) + 1
        reason = HideReason(position=position)
        db.session.add(reason)
    else:
        before = {"title": reason.title, "public_text": reason.public_text, "active": reason.active}
    reason.title, reason.public_text, reason.active = title.strip(), public_text.strip(), active
    db.session.flush()
    audit.record(
        actor,
        "hide_reason.edit",
        reason,
        before=before,
        after={"title": reason.title, "public_text": reason.public_text, "active": reason.active},
    )
    return reason


# --- merging duplicates --------------------------------------------------------------------


def merge(source: Idea, target: Idea, actor: User) -> Merge:
    """Merge a duplicate idea into another.

    The source points to the target and keeps its comments; its votes move to the target;
    someone who voted on both keeps their vote on the target. Voters on the source are emailed
    and can change their vote. ``undo_merge`` reverses it.
    """
    if source.id == target.id:
        raise ModerationError("Choose a different idea to merge into.")
    if source.consultation_id != target.consultation_id:
        raise ModerationError("Ideas can only be merged within one consultation.")
    if (
        source.visibility is not Visibility.PUBLISHED
        or target.visibility is not Visibility.PUBLISHED
    ):
        raise ModerationError("Both ideas must be published to merge them.")
    for idea_id in sorted((source.id, target.id)):
        lock_idea(idea_id)
    source_votes = list(db.session.scalars(select(Vote).where(Vote.idea_id == source.id)))
    target_voters = set(db.session.scalars(select(Vote.user_id).where(Vote.idea_id == target.id)))
    moves = []
    for vote in source_votes:
        if vote.user_id in target_voters:
            moves.append({"user_id": vote.user_id, "value": vote.value.value, "outcome": "dropped"})
            db.session.delete(vote)
        else:
            moves.append({"user_id": vote.user_id, "value": vote.value.value, "outcome": "moved"})
            vote.idea_id = target.id
    source.visibility = Visibility.MERGED
    source.merged_into_id = target.id
    source.moderated_at = utcnow()
    record = Merge(
        source_idea_id=source.id, target_idea_id=target.id, merged_by_id=actor.id, vote_moves=moves
    )
    db.session.add(record)
    db.session.flush()
    recount(source)
    recount(target)
    audit.record(
        actor,
        "idea.merge",
        source,
        before={"visibility": "published"},
        after={
            "visibility": "merged",
            "merged_into": target.id,
            "votes_moved": sum(m["outcome"] == "moved" for m in moves),
            "votes_dropped": sum(m["outcome"] == "dropped" for m in moves),
        },
    )
    voters = list(
        db.session.scalars(select(User).where(User.id.in_([m["user_id"] for m in moves])))
    )
    notices.idea_merged(source, target, emailed={voter.id for voter in voters})
    for voter in voters:
        queue_email(
            voter.email,
            "An idea you voted on has been merged",
            "merge_voter",
            user=voter,
            source=source,
            target=target,
            link=external_url("ideas.show", idea_id=target.id),
        )
    return record


def undo_merge(record: Merge, actor: User) -> None:
    """Reverse a merge: the source idea comes back with its voters' votes."""
    if record.undone_at is not None:
        raise ModerationError("This merge has already been undone.")
    source = db.session.get(Idea, record.source_idea_id)
    target = db.session.get(Idea, record.target_idea_id)
    for idea_id in sorted((source.id, target.id)):
        lock_idea(idea_id)
    for move in record.vote_moves:
        if move["outcome"] == "moved":
            db.session.execute(
                update(Vote)
                .where(Vote.idea_id == target.id, Vote.user_id == move["user_id"])
                .values(idea_id=source.id)
            )
        elif (
            db.session.scalar(
                select(Vote.id).where(
                    and_(Vote.idea_id == source.id, Vote.user_id == move["user_id"])
                )
            )
            is None
        ):
            db.session.add(Vote(idea_id=source.id, user_id=move["user_id"], value=move["value"]))
    source.visibility = Visibility.PUBLISHED
    source.merged_into_id = None
    record.undone_at, record.undone_by_id = utcnow(), actor.id
    db.session.flush()
    recount(source)
    recount(target)
    audit.record(
        actor,
        "idea.undo_merge",
        source,
        before={"visibility": "merged", "merged_into": target.id},
        after={"visibility": "published"},
    )
