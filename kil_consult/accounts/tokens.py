"""Signed, expiring tokens for email confirmation and password reset links."""

from __future__ import annotations

import hashlib

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

CONFIRM_SALT = "kil-confirm-email"
RESET_SALT = "kil-reset-password"
CHANGE_EMAIL_SALT = "kil-change-email"


class TokenError(ValueError):
    """A link that is broken, expired or already used; ``expired`` says which."""

    def __init__(self, message: str, expired: bool = False):
        super().__init__(message)
        self.expired = expired


def _serializer(salt: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=salt)


def _fingerprint(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()[:16]


def make_confirm_token(user) -> str:
    """A link token that confirms this user's current email address."""
    return _serializer(CONFIRM_SALT).dumps({"u": user.id, "e": _fingerprint(user.email)})


def make_reset_token(user) -> str:
    """A link token for a password reset; it stops working once the password changes."""
    return _serializer(RESET_SALT).dumps({"u": user.id, "p": _fingerprint(user.password_hash)})


def _load(salt: str, token: str, max_age: int) -> dict:
    try:
        data = _serializer(salt).loads(token, max_age=max_age)
    except SignatureExpired as exc:
        raise TokenError("This link has expired.", expired=True) from exc
    except BadSignature as exc:
        raise TokenError("This link is not valid. Check you copied all of it.") from exc
    if not isinstance(data, dict) or not isinstance(data.get("u"), int):
        raise TokenError("This link is not valid. Check you copied all of it.")
    return data


def read_confirm_token(token: str, users) -> object:
    """The user a confirmation link is for, or raise ``TokenError``."""
    data = _load(CONFIRM_SALT, token, current_app.config["KIL_CONFIRM_MAX_AGE"])
    user = users(data["u"])
    if user is None or _fingerprint(user.email) != data.get("e"):
        raise TokenError("This link is not valid. Check you copied all of it.")
    return user


def read_reset_token(token: str, users) -> object:
    """The user a reset link is for, or raise ``TokenError`` (also once it has been used)."""
    data = _load(RESET_SALT, token, current_app.config["KIL_RESET_MAX_AGE"])
    user = users(data["u"])
    if user is None or _fingerprint(user.password_hash) != data.get("p"):
        raise TokenError("This link has already been used or is no longer valid.")
    return user


def make_change_email_token(user, new_email: str) -> str:
    """A link token, sent to the new address, that moves this user's account to it; it stops
    working once the account's address changes (so it works once)."""
    return _serializer(CHANGE_EMAIL_SALT).dumps(
        {"u": user.id, "n": new_email, "e": _fingerprint(user.email)}
    )


def read_change_email_token(token: str, users) -> tuple[object, str]:
    """The user and new address a change-of-email link is for, or raise ``TokenError``."""
    data = _load(CHANGE_EMAIL_SALT, token, current_app.config["KIL_CONFIRM_MAX_AGE"])
    user = users(data["u"])
    new_email = data.get("n")
    if user is None or not isinstance(new_email, str):
        raise TokenError("This link is not valid. Check you copied all of it.")
    if _fingerprint(user.email) != data.get("e"):
        raise TokenError("This link has already been used or is no longer valid.")
    return user, new_email
