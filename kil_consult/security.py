"""Security headers and the per-request nonce for the one inline script GOV.UK's template has."""

from __future__ import annotations

import secrets

from flask import Flask, abort, request


def csp_nonce() -> str:
    """A fresh random nonce for this request's Content-Security-Policy (kept on the request,
    not on ``g``, which can outlive a request when an app context is already pushed)."""
    nonce = request.environ.get("kil.csp_nonce")
    if nonce is None:
        nonce = request.environ["kil.csp_nonce"] = secrets.token_urlsafe(16)
    return nonce


def _policy(nonce: str) -> str:
    return "; ".join(
        [
            "default-src 'self'",
            f"script-src 'self' 'nonce-{nonce}'",
            "style-src 'self'",
            "img-src 'self' data:",
            "font-src 'self'",
            "connect-src 'self'",
            "object-src 'none'",
            "base-uri 'none'",
            "form-action 'self'",
            "frame-ancestors 'none'",
        ]
    )


def _has_nul(values) -> bool:
    return any("\x00" in value for value in values if isinstance(value, str))


def init_security(app: Flask) -> None:
    """Refuse NUL characters in what is sent, and send security headers with every response."""

    @app.before_request
    def refuse_nul_characters():
        """No text a person types contains a NUL character, and PostgreSQL can neither store
        nor compare one (its driver raises, which would be a 500): refuse it with a 400 in one
        place, for the address, every parameter and every form field."""
        values = [request.path]
        values += [v for _key, vs in request.args.lists() for v in vs]
        if request.mimetype in ("application/x-www-form-urlencoded", "multipart/form-data"):
            values += [v for _key, vs in request.form.lists() for v in vs]
        if _has_nul(values):
            abort(400)

    @app.after_request
    def add_headers(response):
        headers = response.headers
        headers.setdefault("Content-Security-Policy", _policy(csp_nonce()))
        headers.setdefault("X-Content-Type-Options", "nosniff")
        headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
        headers.setdefault("X-Frame-Options", "DENY")
        headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        if app.config.get("SESSION_COOKIE_SECURE") and request.is_secure:
            headers.setdefault("Strict-Transport-Security", "max-age=31536000")
        if response.mimetype == "text/html":
            headers.setdefault("Cache-Control", "no-store")
        return response
