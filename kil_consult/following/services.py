"""Following things and being told about them.

``follow`` and ``unfollow`` keep what a person follows; ``notify`` tells people something
(stored for the notifications page, and emailed at once to those who chose that); the digests
(``send_digests``, run by the job queue) email the rest once a day or once a week. Callers
notify only about what the recipient may see: a published idea or comment, a consultation
that has opened, a statement open for comment. When a moderator hides something,
``withdraw_about`` takes back what was said about it. Every function flushes; the caller
commits.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from datetime import datetime, timedelta

from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import delete, func, literal, select, union_all, update

from ..accounts.models import User
from ..consultations.models import Consultation, Neighbourhood
from ..extensions import db
from ..notifications.services import queue_email
from ..timeutil import format_datetime, utcnow
from ..urls import base_url
from .models import (
    DEFAULT_FREQUENCY,
    Follow,
    FollowKind,
    Frequency,
    Notification,
    NotificationKind,
    NotificationSetting,
)

UNSUBSCRIBE_SALT = "kil-unsubscribe"
DIGEST_WINDOW = {Frequency.DAILY: timedelta(days=1), Frequency.WEEKLY: timedelta(days=7)}
PAGE_SIZE = 30
STATEMENT = "statement"
EMAIL_SUBJECTS = {
    NotificationKind.COMMENT: "A new comment on an idea you follow",
    NotificationKind.REPLY: "Someone replied to your comment",
    NotificationKind.NEW_IDEA: "A new idea where you follow",
    NotificationKind.MERGED: "An idea you follow was merged",
    NotificationKind.ANSWERED: "The council has said what happened next",
    NotificationKind.CONSULTATION_OPEN: "A consultation you follow is open",
    NotificationKind.CONSULTATION_CLOSING: "A consultation you follow closes soon",
    NotificationKind.STATEMENT_REVIEW: "The draft statement is open for your comments",
    NotificationKind.STATEMENT_PUBLISHED: "The Keep it Local statement is published",
    NotificationKind.COMMITMENT_PROGRESS: "Progress on a commitment",
}


class FollowError(ValueError):
    """Something that cannot be followed, with a message for the person."""


# --- following -----------------------------------------------------------------------------


def target_key(kind: FollowKind | str, target_id: int | None = None) -> str:
    """The key a follow is stored under: ``idea:12``, ``consultation:3`` or ``statement``."""
    kind = FollowKind(kind)
    return STATEMENT if kind is FollowKind.STATEMENT else f"{kind.value}:{target_id}"


def follow(user: User, kind: FollowKind, target=None, label: str = "") -> Follow:
    """Follow an idea, a consultation, a neighbourhood or the statement (``target`` is the idea,
    consultation or neighbourhood). Following again changes nothing."""
    kind = FollowKind(kind)
    if kind is not FollowKind.STATEMENT and target is None:
        raise FollowError("Choose what to follow.")
    key = target_key(kind, getattr(target, "id", None))
    existing = db.session.scalar(
        select(Follow).where(Follow.user_id == user.id, Follow.target == key)
    )
    if existing is not None:
        return existing
    row = Follow(user_id=user.id, kind=kind, target=key, label=label[:200])
    if kind is FollowKind.IDEA:
        row.idea_id = target.id
    elif kind is FollowKind.CONSULTATION:
        row.consultation_id = target.id
    elif kind is FollowKind.NEIGHBOURHOOD:
        row.neighbourhood_id = target.id
    db.session.add(row)
    db.session.flush()
    return row


def unfollow(user: User, key: str) -> bool:
    """Stop following; True if the person was following it."""
    result = db.session.execute(
        delete(Follow).where(Follow.user_id == user.id, Follow.target == key)
    )
    return result.rowcount > 0


def following_keys(user) -> set[str]:
    """The keys of everything this person follows (empty for a visitor)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return set()
    return set(db.session.scalars(select(Follow.target).where(Follow.user_id == user.id)))


def follows_and_unread(user) -> tuple[set[str], int]:
    """What this person follows and how many notifications they have not read, in one
    statement (every signed-in page's header shows the count and its follow buttons need the
    keys: one round trip instead of two)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return set(), 0
    rows = db.session.execute(
        union_all(
            select(Follow.target, literal(0)).where(Follow.user_id == user.id),
            select(literal(None), func.count(Notification.id)).where(
                Notification.user_id == user.id, Notification.read_at.is_(None)
            ),
        )
    ).all()
    keys = {target for target, _ in rows if target is not None}
    unread = sum(int(count or 0) for target, count in rows if target is None)
    return keys, unread


def follows_of(user: User) -> list[Follow]:
    """What this person follows, newest first."""
    return list(
        db.session.scalars(
            select(Follow).where(Follow.user_id == user.id).order_by(Follow.created_at.desc())
        )
    )


def follower_ids(*keys: str, followed_before: datetime | None = None) -> set[int]:
    """The people following any of these keys (optionally only since before a time)."""
    query = select(Follow.user_id).where(Follow.target.in_(keys))
    if followed_before is not None:
        query = query.where(Follow.created_at < followed_before)
    return set(db.session.scalars(query))


def neighbourhoods() -> list[Neighbourhood]:
    """Every neighbourhood of the council, by name, for the settings page."""
    return list(db.session.scalars(select(Neighbourhood).order_by(Neighbourhood.name)))


def set_neighbourhoods(user: User, chosen_ids: Iterable[int]) -> None:
    """Follow exactly these neighbourhoods (and stop following the others)."""
    chosen = {n.id: n for n in neighbourhoods() if n.id in set(chosen_ids)}
    for row in follows_of(user):
        if row.kind is FollowKind.NEIGHBOURHOOD and row.neighbourhood_id not in chosen:
            db.session.delete(row)
    for neighbourhood in chosen.values():
        follow(user, FollowKind.NEIGHBOURHOOD, neighbourhood, label=neighbourhood.name)
    db.session.flush()


# --- how often to email --------------------------------------------------------------------


def frequency_of(user: User) -> Frequency:
    """The person's chosen email frequency (at once, unless they chose otherwise)."""
    row = db.session.get(NotificationSetting, user.id)
    return row.frequency if row is not None else DEFAULT_FREQUENCY


def set_frequency(user: User, frequency: Frequency) -> None:
    """Choose how often to be emailed about notifications."""
    row = db.session.get(NotificationSetting, user.id)
    if row is None:
        row = NotificationSetting(user_id=user.id, frequency=Frequency(frequency))
        db.session.add(row)
    else:
        row.frequency = Frequency(frequency)
    db.session.flush()


def _fingerprint(email: str) -> str:
    return hashlib.sha256(email.lower().encode()).hexdigest()[:16]


def _unsubscribe_serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=UNSUBSCRIBE_SALT)


def unsubscribe_token(user: User) -> str:
    """A signed token that turns this person's notification emails off. It does not expire
    (an unsubscribe link must keep working) but stops working if their email address changes."""
    return _unsubscribe_serializer().dumps({"u": user.id, "e": _fingerprint(user.email)})


def user_for_unsubscribe(token: str) -> User | None:
    """The person an unsubscribe token was made for, or None for a broken or stale token."""
    try:
        data = _unsubscribe_serializer().loads(token)
    except BadSignature:
        return None
    if not isinstance(data, dict) or not isinstance(data.get("u"), int):
        return None
    user = db.session.get(User, data["u"])
    if user is None or _fingerprint(user.email) != data.get("e"):
        return None
    return user


def unsubscribe_url(user: User) -> str:
    """The one-click unsubscribe address for this person's notification emails."""
    return f"{base_url()}/notifications/unsubscribe/{unsubscribe_token(user)}"


# --- telling people ------------------------------------------------------------------------


def notify(
    recipient_ids: Iterable[int],
    kind: NotificationKind,
    text: str,
    link: str,
    *,
    idea_id: int | None = None,
    comment_id: int | None = None,
    exclude: Iterable[int | None] = (),
    already_emailed: Iterable[int] = (),
) -> int:
    """Tell these people something: a notification each, emailed at once to those who chose
    that. ``link`` is a path on this site; ``exclude`` (such as the person who acted) is left
    out; ``already_emailed`` were told by an email of its own (a moderation decision), so no
    digest repeats it. Returns how many people were told."""
    skip = {i for i in exclude if i is not None}
    ids = sorted(set(recipient_ids) - skip)
    if not ids:
        return 0
    emailed = set(already_emailed)
    people = list(
        db.session.scalars(
            select(User).where(
                User.id.in_(ids), User.email_confirmed_at.is_not(None), User.erased_at.is_(None)
            )
        )
    )
    settings = {
        row.user_id: row.frequency
        for row in db.session.scalars(
            select(NotificationSetting).where(NotificationSetting.user_id.in_(ids))
        )
    }
    now = utcnow()
    for person in people:
        row = Notification(
            user_id=person.id,
            kind=kind,
            text=text[:400],
            link=link[:300],
            idea_id=idea_id,
            comment_id=comment_id,
            created_at=now,
        )
        if person.id in emailed:
            row.emailed_at = now
        elif settings.get(person.id, DEFAULT_FREQUENCY) is Frequency.AT_ONCE:
            _email_at_once(person, row)
            row.emailed_at = now
        db.session.add(row)
    db.session.flush()
    return len(people)


def _email_at_once(person: User, notification: Notification) -> None:
    # The subject names no one (the email record is in the recipient's own data download).
    subject = EMAIL_SUBJECTS.get(notification.kind, "News from the conversation you follow")
    queue_email(
        person.email,
        subject,
        "notification",
        unsubscribe=unsubscribe_url(person),
        user=person,
        notification=notification,
        link=base_url() + notification.link,
        settings_link=f"{base_url()}/notifications/settings",
    )


def withdraw_about(*, idea_id: int | None = None, comment_id: int | None = None) -> int:
    """Take back what was said about an idea or comment a moderator hid (except the notice to
    its author that it was hidden): people who may no longer see it are not told about it."""
    query = delete(Notification).where(Notification.kind != NotificationKind.HIDDEN)
    if comment_id is not None:
        query = query.where(Notification.comment_id == comment_id)
    elif idea_id is not None:
        query = query.where(Notification.idea_id == idea_id)
    else:
        return 0
    return db.session.execute(query).rowcount


# --- reading them --------------------------------------------------------------------------


def unread_count(user) -> int:
    """How many of this person's notifications they have not read."""
    if user is None or not getattr(user, "is_authenticated", False):
        return 0
    return db.session.scalar(
        select(func.count(Notification.id)).where(
            Notification.user_id == user.id, Notification.read_at.is_(None)
        )
    )


def notifications_of(user: User, page: int = 1) -> tuple[list[Notification], bool]:
    """One page of this person's notifications, newest first, and whether there are more."""
    rows = list(
        db.session.scalars(
            select(Notification)
            .where(Notification.user_id == user.id)
            .order_by(Notification.created_at.desc(), Notification.id.desc())
            .offset((page - 1) * PAGE_SIZE)
            .limit(PAGE_SIZE + 1)
        )
    )
    return rows[:PAGE_SIZE], len(rows) > PAGE_SIZE


def mark_all_read(user: User) -> int:
    """Mark every notification of this person as read; how many were unread."""
    return db.session.execute(
        update(Notification)
        .where(Notification.user_id == user.id, Notification.read_at.is_(None))
        .values(read_at=utcnow())
    ).rowcount


# --- digests -------------------------------------------------------------------------------


def send_digests(frequency: Frequency, now: datetime | None = None) -> int:
    """Email each person who chose this digest what they have not read or been emailed in the
    last day or week, in one message; how many digests were queued. Running it twice sends
    nothing more (each notification is emailed once)."""
    frequency = Frequency(frequency)
    now = now or utcnow()
    since = now - DIGEST_WINDOW[frequency]
    sent = 0
    settings = db.session.scalars(
        select(NotificationSetting).where(NotificationSetting.frequency == frequency)
    )
    for setting in list(settings):
        rows = list(
            db.session.scalars(
                select(Notification)
                .where(
                    Notification.user_id == setting.user_id,
                    Notification.emailed_at.is_(None),
                    Notification.read_at.is_(None),
                    Notification.created_at >= since,
                )
                .order_by(Notification.created_at)
                .with_for_update(skip_locked=True)
            )
        )
        person = db.session.get(User, setting.user_id)
        if not rows or person is None or person.email_confirmed_at is None:
            continue
        period = "today" if frequency is Frequency.DAILY else "this week"
        queue_email(
            person.email,
            f"Your {'daily' if frequency is Frequency.DAILY else 'weekly'} update: "
            f"{len(rows)} new notification{'s' if len(rows) != 1 else ''}",
            "notification_digest",
            unsubscribe=unsubscribe_url(person),
            user=person,
            notifications=rows,
            period=period,
            base=base_url(),
            settings_link=f"{base_url()}/notifications/settings",
        )
        for row in rows:
            row.emailed_at = now
        setting.last_digest_at = now
        sent += 1
    db.session.flush()
    return sent


# --- consultations opening and closing -----------------------------------------------------

CLOSING_NOTICE = timedelta(days=3)


def announce_consultations(now: datetime | None = None) -> int:
    """Tell the followers of each consultation once when it opens (those who followed it
    before) and once when it has three days or less to run; how many notices went."""
    from .models import Announcement

    now = now or utcnow()
    told = 0
    done = {(row.consultation_id, row.kind) for row in db.session.scalars(select(Announcement))}
    for consultation in db.session.scalars(select(Consultation).order_by(Consultation.id)):
        if not consultation.current_stage(now).is_open or not consultation.has_started(now):
            continue
        key = target_key(FollowKind.CONSULTATION, consultation.id)
        path = f"/consultations/{consultation.slug}"
        if (consultation.id, NotificationKind.CONSULTATION_OPEN) not in done:
            db.session.add(
                Announcement(
                    consultation_id=consultation.id, kind=NotificationKind.CONSULTATION_OPEN
                )
            )
            told += notify(
                follower_ids(key, followed_before=consultation.opens_at or now),
                NotificationKind.CONSULTATION_OPEN,
                f"{consultation.title} is now open for ideas, votes and comments",
                path,
            )
        closes = consultation.closes_at
        if (
            closes is not None
            and closes - now <= CLOSING_NOTICE
            and (consultation.id, NotificationKind.CONSULTATION_CLOSING) not in done
        ):
            db.session.add(
                Announcement(
                    consultation_id=consultation.id, kind=NotificationKind.CONSULTATION_CLOSING
                )
            )
            told += notify(
                follower_ids(key),
                NotificationKind.CONSULTATION_CLOSING,
                f"{consultation.title} closes at {format_datetime(closes)}: "
                "have your say before then",
                path,
            )
    db.session.flush()
    return told
