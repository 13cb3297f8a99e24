"""Email is sent by the worker, never by the web worker whose request queued it."""

from __future__ import annotations

from kil_consult.extensions import db as _db
from kil_consult.notifications.models import OutboxMessage

from .test_accounts import sign_up
from .worker_process import queue_on_disk, wait_until, worker


def test_a_worker_process_sends_the_email_a_request_queued(
    app, client, database_url, db, council, mailbox, smtp, tmp_path
):
    queue_file = tmp_path / "jobs.sqlite3"
    with queue_on_disk(app, queue_file) as queue:
        answer = sign_up(client, email="queued.person@example.org")
        assert answer.status_code in (200, 302), answer.get_data(as_text=True)[:500]
        message = _db.session.scalar(
            _db.select(OutboxMessage).where(OutboxMessage.recipient == "queued.person@example.org")
        )
        assert message is not None and message.sent_at is None
        assert mailbox.to("queued.person@example.org") == []  # the request sent nothing
        assert queue.pending_count() == 1
        _port = smtp[1]
        with worker(
            app, database_url, queue_file, MAIL_SERVER="127.0.0.1", MAIL_PORT=_port
        ) as process:
            assert wait_until(lambda: mailbox.to("queued.person@example.org"), process)
        assert queue.pending_count() == 0
    _db.session.expire_all()
    assert _db.session.get(OutboxMessage, message.id).sent_at is not None
