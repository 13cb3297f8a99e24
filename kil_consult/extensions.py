"""Flask extensions, created unbound here and bound to the app in ``create_app``."""

from __future__ import annotations

import time

from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager, current_user
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect
from limits.storage import MemoryStorage
from sqlalchemy import MetaData
from sqlalchemy.orm import DeclarativeBase

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    """Declarative base whose constraints get stable names on every database."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


# Made by a migration only, never by the models: the search's FTS5 tables (and their shadow
# tables) on SQLite, its generated tsvector columns and their GIN indexes on PostgreSQL
# (kil_consult/ideas/search.py).
SEARCH_OBJECTS = (
    "ideas_fts",
    "comments_fts",
    "ix_ideas_search",
    "ix_comments_search",
    "search_vector",
)


def include_object(obj, name, type_, reflected, compare_to) -> bool:
    """For Alembic's comparisons: leave out indexes on expressions (``info={"compare": False}``).
    Each database prints an expression its own way, so they live in their migration only."""
    if name and name.startswith(SEARCH_OBJECTS):
        return False
    if type_ == "index":
        for index in (obj, compare_to):
            if index is not None and index.info.get("compare") is False:
                return False
    return True


db = SQLAlchemy(model_class=Base)
migrate = Migrate()
login_manager = LoginManager()
csrf = CSRFProtect()
limiter = Limiter(key_func=get_remote_address, default_limits=[])


class WorkerMemoryStorage(MemoryStorage):
    """Rate-limit counts in the web worker's memory (``worker-memory://``, the embedded
    default's storage; a cluster keeps them in Redis), swept for expired counts inline.

    ``limits``' own memory storage starts a timer thread whenever the last one has finished,
    which in a web worker meant starting a thread on most requests (about a fifth of a vote's
    time) and housekeeping running beside the requests. A count is already checked for expiry
    when read, so sweeping only frees memory: here it runs at most every ``SWEEP_SECONDS``,
    in the request that finds it due.
    """

    STORAGE_SCHEME = ["worker-memory"]
    SWEEP_SECONDS = 30.0

    def __init__(self, uri: str | None = None, wrap_exceptions: bool = False, **options):
        super().__init__(uri, wrap_exceptions=wrap_exceptions, **options)
        self.timer.cancel()  # the one timer the parent starts: not needed
        self._swept_at = time.monotonic()

    def __setstate__(self, state: dict) -> None:
        super().__setstate__(state)
        self.timer.cancel()

    def _MemoryStorage__schedule_expiry(self) -> None:  # replaces the parent's timer thread
        now = time.monotonic()
        if now - self._swept_at >= self.SWEEP_SECONDS:
            self._swept_at = now
            self._MemoryStorage__expire_events()


def per_account(prefix: str):
    """A rate-limit key for one signed-in account, whatever address it comes from: pass as
    ``key_func=per_account("report")``."""

    def key() -> str:
        return f"{prefix}:{current_user.get_id()}"

    return key


def str_enum(enum_class, length: int = 20):
    """A column type that stores a StrEnum's values (not its member names) as plain text."""
    from sqlalchemy import Enum

    return Enum(
        enum_class,
        native_enum=False,
        length=length,
        validate_strings=True,
        values_callable=lambda members: [member.value for member in members],
    )
