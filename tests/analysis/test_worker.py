"""A real worker process (``flask kil worker``) takes the recompute job off the SQLite queue
and stores the results, which the site then reads as current."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

from huey.storage import SqliteStorage

from kil_consult import jobs
from kil_consult.analysis import results
from kil_consult.analysis.tasks import queue_recompute
from kil_consult.extensions import db as _db

from ..factories import make_consultation
from .test_results import two_camps

ROOT = Path(__file__).resolve().parents[2]


def test_a_worker_process_recomputes_queued_results(app, database_url, db, tmp_path):
    consultation = make_consultation()
    two_camps(consultation, per_camp=8)
    assert results.cached_result(consultation) is None
    queue_file = tmp_path / "jobs.sqlite3"
    jobs.huey._immediate = False
    jobs.huey.storage = SqliteStorage(jobs.huey.name, filename=str(queue_file))
    try:
        assert queue_recompute(consultation)
        assert not queue_recompute(consultation)  # queued once
        assert jobs.huey.pending_count() == 1
        settings = {
            "SQLALCHEMY_DATABASE_URI": database_url,
            "SECRET_KEY": app.config["SECRET_KEY"],
            "KIL_JOBS_PATH": str(queue_file),
            "RATELIMIT_ENABLED": False,
        }
        command = [
            str(Path(sys.executable).with_name("flask")),
            "--app",
            f"kil_consult:create_app({settings!r})",
            "kil",
            "worker",
        ]
        env = os.environ | {"PYTHONPATH": str(ROOT)}
        worker = subprocess.Popen(  # noqa: S603 - a fixed local command
            command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
        )
        try:
            deadline = time.monotonic() + 120
            row = None
            while time.monotonic() < deadline:
                row = results.cached_result(consultation, fresh=True)
                _db.session.rollback()  # a new snapshot on the next look
                if row is not None and row.computed_at is not None:
                    break
                assert worker.poll() is None, worker.stdout.read().decode()
                time.sleep(0.5)
        finally:
            worker.terminate()
            output = worker.communicate(timeout=30)[0].decode()
        assert row is not None and row.computed_at is not None, output
        assert jobs.huey.pending_count() == 0
        shown = results.current_results(consultation, fresh=True)
        assert shown.current and shown.state == "ready"
        assert [g.size for g in shown.groups] == [8, 8]
    finally:
        jobs.init_jobs(app)
