"""Signed-in pages assembled from a cached shell and each person's own parts.

A consultation's list of ideas looks the same to every resident who has confirmed their email
address, except for a few parts that are theirs alone: their name and unread count in the
header, their votes on the cards, whether they follow the consultation, the questions they have
answered, whether they asked for the update email, and the CSRF token in every form. So the
page is rendered once per *audience* (``policy.page_audience``: residents by whether they have
confirmed; staff never share a page) with a slot where each personal part goes, and kept in the
shared cache under the same scoped versions as the visitors' page (``kil_consult.cache``). Each
request then reads the shell, fills the slots with one small query per kind of part, and puts
the person's CSRF token and the response's CSP nonce back in.

Templates mark a personal part with ``personal("kind", *args)``: while a shell is being
recorded it leaves a slot (and remembers the arguments, which must be JSON values); otherwise it
renders the part at once, so a page without a shell (staff, a message waiting, the cache off)
is made by the very same code. Each kind's filler takes every slot of that kind on the page at
once (``fill(list_of_args) -> list_of_html``), so twenty vote forms cost one query. Areas
register their kinds in ``create_app``: this module knows none of them.

``tests/test_page_shells.py`` renders the pages for several residents through their shells and
afresh, and finds them the same byte for byte (tokens masked), so a personal detail left out of
a slot would show.
"""

from __future__ import annotations

import json
import logging
import re
from collections import OrderedDict, defaultdict
from collections.abc import Callable, Sequence
from functools import wraps

from flask import Response, current_app, request, session
from flask_login import current_user
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup, escape

from .cache import (
    GLOBAL,
    NONCE_MARK,
    TALLIES_IN_SLOTS,
    cached_for_visitors,
    content_cache,
    depends_on,
    is_visitor_request,
    per_request,
)
from .extensions import db

log = logging.getLogger("kil_consult.page_shells")

SHELL_PREFIX = "kil:shell:"
SHELL_SECONDS = 3600
CSRF_MARK = "\x00kil-csrf\x00"
_SLOT = re.compile("\x00kil-slot:([0-9]+)\x00")
_RECORDING = "shell_slots"
_MARKING = "shell_marking_csrf"
REUSED_PARTS = 4096  # parts kept by ``reused`` in each worker, for each app

Filler = Callable[[list[list]], Sequence[str]]
_FILLERS: dict[str, Filler] = {}
_AUDIENCE: list[Callable[[object], str | None]] = []
_PREFETCH: list[Callable[[list], None]] = []


def register_part(kind: str, fill: Filler) -> None:
    """``personal(kind, ...)`` is filled by ``fill``: all the page's args of that kind in, the
    HTML of each out (escaped by ``fill``), in the same order."""
    _FILLERS[kind] = fill


def register_prefetch(prefetch: Callable[[list], None]) -> None:
    """``prefetch(slots)`` runs once before a shell's slots are filled, so what the fillers
    need about the person can be read in one statement instead of one per kind."""
    _PREFETCH[:] = [prefetch]


def register_audience(audience: Callable[[object], str | None]) -> None:
    """Who sees the same shell: ``audience(user)`` names the group, or None for no shell."""
    _AUDIENCE[:] = [audience]


def recording() -> bool:
    """Whether a shell is being recorded (personal parts become slots)."""
    return per_request().get(_RECORDING) is not None


def personal(kind: str, *args) -> Markup:
    """A part of the page that is the signed-in person's own (template global)."""
    slots = per_request().get(_RECORDING)
    if slots is None:
        html = str(_FILLERS[kind]([list(args)])[0])
        if CSRF_MARK in html:
            html = html.replace(CSRF_MARK, str(escape(generate_csrf())))
        # the filler escapes what it puts in
        return Markup(html)  # nosec B704
    slots.append((kind, list(args)))
    return Markup(f"\x00kil-slot:{len(slots) - 1}\x00")  # nosec B704


def csrf_token() -> str:
    """The form's CSRF token (template global, in place of Flask-WTF's): a mark in a shell,
    or in a part being rendered for ``reused``."""
    memo = per_request()
    if memo.get(_RECORDING) is not None or memo.get(_MARKING):
        return CSRF_MARK
    return generate_csrf()


def reused(kind: str, args: tuple, render: Callable[..., object]) -> str:
    """``render(*args)`` as this worker last rendered it for the same arguments: a personal
    part with its CSRF token left as a mark for the filling to replace (fillers may return
    the mark).

    For parts that depend only on their arguments (a follow button, given whether the person
    follows): rendering a macro for each of them on every request cost more than the rest of
    filling a shell. Kept per app (the addresses in a part are the app's), the oldest of
    ``REUSED_PARTS`` let go first.
    """
    store = current_app.extensions.setdefault("kil_reused_parts", OrderedDict())
    key = (kind, args)
    html = store.get(key)
    if html is None:
        memo = per_request()
        memo[_MARKING] = True
        try:
            html = str(render(*args))
        finally:
            memo.pop(_MARKING, None)
        store[key] = html
        if len(store) > REUSED_PARTS:
            store.popitem(last=False)
    return html


def _fill(html: str, slots: list) -> str:
    """The shell with every slot filled for the person asking."""
    for prefetch in _PREFETCH:
        prefetch(slots)
    by_kind: dict[str, list[int]] = defaultdict(list)
    for number, (kind, _args) in enumerate(slots):
        by_kind[kind].append(number)
    filled: list[str] = [""] * len(slots)
    for kind, numbers in by_kind.items():
        parts = _FILLERS[kind]([slots[n][1] for n in numbers])
        for n, part in zip(numbers, parts, strict=True):
            filled[n] = str(part)
    html = _SLOT.sub(lambda match: filled[int(match.group(1))], html)
    if CSRF_MARK in html:
        html = html.replace(CSRF_MARK, str(escape(generate_csrf())))
    return html


def _reads_only() -> None:
    """A shared page only reads, so its statements run outside a transaction (autocommit):
    on PostgreSQL the BEGIN before them and the ROLLBACK after them were two more round trips
    than a shell's two statements. The connection goes back to the pool's default
    (transactions) when the request ends; a request already in a transaction keeps it."""
    if not db.session().in_transaction():
        db.session.connection(execution_options={"isolation_level": "AUTOCOMMIT"})


def _audience() -> str | None:
    if request.method != "GET" or "_flashes" in session or not _AUDIENCE:
        return None
    if not getattr(current_user, "is_authenticated", False):
        return None
    return _AUDIENCE[0](current_user._get_current_object())


def serve(view: Callable, scopes: Sequence[str], args, kwargs, shared_if=None, tallies_if=None):
    """The page for a signed-in person: from their audience's shell when one is stored,
    else rendered with slots, stored, and filled; or simply rendered when they have no
    audience (staff) or a message is waiting to be shown."""
    cache = content_cache()
    if cache is not None:
        _reads_only()
    audience = _audience() if cache is not None else None
    if audience is None or (shared_if is not None and not shared_if(**kwargs)):
        return view(*args, **kwargs)
    from .security import csp_nonce

    key = f"{SHELL_PREFIX}{audience}:{request.full_path}"
    try:
        stored = cache.get(key, likely_scopes=[GLOBAL, *scopes])
    except Exception:  # noqa: BLE001 - store down: the page is rendered as without a cache
        log.exception("Shell cache unavailable")
        return view(*args, **kwargs)
    if stored is not None:
        header, _, html = stored.decode().partition("\n")
        page = _fill(html, json.loads(header)).replace(NONCE_MARK, csp_nonce())
        return Response(page, mimetype="text/html")
    memo = per_request()
    if tallies_if is not None and tallies_if(**kwargs):
        memo[TALLIES_IN_SLOTS] = True  # the shell does not depend on the tallies it fills
    depends_on(GLOBAL, *scopes)
    memo[_RECORDING] = slots = []
    try:
        response = current_app.make_response(view(*args, **kwargs))
    finally:
        memo.pop(_RECORDING, None)
        memo.pop(TALLIES_IN_SLOTS, None)
    if response.direct_passthrough or response.mimetype != "text/html":
        return response
    html = response.get_data(as_text=True)
    if response.status_code == 200 and not memo.get("page_uncacheable"):
        shell = json.dumps(slots) + "\n" + html.replace(csp_nonce(), NONCE_MARK)
        try:
            cache.set(key, shell.encode(), memo["page_stamps"], SHELL_SECONDS)
        except Exception:  # noqa: BLE001
            log.exception("Could not store a page shell")
    response.set_data(_fill(html, slots))
    return response


def shared_page(
    view: Callable | None = None,
    *,
    scopes: Callable | None = None,
    shared_if: Callable[..., bool] | None = None,
    tallies_if: Callable[..., bool] | None = None,
):
    """A page kept in the cache for everyone: whole for visitors (``cached_for_visitors``),
    as a shell for each audience of signed-in people, with their own parts filled in.

    ``scopes(**view_args)`` names the scopes known from the address, as for visitors; the view
    names the rest with ``depends_on``. ``shared_if(**view_args)``, when given, says whether
    the signed-in person sees this page as their audience does (nothing else of theirs on it).
    ``tallies_if(**view_args)``, when given, says whether the page shows the figures votes
    change only through ``tally`` and ``people_taking_part`` (``ideas.tallies``): its shell
    then fills them per request and votes leave it as it is.
    """
    if view is None:
        return lambda inner: shared_page(
            inner, scopes=scopes, shared_if=shared_if, tallies_if=tallies_if
        )
    for_visitors = cached_for_visitors(view, scopes=scopes)

    @wraps(view)
    def wrapper(*args, **kwargs):
        if content_cache() is None or is_visitor_request():
            return for_visitors(*args, **kwargs)
        return serve(view, scopes(**kwargs) if scopes else (), args, kwargs, shared_if, tallies_if)

    return wrapper
