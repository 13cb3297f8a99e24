"""A person's own data under UK GDPR: download all of it, erase the account, and the retention
purge that removes unconfirmed accounts and old personal data.

Every function flushes and leaves the commit to the caller.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import delete, exists, or_, select, update

from ..accounts.models import Role, User, new_pseudonym_seed
from ..accounts.services import AccountError
from ..extensions import db
from ..following.models import Follow, Notification, NotificationSetting
from ..following.services import frequency_of
from ..timeutil import utcnow

FORMER_PARTICIPANT = "Former participant"
DATA_SALT = "kil-own-data-download"


# --- the download link ------------------------------------------------------------------------


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=DATA_SALT)


def make_download_token(user: User) -> str:
    """A link token for this person's data: it works only for them, only while they stay
    signed in on this session generation, and only for ``KIL_DATA_LINK_MAX_AGE`` seconds."""
    return _serializer().dumps({"u": user.id, "g": user.session_generation})


def download_token_is_for(token: str, user: User) -> bool:
    """True if the token is unexpired, unaltered and was made for this very person."""
    try:
        data = _serializer().loads(token, max_age=current_app.config["KIL_DATA_LINK_MAX_AGE"])
    except (SignatureExpired, BadSignature):
        return False
    return (
        isinstance(data, dict)
        and data.get("u") == user.id
        and data.get("g") == user.session_generation
    )


# --- download all of one's data ----------------------------------------------------------------


def _when(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def export_data(user: User) -> dict:
    """Everything the service holds about this person, as plain JSON-ready data: the account,
    ideas, votes, comments, reports they made, memberships, update requests, what they follow,
    their notifications and email frequency, and emails."""
    from ..analysis.models import UpdateSubscription
    from ..consultations.models import Consultation
    from ..equality.services import export_about_you
    from ..ideas.models import Comment, ContributionEdit, Idea, Vote
    from ..moderation.models import Report
    from ..notifications.models import OutboxMessage
    from ..organisations.models import Membership, Organisation

    ideas = db.session.scalars(select(Idea).where(Idea.author_id == user.id).order_by(Idea.id))
    votes = db.session.execute(
        select(Vote, Idea.title).join(Idea).where(Vote.user_id == user.id).order_by(Vote.id)
    )
    comments = db.session.scalars(
        select(Comment).where(Comment.author_id == user.id).order_by(Comment.id)
    )
    reports = db.session.scalars(
        select(Report).where(Report.reporter_id == user.id).order_by(Report.id)
    )
    memberships = db.session.execute(
        select(Membership, Organisation.name)
        .join(Organisation)
        .where(Membership.user_id == user.id)
        .order_by(Membership.id)
    )
    requested = db.session.scalars(
        select(Organisation).where(Organisation.requested_by_id == user.id)
    )
    subscriptions = db.session.execute(
        select(UpdateSubscription, Consultation.title)
        .join(Consultation)
        .where(UpdateSubscription.user_id == user.id)
    )
    emails = db.session.scalars(
        select(OutboxMessage)
        .where(OutboxMessage.recipient == user.email)
        .order_by(OutboxMessage.id)
    )
    follows = db.session.scalars(
        select(Follow).where(Follow.user_id == user.id).order_by(Follow.id)
    )
    notifications = db.session.scalars(
        select(Notification).where(Notification.user_id == user.id).order_by(Notification.id)
    )
    changes = db.session.scalars(
        select(ContributionEdit)
        .where(ContributionEdit.editor_id == user.id)
        .order_by(ContributionEdit.id)
    )
    return {
        "exported_at": utcnow().isoformat(),
        "service": current_app.config["KIL_SERVICE_NAME"],
        "account": {
            "id": user.id,
            "email": user.email,
            "display_name": user.display_name,
            "role": user.role.value,
            "neighbourhood": user.neighbourhood.name if user.neighbourhood else None,
            "created_at": _when(user.created_at),
            "email_confirmed_at": _when(user.email_confirmed_at),
            "last_signed_in_at": _when(user.last_signed_in_at),
        },
        "about_you": export_about_you(user),
        "ideas": [
            {
                "id": idea.id,
                "consultation": idea.consultation.title,
                "title": idea.title,
                "body": idea.body,
                "status": idea.visibility.value,
                "on_behalf_of": idea.organisation.name if idea.organisation else None,
                "created_at": _when(idea.created_at),
                "edited_at": _when(idea.edited_at),
            }
            for idea in ideas
        ],
        "votes": [
            {
                "idea_id": vote.idea_id,
                "idea_title": title,
                "vote": vote.value.value,
                "created_at": _when(vote.created_at),
                "updated_at": _when(vote.updated_at),
            }
            for vote, title in votes
        ],
        "comments": [
            {
                "id": comment.id,
                "idea_id": comment.idea_id,
                "reply_to": comment.parent_id,
                "body": comment.body,
                "status": comment.visibility.value,
                "created_at": _when(comment.created_at),
                "edited_at": _when(comment.edited_at),
            }
            for comment in comments
        ],
        # What an idea or comment said before each change its author made (or withdrawal).
        "earlier_versions": [
            {
                "idea_id": change.idea_id,
                "comment_id": change.comment_id,
                "change": change.kind.value,
                "title_before": change.title_before,
                "body_before": change.body_before,
                "changed_at": _when(change.created_at),
            }
            for change in changes
        ],
        "reports_made": [
            {
                "id": report.id,
                "idea_id": report.idea_id,
                "comment_id": report.comment_id,
                "person_id": report.user_id,
                "reason": report.reason.value,
                "note": report.note,
                "created_at": _when(report.created_at),
                "resolved_at": _when(report.resolved_at),
            }
            for report in reports
        ],
        "organisation_memberships": [
            {
                "organisation": name,
                "status": membership.status.value,
                "created_at": _when(membership.created_at),
                "joined_at": _when(membership.joined_at),
            }
            for membership, name in memberships
        ],
        "organisations_registered": [
            {"name": org.name, "status": org.status.value, "created_at": _when(org.created_at)}
            for org in requested
        ],
        "update_requests": [
            {"consultation": title, "created_at": _when(sub.created_at)}
            for sub, title in subscriptions
        ],
        "following": [
            {"kind": row.kind.value, "what": row.label, "since": _when(row.created_at)}
            for row in follows
        ],
        "notification_email_frequency": frequency_of(user).value,
        "notifications": [
            {  # what about and where, not the words (they name other people)
                "kind": row.kind.value,
                "link": row.link,
                "created_at": _when(row.created_at),
                "read_at": _when(row.read_at),
                "emailed_at": _when(row.emailed_at),
            }
            for row in notifications
        ],
        "emails_sent_to_you": [
            {
                "subject": message.subject,
                "created_at": _when(message.created_at),
                "sent_at": _when(message.sent_at),
            }
            for message in emails
        ],
        "answers_to_questions": _own_answers(user),
    }


def _own_answers(user: User) -> list[dict]:
    """The person's own answers to consultations' questions, in words."""
    from ..questions.models import QuestionResponse

    responses = db.session.scalars(
        select(QuestionResponse)
        .where(QuestionResponse.user_id == user.id)
        .order_by(QuestionResponse.id)
    )
    return [
        {
            "consultation": response.consultation.title,
            "question": answer.question.text,
            "answer": answer.words(),
            "answered_at": _when(answer.answered_at),
        }
        for response in responses
        for answer in response.answers
    ]


# --- erase an account --------------------------------------------------------------------------


@dataclass(frozen=True)
class ErasureResult:
    """What an erasure did, in counts only (nothing about the person is kept)."""

    kept_contributions: bool
    ideas: int
    comments: int
    votes: int


def _recount(idea_ids: set[int]) -> None:
    from ..ideas.models import Idea
    from ..ideas.votes import lock_idea, recount

    for idea_id in sorted(idea_ids):
        idea = db.session.get(Idea, idea_id)
        if idea is not None:
            lock_idea(idea_id)
            recount(idea)


def _delete_contributions(user: User) -> tuple[int, int, int, set[int]]:
    """Delete the person's votes, comments and ideas; others' replies to their comments stay
    (as comments in their own right) and ideas merged into theirs come back."""
    from ..ideas.models import Comment, Idea, Merge, Visibility, Vote

    voted = set(db.session.scalars(select(Vote.idea_id).where(Vote.user_id == user.id)))
    commented = set(db.session.scalars(select(Comment.idea_id).where(Comment.author_id == user.id)))
    own_ideas = set(db.session.scalars(select(Idea.id).where(Idea.author_id == user.id)))
    own_comments = select(Comment.id).where(Comment.author_id == user.id)

    for merge in db.session.scalars(select(Merge)):  # voters' ids kept to undo a merge
        moves = [m for m in merge.vote_moves or [] if m.get("user_id") != user.id]
        if len(moves) != len(merge.vote_moves or []):
            merge.vote_moves = moves
    comeback = set(db.session.scalars(select(Idea.id).where(Idea.merged_into_id.in_(own_ideas))))
    db.session.execute(
        update(Idea)
        .where(Idea.id.in_(comeback), Idea.visibility == Visibility.MERGED)
        .values(visibility=Visibility.PUBLISHED, merged_into_id=None)
    )
    db.session.execute(
        update(Comment)
        .where(Comment.parent_id.in_(own_comments), Comment.author_id != user.id)
        .values(parent_id=None)
    )
    votes = db.session.execute(delete(Vote).where(Vote.user_id == user.id)).rowcount
    comments = db.session.execute(delete(Comment).where(Comment.author_id == user.id)).rowcount
    ideas = db.session.execute(delete(Idea).where(Idea.author_id == user.id)).rowcount
    db.session.flush()
    return ideas, comments, votes, (voted | commented | comeback) - own_ideas


def erase_account(
    user: User, keep_contributions: bool, reason: str = "own request"
) -> ErasureResult:
    """Erase a person's account and personal data.

    With ``keep_contributions`` their ideas, comments and votes stay, shown as a
    "Former participant", and the account row keeps no email, name, password or neighbourhood;
    a new pseudonym seed means the open data shows what stays under pseudonyms that cannot be
    linked to the ones the person had (``accounts/pseudonyms.py``).
    Without it, their ideas, comments and votes are deleted (counts recomputed) and the account
    row goes too. Either way their reports, memberships, update requests and emails go, and the
    audit log records that an account was erased, with counts only.
    Staff accounts are council records: an admin changes their role first.
    """
    from ..analysis.models import UpdateSubscription
    from ..audit import record
    from ..equality.services import delete_about_you
    from ..ideas.models import Comment, ContributionEdit, Idea, Vote
    from ..ideas.participation import forget_participant
    from ..moderation.models import Report
    from ..notifications.models import OutboxMessage
    from ..organisations.models import Membership

    if user.role is not Role.RESIDENT:
        raise AccountError(
            "Staff accounts cannot be erased here. Ask an admin to make you a resident first."
        )
    user_id = user.id
    delete_about_you(user)  # "About you" answers go whichever way the contributions go
    db.session.execute(delete(Report).where(Report.reporter_id == user_id))
    db.session.execute(delete(Membership).where(Membership.user_id == user_id))
    db.session.execute(delete(UpdateSubscription).where(UpdateSubscription.user_id == user_id))
    db.session.execute(delete(Follow).where(Follow.user_id == user_id))
    db.session.execute(delete(Notification).where(Notification.user_id == user_id))
    db.session.execute(delete(NotificationSetting).where(NotificationSetting.user_id == user_id))
    db.session.execute(delete(OutboxMessage).where(OutboxMessage.recipient == user.email))
    from ..questions.models import QuestionResponse

    answered = QuestionResponse.user_id == user_id
    if keep_contributions:  # the answers stay in the counts, tied to no one
        db.session.execute(update(QuestionResponse).where(answered).values(user_id=None))
    else:
        db.session.execute(delete(QuestionResponse).where(answered))
    if keep_contributions:
        # Only the words as they stand now stay: what the person wrote before a change (a
        # phone number they took out, say) goes with the rest of their personal data.
        db.session.execute(
            update(ContributionEdit)
            .where(ContributionEdit.editor_id == user_id)
            .values(title_before="", body_before="")
        )
        count = {
            name: db.session.scalar(select(db.func.count()).where(column == user_id)) or 0
            for name, column in (
                ("ideas", Idea.author_id),
                ("comments", Comment.author_id),
                ("votes", Vote.user_id),
            )
        }
        result = ErasureResult(True, count["ideas"], count["comments"], count["votes"])
        user.email = f"erased-{user_id}@erased.invalid"
        user.display_name = FORMER_PARTICIPANT
        user.password_hash = "!"  # matches no password
        user.neighbourhood_id = None
        user.last_signed_in_at = None
        user.erased_at = utcnow()
        user.session_generation += 1
        # A new seed: what stays carries pseudonyms that no one can link to the old ones.
        user.pseudonym_seed = new_pseudonym_seed()
    else:
        ideas, comments, votes, touched = _delete_contributions(user)
        forget_participant(user_id)
        result = ErasureResult(False, ideas, comments, votes)
        db.session.execute(delete(User).where(User.id == user_id))
        db.session.expunge(user)
        _recount(touched)
    record(
        None,
        "account.erase",
        user,
        after={
            "contributions": "anonymised" if keep_contributions else "deleted",
            "ideas": result.ideas,
            "comments": result.comments,
            "votes": result.votes,
        },
        note=reason,
    )
    db.session.flush()
    return result


# --- retention -----------------------------------------------------------------------------


@dataclass(frozen=True)
class PurgeResult:
    """How many things the retention purge removed."""

    unconfirmed_accounts: int
    inactive_accounts: int
    emails: int


def purge(now: datetime | None = None) -> PurgeResult:
    """Remove what the retention settings say the council no longer needs.

    - Accounts never confirmed within ``KIL_UNCONFIRMED_DAYS`` are deleted (they cannot have
      taken part).
    - Residents who have not signed in for ``KIL_RETENTION_DAYS`` are erased, their
      contributions kept as a "Former participant".
    - Records of emails sent longer ago than ``KIL_RETENTION_DAYS`` are deleted.
    """
    from ..audit import record
    from ..ideas.models import Comment, Idea, Vote
    from ..notifications.models import OutboxMessage

    now = now or utcnow()
    config = current_app.config
    unconfirmed_before = now - timedelta(days=config["KIL_UNCONFIRMED_DAYS"])
    retention_before = now - timedelta(days=config["KIL_RETENTION_DAYS"])

    contributed = or_(
        exists().where(Idea.author_id == User.id),
        exists().where(Comment.author_id == User.id),
        exists().where(Vote.user_id == User.id),
    )
    stale_unconfirmed = list(
        db.session.scalars(
            select(User).where(
                User.email_confirmed_at.is_(None),
                User.erased_at.is_(None),
                User.role == Role.RESIDENT,
                User.created_at < unconfirmed_before,
                ~contributed,
            )
        )
    )
    for user in stale_unconfirmed:
        db.session.execute(delete(OutboxMessage).where(OutboxMessage.recipient == user.email))
        db.session.execute(delete(User).where(User.id == user.id))
        record(None, "account.purge_unconfirmed", user, note="retention")
    inactive = list(
        db.session.scalars(
            select(User).where(
                User.erased_at.is_(None),
                User.email_confirmed_at.is_not(None),
                User.role == Role.RESIDENT,
                User.created_at < retention_before,
                or_(User.last_signed_in_at.is_(None), User.last_signed_in_at < retention_before),
            )
        )
    )
    for user in inactive:
        erase_account(user, keep_contributions=True, reason="retention")
    emails = db.session.execute(
        delete(OutboxMessage).where(
            OutboxMessage.sent_at.is_not(None), OutboxMessage.sent_at < retention_before
        )
    ).rowcount
    db.session.flush()
    return PurgeResult(len(stale_unconfirmed), len(inactive), emails)
