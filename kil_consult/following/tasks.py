"""The notification jobs the worker runs on a schedule: the daily digest (07:00 UTC), the
weekly digest (Mondays, 07:00 UTC) and the consultation notices (every 15 minutes: opened,
closing in three days or less). Each commits its own work and is safe to run twice."""

from __future__ import annotations

import logging

from huey import crontab

from ..extensions import db
from ..jobs import app_for_jobs, huey
from .models import Frequency
from .services import announce_consultations, send_digests

log = logging.getLogger("kil_consult.following")


def _run(work, *args) -> int:
    from ..notifications.delivery import deliver, due_message_ids

    with app_for_jobs().app_context():
        try:
            count = work(*args)
            db.session.commit()
        except Exception:
            db.session.rollback()
            log.exception("Notification job %s failed", work.__name__)
            raise
        deliver(due_message_ids(limit=500))
        return count


@huey.periodic_task(crontab(hour="7", minute="0"))
def daily_digest() -> int:
    """Email the daily digests; how many went."""
    return _run(send_digests, Frequency.DAILY)


@huey.periodic_task(crontab(day_of_week="1", hour="7", minute="0"))
def weekly_digest() -> int:
    """Email the weekly digests; how many went."""
    return _run(send_digests, Frequency.WEEKLY)


@huey.periodic_task(crontab(minute="*/15"))
def consultation_notices() -> int:
    """Tell followers that a consultation has opened or closes soon; how many were told."""
    return _run(announce_consultations)


@huey.task()
def send_digests_now(frequency: str) -> int:
    """The same digest, queued by ``flask kil send-digests`` (for cron instead of the worker's
    schedule, or to send one by hand)."""
    return _run(send_digests, Frequency(frequency))
