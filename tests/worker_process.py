"""A real ``flask kil worker`` process on a SQLite queue, for the tests of the job queue."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

from huey.storage import SqliteStorage

from kil_consult import jobs

ROOT = Path(__file__).resolve().parents[1]


@contextmanager
def queue_on_disk(app, queue_file: Path):
    """Jobs queued in this block wait in ``queue_file`` instead of running where queued."""
    jobs.huey._immediate = False
    jobs.huey.storage = SqliteStorage(jobs.huey.name, filename=str(queue_file))
    try:
        yield jobs.huey
    finally:
        jobs.init_jobs(app)


@contextmanager
def worker(app, database_url: str, queue_file: Path, **settings):
    """A worker process taking jobs from ``queue_file``, stopped when the block ends; yields
    the process (its output is read when it stops)."""
    config = {
        "SQLALCHEMY_DATABASE_URI": database_url,
        "SECRET_KEY": app.config["SECRET_KEY"],
        "KIL_JOBS_PATH": str(queue_file),
        "RATELIMIT_ENABLED": False,
        **settings,
    }
    command = [
        str(Path(sys.executable).with_name("flask")),
        "--app",
        f"kil_consult:create_app({config!r})",
        "kil",
        "worker",
    ]
    env = os.environ | {"PYTHONPATH": str(ROOT)}
    process = subprocess.Popen(  # noqa: S603 - a fixed local command
        command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
    )
    try:
        yield process
    finally:
        process.terminate()
        process.communicate(timeout=30)


def wait_until(condition, process, timeout: float = 120) -> bool:
    """Poll ``condition`` until it holds (True) or the time is up (False); fails at once if
    the worker died."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        assert process.poll() is None, process.stdout.read().decode()
        time.sleep(0.3)
    return False
