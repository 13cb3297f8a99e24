"""A shared cache for public pages, idea cards and costly figures, kept correct by scoped versions.

**Where.** With ``KIL_REDIS_URL`` the cache lives in Redis, so every worker on every machine sees
the same entries. Without it (the embedded default) it lives in one SQLite file under
``instance/`` shared by the workers of the machine (``kil_consult.cache_store``).
``KIL_CACHE=false`` turns it off; tests turn it on where they need it.

**Scoped versions.** The store keeps a counter per *scope*: ``i:<id>`` for one idea (its text,
counts, comments, response), ``c:<id>`` for one consultation's ideas and counts, and ``g`` for
everything else people can see (consultations' own text, organisations, people's public names,
summaries, statements...). After a transaction commits, the counters of the scopes it changed go
up by one: a vote on an idea bumps that idea's and its consultation's tallies (below), nothing
else. Each entry records the versions of the scopes it was made from and is used only while they
are all current, so a change is visible on the very next request, on every worker. Versions are
read *before* the data they cover and bumped *after* the commit, so an entry can never be
stamped newer than its data. Anything the rules below cannot place bumps ``g``.

**Tallies.** What a vote changes, an idea's agree, disagree and pass counts and the number of
people taking part in its consultation, has scopes of its own: ``t:i:<id>`` and ``t:c:<id>``
(``tally_scope``), bumped by the statements that count votes and people (execution option
``kil_tallies``), not ``i:`` or ``c:``. Whatever depends on an idea or a consultation depends on
its tallies too (``depends_on`` and ``remembered`` add them), except a signed-in page's shell
whose tallies are slots filled per request (``tallies_in_slots``, ``kil_consult.page_shells``):
votes flowing in then leave the consultation's list and the idea pages' shells as they were.

Cached: whole pages for visitors (no session, no flash message; the per-response CSP nonce is put
back in on the way out), idea cards for everyone (the person's own vote buttons, vote and CSRF
token are filled in per request, see ``kil_consult.ideas.cards``) and the consultation counts.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Callable, Iterable
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
from sqlalchemy.sql import operators, visitors
from sqlalchemy.sql.elements import BinaryExpression, BindParameter

from .cache_store import LocalStore, RedisStore

log = logging.getLogger("kil_consult.cache")

GLOBAL = "g"
VERSION_PREFIX = "kil:v:"
PAGE_PREFIX = "kil:page:"
PAGE_SECONDS = 3600
NONCE_MARK = "\x00kil-nonce\x00"
_SCOPES = "kil_changed_scopes"

# Rows no visitor ever sees: changing them leaves every public page as it was.
PRIVATE_TABLES = frozenset(
    {
        "outbox_messages",
        "audit_events",
        "reports",
        "analysis_results",
        "update_subscriptions",
        "idea_staff_notes",
        # kept with every vote, idea and comment, whose own scopes already cover the counts
        "participants",
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


def idea_scope(idea_id: int) -> str:
    return f"i:{idea_id}"


def consultation_scope(consultation_id: int) -> str:
    return f"c:{consultation_id}"


def tally_scope(scope: str) -> str:
    """The votes and people counted in an idea's or a consultation's scope (see above)."""
    return f"t:{scope}"


def with_tallies(scopes: Iterable[str]) -> list[str]:
    """The scopes with the tallies of each idea and consultation among them."""
    scopes = list(scopes)
    return scopes + [tally_scope(scope) for scope in scopes if scope[:2] in ("i:", "c:")]


TALLIES_IN_SLOTS = "tallies_in_slots"


def tallies_in_slots() -> bool:
    """Whether the page being made leaves its tallies as slots (a shell that fills them per
    request), so it does not depend on them (template global)."""
    return bool(per_request().get(TALLIES_IN_SLOTS))


class ContentCache:
    """The cache over one store; one per app, in ``app.extensions["kil_cache"]``."""

    def __init__(self, store: RedisStore | LocalStore):
        self.store = store

    def versions(self, scopes: Iterable[str]) -> dict[str, int]:
        """The current version of each scope, read once per request (one round trip)."""
        memo = per_request().setdefault("versions", {})
        wanted = list(dict.fromkeys(scopes))
        missing = [scope for scope in wanted if scope not in memo]
        if missing:
            values = self.store.get_many([VERSION_PREFIX + scope for scope in missing])
            for scope, value in zip(missing, values, strict=True):
                memo[scope] = int(value or 0)
        return {scope: memo[scope] for scope in wanted}

    def bump(self, scopes: Iterable[str]) -> None:
        """These scopes changed: every entry made from their older versions is out of date."""
        scopes = sorted(set(scopes))
        if not scopes:
            return
        self.store.incr([VERSION_PREFIX + scope for scope in scopes])
        memo = per_request().get("versions", {})
        for scope in scopes:
            memo.pop(scope, None)

    def get(self, key: str, likely_scopes: Iterable[str] = ()) -> bytes | None:
        """The payload stored under ``key`` if every scope it was made from is unchanged.

        ``likely_scopes``, the scopes the entry is known to be stamped with, have their
        versions read in the same round trip as the entry (else a second one reads them)."""
        memo = per_request().setdefault("versions", {})
        ahead = [scope for scope in dict.fromkeys(likely_scopes) if scope not in memo]
        raw, *versions = self.store.get_many([key, *(VERSION_PREFIX + s for s in ahead)])
        for scope, value in zip(ahead, versions, strict=True):
            memo[scope] = int(value or 0)
        if raw is None:
            return None
        header, _, payload = bytes(raw).partition(b"\n")
        stamps = dict(
            (scope, int(version))
            for scope, _, version in (item.partition("=") for item in header.decode().split())
        )
        return payload if self.versions(stamps) == stamps else None

    def set(self, key: str, payload: bytes, stamps: dict[str, int], seconds: int) -> None:
        """Store ``payload`` under ``key``, stamped with the scope versions it was made from."""
        header = " ".join(f"{scope}={version}" for scope, version in sorted(stamps.items()))
        self.store.set(key, header.encode() + b"\n" + payload, seconds)


def content_cache() -> ContentCache | None:
    """The app's cache, or None when caching is off."""
    if not has_app_context():
        return None
    return current_app.extensions.get("kil_cache")


def local_cache_path(app: Flask) -> str:
    """The local store's file: one per database, so two databases never share entries."""
    uri = str(app.config.get("SQLALCHEMY_DATABASE_URI", ""))
    digest = hashlib.sha256(uri.encode()).hexdigest()[:12]
    return f"{app.instance_path}/kil-cache-{digest}.sqlite3"


def init_cache(app: Flask) -> None:
    """Redis when ``KIL_REDIS_URL`` is set, else a local file store (not in tests: they turn
    the cache on where they test it); nothing with ``KIL_CACHE=false``."""
    if not app.config.get("KIL_CACHE", True):
        return
    url = app.config.get("REDIS_URL")  # config.py sets it from KIL_REDIS_URL
    if url:
        import redis

        app.extensions["kil_cache"] = ContentCache(RedisStore(redis.Redis.from_url(url)))
    elif not app.testing:
        path = app.config.get("KIL_CACHE_PATH") or local_cache_path(app)
        app.extensions["kil_cache"] = ContentCache(LocalStore(path))


def forget_everything() -> None:
    """Out of date everything cached (after data changed behind the ORM: bulk loads, restores)."""
    cache = content_cache()
    if cache is not None:
        cache.bump([GLOBAL])


# --- invalidation -------------------------------------------------------------------------


def _idea_scopes(session, mapper, idea_id) -> set[str] | None:
    """An idea's own scope and its consultation's, or None if its consultation is not known
    without a query (then the change counts as global)."""
    if idea_id is None:
        return None
    key = mapper.identity_key_from_primary_key((idea_id,))
    idea = session.identity_map.get(key)
    consultation_id = getattr(idea, "consultation_id", None)
    if consultation_id is None:
        return None
    return {idea_scope(idea_id), consultation_scope(consultation_id)}


def _instance_scopes(session, instance) -> set[str]:
    table = getattr(instance, "__tablename__", None)
    if table is None or table in PRIVATE_TABLES:
        return set()
    state = inspect(instance)
    if table == "users":
        if state.pending:  # a new person shows only through contributions, scoped themselves
            return set()
        if state.deleted or state.was_deleted:
            return {GLOBAL}
        changed = any(state.attrs[name].history.has_changes() for name in USER_PUBLIC_COLUMNS)
        return {GLOBAL} if changed else set()
    if table == "ideas":
        return _idea_scopes(session, state.mapper, instance.id) or {GLOBAL}
    relation = state.mapper.relationships.get("idea")
    if relation is not None and hasattr(instance, "idea_id"):
        return _idea_scopes(session, relation.mapper, instance.idea_id) or {GLOBAL}
    return {GLOBAL}


def _id_in_where(statement, table, parameters=None) -> object | None:
    """The id in a ``WHERE <table>.id = :value`` (possibly ANDed with more), else None; the
    value is the bound one, or the one given for it when the statement is run (a statement
    built once with ``bindparam``)."""
    where = getattr(statement, "whereclause", None)
    if where is None:
        return None
    for element in visitors.iterate(where):
        if (
            isinstance(element, BinaryExpression)
            and element.operator is operators.eq
            and getattr(element.left, "table", None) is table
            and getattr(element.left, "name", None) == "id"
            and isinstance(element.right, BindParameter)
        ):
            value = element.right.effective_value
            if value is None and isinstance(parameters, dict):
                value = parameters.get(element.right.key)
            return value
    return None


_MAPPERS: dict = {}


def _mapper_for(table):
    """The model mapped to a table (a statement on the table names no model)."""
    if table not in _MAPPERS:
        from .extensions import Base

        found = [mapper for mapper in Base.registry.mappers if mapper.local_table is table]
        _MAPPERS[table] = found[0] if found else None
    return _MAPPERS[table]


def _statement_scopes(state) -> set[str]:
    """What a bulk statement (or one on a table, not a model) changes on the pages: what its
    ``kil_cache_scopes`` execution option says, else what can be read from it."""
    declared = state.execution_options.get("kil_cache_scopes")
    if declared is not None:
        return set(declared)
    if state.execution_options.get("kil_tallies"):
        changed = _scopes_read_from(state)
        return {GLOBAL} if GLOBAL in changed else {tally_scope(scope) for scope in changed}
    return _scopes_read_from(state)


def _scopes_read_from(state) -> set[str]:
    mapper = state.bind_mapper
    table = mapper.local_table if mapper is not None else getattr(state.statement, "table", None)
    if mapper is None and table is not None:
        mapper = _mapper_for(table)
    name = getattr(table, "name", None)
    if name in PRIVATE_TABLES or name == "users":
        return set()
    if state.is_update and name == "ideas":
        found = _id_in_where(state.statement, table, state.parameters)
        return _idea_scopes(state.session, mapper, found) or {GLOBAL}
    if state.is_update and name == "consultations":
        found = _id_in_where(state.statement, table, state.parameters)
        return {consultation_scope(found)} if found is not None else {GLOBAL}
    return {GLOBAL}


@event.listens_for(Session, "after_flush")
def _note_flushed_changes(session, flush_context) -> None:
    scopes = session.info.setdefault(_SCOPES, set())
    for instance in (*session.new, *session.dirty, *session.deleted):
        scopes |= _instance_scopes(session, instance)


@event.listens_for(Session, "do_orm_execute")
def _note_bulk_changes(orm_execute_state) -> None:
    state = orm_execute_state
    if state.is_update or state.is_delete or state.is_insert:
        state.session.info.setdefault(_SCOPES, set()).update(_statement_scopes(state))


@event.listens_for(Session, "after_commit")
def _bump_after_commit(session) -> None:
    scopes = session.info.pop(_SCOPES, None)
    if scopes:
        cache = content_cache()
        if cache is not None:
            try:
                cache.bump(scopes)
            except Exception:  # noqa: BLE001 - the change is saved; log, do not fail the request
                log.exception("Could not bump the content versions")


@event.listens_for(Session, "after_rollback")
def _forget_after_rollback(session) -> None:
    session.info.pop(_SCOPES, None)


# --- cached pages and figures -------------------------------------------------------------


def depends_on(*scopes: str) -> None:
    """The page being made shows these scopes: read their versions now, before their data,
    and stamp the page with them (``cached_for_visitors``), with their tallies unless the page
    leaves them as slots."""
    cache = content_cache()
    if cache is None:
        return
    try:
        found = cache.versions(scopes if tallies_in_slots() else with_tallies(scopes))
    except Exception:  # noqa: BLE001 - store down: the page is simply not stored
        log.exception("Cache unavailable")
        per_request()["page_uncacheable"] = True
        return
    per_request().setdefault("page_stamps", {}).update(found)


def is_visitor_request() -> bool:
    """A GET by someone not signed in, with no message waiting: the page is the same for all."""
    from flask_login import COOKIE_NAME

    remember = current_app.config.get("REMEMBER_COOKIE_NAME", COOKIE_NAME)
    return (
        request.method == "GET"
        and "_user_id" not in session
        and "_flashes" not in session
        and remember not in request.cookies
    )


def cached_for_visitors(view: Callable | None = None, *, scopes: Callable | None = None):
    """Serve this page to visitors from the cache while the scopes it shows are unchanged.

    The page always shows the global scope; ``scopes(**view_args)`` names those known from the
    address (read before anything is loaded), and the view names the rest with ``depends_on``.
    Signed-in people, and anyone with a message waiting to be shown, always get a fresh page.
    Only complete 200 pages that did not touch the session are stored.
    """

    if view is None:
        return lambda inner: cached_for_visitors(inner, scopes=scopes)

    @wraps(view)
    def wrapper(*args, **kwargs):
        cache = content_cache()
        if cache is None or not is_visitor_request():
            return view(*args, **kwargs)
        from .security import csp_nonce

        key = PAGE_PREFIX + request.full_path
        known = with_tallies([GLOBAL, *(scopes(**kwargs) if scopes else ())])
        try:
            stored = cache.get(key, likely_scopes=known)
        except Exception:  # noqa: BLE001 - store down: serve the page uncached
            log.exception("Page cache unavailable")
            return view(*args, **kwargs)
        if stored is not None:
            html = stored.decode().replace(NONCE_MARK, csp_nonce())
            return Response(html, mimetype="text/html")
        depends_on(GLOBAL, *(scopes(**kwargs) if scopes else ()))
        response = current_app.make_response(view(*args, **kwargs))
        memo = per_request()
        if (
            response.status_code == 200
            and not session.modified
            and not response.direct_passthrough
            and not memo.get("page_uncacheable")
        ):
            html = response.get_data(as_text=True).replace(csp_nonce(), NONCE_MARK)
            try:
                cache.set(key, html.encode(), memo["page_stamps"], PAGE_SECONDS)
            except Exception:  # noqa: BLE001
                log.exception("Could not store a page in the cache")
        return response

    return wrapper


def remembered(
    key: str,
    compute: Callable,
    seconds: int,
    scopes: Iterable[str] = (GLOBAL,),
    tallies: bool = True,
):
    """``compute()``, kept in the cache as JSON under ``key`` (and for the rest of the request)
    while the given scopes (with their tallies, unless ``tallies=False``: the value does not
    read them) are unchanged."""
    cache = content_cache()
    if cache is None:
        return compute()
    memo = per_request().setdefault("remembered", {})
    if key in memo:
        return memo[key]
    full_key = "kil:value:" + key
    try:
        stored = cache.get(full_key)
        stamps = cache.versions(with_tallies(scopes) if tallies else scopes)
    except Exception:  # noqa: BLE001
        log.exception("Cache unavailable")
        memo[key] = value = compute()
        return value
    if stored is not None:
        memo[key] = value = json.loads(stored)
        return value
    memo[key] = value = compute()
    try:
        cache.set(full_key, json.dumps(value).encode(), stamps, seconds)
    except Exception:  # noqa: BLE001
        log.exception("Could not store a value in the cache")
    return value
