"""The email jobs: the outbox is sent by the worker, never by the web worker that queued it.

A request that queued email queues ``send_email`` with those messages' ids after its commit;
``retry_email`` runs every minute on the worker and sends whatever is due (failed sends come
back with a back-off, and messages whose job was lost are picked up here too). Sending is
``delivery.deliver``: each message claimed and its outcome saved in a commit of its own, so
two workers never send one message twice.
"""

from __future__ import annotations

from huey import crontab

from ..jobs import app_for_jobs, huey
from .delivery import deliver, due_message_ids


@huey.task(retries=2, retry_delay=60)
def send_email(message_ids: list[int]) -> int:
    """Send these messages now, then up to five older ones due for a retry; how many went."""
    with app_for_jobs().app_context():
        sent = deliver(message_ids)
        return sent + deliver([i for i in due_message_ids(limit=5) if i not in message_ids])


@huey.periodic_task(crontab(minute="*"))
def retry_email() -> int:
    """Every minute: send every message that is due (retries, and any whose job was lost)."""
    with app_for_jobs().app_context():
        total = 0
        while ids := due_message_ids(limit=100):
            sent = deliver(ids)
            total += sent
            if sent == 0:
                break
        return total
