"""Send queued email after the commit, and retry what failed.

After each request ``deliver_queued`` hands the messages that request queued
(``services.queue_email``) to the job queue; the worker sends them (``tasks.py``), and retries
what is due every minute (``flask kil send-mail`` does the same from cron). Each
message is claimed and its outcome saved in a commit of its own, outside the request's
transaction, so two workers never send one message twice. A failure to send is logged and
scheduled for another attempt; it never turns a request into an error page.
"""

from __future__ import annotations

import logging
import smtplib
from datetime import timedelta
from email.message import EmailMessage
from email.utils import make_msgid

from flask import current_app, g, has_request_context
from sqlalchemy import select, update

from ..extensions import db
from ..timeutil import utcnow
from .models import OutboxMessage

log = logging.getLogger("kil_consult.mail")

MAX_ATTEMPTS = 8
CLAIM_SECONDS = 120


def _retry_delay(attempts: int) -> timedelta:
    return timedelta(minutes=min(2**attempts, 24 * 60))


def _claim(message_id: int) -> bool:
    """Mark a message as being sent so that two workers never send it twice."""
    now = utcnow()
    result = db.session.execute(
        update(OutboxMessage)
        .where(
            OutboxMessage.id == message_id,
            OutboxMessage.sent_at.is_(None),
            OutboxMessage.next_attempt_at <= now,
        )
        .values(next_attempt_at=now + timedelta(seconds=CLAIM_SECONDS))
    )
    db.session.commit()
    return result.rowcount == 1


def _send(message: OutboxMessage) -> None:
    config = current_app.config
    email = EmailMessage()
    email["From"] = config["MAIL_SENDER"]
    email["To"] = message.recipient
    email["Subject"] = message.subject
    email["Message-ID"] = make_msgid(domain="kil-consult")
    if message.unsubscribe_url:
        email["List-Unsubscribe"] = f"<{message.unsubscribe_url}>"
        email["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    email.set_content(message.body)
    if not config.get("MAIL_SERVER"):
        # The headers and the text as written: the encoded message (quoted-printable) would
        # break long links at a trailing "=", so a link copied from the log would fail.
        headers = "".join(f"{name}: {value}\n" for name, value in email.items())
        log.info("Email (no KIL_MAIL_SERVER set, so logged only)\n%s\n%s", headers, message.body)
        return
    with smtplib.SMTP(
        config["MAIL_SERVER"], config["MAIL_PORT"], timeout=config["MAIL_TIMEOUT"]
    ) as smtp:
        if config.get("MAIL_USE_TLS"):
            smtp.starttls()
        if config.get("MAIL_USERNAME"):
            smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"])
        smtp.send_message(email)


def deliver(message_ids: list[int]) -> int:
    """Try to send these messages now; return how many went. Never raises for a send failure."""
    sent = 0
    for message_id in message_ids:
        if not _claim(message_id):
            continue
        message = db.session.get(OutboxMessage, message_id)
        try:
            _send(message)
        except (OSError, smtplib.SMTPException) as exc:
            message.attempts += 1
            message.last_error = f"{type(exc).__name__}: {exc}"[:2000]
            if message.attempts >= MAX_ATTEMPTS:
                log.error("Giving up on email %s to %s: %s", message.id, message.recipient, exc)
                message.next_attempt_at = utcnow() + timedelta(days=3650)
            else:
                message.next_attempt_at = utcnow() + _retry_delay(message.attempts)
                log.warning(
                    "Email %s failed (attempt %s), will retry: %s",
                    message.id,
                    message.attempts,
                    exc,
                )
        else:
            message.attempts += 1
            message.sent_at = utcnow()
            message.last_error = ""
            sent += 1
        db.session.commit()
    return sent


def due_message_ids(limit: int = 50) -> list[int]:
    """Messages not yet sent whose next attempt is due, oldest first."""
    return list(
        db.session.scalars(
            select(OutboxMessage.id)
            .where(OutboxMessage.sent_at.is_(None), OutboxMessage.next_attempt_at <= utcnow())
            .order_by(OutboxMessage.id)
            .limit(limit)
        )
    )


def deliver_queued() -> int:
    """After a request: hand the messages it queued to the worker (``tasks.send_email``);
    returns how many were handed over. The web worker never talks to the mail server."""
    ids = g.pop("kil_outbox_ids", []) if has_request_context() else []
    if not ids:
        return 0
    from .tasks import send_email

    try:
        db.session.rollback()  # the request's transaction is over (committed or not)
        send_email(ids)
    except Exception:  # noqa: BLE001 - queueing email must never break the page
        log.exception("Could not queue email; it stays in the outbox for the retry job")
        db.session.rollback()
        return 0
    return len(ids)
