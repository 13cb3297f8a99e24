"""Sessions and accounts: a new session on sign-in, sign-out and password changes end sessions,
sign-in is throttled, email links work once and expire, and nothing tells whether an email
address is registered (not the page, not the time it takes)."""

from __future__ import annotations

import re
import statistics
import time

import pytest

from kil_consult.accounts import services, tokens
from kil_consult.accounts.models import User
from kil_consult.extensions import limiter
from tests import factories


def _session_cookie(client) -> str | None:
    cookie = client.get_cookie("kil_session")
    return cookie.value if cookie else None


def _sign_in(client, user, password=factories.PASSWORD, **kwargs):
    return client.post(
        "/account/sign-in", data={"email": user.email, "password": password}, **kwargs
    )


def _signed_in(client) -> bool:
    return client.get("/account").status_code == 200


def test_sign_in_starts_a_new_session_and_drops_anything_planted_before(app, client, db):
    user = factories.make_user()
    db.session.commit()
    with client.session_transaction() as session:
        session["planted"] = "by an attacker"
    before = _session_cookie(client)
    assert _sign_in(client, user).status_code == 302
    assert _session_cookie(client) != before
    with client.session_transaction() as session:
        assert "planted" not in session
    # The cookie from before signing in does not carry the sign-in.
    other = app.test_client()
    other.set_cookie("kil_session", before)
    assert not _signed_in(other)


def test_sign_out_ends_the_session_even_for_a_copied_cookie(app, client, db):
    user = factories.make_user()
    db.session.commit()
    _sign_in(client, user)
    stolen = _session_cookie(client)
    copy = app.test_client()
    copy.set_cookie("kil_session", stolen)
    assert _signed_in(copy)
    client.post("/account/sign-out")
    assert not _signed_in(client)
    assert not _signed_in(copy)


def test_changing_password_keeps_this_session_and_ends_the_others(app, client, db):
    user = factories.make_user()
    db.session.commit()
    laptop, phone = client, app.test_client()
    _sign_in(laptop, user)
    _sign_in(phone, user)
    page = laptop.get("/account/password")
    assert page.status_code == 200 and "Current password" in page.get_data(as_text=True)

    wrong = laptop.post(
        "/account/password",
        data={"current_password": "not my password", "password": "a brand new passphrase 42"},
    )
    assert wrong.status_code == 400
    assert "current password is not right" in wrong.get_data(as_text=True)
    weak = laptop.post(
        "/account/password", data={"current_password": factories.PASSWORD, "password": "password"}
    )
    assert weak.status_code == 400

    response = laptop.post(
        "/account/password",
        data={"current_password": factories.PASSWORD, "password": "a brand new passphrase 42"},
    )
    assert response.status_code == 302
    assert _signed_in(laptop)
    assert not _signed_in(phone)
    assert _sign_in(app.test_client(), user, "a brand new passphrase 42").status_code == 302
    assert _sign_in(app.test_client(), user).status_code == 400


def test_change_password_needs_signing_in(client):
    response = client.get("/account/password")
    assert response.status_code == 302 and "/account/sign-in" in response.location


@pytest.mark.parametrize("kind", ["account", "account from one address", "address"])
def test_sign_in_is_throttled_per_account_and_per_address(client, db, kind, monkeypatch):
    user = factories.make_user()
    db.session.commit()
    if kind == "account":  # a hundred Argon2 checks would take minutes: fail them at once
        monkeypatch.setattr(services, "authenticate", lambda email, password: None)
    statuses = []
    for n in range(105):
        if kind == "account":  # one account, attacked from many addresses: the ceiling
            email, address = user.email, f"10.0.{n // 250}.{n % 250 + 1}"
        elif kind == "account from one address":
            email, address = user.email, "10.8.8.8"
        else:  # one address trying many accounts
            email, address = f"guess{n}@example.org", "10.9.9.9"
        response = client.post(
            "/account/sign-in",
            data={"email": email, "password": "wrong password 123"},
            environ_base={"REMOTE_ADDR": address},
        )
        statuses.append(response.status_code)
        if response.status_code == 429:
            break
    limit = {"account": 100, "account from one address": 10, "address": 20}[kind]
    assert statuses == [400] * limit + [429]
    assert "tried this too many times" in response.get_data(as_text=True)
    assert "Retry-After" in response.headers


def test_reset_link_works_once_and_expires(app, client, db):
    user = factories.make_user()
    db.session.commit()
    token = tokens.make_reset_token(user)
    new = {"password": "another fresh passphrase 7"}
    assert client.post(f"/account/reset-password/{token}", data=new).status_code == 302
    again = client.get(f"/account/reset-password/{token}")
    assert again.status_code == 400 and "already been used" in again.get_data(as_text=True)

    token = tokens.make_reset_token(db.session.get(User, user.id))
    app.config["KIL_RESET_MAX_AGE"] = -1
    try:
        expired = client.get(f"/account/reset-password/{token}")
    finally:
        app.config["KIL_RESET_MAX_AGE"] = 3600
    assert expired.status_code == 400 and "expired" in expired.get_data(as_text=True)


def test_confirmation_link_works_once_and_expires(app, client, db):
    user = factories.make_user(confirmed=False)
    db.session.commit()
    token = tokens.make_confirm_token(user)
    assert client.get(f"/account/confirm/{token}").status_code == 302
    db.session.expire_all()
    first_confirmed = db.session.get(User, user.id).email_confirmed_at
    assert first_confirmed is not None
    again = client.get(f"/account/confirm/{token}")
    assert again.status_code == 200
    assert "already confirmed" in again.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(User, user.id).email_confirmed_at == first_confirmed

    late = factories.make_user(confirmed=False)
    db.session.commit()
    token = tokens.make_confirm_token(late)
    app.config["KIL_CONFIRM_MAX_AGE"] = -1
    try:
        expired = client.get(f"/account/confirm/{token}")
    finally:
        app.config["KIL_CONFIRM_MAX_AGE"] = 3 * 24 * 3600
    assert expired.status_code == 400 and "expired" in expired.get_data(as_text=True)


def _page_text(response) -> str:
    """The visible answer, without the parts that differ on every request."""
    text = response.get_data(as_text=True)
    text = re.sub(r'nonce="[^"]+"', "", text)
    text = re.sub(r'name="csrf_token" value="[^"]*"', "", text)
    return re.sub(r"[\w.+-]+@example\.org", "EMAIL", text)


def test_answers_do_not_tell_whether_an_email_is_registered(client, db, mailbox):
    user = factories.make_user(email="known@example.org")
    db.session.commit()
    unknown = "unknown@example.org"
    pairs = [
        ("/account/forgot-password", {"email": user.email}, {"email": unknown}),
        ("/account/confirm", {"email": user.email}, {"email": unknown}),
        (
            "/account/sign-in",
            {"email": user.email, "password": "wrong password 123"},
            {"email": unknown, "password": "wrong password 123"},
        ),
        (
            "/account/create",
            {"email": user.email, "display_name": "Sam", "password": "a long fresh passphrase"},
            {"email": unknown, "display_name": "Sam", "password": "a long fresh passphrase"},
        ),
    ]
    for path, known_form, unknown_form in pairs:
        limiter.reset()
        known = client.post(path, data=known_form)
        unknown_answer = client.post(path, data=unknown_form)
        assert known.status_code == unknown_answer.status_code, path
        assert known.headers.get("Location") == unknown_answer.headers.get("Location"), path
        assert _page_text(known) == _page_text(unknown_answer), path


def _mean_time(client, path: str, form: dict, rounds: int) -> list[float]:
    times = []
    for _ in range(rounds):
        limiter.reset()
        start = time.perf_counter()
        response = client.post(path, data=form)
        times.append(time.perf_counter() - start)
        assert response.status_code < 500
    return times


@pytest.mark.parametrize(
    "path, extra",
    [("/account/sign-in", {"password": "wrong password 123"}), ("/account/forgot-password", {})],
)
def test_timing_does_not_tell_whether_an_email_is_registered(client, db, mailbox, path, extra):
    """Known and unknown addresses take the same time, within a generous margin: the shared
    test machine is noisy, so the rounds alternate and the medians are compared."""
    user = factories.make_user(email="timing@example.org")
    db.session.commit()
    known, unknown = [], []
    for _ in range(6):
        known += _mean_time(client, path, {"email": user.email, **extra}, 2)
        unknown += _mean_time(client, path, {"email": "nobody@example.org", **extra}, 2)
    fast, slow = sorted([statistics.median(known), statistics.median(unknown)])
    # An unguarded path differs by a whole Argon2 hash (tens of milliseconds) or an SMTP send.
    assert slow - fast < max(0.5 * slow, 0.03), (
        statistics.median(known),
        statistics.median(unknown),
    )
