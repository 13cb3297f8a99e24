"""The hub's jobs: every 15 minutes the worker harvests the member councils that are due (a
council that answers is asked again hourly; one that is down is retried after 5 minutes, then
10, 20... up to 6 hours), and an admin's "harvest now" queues one harvest of every member.
Each commits its own work, one council at a time, and does nothing outside hub mode."""

from __future__ import annotations

import logging
from datetime import datetime

from huey import crontab

from ..extensions import db
from ..jobs import app_for_jobs, huey
from . import hub

log = logging.getLogger("kil_consult.network")


def harvest_members(everyone: bool = False, now: datetime | None = None) -> dict[str, int]:
    """Harvest the members that are due (or all of them); how many ended in each status."""
    counts: dict[str, int] = {}
    chosen = hub.members() if everyone else hub.due_members(now)
    for member_id in [m.id for m in chosen]:
        member = db.session.get(hub.MemberCouncil, member_id)
        try:
            result = hub.harvest(member, now)
            db.session.commit()
        except Exception:
            db.session.rollback()
            log.exception("Harvesting member council %s failed", member_id)
            continue
        counts[result.status.value] = counts.get(result.status.value, 0) + 1
    return counts


def _run(everyone: bool) -> dict[str, int]:
    app = app_for_jobs()
    if app.config.get("KIL_MODE") != "hub":
        return {}
    with app.app_context():
        return harvest_members(everyone)


@huey.periodic_task(crontab(minute="*/15"))
def harvest_due() -> dict[str, int]:
    """Harvest the member councils whose next harvest is due."""
    return _run(everyone=False)


@huey.task()
def harvest_all_now() -> dict[str, int]:
    """Harvest every member council now (an admin asked)."""
    return _run(everyone=True)
