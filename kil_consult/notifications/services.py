"""Queue email in the request's transaction.

``queue_email`` adds an ``OutboxMessage`` to the current transaction, so an email exists only
if the change that caused it was committed. Sending it, after the commit, is ``delivery``'s.
"""

from __future__ import annotations

from flask import g, has_request_context, render_template

from ..extensions import db
from .models import OutboxMessage


def queue_email(
    recipient: str, subject: str, template: str, unsubscribe: str | None = None, **context
) -> OutboxMessage:
    """Render ``templates/email/<template>.txt`` and queue it to go once the transaction commits.
    ``unsubscribe`` is the one-click unsubscribe address of a notification email: it goes into
    the ``List-Unsubscribe`` headers (and the template sees it as ``unsubscribe``)."""
    body = render_template(f"email/{template}.txt", unsubscribe=unsubscribe, **context)
    message = OutboxMessage(
        recipient=recipient, subject=subject, body=body, unsubscribe_url=unsubscribe
    )
    db.session.add(message)
    db.session.flush()
    if has_request_context():
        g.setdefault("kil_outbox_ids", []).append(message.id)
    return message
