"""The download jobs: the worker makes a large download's file and keeps its state."""

from __future__ import annotations

import logging

from huey import crontab
from sqlalchemy import update

from ..extensions import db
from ..jobs import app_for_jobs, huey
from ..timeutil import utcnow
from . import prepared
from .models import DownloadState, PreparedDownload

log = logging.getLogger("kil_consult.exports")


@huey.task(retries=1, retry_delay=10, context=True)
def build_download(download_id: int, task=None) -> bool:
    """Make one prepared download's file and store it (its own commits); True if it did.

    Claims the row first (queued to running), so two workers never make it twice. A failure
    is retried once; after that the download shows as failed, with a way to ask again.
    """
    with app_for_jobs().app_context():
        claimed = db.session.execute(
            update(PreparedDownload)
            .where(
                PreparedDownload.id == download_id,
                PreparedDownload.state == DownloadState.QUEUED,
            )
            .values(state=DownloadState.RUNNING, started_at=utcnow(), progress=0)
        )
        db.session.commit()
        if claimed.rowcount != 1:
            return False
        download = db.session.get(PreparedDownload, download_id)
        try:
            content = prepared.build(download)
        except Exception as exc:
            db.session.rollback()
            last_try = task is None or not task.retries
            log.exception("Download %s failed", download_id)
            db.session.execute(
                update(PreparedDownload)
                .where(PreparedDownload.id == download_id)
                .values(
                    state=DownloadState.FAILED if last_try else DownloadState.QUEUED,
                    error=type(exc).__name__,
                    finished_at=utcnow() if last_try else None,
                )
            )
            db.session.commit()
            if last_try:
                return False
            raise
        download = db.session.get(PreparedDownload, download_id)
        download.content = content
        download.size = len(content)
        download.progress = 100
        download.state = DownloadState.READY
        download.finished_at = utcnow()
        db.session.commit()
        return True


@huey.periodic_task(crontab(minute="17"))
def purge_downloads() -> int:
    """Every hour: delete prepared downloads older than a day."""
    with app_for_jobs().app_context():
        gone = prepared.purge_old_downloads()
        db.session.commit()
        return gone
