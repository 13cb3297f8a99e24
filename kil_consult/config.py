"""Configuration read from ``KIL_*`` environment variables (and an optional ``.env`` file).

Every setting a council needs to change lives here, so that a deployment is configured
without touching code. ``settings_from_environ()`` reads the environment once at start-up.
"""

from __future__ import annotations

import math
import os
import secrets
from collections import Counter
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
INSTANCE_PATH = PROJECT_ROOT / "instance"
SECRET_KEY_FILE = "secret_key"  # under instance/: development's random key, made once per install
PSEUDONYM_KEY_FILE = "pseudonym_key"  # under instance/: development's key for open-data pseudonyms
# Values published somewhere (this code, its README, its tests, the old development default):
# a production key that contains one of them, in any case, is refused.
KNOWN_SECRET_KEYS = (
    "dev-only-not-secret-change-me",
    "test-secret-key-that-is-long-enough",
    "changeme",
    "change-me",
    "change_me",
    "not-secret",
    "notsecret",
    "secret-key",
    "secretkey",
    "your-secret",
)
MIN_SECRET_LENGTH = 32
MIN_SECRET_BITS = 80  # estimated from the key's own character frequencies


class ConfigError(RuntimeError):
    """Raised when the configuration would make the app unsafe or unable to run."""


def _bool(value: str | None, default: bool = False) -> bool:
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw in (None, ""):
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ConfigError(f"{name} must be a whole number, not {raw!r}") from exc


def _threshold() -> int:
    """``KIL_DISCLOSURE_THRESHOLD``: the fewest people a published equality figure may count."""
    value = _int("KIL_DISCLOSURE_THRESHOLD", 10)
    if value < 1:
        raise ConfigError("KIL_DISCLOSURE_THRESHOLD must be at least 1")
    return value


def default_database_url() -> str:
    """The embedded default: a SQLite file under ``instance/``."""
    return f"sqlite:///{INSTANCE_PATH / 'kil_consult.sqlite3'}"


def load_dotenv_file() -> None:
    """Load ``.env`` from the project root if present (never overriding real variables)."""
    env_file = PROJECT_ROOT / ".env"
    if env_file.exists():
        from dotenv import load_dotenv

        load_dotenv(env_file, override=False)


def secret_key_problem(secret: str) -> str | None:
    """Why ``secret`` is not fit to sign a production session, or None if it is.

    Refused: fewer than 32 characters; a value published anywhere (:data:`KNOWN_SECRET_KEYS`),
    even with something added before or after; little entropy (few distinct characters, such
    as ``aaaa...``); a repeated pattern (``abcdabcd...``); or a run of neighbouring characters
    (``abcdef...``). A key from ``secrets.token_hex(32)`` always passes.
    """
    if len(secret) < MIN_SECRET_LENGTH:
        return f"it has fewer than {MIN_SECRET_LENGTH} characters"
    lowered = secret.lower()
    if any(known in lowered for known in KNOWN_SECRET_KEYS):
        return "it contains a published value"
    counts = Counter(secret)
    bits = -sum(n * math.log2(n / len(secret)) for n in counts.values())
    if bits < MIN_SECRET_BITS:
        return "it has too little entropy (too few different characters)"
    trigrams = {secret[i : i + 3] for i in range(len(secret) - 2)}
    if len(trigrams) < 0.75 * (len(secret) - 2):
        return "it repeats a pattern"
    steps = sum(abs(ord(a) - ord(b)) <= 1 for a, b in zip(secret, secret[1:], strict=False))
    if steps > 0.7 * (len(secret) - 1):
        return "it is a run of neighbouring characters"
    return None


def pseudonym_key_problem(key: str, secret_key: str) -> str | None:
    """Why ``key`` is not fit to key production's pseudonyms, or None if it is: it must pass
    :func:`secret_key_problem` and differ from the session key, so that whoever learns one
    secret (or rotates the session key to sign everyone out) does not touch the other."""
    if not key:
        return "it is not set"
    if key == secret_key:
        return "it is the same as KIL_SECRET_KEY"
    return secret_key_problem(key)


def development_secret_key(instance_path: Path, name: str = SECRET_KEY_FILE) -> str:
    """The random key of this install, made on first use in ``instance/secret_key`` (or
    ``instance/<name>``; readable by its owner only), so no two development instances share a
    key and no published default lets anyone forge a session cookie for a ``make run``
    instance or turn its pseudonyms back into people."""
    path = Path(instance_path) / name
    if path.exists():
        existing = path.read_text(encoding="utf-8").strip()
        if len(existing) >= MIN_SECRET_LENGTH:
            return existing
        path.unlink()
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_hex(32)
    # Written to a private temporary file, then linked into place: another process starting
    # at the same moment either wins the link (and we read its key) or finds no file.
    temporary = path.with_name(f".{name}.{os.getpid()}.{secrets.token_hex(4)}")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
            handle.write(key + "\n")
        try:
            os.link(temporary, path)
        except FileExistsError:
            return path.read_text(encoding="utf-8").strip()
    finally:
        temporary.unlink(missing_ok=True)
    return key


def settings_from_environ() -> dict:
    """Read ``KIL_*`` variables into a Flask config mapping; refuse unsafe production settings."""
    env = os.environ.get
    production = env("KIL_ENV", "development").strip().lower() == "production"
    secret = env("KIL_SECRET_KEY") or ""
    if production:
        problem = secret_key_problem(secret) if secret else "it is not set"
        if problem:
            raise ConfigError(
                f"KIL_SECRET_KEY is refused when KIL_ENV=production: {problem}. Set it to a "
                "random value of at least 32 characters (for example: python -c "
                "'import secrets; print(secrets.token_hex(32))')."
            )
    elif not secret:
        secret = development_secret_key(INSTANCE_PATH)
    pseudonym_key = env("KIL_PSEUDONYM_KEY") or ""
    if production:
        problem = pseudonym_key_problem(pseudonym_key, secret)
        if problem:
            raise ConfigError(
                f"KIL_PSEUDONYM_KEY is refused when KIL_ENV=production: {problem}. It keys the "
                "pseudonyms of the open-data API: set it to a random value of at least 32 "
                "characters, different from KIL_SECRET_KEY (for example: python -c "
                "'import secrets; print(secrets.token_hex(32))'), and keep it: a new key gives "
                "every author a new pseudonym."
            )
    elif not pseudonym_key:
        pseudonym_key = development_secret_key(INSTANCE_PATH, PSEUDONYM_KEY_FILE)
    database_url = env("KIL_DATABASE_URL") or default_database_url()
    if database_url.startswith("postgres://"):
        database_url = "postgresql+psycopg://" + database_url[len("postgres://") :]
    elif database_url.startswith("postgresql://"):
        database_url = "postgresql+psycopg://" + database_url[len("postgresql://") :]
    redis_url = env("KIL_REDIS_URL") or ""
    return {
        "KIL_ENV": "production" if production else "development",
        "SECRET_KEY": secret,
        "KIL_PSEUDONYM_KEY": pseudonym_key,
        "SQLALCHEMY_DATABASE_URI": database_url,
        "KIL_BASE_URL": (
            env("KIL_BASE_URL") or f"http://127.0.0.1:{_int('KIL_PORT', 5000)}"
        ).rstrip("/"),
        "KIL_BASE_URL_SET": bool(env("KIL_BASE_URL")),
        "KIL_COUNCIL_NAME": env("KIL_COUNCIL_NAME") or "",
        # the council's ONS GSS code (e.g. E10000011), sent in its Keep it Local network return
        "KIL_COUNCIL_GSS_CODE": (env("KIL_COUNCIL_GSS_CODE") or "").strip().upper(),
        # "council" (the default) or "hub": the network hub Locality runs (README, "Hub mode")
        "KIL_MODE": (env("KIL_MODE") or "council").strip().lower(),
        "KIL_SERVICE_NAME": env("KIL_SERVICE_NAME")
        or (
            "Keep it Local Network hub"
            if env("KIL_MODE") == "hub"
            else "Keep it Local conversation"
        ),
        "KIL_CONTACT_EMAIL": env("KIL_CONTACT_EMAIL") or "",
        "KIL_TIMEZONE": env("KIL_TIMEZONE") or "Europe/London",
        "MAIL_SERVER": env("KIL_MAIL_SERVER") or "",
        "MAIL_PORT": _int("KIL_MAIL_PORT", 25),
        "MAIL_USE_TLS": _bool(env("KIL_MAIL_USE_TLS")),
        "MAIL_USERNAME": env("KIL_MAIL_USERNAME") or "",
        "MAIL_PASSWORD": env("KIL_MAIL_PASSWORD") or "",
        "MAIL_SENDER": env("KIL_MAIL_SENDER") or "Keep it Local <no-reply@localhost>",
        "MAIL_TIMEOUT": _int("KIL_MAIL_TIMEOUT", 10),
        "REDIS_URL": redis_url,
        "RATELIMIT_STORAGE_URI": redis_url or "worker-memory://",
        "RATELIMIT_ENABLED": _bool(env("KIL_RATELIMIT_ENABLED"), default=True),
        "KIL_API_RATE_LIMIT": env("KIL_API_RATE_LIMIT") or "120 per minute",
        "MAX_CONTENT_LENGTH": _int("KIL_MAX_REQUEST_BYTES", 1024 * 1024),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": production,
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_SECURE": production,
        # a hub beside a council on the same host (other port) must not share its sign-in
        "SESSION_COOKIE_NAME": "kil_hub_session" if env("KIL_MODE") == "hub" else "kil_session",
        "WTF_CSRF_TIME_LIMIT": None,
        # No ping before each request's first statement (on PostgreSQL a round trip per
        # request, about a tenth of a vote): connections are recycled after half an hour and
        # a dropped one is replaced after the error it causes (KIL_DATABASE_PRE_PING=true to
        # ping anyway, e.g. behind a proxy that drops idle connections).
        "SQLALCHEMY_ENGINE_OPTIONS": {
            "pool_pre_ping": _bool(env("KIL_DATABASE_PRE_PING"), default=False),
            "pool_recycle": 1800,
        },
        "KIL_CONFIRM_MAX_AGE": _int("KIL_CONFIRM_MAX_AGE", 3 * 24 * 3600),
        "KIL_RESET_MAX_AGE": _int("KIL_RESET_MAX_AGE", 3600),
        "KIL_PAGE_SIZE": _int("KIL_PAGE_SIZE", 20),
        "KIL_RESPONSE_DUE_WEEKS": _int("KIL_RESPONSE_DUE_WEEKS", 12),
        "KIL_ANALYSIS_INLINE_VOTES": _int("KIL_ANALYSIS_INLINE_VOTES", 100_000),
        # above this many votes, open data and Word / PDF documents are made by the job queue
        "KIL_DOWNLOAD_INLINE_VOTES": _int("KIL_DOWNLOAD_INLINE_VOTES", 100_000),
        "KIL_CACHE": _bool(env("KIL_CACHE"), default=True),
        # votes from one address (behind KIL_PROXY_COUNT proxies: the resident's own address)
        "KIL_VOTE_ADDRESS_LIMIT": env("KIL_VOTE_ADDRESS_LIMIT") or "600 per minute",
        # the local cache's file without Redis (default: instance/kil-cache-<database>.sqlite3)
        "KIL_CACHE_PATH": env("KIL_CACHE_PATH") or "",
        # the SQLite job queue's file (default: instance/jobs.sqlite3); a second instance on
        # the same machine (a demo hub, a second demo council) needs its own
        "KIL_JOBS_PATH": env("KIL_JOBS_PATH") or "",
        "KIL_PROXY_COUNT": _int("KIL_PROXY_COUNT", 0),
        "KIL_CONTROLLER_NAME": env("KIL_CONTROLLER_NAME") or "",
        "KIL_DPO_CONTACT": env("KIL_DPO_CONTACT") or "",
        "KIL_RETENTION_DAYS": _int("KIL_RETENTION_DAYS", 3 * 365),
        "KIL_UNCONFIRMED_DAYS": _int("KIL_UNCONFIRMED_DAYS", 30),
        "KIL_DATA_LINK_MAX_AGE": _int("KIL_DATA_LINK_MAX_AGE", 15 * 60),
        "KIL_ACCESSIBILITY_PREPARED": env("KIL_ACCESSIBILITY_PREPARED") or "2026-11-23",
        "KIL_ACCESSIBILITY_REVIEWED": env("KIL_ACCESSIBILITY_REVIEWED") or "2026-11-23",
        # "Who took part": a count of fewer people than this is never published
        "KIL_DISCLOSURE_THRESHOLD": _threshold(),
    }
