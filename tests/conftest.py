"""Fixtures: the app on a real database (SQLite, or PostgreSQL when KIL_TEST_DATABASE_URL is
set), migrated to head; a real SMTP server on loopback; a client and ``login_as``."""

from __future__ import annotations

import os
import uuid
from pathlib import Path

import pytest
from flask_migrate import upgrade
from hypothesis import settings
from sqlalchemy import create_engine, inspect, text

from kil_consult import create_app
from kil_consult.accounts.models import Role
from kil_consult.extensions import db as _db
from kil_consult.extensions import limiter
from kil_consult.ideas.similar import forget_indexes

from . import factories
from .mailbox import start_smtp_server

POSTGRES_URL = os.environ.get("KIL_TEST_DATABASE_URL", "")

# Every Hypothesis test draws the same cases on every run and machine (no random seed, no
# example database carried over from an earlier run): the suite never passes or fails by luck.
settings.register_profile("kil", derandomize=True, database=None, print_blob=True)
settings.load_profile("kil")


def _normalise(url: str) -> str:
    if url.startswith("postgresql://"):
        return "postgresql+psycopg://" + url[len("postgresql://") :]
    return url


def _reset_postgres(url: str) -> None:
    """Drop everything in the public schema so migrations start from an empty database."""
    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    engine.dispose()


def _worker_database(url: str) -> str:
    """Under pytest-xdist each worker gets its own PostgreSQL database (``test_gw0``...),
    created next to the configured one, so parallel workers never share tables."""
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if not worker:
        return url
    from sqlalchemy.engine import make_url

    base = make_url(url)
    name = f"{base.database}_{worker}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        exists = connection.execute(
            text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": name}
        ).scalar()
        if not exists:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return base.set(database=name).render_as_string(hide_password=False)


@pytest.fixture(scope="session")
def database_url(tmp_path_factory) -> str:
    if POSTGRES_URL:
        url = _worker_database(_normalise(POSTGRES_URL))
        _reset_postgres(url)
        return url
    path = Path(tmp_path_factory.mktemp("db")) / "test.sqlite3"
    return f"sqlite:///{path}"


@pytest.fixture(scope="session")
def smtp():
    controller, mailbox = start_smtp_server()
    yield mailbox, controller.port
    controller.stop()


@pytest.fixture(scope="session")
def app(database_url, smtp):
    _mailbox, port = smtp
    app = create_app(
        {
            "TESTING": True,
            "SQLALCHEMY_DATABASE_URI": database_url,
            "SECRET_KEY": "test-secret-key-that-is-long-enough-1234",
            "WTF_CSRF_ENABLED": False,
            "MAIL_SERVER": "127.0.0.1",
            "MAIL_PORT": port,
            "MAIL_SENDER": "Test Council <kil@example.org>",
            "KIL_BASE_URL": "http://localhost",
            "KIL_JOBS_IMMEDIATE": True,  # jobs run where queued; test_worker.py starts a worker
            "SERVER_NAME": None,
        }
    )
    with app.app_context():
        upgrade()
    app.extensions["kil_test_limiter"] = dict(vars(limiter))  # see ``db`` below
    yield app
    with app.app_context():
        _db.engine.dispose()


@pytest.fixture
def mailbox(smtp):
    box, _port = smtp
    box.clear()
    yield box
    box.clear()


_RESTART_SEQUENCES = (
    "SELECT setval(c.oid::regclass, 1, false) FROM pg_class c"
    " JOIN pg_namespace n ON n.oid = c.relnamespace"
    " WHERE c.relkind = 'S' AND n.nspname = current_schema()"
)


def _empty_tables(app) -> None:
    """Delete every row, children first, and start ids at 1 again (as a new database would).

    On PostgreSQL one round trip: each table's DELETE and every sequence back to 1. TRUNCATE of
    the sixty tables took about 600 ms a test on this machine (DELETE of tables holding a
    test's few rows, under 10 ms): most of the PostgreSQL pass's time.
    """
    with app.app_context():
        _db.session.remove()
        names = [t.name for t in reversed(_db.metadata.sorted_tables)]
        with _db.engine.begin() as connection:
            existing = set(inspect(connection).get_table_names())
            present = [name for name in names if name in existing]
            if connection.dialect.name == "postgresql":
                deletes = "".join(f'DELETE FROM "{name}"; ' for name in present)
                connection.exec_driver_sql(deletes + _RESTART_SEQUENCES)
            else:
                for name in present:
                    connection.execute(text(f'DELETE FROM "{name}"'))


@pytest.fixture(autouse=True)
def db(app):
    """Every test starts with empty tables, fresh rate limits and an app context.

    The limiter is one object for every app in the process, and each ``create_app`` sets it
    up again: an app made by an earlier test (with ``RATELIMIT_ENABLED`` off, or another
    store) left every later test in that process unlimited, and the rate-limit tests failed
    whenever pytest-xdist happened to run one after it. It is put back as the test app made it.
    """
    _empty_tables(app)
    vars(limiter).update(app.extensions["kil_test_limiter"])
    limiter.reset()
    forget_indexes()
    with app.app_context():
        yield _db
        _db.session.remove()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def council(db):
    council = factories.make_council()
    db.session.commit()
    return council


@pytest.fixture
def login_as(client, db):
    """Sign in as a new user with a role (or as a given user) through the real sign-in page."""

    def sign_in(role: Role | str | object = Role.RESIDENT, confirmed: bool = True):
        user = role if hasattr(role, "email") else factories.make_user(role, confirmed=confirmed)
        db.session.commit()
        response = client.post(
            "/account/sign-in", data={"email": user.email, "password": factories.PASSWORD}
        )
        assert response.status_code == 302, response.data
        return user

    return sign_in


def pytest_report_header(config):
    return f"database: {'PostgreSQL' if POSTGRES_URL else 'SQLite'}"


@pytest.fixture(params=["redis", "local"])
def cache(request, app, db, tmp_path):
    """The cache over Redis (a cluster) and over the local file store (the embedded default)."""
    from kil_consult.cache import ContentCache
    from kil_consult.cache_store import LocalStore, RedisStore

    if request.param == "redis":
        import redis

        from .test_rate_limits import REDIS

        client = redis.Redis(host=REDIS[0], port=REDIS[1], db=14)
        store = RedisStore(client, namespace=f"test-{uuid.uuid4().hex}:")  # runs side by side
    else:
        store = LocalStore(tmp_path / "cache.sqlite3")
    app.extensions["kil_cache"] = ContentCache(store)
    yield app.extensions["kil_cache"]
    del app.extensions["kil_cache"]
    store.clear()
