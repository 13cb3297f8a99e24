"""Sign-in limits count failed attempts only, so that nobody can lock a resident out: failures
sent by someone else from another address leave the resident's own address free (up to a much
higher account-wide ceiling), and successful sign-ins never count, however many a facilitator
makes while working."""

from __future__ import annotations

from kil_consult.accounts import services

from .. import factories


def _sign_in(client, email, password, address):
    return client.post(
        "/account/sign-in",
        data={"email": email, "password": password},
        environ_base={"REMOTE_ADDR": address},
    )


def test_failures_from_another_address_do_not_lock_the_resident_out(app, db):
    resident = factories.make_user()
    db.session.commit()
    attacker = app.test_client()
    statuses = [
        _sign_in(attacker, resident.email, "wrong password 123", "203.0.113.9").status_code
        for _ in range(11)
    ]
    assert statuses == [400] * 10 + [429]  # the attacker's address is stopped
    response = _sign_in(app.test_client(), resident.email, factories.PASSWORD, "198.51.100.4")
    assert response.status_code == 302  # the resident, at home, still signs in
    wrong = _sign_in(app.test_client(), resident.email, "a typo 123", "198.51.100.4")
    assert wrong.status_code == 400  # and still gets their own ten tries


def test_successful_sign_ins_never_count(app, db, monkeypatch):
    facilitator = factories.make_user("facilitator")
    db.session.commit()
    client = app.test_client()
    for _ in range(21):  # more than both the per-account and the per-address limits
        response = _sign_in(client, facilitator.email, factories.PASSWORD, "192.0.2.10")
        assert response.status_code == 302
        client.post("/account/sign-out", environ_base={"REMOTE_ADDR": "192.0.2.10"})
    monkeypatch.setattr(services, "authenticate", lambda email, password: None)  # fast failures
    failures = [
        _sign_in(client, facilitator.email, "wrong password 123", "192.0.2.10").status_code
        for _ in range(11)
    ]
    assert failures == [400] * 10 + [429]


def test_a_form_sent_back_for_another_reason_is_not_a_failed_attempt(app, db):
    user = factories.make_user()
    db.session.commit()
    client = app.test_client()
    for _ in range(25):
        response = _sign_in(client, user.email, "", "192.0.2.20")  # no password typed
        assert response.status_code == 400
    assert _sign_in(client, user.email, factories.PASSWORD, "192.0.2.20").status_code == 302
