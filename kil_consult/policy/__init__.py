"""Who may do what. ``policy.rules`` holds every permission rule: small predicates whose
docstrings read as the rule, and ``RULES``, the table from action names to rules. This module
applies them: ``allowed``, ``can`` (also a template global, so a button and its route share
one rule), ``refusal_message``, ``check`` and ``requires``, the one view decorator that loads
an object (404) and checks a rule (403, or sign in first). Every rule is also ``policy.<name>``.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from flask import abort, redirect, request, url_for
from flask_login import current_user

from ..extensions import db
from ..ideas.models import Comment, Idea
from .rules import *  # noqa: F403  (every rule, as policy.<name>)
from .rules import RULES, Consultation, _signed_in


def allowed(action: str, user, obj=None) -> bool:
    """Check one rule for any user (used by tests and services)."""
    return RULES[action](user, obj)


def can(action: str, obj=None) -> bool:
    """Check one rule for the signed-in person (a template global)."""
    return allowed(action, current_user, obj)


def refusal_message(action: str, user, obj=None) -> str:
    """Why an action was refused, in words that tell the person what to do next."""
    if _signed_in(user) and not user.is_confirmed and action in _PARTICIPATION:
        return "Confirm your email address before you take part. Check your inbox for the link."
    consultation = _consultation_of(obj)
    if consultation is not None and action in _PARTICIPATION and not consultation.is_accepting():
        if not consultation.has_started():
            return "This consultation has not opened yet."
        return (
            "This consultation is closed, so it is no longer taking ideas, votes, comments "
            "or answers."
        )
    return "You do not have permission to do this."


_PARTICIPATION = {
    "idea.create",
    "idea.vote",
    "questions.answer",
    "consultation.vote_through",
    "idea.comment",
    "comment.reply",
    "organisation.register",
    "organisation.join",
}


def _consultation_of(obj) -> Consultation | None:
    if isinstance(obj, Consultation):
        return obj
    if isinstance(obj, Idea):
        return obj.consultation
    if isinstance(obj, Comment):
        return obj.idea.consultation
    return None


class Refused(Exception):
    """Raised (and turned into a 403 page) when a rule refuses an action."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def check(action: str, obj=None) -> None:
    """Refuse with a 403 (or send an anonymous visitor to sign in) unless the rule allows."""
    if allowed(action, current_user, obj):
        return
    if action.endswith(".view"):
        abort(404)  # do not confirm that a hidden thing exists
    if not _signed_in(current_user):
        abort(redirect(url_for("accounts.sign_in", next=request.full_path.rstrip("?"))))
    raise Refused(refusal_message(action, current_user, obj))


def requires(
    action: str,
    model=None,
    id_arg: str | None = None,
    lookup=None,
    name: str | None = None,
    load: Callable[[], object] | None = None,
):
    """View decorator: load ``model`` by the URL's ``id_arg`` (404 if absent), check ``action``.

    The loaded object replaces the id argument, passed as ``name`` (by default the model's name
    in lower case: ``idea``, ``comment``). ``lookup`` may replace ``model`` to load by another
    key, such as a slug; ``load`` loads an object the URL does not name (such as the current
    process's statement), passed as ``name``.
    """

    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            obj = None
            if model is not None or lookup is not None or load is not None:
                if load is not None:
                    obj = load()
                else:
                    key = kwargs.pop(id_arg)
                    obj = lookup(key) if lookup is not None else db.session.get(model, key)
                if obj is None:
                    abort(404)
                kwargs[name or model.__name__.lower()] = obj
            check(action, obj)
            return view(*args, **kwargs)

        wrapped.kil_action = action  # the access-matrix tests read this
        return wrapped

    return decorator
