"""Safe redirects: only ever to a path on this site."""

from __future__ import annotations

import unicodedata
from urllib.parse import urlsplit

from flask import redirect, request, url_for
from werkzeug.routing import IntegerConverter

LARGEST_ID = 2**31 - 1  # ids are INTEGER columns: 32 bits on PostgreSQL
_UNSAFE_CATEGORIES = {"Cc", "Zl", "Zp"}  # control characters, line and paragraph separators


class DatabaseIdConverter(IntegerConverter):
    """``<int:...>`` in URLs, no larger than a database id can be.

    A larger number answers 404 like any unknown id, instead of overflowing the database
    driver (SQLite raises OverflowError past 2**63) and failing with a 500.
    """

    def __init__(self, map, fixed_digits=0, min=None, max=None, signed=False):  # noqa: A002
        super().__init__(map, fixed_digits, min, LARGEST_ID if max is None else max, signed)


def is_safe_next(target: str | None) -> bool:
    """True for a local path like '/ideas/3', never for another site or a scheme, nor for one
    with a control character (a line break cannot go into a ``Location`` header: werkzeug
    raises, which would answer 500 after the action was done)."""
    if not target or not target.startswith("/") or target.startswith("//"):
        return False
    if any(unicodedata.category(character) in _UNSAFE_CATEGORIES for character in target):
        return False
    parts = urlsplit(target)
    return not parts.scheme and not parts.netloc and "\\" not in target


def redirect_back(default_endpoint: str = "pages.home", **values):
    """Redirect to the form's or query's ``next`` path if it is local, else to a default."""
    target = request.form.get("next") or request.args.get("next")
    if is_safe_next(target):
        return redirect(target)
    return redirect(url_for(default_endpoint, **values))


def base_url() -> str:
    """Where the site is, for links in email: ``KIL_BASE_URL`` when it is set (always in
    production, where a request's Host header is not to be trusted); in development without
    it, the address the request came to (so ``KIL_PORT=5101`` links to port 5101), and outside
    a request ``http://127.0.0.1:<KIL_PORT>``."""
    from flask import current_app, has_request_context

    config = current_app.config
    if (
        not config.get("KIL_BASE_URL_SET", True)
        and config.get("KIL_ENV") != "production"
        and has_request_context()
    ):
        return request.host_url.rstrip("/")
    return config["KIL_BASE_URL"]


def site_path(endpoint: str, **values) -> str:
    """A path on this site for an endpoint (works outside a request, in jobs)."""
    from flask import current_app

    return current_app.url_map.bind("localhost", url_scheme="https").build(
        endpoint, values, force_external=False
    )


def external_url(endpoint: str, **values) -> str:
    """An absolute link for an email (see ``base_url``; works outside a request)."""
    return base_url() + site_path(endpoint, **values)
