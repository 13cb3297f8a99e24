"""Accounts: sign up, confirm by email (through a real SMTP server), sign in and out, reset,
resend, and answers that never reveal whether an address is registered."""

from __future__ import annotations

import logging
from urllib.parse import urlsplit

import pytest
from flask_migrate import upgrade  # noqa: F401

from kil_consult.accounts import passwords
from kil_consult.accounts.models import User
from kil_consult.accounts.services import find_by_email
from kil_consult.extensions import db as _db
from kil_consult.notifications.models import OutboxMessage

from .factories import PASSWORD, make_user

GOOD_PASSWORD = "lantern-pebble-orchard-42"


def _path(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def sign_up(client, email="new.person@example.org", password=GOOD_PASSWORD, **extra):
    data = {"email": email, "display_name": "New Person", "password": password}
    data.update(extra)
    return client.post("/account/create", data=data)


def test_sign_up_sends_a_confirmation_link_that_confirms(client, council, mailbox):
    response = sign_up(client)
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/account/check-your-email")
    user = find_by_email("new.person@example.org")
    assert user is not None and not user.is_confirmed
    assert user.password_hash.startswith("$argon2id$")
    email = mailbox.wait_for("new.person@example.org")
    assert email.subject == "Confirm your email address"
    response = client.get(_path(email.link("/account/confirm/")))
    assert response.status_code == 302
    _db.session.refresh(user)
    assert user.is_confirmed


def test_unconfirmed_people_cannot_take_part_until_they_confirm(client, council, db, mailbox):
    from .factories import make_idea

    idea = make_idea()
    db.session.commit()
    sign_up(client)
    client.post(
        "/account/sign-in", data={"email": "new.person@example.org", "password": GOOD_PASSWORD}
    )
    response = client.post(f"/ideas/{idea.id}/vote", data={"value": "agree"})
    assert response.status_code == 403
    assert "Confirm your email address" in response.get_data(as_text=True)
    link = mailbox.wait_for("new.person@example.org").link("/account/confirm/")
    client.get(_path(link))
    assert client.post(f"/ideas/{idea.id}/vote", data={"value": "agree"}).status_code == 303


def test_sign_up_with_a_known_address_looks_the_same_and_tells_the_owner(client, council, mailbox):
    existing = make_user(email="known@example.org")
    _db.session.commit()
    known = sign_up(client, email="Known@Example.org ")
    unknown = sign_up(client, email="unknown@example.org")
    assert known.status_code == unknown.status_code == 302
    assert known.headers["Location"] == unknown.headers["Location"]
    assert _db.session.query(User).filter_by(email="known@example.org").count() == 1
    note = mailbox.wait_for("known@example.org")
    assert "already have one" in note.body
    _db.session.refresh(existing)
    assert existing.display_name != "New Person"


@pytest.mark.parametrize(
    "password,message",
    [
        ("short1", "10 characters or more"),
        ("password123", "too common"),
        ("aaaaaaaaaaaa", "too common"),
        ("new.person-rocks", "must not contain your email"),
    ],
)
def test_weak_passwords_are_refused_and_the_form_keeps_what_was_typed(
    client, council, password, message
):
    response = sign_up(client, password=password)
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert message in page
    assert 'value="new.person@example.org"' in page
    assert 'value="New Person"' in page
    assert find_by_email("new.person@example.org") is None


def test_bad_email_is_refused_with_a_clear_message(client, council):
    response = sign_up(client, email="not-an-email")
    assert response.status_code == 400
    assert "correct format" in response.get_data(as_text=True)


def test_sign_in_and_sign_out(client, council):
    user = make_user(email="someone@example.org")
    _db.session.commit()
    response = client.post(
        "/account/sign-in", data={"email": "SOMEONE@example.org", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert "Signed in as" in client.get("/").get_data(as_text=True)
    assert user.display_name in client.get("/account").get_data(as_text=True)
    client.post("/account/sign-out")
    assert "Signed in as" not in client.get("/").get_data(as_text=True)
    assert client.get("/account").status_code == 302


def test_wrong_password_and_unknown_email_get_the_same_answer(client, council):
    make_user(email="someone@example.org")
    _db.session.commit()
    wrong = client.post(
        "/account/sign-in", data={"email": "someone@example.org", "password": "x" * 12}
    )
    unknown = client.post(
        "/account/sign-in", data={"email": "nobody@example.org", "password": "x" * 12}
    )
    assert wrong.status_code == unknown.status_code == 400
    message = "Enter the email address and password for your account"
    assert message in wrong.get_data(as_text=True) and message in unknown.get_data(as_text=True)


def test_sign_in_goes_back_to_a_local_page_only(client, council):
    make_user(email="someone@example.org")
    _db.session.commit()
    data = {"email": "someone@example.org", "password": PASSWORD}
    ok = client.post("/account/sign-in?next=/consultations/x", data=data)
    assert ok.headers["Location"] == "/consultations/x"
    client.post("/account/sign-out")
    evil = client.post("/account/sign-in?next=//evil.example/", data=data)
    assert evil.headers["Location"] == "/"


def test_password_reset_works_once_and_ends_other_sessions(app, client, council, mailbox):
    user = make_user(email="forgetful@example.org")
    _db.session.commit()
    other_device = app.test_client()
    other_device.post("/account/sign-in", data={"email": user.email, "password": PASSWORD})
    assert other_device.get("/account").status_code == 200

    response = client.post("/account/forgot-password", data={"email": user.email})
    assert response.status_code == 200
    link = _path(mailbox.wait_for(user.email).link("/account/reset-password/"))
    assert client.get(link).status_code == 200
    new_password = "quiet-meadow-lighthouse-7"
    response = client.post(link, data={"password": new_password})
    assert response.status_code == 302
    assert passwords.verify_password(_db.session.get(User, user.id).password_hash, new_password)
    assert other_device.get("/account").status_code == 302  # signed out everywhere
    used = client.post(link, data={"password": "another-long-password-9"})
    assert used.status_code == 400
    assert "already been used" in used.get_data(as_text=True)


def test_reset_for_an_unknown_address_looks_the_same(client, council, mailbox):
    make_user(email="known@example.org")
    _db.session.commit()
    known = client.post("/account/forgot-password", data={"email": "known@example.org"})
    unknown = client.post("/account/forgot-password", data={"email": "unknown@example.org"})
    strip = lambda r: r.get_data(as_text=True).replace("unknown@", "known@")  # noqa: E731
    assert known.status_code == unknown.status_code == 200
    assert _main(strip(known)) == _main(strip(unknown))
    assert "no account" in mailbox.wait_for("unknown@example.org").body


def _main(page: str) -> str:
    start = page.index("<main")
    return page[start : page.index("</main>")]


def test_expired_and_tampered_links_are_refused(app, client, council, mailbox):
    app.config["KIL_CONFIRM_MAX_AGE"] = -1
    try:
        sign_up(client)
        link = _path(mailbox.wait_for("new.person@example.org").link("/account/confirm/"))
        expired = client.get(link)
        assert expired.status_code == 400 and "expired" in expired.get_data(as_text=True)
    finally:
        app.config["KIL_CONFIRM_MAX_AGE"] = 3 * 24 * 3600
    assert client.get(link[:-3] + "abc").status_code == 400
    assert client.get("/account/reset-password/garbage").status_code == 400


def test_resend_confirmation(client, council, mailbox):
    make_user(email="late@example.org", confirmed=False)
    make_user(email="done@example.org", confirmed=True)
    _db.session.commit()
    for address in ("late@example.org", "done@example.org", "nobody@example.org"):
        response = client.post("/account/confirm", data={"email": address})
        assert response.status_code == 302
    assert mailbox.wait_for("late@example.org").subject == "Confirm your email address"
    assert mailbox.to("done@example.org") == [] and mailbox.to("nobody@example.org") == []


def test_a_failed_send_is_kept_and_retried_never_an_error(app, client, council, mailbox, caplog):
    mailbox.refuse = True
    with caplog.at_level(logging.WARNING, logger="kil_consult.mail"):
        response = sign_up(client)
    assert response.status_code == 302
    message = _db.session.query(OutboxMessage).one()
    assert message.sent_at is None and message.attempts == 1 and message.last_error
    assert "will retry" in caplog.text
    mailbox.refuse = False
    message.next_attempt_at = message.created_at  # make it due now
    _db.session.commit()
    result = app.test_cli_runner().invoke(args=["kil", "send-mail"])
    assert "Sent 1 email" in result.output
    assert mailbox.wait_for("new.person@example.org").subject == "Confirm your email address"


def test_email_is_only_sent_when_the_change_is_committed(app, mailbox, council):
    from kil_consult.accounts.services import register

    with app.test_request_context("/"):
        register("rolled.back@example.org", "Nobody", GOOD_PASSWORD)
        _db.session.rollback()
        from kil_consult.notifications.delivery import deliver_queued

        deliver_queued()  # the job runs at once here (KIL_JOBS_IMMEDIATE) and finds nothing due
    assert mailbox.to("rolled.back@example.org") == []


def test_create_admin_command(app, council):
    runner = app.test_cli_runner()
    result = runner.invoke(
        args=[
            "kil",
            "create-admin",
            "boss@example.org",
            "--name",
            "Boss",
            "--password",
            "orbit-canyon-velvet-3",
        ]
    )
    assert result.exit_code == 0, result.output
    user = find_by_email("boss@example.org")
    assert user.is_admin and user.is_confirmed
    weak = runner.invoke(args=["kil", "create-admin", "x@example.org", "--password", "password"])
    assert weak.exit_code != 0 and find_by_email("x@example.org") is None


def test_a_hash_made_with_other_settings_still_signs_in_and_is_moved_to_todays(client, db):
    """Hashes from before the settings changed (argon2-cffi's default, 64 MiB) keep working,
    and the first sign-in stores the password again with today's settings (19 MiB, 2 passes)."""
    from argon2 import PasswordHasher

    user = make_user(password_hash=PasswordHasher().hash(PASSWORD))
    db.session.commit()
    assert passwords.needs_rehash(user.password_hash)
    answer = client.post("/account/sign-in", data={"email": user.email, "password": PASSWORD})
    assert answer.status_code == 302
    db.session.refresh(user)
    assert "$m=19456,t=2,p=1$" in user.password_hash
    assert not passwords.needs_rehash(user.password_hash)
