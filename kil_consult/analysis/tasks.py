"""The results job: recompute a consultation's analysis on the worker, never in a request.

A page that finds its results out of date queues ``recompute_results`` (once, however many
people look) and shows the last result with its state; staff queue it with "Recompute now".
"""

from __future__ import annotations

import logging

from ..consultations.models import Consultation
from ..extensions import db
from ..jobs import app_for_jobs, clear_queued, huey, mark_queued
from . import results
from .results import QUEUED_FOR, queued_key
from .values import ConsultationResults

log = logging.getLogger("kil_consult.analysis")


@huey.task(retries=2, retry_delay=30)
def recompute_results(consultation_id: int, force: bool = False) -> bool:
    """Recompute and store one consultation's results, committing once; True if it did.

    Skips a consultation that is gone, already current (unless ``force``: staff asked), or
    being computed by someone else.
    On failure the old result stays, the mark is released and Huey retries the job.
    """
    with app_for_jobs().app_context():  # its own session, whatever queued it
        clear_queued(queued_key(consultation_id))
        consultation = db.session.get(Consultation, consultation_id)
        if consultation is None or not (force or results.is_stale(consultation)):
            return False
        claimed = results.claim(consultation)
        db.session.commit()  # others see the mark while this job computes
        if not claimed:
            return False
        try:
            results.recompute(consultation)
            db.session.commit()
        except Exception:
            log.exception("Analysis of consultation %s failed", consultation_id)
            db.session.rollback()
            results.release(consultation_id)
            db.session.commit()
            raise
        return True


def queue_recompute(consultation: Consultation, force: bool = False) -> bool:
    """Queue a recomputation unless one is already waiting; True if this call queued it."""
    if not mark_queued(queued_key(consultation.id), stale_after=QUEUED_FOR.total_seconds()):
        return False
    recompute_results(consultation.id, force)
    return True


def fresh_results(consultation: Consultation) -> ConsultationResults:
    """The results for a page: the stored ones, with a recomputation queued if they are out of
    date (for a consultation of up to ``KIL_ANALYSIS_INLINE_VOTES`` votes; larger ones wait
    for cron or staff). Writes nothing to the database itself."""
    shown = results.current_results(consultation)
    if shown.current or shown.computing or (shown.large and shown.available):
        return shown
    queue_recompute(consultation)
    if huey.immediate:  # the job has run already (tests that ask for it)
        shown = results.current_results(consultation, fresh=True)
    return shown
