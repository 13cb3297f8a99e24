"""Background jobs: one Huey queue, and the ``flask --app app kil worker`` that runs it.

The queue is SQLite under the instance folder by default (nothing to install or run beside
the web server), Redis when ``KIL_REDIS_URL`` is set. With ``KIL_JOBS_IMMEDIATE`` (tests that
ask for it) a job runs at once, in the process that queued it, on an in-memory queue.

A job is a function decorated with ``@huey.task()`` in its area (``analysis/tasks.py``); it
pushes its own app context, so it gets its own database session and commits its own work.
``create_app`` imports the task modules, so the worker knows every job by name.
"""

from __future__ import annotations

import logging
import time
from pathlib import Path

import click
from flask import Flask, current_app, has_app_context
from flask.cli import with_appcontext
from huey import Huey
from huey.storage import MemoryStorage, RedisStorage, SqliteStorage

log = logging.getLogger("kil_consult.jobs")

# Bound to real storage by ``init_jobs``; until then (and in immediate mode) it is in memory.
huey = Huey("kil-consult", storage_class=MemoryStorage, results=False)
_apps: list[Flask] = []


def queue_path(app: Flask) -> Path:
    """Where the SQLite queue lives: ``KIL_JOBS_PATH`` if set (tests), else the instance
    folder, beside the app's own SQLite database."""
    return Path(app.config.get("KIL_JOBS_PATH") or Path(app.instance_path) / "jobs.sqlite3")


def init_jobs(app: Flask) -> None:
    """Bind the queue to the app's settings; ``bound_queue`` rebinds it to whichever app is
    current when a job is queued, so several apps in one process (tests) each get their own."""
    _bind(app)


def bound_queue() -> Huey:
    """The queue, bound to the current app's settings (rebound if another app was made since)."""
    if has_app_context():
        app = current_app._get_current_object()
        if not _apps or _apps[0] is not app:
            _bind(app)
    return huey


def _bind(app: Flask) -> None:
    immediate = bool(app.config.get("KIL_JOBS_IMMEDIATE", False))
    redis_url = app.config.get("REDIS_URL") or ""
    huey.immediate_use_memory = True
    huey._immediate = immediate
    if immediate:
        huey.storage_class, huey.storage_kwargs = MemoryStorage, {}
    elif redis_url:
        huey.storage_class, huey.storage_kwargs = RedisStorage, {"url": redis_url}
    else:
        huey.storage_class = SqliteStorage
        huey.storage_kwargs = {"filename": str(queue_path(app)), "timeout": 30}
    huey.storage = huey.create_storage()
    _apps[:] = [app]


def app_for_jobs() -> Flask:
    """The app a job runs in: the current one, else the one the worker was started with."""
    if has_app_context():
        return current_app._get_current_object()
    if not _apps:
        raise RuntimeError("init_jobs(app) has not been called in this process")
    return _apps[0]


# --- "queued" marks: a job queued once, however many pages ask for it ----------------------


def mark_queued(key: str, stale_after: float) -> bool:
    """Mark ``key`` as queued now; False if it already is (and the mark is not stale)."""
    bound_queue()
    if huey.put_if_empty(key, time.time()):
        return True
    queued_at = huey.get(key, peek=True)
    if queued_at is not None and time.time() - queued_at < stale_after:
        return False
    huey.delete(key)  # a job lost with its queue (or a crashed worker): queue it again
    return huey.put_if_empty(key, time.time())


def queued_since(key: str) -> float | None:
    """When ``key`` was marked queued (a Unix time), or None."""
    return bound_queue().get(key, peek=True)


def clear_queued(key: str) -> None:
    """The job has started: it is no longer waiting in the queue."""
    huey.delete(key)


@click.command("worker")
@click.option("--workers", default=1, show_default=True, help="Jobs run at the same time.")
@click.option(
    "--periodic/--no-periodic",
    default=True,
    show_default=True,
    help="Also run the scheduled jobs (digests, consultation notices); run them on one worker.",
)
@with_appcontext
def worker_command(workers: int, periodic: bool) -> None:
    """Run the background jobs (results recomputation, notification digests) until stopped."""
    if huey.immediate:
        raise click.UsageError("KIL_JOBS_IMMEDIATE is set: jobs run where they are queued.")
    click.echo(f"kil-consult worker: {workers} worker(s) on {huey.storage.__class__.__name__}")
    consumer = huey.create_consumer(workers=workers, worker_type="thread", periodic=periodic)
    consumer.run()
