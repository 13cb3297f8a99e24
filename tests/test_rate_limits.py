"""Rate limits answer 429 with Retry-After and a clear message, with the in-memory store
(the test app) and with Redis (KIL_REDIS_URL), in a separate process so that the limiter of
the test app is left alone."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import textwrap
import uuid

import pytest

from .factories import make_idea

REDIS = ("127.0.0.1", 6379)


def redis_is_up() -> bool:
    try:
        with socket.create_connection(REDIS, timeout=0.5):
            return True
    except OSError:
        return False


def test_votes_are_limited_per_account(client, council, db, login_as):
    idea = make_idea()
    db.session.commit()
    login_as("resident")
    statuses = [
        client.post(f"/ideas/{idea.id}/vote", data={"value": "agree"}).status_code
        for _ in range(121)
    ]
    assert statuses[:120] == [303] * 120 and statuses[120] == 429


def test_reports_are_limited_per_account(client, council, db, login_as):
    ideas = [make_idea() for _ in range(21)]
    db.session.commit()
    login_as("resident")
    statuses = [
        client.post(f"/report/idea/{idea.id}", data={"reason": "spam"}).status_code
        for idea in ideas
    ]
    assert statuses[:20] == [302] * 20 and statuses[20] == 429


def test_limits_are_shared_through_redis(tmp_path):
    """Two app instances (two workers) share one Redis store: the limit counts both."""
    if not redis_is_up():  # fail, never skip: `make test` starts one (.ci/ensure-tools)
        pytest.fail(f"Redis is not answering on {REDIS[0]}:{REDIS[1]} (run `make tools`)")
    script = textwrap.dedent(
        f"""
        import redis
        from kil_consult import create_app
        url = "redis://{REDIS[0]}:{REDIS[1]}/15"
        prefix = "{uuid.uuid4().hex}"  # this run's own counts: suites may run side by side
        def make():
            return create_app({{
                "SQLALCHEMY_DATABASE_URI": "sqlite:///{tmp_path}/r.sqlite3",
                "RATELIMIT_STORAGE_URI": url,
                "RATELIMIT_KEY_PREFIX": prefix,
                "WTF_CSRF_ENABLED": False,
                "SECRET_KEY": "x" * 40,
            }})
        first = make()
        with first.app_context():
            from kil_consult.extensions import db
            db.create_all()
        data = {{"email": "target@example.org", "password": "wrong-password-1"}}
        statuses = [first.test_client().post("/account/sign-in", data=data).status_code
                    for _ in range(6)]
        second = make()
        statuses += [second.test_client().post("/account/sign-in", data=data).status_code
                     for _ in range(5)]
        response = second.test_client().post("/account/sign-in", data=data)
        print(statuses, response.status_code, response.headers.get("Retry-After"))
        assert statuses[:10] == [400] * 10 and statuses[10] == 429, statuses
        assert response.status_code == 429 and response.headers["Retry-After"]
        assert b"too many times" in response.data
        kept = list(redis.Redis.from_url(url).scan_iter(f"*{{prefix}}*"))
        assert kept, "no count was kept in Redis"
        redis.Redis.from_url(url).delete(*kept)
        """
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "KIL_RATELIMIT_ENABLED": "true"},
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_embedded_default_counts_in_the_worker_without_a_thread(monkeypatch):
    """The embedded default's store (``worker-memory://``) counts, expires and sweeps inline:
    no request starts a thread (``limits``' own memory store started a timer on most)."""
    import threading
    import time

    from limits import parse
    from limits.storage import storage_from_string
    from limits.strategies import FixedWindowRateLimiter

    from kil_consult.config import settings_from_environ
    from kil_consult.extensions import WorkerMemoryStorage

    monkeypatch.delenv("KIL_REDIS_URL", raising=False)
    assert settings_from_environ()["RATELIMIT_STORAGE_URI"] == "worker-memory://"
    storage = storage_from_string("worker-memory://")
    assert isinstance(storage, WorkerMemoryStorage)
    started = []
    monkeypatch.setattr(threading.Thread, "start", lambda thread: started.append(thread))
    limiter = FixedWindowRateLimiter(storage)
    limit = parse("3 per second")
    assert [limiter.hit(limit, "resident-1") for _ in range(4)] == [True, True, True, False]
    assert limiter.hit(limit, "resident-2")  # another person's count is their own
    assert started == []
    # once the window has passed, a count reads as expired and the next sweep frees it
    later = time.time() + 10_000
    monkeypatch.setattr(time, "time", lambda: later)
    assert storage.get(limit.key_for("resident-1")) == 0
    storage._swept_at -= WorkerMemoryStorage.SWEEP_SECONDS
    limiter.hit(limit, "resident-3")
    assert limit.key_for("resident-2") not in storage.storage
    assert started == []
