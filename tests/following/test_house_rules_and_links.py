"""House rules (item 5) and email links and inputs (item 9 of issue 17)."""

from __future__ import annotations

import logging

from sqlalchemy import select

from kil_consult.audit.models import AuditEvent
from kil_consult.moderation.house_rules import DEFAULT_HOUSE_RULES
from kil_consult.notifications.delivery import deliver
from kil_consult.notifications.services import queue_email
from tests.factories import make_comment, make_idea, make_user


def test_the_admin_writes_the_house_rules_and_the_change_is_audited(client, council, db, login_as):
    page = client.get("/house-rules").get_data(as_text=True)
    assert '<h2 class="govuk-heading-m">Be respectful</h2>' in page
    login_as("admin")
    form = client.get("/admin/house-rules").get_data(as_text=True)
    assert "Equality Act 2010" in form
    assert client.post("/admin/house-rules", data={"body": ""}).status_code == 400
    response = client.post("/admin/house-rules", data={"body": "## Be kind\n\nAlways."})
    assert response.status_code == 302
    page = client.get("/house-rules").get_data(as_text=True)
    assert "Be kind" in page and "Equality Act" not in page
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "house_rules.edit"))
    assert event.before["rules"] == DEFAULT_HOUSE_RULES
    assert event.after["rules"] == "## Be kind\n\nAlways."


def test_the_forms_link_the_house_rules_and_authors_can_be_reported(client, council, db, login_as):
    author = make_user(display_name="Ali Author")
    idea = make_idea(author=author)
    comment = make_comment(idea, make_user(display_name="Cal Commenter"), "Hello")
    db.session.commit()
    visitor_page = client.get(f"/ideas/{idea.id}").get_data(as_text=True)
    assert "create an account</a> to vote" in visitor_page
    assert "/report/user/" not in visitor_page
    login_as("resident")
    page = client.get(f"/ideas/{idea.id}").get_data(as_text=True)
    assert f'href="/report/user/{author.id}"' in page
    assert f'href="/report/user/{comment.author_id}"' in page
    assert 'href="/house-rules"' in page
    assert " wrote at " in page and " wrote on " not in page
    assert 'href="/house-rules"' in client.get(f"/report/idea/{idea.id}").get_data(as_text=True)
    new = client.get(f"/consultations/{idea.consultation.slug}/ideas/new").get_data(as_text=True)
    assert 'href="/house-rules"' in new


def test_email_fields_are_email_inputs_and_the_footer_links_open_data(client, council, db):
    page = client.get("/account/create").get_data(as_text=True)
    assert 'type="email"' in page and 'autocomplete="email"' in page
    assert 'type="email"' in client.get("/account/sign-in").get_data(as_text=True)
    assert 'href="/api/v1/"' in page


def test_signing_in_unconfirmed_shows_one_banner(client, council, db, login_as):
    login_as("resident", confirmed=False)
    page = client.get("/").get_data(as_text=True)
    assert page.count("Confirm your email address") == 1


def test_email_links_use_the_address_the_app_is_served_on_in_development(app, client, db):
    from kil_consult.urls import base_url

    saved = dict(app.config)
    app.config.update(KIL_BASE_URL_SET=False, KIL_ENV="development")
    try:
        with app.test_request_context("/", base_url="http://127.0.0.1:5101"):
            assert base_url() == "http://127.0.0.1:5101"
        app.config["KIL_ENV"] = "production"  # never trust the Host header in production
        with app.test_request_context("/", base_url="http://evil.example"):
            assert base_url() == app.config["KIL_BASE_URL"]
    finally:
        app.config.clear()
        app.config.update(saved)


def test_kil_port_sets_the_default_base_url(monkeypatch):
    from kil_consult.config import settings_from_environ

    monkeypatch.delenv("KIL_BASE_URL", raising=False)
    monkeypatch.setenv("KIL_PORT", "5101")
    settings = settings_from_environ()
    assert settings["KIL_BASE_URL"] == "http://127.0.0.1:5101"
    assert settings["KIL_BASE_URL_SET"] is False


def test_a_logged_email_shows_long_links_whole(app, db, caplog):
    link = "http://127.0.0.1:5101/account/confirm/" + "a" * 90 + "="
    user = make_user()
    message = queue_email(user.email, "Confirm", "confirm_email", user=user, link=link)
    db.session.commit()
    saved = app.config["MAIL_SERVER"]
    app.config["MAIL_SERVER"] = ""
    try:
        with caplog.at_level(logging.INFO, logger="kil_consult.mail"):
            assert deliver([message.id]) == 1
    finally:
        app.config["MAIL_SERVER"] = saved
    assert link in caplog.text
