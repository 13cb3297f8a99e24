"""HSTS behind a proxy that terminates TLS: sent when the request is secure (the proxy's
``X-Forwarded-Proto: https`` trusted through ``KIL_PROXY_COUNT``), and a clear warning at
start-up when production runs without ``KIL_PROXY_COUNT``, instead of silently sending none."""

from __future__ import annotations

import logging

import pytest

from kil_consult import create_app

KEY = "3f9c1b7e0a5d48c2b6e1f0a9d7c35e8b41a2c6d0f9e7b3a5"
PSEUDONYM_KEY = "9d41e0c7b2a85f36e1d0c9b8a7f6e5d4c3b2a1f0e9d8c7b6"


@pytest.fixture
def production(monkeypatch, tmp_path):
    monkeypatch.setenv("KIL_ENV", "production")
    monkeypatch.setenv("KIL_SECRET_KEY", KEY)
    monkeypatch.setenv("KIL_PSEUDONYM_KEY", PSEUDONYM_KEY)
    monkeypatch.delenv("KIL_PROXY_COUNT", raising=False)

    def make(**config):
        return create_app(
            {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/hsts.sqlite3", **config}
        )

    return make


def _proxy_warnings(caplog):
    return [r for r in caplog.records if "KIL_PROXY_COUNT" in r.getMessage()]


def test_production_without_proxy_count_warns_at_start_up(production, caplog):
    with caplog.at_level(logging.WARNING, logger="kil_consult"):
        production()
    (warning,) = _proxy_warnings(caplog)
    assert warning.levelno == logging.WARNING
    assert "Strict-Transport-Security" in warning.getMessage()


def test_no_warning_once_proxy_count_is_set(production, caplog, monkeypatch):
    for value in ("1", "0"):  # 0 set on purpose: the app itself serves HTTPS
        monkeypatch.setenv("KIL_PROXY_COUNT", value)
        with caplog.at_level(logging.WARNING, logger="kil_consult"):
            production()
    assert not _proxy_warnings(caplog)


def test_no_warning_in_development(monkeypatch, tmp_path, caplog):
    monkeypatch.delenv("KIL_ENV", raising=False)
    monkeypatch.delenv("KIL_PROXY_COUNT", raising=False)
    with caplog.at_level(logging.WARNING, logger="kil_consult"):
        create_app(
            {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/d.sqlite3", "SECRET_KEY": KEY}
        )
    assert not _proxy_warnings(caplog)


def test_hsts_is_sent_when_the_proxy_says_the_request_was_secure(production, monkeypatch):
    monkeypatch.setenv("KIL_PROXY_COUNT", "1")
    client = production().test_client()
    secure = client.get("/healthz", headers={"X-Forwarded-Proto": "https"})
    assert secure.headers["Strict-Transport-Security"] == "max-age=31536000"
    plain = client.get("/healthz", headers={"X-Forwarded-Proto": "http"})
    assert "Strict-Transport-Security" not in plain.headers
    direct = client.get("/healthz", base_url="https://localhost")
    assert "Strict-Transport-Security" in direct.headers
