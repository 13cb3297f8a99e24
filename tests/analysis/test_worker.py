"""A real worker process (``flask kil worker``) takes the recompute job off the SQLite queue
and stores the results, which the site then reads as current."""

from __future__ import annotations

from kil_consult.analysis import results
from kil_consult.analysis.tasks import queue_recompute
from kil_consult.extensions import db as _db

from ..factories import make_consultation
from ..worker_process import queue_on_disk, wait_until, worker
from .test_results import two_camps


def test_a_worker_process_recomputes_queued_results(app, database_url, db, tmp_path):
    consultation = make_consultation()
    two_camps(consultation, per_camp=8)
    assert results.cached_result(consultation) is None
    queue_file = tmp_path / "jobs.sqlite3"
    with queue_on_disk(app, queue_file) as queue:
        assert queue_recompute(consultation)
        assert not queue_recompute(consultation)  # queued once
        assert queue.pending_count() == 1

        def computed() -> bool:
            row = results.cached_result(consultation, fresh=True)
            _db.session.rollback()  # a new snapshot on the next look
            return row is not None and row.computed_at is not None

        with worker(app, database_url, queue_file) as process:
            assert wait_until(computed, process)
        assert queue.pending_count() == 0
        shown = results.current_results(consultation, fresh=True)
        assert shown.current and shown.state == "ready"
        assert [g.size for g in shown.groups] == [8, 8]
