"""What the statement's views share: how they load the statement for a rule, and the one
convention for a service that refuses (roll back, then show the message)."""

from __future__ import annotations

from ..extensions import db
from . import services
from .models import StatementError


def attempt(service, *args, **kwargs):
    """Call one service; if it refuses (``StatementError``), roll back what it flushed.

    Returns ``(result, None)``, or ``(None, message)`` for the person. Every view that calls a
    statement service goes through here, so a refused change never lingers in the session.
    """
    try:
        return service(*args, **kwargs), None
    except StatementError as exc:
        db.session.rollback()
        return None, str(exc)


# Views of "the statement" load the current process's statement (404 if none) for the rule.
STATEMENT = {"load": services.current_statement, "name": "statement"}
