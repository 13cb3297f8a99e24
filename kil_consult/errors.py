"""Error pages: every error a person can meet gets a GOV.UK page that says what to do next."""

from __future__ import annotations

import logging

from flask import Flask, jsonify, make_response, render_template, request
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, MethodNotAllowed

from .extensions import db

log = logging.getLogger("kil_consult")

TITLES = {
    400: "There is a problem with your request",
    403: "You cannot do this",
    404: "Page not found",
    405: "This page cannot be used like that",
    413: "What you sent is too large",
    429: "Too many attempts",
    500: "Sorry, there is a problem with the service",
}


def wants_json() -> bool:
    """The client asked for JSON (a script on the page) or is calling the open-data API."""
    return request.accept_mimetypes.best == "application/json" or request.path.startswith("/api/")


def render_error(status: int, message: str | None = None):
    title = TITLES.get(status, "There is a problem")
    if wants_json():
        return jsonify(error=title, message=message or title, status=status), status
    return render_template("errors/error.html", status=status, title=title, message=message), status


def init_errors(app: Flask, refused: type[Exception]) -> None:
    """Register the error handlers; ``refused`` is the exception a permission rule raises
    (``policy.Refused``, passed in by ``create_app`` so that this core module knows no rule),
    shown as a 403 page with its message."""

    @app.errorhandler(refused)
    def refused_page(exc):
        return render_error(403, exc.message)

    @app.errorhandler(CSRFError)
    def csrf_error(exc: CSRFError):
        return render_error(
            400,
            "The form had expired or was sent from somewhere else. Go back, reload the page "
            "and try again.",
        )

    @app.errorhandler(429)
    def too_many(exc):
        response = render_error(
            429,
            "You have tried this too many times. Wait a few minutes, then try again.",
        )
        return response

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException):
        if exc.code and exc.code < 400:
            return exc
        message = None
        if exc.code == 413:
            limit = app.config.get("MAX_CONTENT_LENGTH") or 0
            message = f"Send no more than {limit // 1024:,} KB at a time."
        response = make_response(render_error(exc.code or 500, message))
        if isinstance(exc, MethodNotAllowed) and exc.valid_methods:
            # RFC 9110: a 405 says which methods the resource does take.
            response.headers["Allow"] = ", ".join(sorted(exc.valid_methods))
        return response

    @app.errorhandler(OverflowError)
    def number_too_large(exc: OverflowError):
        """A number no database column can hold (SQLite refuses past 2**63) is bad input,
        wherever it came in: a 400 that says so, not a 500."""
        db.session.rollback()
        return render_error(400, "A number in what you sent is too large.")

    @app.errorhandler(Exception)
    def server_error(exc: Exception):
        log.exception("Unhandled error on %s %s", request.method, request.path)
        db.session.rollback()
        return render_error(500)
