"""A shared cache for public pages and costly figures, kept correct by a content version.

Only with ``KIL_REDIS_URL`` set (and ``KIL_CACHE`` not turned off): the cache lives in Redis,
so every worker on every machine sees the same entries and no process keeps state of its own.
Without Redis nothing is cached and every page is computed afresh.

**Invalidation.** Redis holds one number, the *content version*. After any transaction that
changed something people can see (an idea, vote, comment, moderation decision, consultation,
summary, statement, organisation, a person's public name...) commits, the version goes up by
one. Every cache entry records the version it was made at and is used only while that version
is current, so a change is visible on the very next request, on every worker. The version goes
up *after* the commit, so a page can never be cached from data that was about to change.

Cached: whole pages for visitors (no session, no flash message; the per-response CSP nonce is
put back in on the way out), and the consultation counts (the number of people taking part
is kept on the consultation as contributions arrive, so it is never counted here).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from functools import wraps

from flask import (
    Flask,
    Response,
    current_app,
    has_app_context,
    has_request_context,
    request,
    session,
)
from sqlalchemy import event, inspect
from sqlalchemy.orm import Session

log = logging.getLogger("kil_consult.cache")

VERSION_KEY = "kil:content-version"
PAGE_PREFIX = "kil:page:"
PAGE_SECONDS = 3600
NONCE_MARK = "\x00kil-nonce\x00"
_CHANGED = "kil_content_changed"

# Rows no visitor ever sees: changing them leaves every public page as it was.
PRIVATE_TABLES = frozenset(
    {
        "outbox_messages",
        "audit_events",
        "reports",
        "analysis_results",
        "update_subscriptions",
        "idea_staff_notes",
    }
)
# A person's row changes at each sign-in; only these columns ever appear on public pages.
USER_PUBLIC_COLUMNS = ("display_name", "erased_at", "pseudonym_seed")


def per_request() -> dict:
    """A dict that lives as long as the current request (empty and throwaway outside one).

    Kept on the request, not on ``g``: an app context can outlive a request (tests push one).
    """
    if not has_request_context():
        return {}
    return request.environ.setdefault("kil.per_request", {})


class ContentCache:
    """The Redis-backed cache; one per app, in ``app.extensions["kil_cache"]``."""

    def __init__(self, client):
        self.redis = client

    def version(self) -> int:
        """The current content version (read once per request)."""
        memo = per_request()
        if "version" not in memo:
            memo["version"] = int(self.redis.get(VERSION_KEY) or 0)
        return memo["version"]

    def bump(self) -> None:
        """Something public changed: every entry made before now is out of date."""
        self.redis.incr(VERSION_KEY)
        per_request().pop("version", None)

    def get(self, key: str):
        """The value stored under ``key`` at the current version, or None."""
        memo = per_request()
        if "version" in memo:
            raw, current = self.redis.get(key), memo["version"]
        else:
            current, raw = self.redis.mget(VERSION_KEY, key)
            current = memo["version"] = int(current or 0)
        if raw is None:
            return None
        version, _, payload = raw.partition(b"\n")
        return payload if int(version) == current else None

    def set(self, key: str, payload: bytes, seconds: int = PAGE_SECONDS, version=None) -> None:
        """Store ``payload`` under ``key``, stamped with the version it was made at."""
        stamp = self.version() if version is None else version
        self.redis.set(key, str(stamp).encode() + b"\n" + payload, ex=seconds)


def content_cache() -> ContentCache | None:
    """The app's cache, or None when there is no Redis (then nothing is cached)."""
    if not has_app_context():
        return None
    return current_app.extensions.get("kil_cache")


def init_cache(app: Flask) -> None:
    """Connect the cache to Redis when ``KIL_REDIS_URL`` is set and caching is not off."""
    url = app.config.get("REDIS_URL")  # config.py sets it from KIL_REDIS_URL
    if not url or not app.config.get("KIL_CACHE", True):
        return
    import redis

    app.extensions["kil_cache"] = ContentCache(redis.Redis.from_url(url))


# --- invalidation -------------------------------------------------------------------------


def _changes_public_content(instance) -> bool:
    table = getattr(instance, "__tablename__", None)
    if table is None or table in PRIVATE_TABLES:
        return False
    if table == "users":
        state = inspect(instance)
        if state.pending or state.deleted or state.was_deleted:
            return True
        return any(state.attrs[name].history.has_changes() for name in USER_PUBLIC_COLUMNS)
    return True


@event.listens_for(Session, "after_flush")
def _note_flushed_changes(session, flush_context) -> None:
    if session.info.get(_CHANGED):
        return
    for instance in (*session.new, *session.dirty, *session.deleted):
        if _changes_public_content(instance):
            session.info[_CHANGED] = True
            return


@event.listens_for(Session, "do_orm_execute")
def _note_bulk_changes(orm_execute_state) -> None:
    state = orm_execute_state
    if not (state.is_update or state.is_delete or state.is_insert):
        return
    mapper = state.bind_mapper
    table = mapper.local_table.name if mapper is not None else None
    if table not in PRIVATE_TABLES and table != "users":
        state.session.info[_CHANGED] = True


@event.listens_for(Session, "after_commit")
def _bump_after_commit(session) -> None:
    if session.info.pop(_CHANGED, False):
        cache = content_cache()
        if cache is not None:
            try:
                cache.bump()
            except Exception:  # noqa: BLE001 - the change is saved; log, do not fail the request
                log.exception("Could not bump the content version")


@event.listens_for(Session, "after_rollback")
def _forget_after_rollback(session) -> None:
    session.info.pop(_CHANGED, None)


# --- cached pages and figures -------------------------------------------------------------


def _is_visitor_request() -> bool:
    from flask_login import COOKIE_NAME

    remember = current_app.config.get("REMEMBER_COOKIE_NAME", COOKIE_NAME)
    return (
        request.method == "GET"
        and "_user_id" not in session
        and "_flashes" not in session
        and remember not in request.cookies
    )


def cached_for_visitors(view: Callable) -> Callable:
    """Serve this page to visitors from the cache while nothing public has changed.

    Signed-in people, and anyone with a message waiting to be shown, always get a fresh page.
    Only complete 200 pages that did not touch the session are stored.
    """

    @wraps(view)
    def wrapper(*args, **kwargs):
        cache = content_cache()
        if cache is None or not _is_visitor_request():
            return view(*args, **kwargs)
        from .security import csp_nonce

        key = PAGE_PREFIX + request.full_path
        try:
            stored = cache.get(key)
        except Exception:  # noqa: BLE001 - Redis down: serve the page uncached
            log.exception("Page cache unavailable")
            return view(*args, **kwargs)
        if stored is not None:
            html = stored.decode().replace(NONCE_MARK, csp_nonce())
            return Response(html, mimetype="text/html")
        version = cache.version()
        response = current_app.make_response(view(*args, **kwargs))
        if response.status_code == 200 and not session.modified and not response.direct_passthrough:
            html = response.get_data(as_text=True).replace(csp_nonce(), NONCE_MARK)
            try:
                cache.set(key, html.encode(), version=version)
            except Exception:  # noqa: BLE001
                log.exception("Could not store a page in the cache")
        return response

    return wrapper


def remembered(key: str, compute: Callable, seconds: int, fresh_for: int | None = None):
    """``compute()``, kept in the cache as JSON under ``key`` (and for the rest of the request).

    With ``fresh_for`` the value is kept across content changes and recomputed only when it is
    older than that many seconds (one worker recomputes; the others use the older value
    meanwhile). Without it, the value is recomputed after any change.
    """
    cache = content_cache()
    if cache is None:
        return compute()
    memo = per_request().setdefault("remembered", {})
    if key in memo:
        return memo[key]
    memo[key] = value = _remembered(cache, "kil:value:" + key, compute, seconds, fresh_for)
    return value


def _remembered(cache: ContentCache, key: str, compute: Callable, seconds: int, fresh_for):
    try:
        if fresh_for is None:
            stored = cache.get(key)
        else:
            stored, fresh = cache.redis.pipeline().get(key).exists(key + ":fresh").execute()
            if stored is not None and not fresh:
                if cache.redis.set(key + ":refresh", b"1", nx=True, ex=60):
                    stored = None  # this worker recomputes; the others keep the old value
            if stored is not None:
                stored = stored.partition(b"\n")[2]
    except Exception:  # noqa: BLE001
        log.exception("Cache unavailable")
        return compute()
    if stored is not None:
        return json.loads(stored)
    version = cache.version()
    value = compute()
    try:
        cache.set(key, json.dumps(value).encode(), seconds=seconds, version=version)
        if fresh_for is not None:
            cache.redis.set(key + ":fresh", b"1", ex=fresh_for)
            cache.redis.delete(key + ":refresh")
    except Exception:  # noqa: BLE001
        log.exception("Could not store a value in the cache")
    return value
