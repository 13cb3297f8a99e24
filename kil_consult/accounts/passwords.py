"""Password rules and hashing: at least 10 characters, not a common password, Argon2id."""

from __future__ import annotations

from functools import lru_cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

MIN_LENGTH = 10
MAX_LENGTH = 200

# Argon2id, memory-hard, with OWASP's first recommended settings (19 MiB, 2 passes, one lane;
# Password Storage Cheat Sheet). argon2-cffi's default takes 64 MiB for every check, so a few
# sign-ins at once held hundreds of megabytes in a web worker. Hashes made with other settings
# still verify, and ``needs_rehash`` moves them to these at the next sign-in.
_hasher = PasswordHasher(time_cost=2, memory_cost=19_456, parallelism=1)


@lru_cache(maxsize=1)
def _dummy_hash() -> str:
    """A real hash of a random password, verified against when the account is unknown so that
    signing in takes the same time whether or not an email address is registered (made at the
    first sign-in, not when a worker starts)."""
    return _hasher.hash("not-a-real-password-1b2d9c")


@lru_cache(maxsize=1)
def _common_passwords() -> frozenset[str]:
    from zxcvbn.frequency_lists import FREQUENCY_LISTS

    return frozenset(p.lower() for p in FREQUENCY_LISTS["passwords"])


def password_problem(password: str, *, email: str = "", display_name: str = "") -> str | None:
    """Why a new password is refused, in words a person can act on, or None if it is fine."""
    if len(password) < MIN_LENGTH:
        return f"Password must be {MIN_LENGTH} characters or more"
    if len(password) > MAX_LENGTH:
        return f"Password must be {MAX_LENGTH} characters or fewer"
    lowered = password.lower()
    if lowered in _common_passwords() or len(set(lowered)) < 4:
        return "That password is too common or easy to guess, choose a different one"
    local_part = email.split("@", 1)[0].lower()
    if local_part and len(local_part) >= 4 and local_part in lowered:
        return "Password must not contain your email address"
    if display_name and len(display_name) >= 4 and display_name.lower() in lowered:
        return "Password must not contain your name"
    return None


def hash_password(password: str) -> str:
    """An Argon2id hash of the password, safe to store."""
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    """True if the password matches; takes the same time when there is no account."""
    try:
        return _hasher.verify(password_hash or _dummy_hash(), password) and bool(password_hash)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    """True when the hash was made with weaker settings than today's."""
    return _hasher.check_needs_rehash(password_hash)
