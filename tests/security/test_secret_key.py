"""Strong secrets: production refuses a key anyone could guess or derive; development makes a
random key per install under ``instance/`` instead of sharing a published default, so no one
can forge the admin's session cookie for a ``make run`` instance."""

from __future__ import annotations

import secrets
import stat

import pytest
from flask.sessions import SecureCookieSessionInterface

from kil_consult import config, create_app
from kil_consult.config import ConfigError, secret_key_problem, settings_from_environ

OLD_DEVELOPMENT_KEY = "dev-only-not-secret-change-me"  # documented in earlier releases

WEAK = [
    "a" * 32,
    "a" * 64,
    "ab" * 20,
    "abcd" * 10,
    "0123456789abcdef" * 2,
    "abcdefghijklmnopqrstuvwxyz0123456789",
    OLD_DEVELOPMENT_KEY + "-and-a-suffix-of-mine",
    "prefix-" + OLD_DEVELOPMENT_KEY.upper() + "-0123",
    "test-secret-key-that-is-long-enough-1234",
    "short-but-random-Xy7$q",
]


@pytest.mark.parametrize("key", WEAK)
def test_production_refuses_a_weak_or_known_key(monkeypatch, key):
    monkeypatch.setenv("KIL_ENV", "production")
    monkeypatch.setenv("KIL_SECRET_KEY", key)
    assert secret_key_problem(key)
    with pytest.raises(ConfigError, match="KIL_SECRET_KEY"):
        settings_from_environ()


def test_production_accepts_random_keys(monkeypatch):
    monkeypatch.setenv("KIL_ENV", "production")
    monkeypatch.setenv("KIL_PSEUDONYM_KEY", secrets.token_hex(32))
    for key in [secrets.token_hex(16), secrets.token_hex(32), secrets.token_urlsafe(32)]:
        monkeypatch.setenv("KIL_SECRET_KEY", key)
        assert settings_from_environ()["SECRET_KEY"] == key
    for _ in range(2000):  # never a false alarm for the README's recipe
        assert secret_key_problem(secrets.token_hex(32)) is None


@pytest.fixture
def instance(monkeypatch, tmp_path):
    monkeypatch.setattr(config, "INSTANCE_PATH", tmp_path / "instance")
    monkeypatch.delenv("KIL_SECRET_KEY", raising=False)
    monkeypatch.delenv("KIL_PSEUDONYM_KEY", raising=False)
    monkeypatch.delenv("KIL_ENV", raising=False)
    return tmp_path / "instance"


def test_development_makes_a_random_key_per_install(instance, monkeypatch, tmp_path):
    first = settings_from_environ()["SECRET_KEY"]
    key_file = instance / "secret_key"
    assert key_file.read_text().strip() == first
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert settings_from_environ()["SECRET_KEY"] == first  # the same install keeps its key
    assert secret_key_problem(first) is None and OLD_DEVELOPMENT_KEY not in first
    # No temporary file left (the other file is the pseudonym key, test_pseudonyms.py).
    assert sorted(p.name for p in instance.iterdir()) == ["pseudonym_key", "secret_key"]

    monkeypatch.setattr(config, "INSTANCE_PATH", tmp_path / "another")
    assert settings_from_environ()["SECRET_KEY"] != first  # another install, another key


def test_a_cookie_forged_with_the_old_default_key_is_not_accepted(instance, tmp_path):
    app = create_app(
        {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/forge.sqlite3", "TESTING": True}
    )
    assert app.secret_key != OLD_DEVELOPMENT_KEY
    forger = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/forge.sqlite3",
            "SECRET_KEY": OLD_DEVELOPMENT_KEY,
        }
    )
    serializer = SecureCookieSessionInterface().get_signing_serializer(forger)
    forged = serializer.dumps({"_user_id": "1:0", "_fresh": True})
    genuine = SecureCookieSessionInterface().get_signing_serializer(app)
    with pytest.raises(Exception, match="[Ss]ignature"):
        genuine.loads(forged)
