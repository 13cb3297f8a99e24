"""Changing one's email address (issue 17 item 4): a link goes to the new address by real
SMTP; opening it moves the account and tells the old address; nothing reveals whether an
address already has an account."""

from __future__ import annotations

from urllib.parse import urlsplit

from kil_consult.accounts.services import find_by_email
from tests import factories
from tests.factories import PASSWORD


def _path(url: str) -> str:
    return urlsplit(url).path


def test_change_email_with_confirmation_and_a_notice_to_the_old_address(
    client, council, db, login_as, mailbox
):
    me = factories.make_user(email="old@example.org", display_name="Ada")
    login_as(me)
    assert "Change your email address" in client.get("/account").get_data(as_text=True)
    page = client.post("/account/email", data={"email": " New@Example.org ", "password": PASSWORD})
    assert page.status_code == 200 and "Check your inbox" in page.get_data(as_text=True)
    db.session.refresh(me)
    assert me.email == "old@example.org"  # not until the link is opened
    message = mailbox.wait_for("new@example.org")
    assert message.subject == "Confirm your new email address"
    response = client.get(_path(message.link("/account/email/confirm/")))
    assert response.status_code == 302 and response.headers["Location"].endswith("/account")
    db.session.refresh(me)
    assert me.email == "new@example.org" and me.is_confirmed
    notice = mailbox.wait_for("old@example.org")
    assert notice.subject == "The email address of your account has been changed"
    assert "new@example.org" in notice.body and "/account/forgot-password" in notice.body
    again = client.get(_path(message.link("/account/email/confirm/")))
    assert again.status_code == 400 and "already been used" in again.get_data(as_text=True)
    client.post("/account/sign-out")
    assert (
        client.post(
            "/account/sign-in", data={"email": "new@example.org", "password": PASSWORD}
        ).status_code
        == 302
    )


def test_wrong_password_or_same_address_is_refused_with_the_form_filled(
    client, council, db, login_as
):
    me = factories.make_user(email="me@example.org")
    login_as(me)
    page = client.post("/account/email", data={"email": "x@example.org", "password": "wrong"})
    text = page.get_data(as_text=True)
    assert page.status_code == 400 and "Your password is not right" in text
    assert 'value="x@example.org"' in text
    page = client.post("/account/email", data={"email": "ME@example.org", "password": PASSWORD})
    assert page.status_code == 400 and "already your email address" in page.get_data(as_text=True)
    page = client.post("/account/email", data={"email": "not an address", "password": PASSWORD})
    assert page.status_code == 400 and "correct format" in page.get_data(as_text=True)


def test_an_address_with_an_account_is_not_revealed(client, council, db, login_as, mailbox):
    factories.make_user(email="taken@example.org")
    me = factories.make_user(email="me@example.org")
    login_as(me)
    page = client.post("/account/email", data={"email": "taken@example.org", "password": PASSWORD})
    assert page.status_code == 200 and "Check your inbox" in page.get_data(as_text=True)
    message = mailbox.wait_for("taken@example.org")
    assert (
        "already has an account" in message.body and "/account/email/confirm/" not in message.body
    )
    db.session.refresh(me)
    assert me.email == "me@example.org"


def test_address_taken_between_asking_and_confirming(client, council, db, login_as, mailbox):
    me = factories.make_user(email="me@example.org")
    login_as(me)
    client.post("/account/email", data={"email": "wanted@example.org", "password": PASSWORD})
    link = mailbox.wait_for("wanted@example.org").link("/account/email/confirm/")
    factories.make_user(email="wanted@example.org")
    db.session.commit()
    response = client.get(_path(link))
    assert response.status_code == 409 and "another account" in response.get_data(as_text=True)
    assert find_by_email("me@example.org") is not None


def test_a_broken_link_says_so(client, council):
    response = client.get("/account/email/confirm/not-a-token")
    assert response.status_code == 400 and "not valid" in response.get_data(as_text=True)


def test_visitors_are_sent_to_sign_in(client, council):
    response = client.get("/account/email")
    assert response.status_code == 302 and "/account/sign-in" in response.headers["Location"]
