"""Configuration, security headers, CSRF, request size, error pages, migrations, demo data."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from kil_consult import create_app
from kil_consult.config import ConfigError, settings_from_environ
from kil_consult.extensions import db as _db

from .factories import make_consultation, make_idea


def test_production_refuses_the_default_secret_key(monkeypatch):
    monkeypatch.setenv("KIL_ENV", "production")
    monkeypatch.delenv("KIL_SECRET_KEY", raising=False)
    with pytest.raises(ConfigError, match="KIL_SECRET_KEY"):
        settings_from_environ()
    monkeypatch.setenv("KIL_SECRET_KEY", "short")
    with pytest.raises(ConfigError):
        create_app()
    monkeypatch.setenv("KIL_SECRET_KEY", "x" * 40)  # long, but no entropy
    with pytest.raises(ConfigError, match="entropy"):
        settings_from_environ()
    monkeypatch.setenv("KIL_SECRET_KEY", "3f9c1b7e0a5d48c2b6e1f0a9d7c35e8b41a2c6d0f9e7b3a5")
    monkeypatch.setenv("KIL_PSEUDONYM_KEY", "9d41e0c7b2a85f36e1d0c9b8a7f6e5d4c3b2a1f0e9d8c7b6")
    settings = settings_from_environ()
    assert settings["SESSION_COOKIE_SECURE"] is True


def test_settings_come_from_kil_variables(monkeypatch):
    monkeypatch.setenv("KIL_DATABASE_URL", "postgresql://u@h/db")
    monkeypatch.setenv("KIL_MAIL_SERVER", "smtp.example.org")
    monkeypatch.setenv("KIL_MAIL_PORT", "587")
    monkeypatch.setenv("KIL_MAIL_USE_TLS", "true")
    monkeypatch.setenv("KIL_REDIS_URL", "redis://127.0.0.1:6379/0")
    monkeypatch.setenv("KIL_BASE_URL", "https://consult.example.gov.uk/")
    settings = settings_from_environ()
    assert settings["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://u@h/db"
    assert (settings["MAIL_SERVER"], settings["MAIL_PORT"], settings["MAIL_USE_TLS"]) == (
        "smtp.example.org",
        587,
        True,
    )
    assert settings["RATELIMIT_STORAGE_URI"] == "redis://127.0.0.1:6379/0"
    assert settings["KIL_BASE_URL"] == "https://consult.example.gov.uk"
    monkeypatch.setenv("KIL_MAIL_PORT", "twenty-five")
    with pytest.raises(ConfigError, match="KIL_MAIL_PORT"):
        settings_from_environ()


def test_security_headers(client, council):
    response = client.get("/")
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self' 'nonce-" in csp and "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    nonce = csp.split("'nonce-")[1].split("'")[0]
    assert f'nonce="{nonce}"' in response.get_data(as_text=True)
    assert client.get("/").headers["Content-Security-Policy"] != csp  # fresh nonce per request


def test_session_cookie_is_httponly_and_samesite(client, council, login_as):
    login_as("resident")
    cookie = client.get_cookie("kil_session")
    assert cookie is not None and cookie.http_only and cookie.same_site == "Lax"


def test_csrf_is_required_on_forms(app, council, db):
    consultation = make_consultation()
    db.session.commit()
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        client = app.test_client()
        response = client.post("/account/sign-in", data={"email": "a@b.org", "password": "x"})
        assert response.status_code == 400
        assert "The form had expired" in response.get_data(as_text=True)
        assert client.post(f"/admin/consultations/{consultation.slug}/close").status_code in (
            302,
            400,
        )
    finally:
        app.config["WTF_CSRF_ENABLED"] = False


def test_oversized_request_is_413_with_a_message(client, council):
    response = client.post("/account/sign-in", data={"email": "a" * (2 * 1024 * 1024)})
    assert response.status_code == 413
    assert "too large" in response.get_data(as_text=True)


def test_error_pages(client, council):
    missing = client.get("/no-such-page")
    assert missing.status_code == 404 and "Page not found" in missing.get_data(as_text=True)
    assert client.get("/account/sign-out").status_code == 405


def test_a_crash_is_a_friendly_500(app, client, council, monkeypatch):
    from kil_consult.pages import routes

    def broken():
        raise RuntimeError("boom")

    monkeypatch.setattr(routes, "current_process", broken)
    app.config["PROPAGATE_EXCEPTIONS"] = False
    app.testing = False
    try:
        response = client.get("/")
    finally:
        app.testing = True
        app.config["PROPAGATE_EXCEPTIONS"] = None
    assert response.status_code == 500
    assert "Sorry, there is a problem" in response.get_data(as_text=True)


def test_rate_limit_on_sign_in_answers_429_with_retry_after(app, council):
    client = app.test_client()
    data = {"email": "target@example.org", "password": "wrong-password-1"}
    statuses = [client.post("/account/sign-in", data=data).status_code for _ in range(11)]
    assert statuses[:10] == [400] * 10 and statuses[10] == 429
    response = client.post("/account/sign-in", data=data)
    assert "Retry-After" in response.headers
    assert "too many times" in response.get_data(as_text=True)
    # The limit is per account: another address from the same place still gets through.
    other = client.post("/account/sign-in", data={**data, "email": "other@example.org"})
    assert other.status_code == 400


def test_migrations_match_the_models(app):
    """The test database was built by running every migration; the models must match it."""
    import warnings

    from kil_consult.extensions import include_object

    with _db.engine.connect() as connection, warnings.catch_warnings():
        # SQLite cannot reflect indexes on expressions; include_object leaves them out anyway.
        warnings.filterwarnings("ignore", "Skipped unsupported reflection of expression-based")
        warnings.filterwarnings("ignore", "autogenerate skipping metadata-specified expression")
        context = MigrationContext.configure(connection, opts={"include_object": include_object})
        diff = compare_metadata(context, _db.metadata)
    assert diff == []


def test_demo_loads_a_realistic_council(app):
    from kil_consult.accounts.models import Role, User
    from kil_consult.consultations.models import Consultation, Neighbourhood
    from kil_consult.consultations.principles import PRINCIPLES
    from kil_consult.ideas.models import Comment, Idea, Vote

    result = app.test_cli_runner().invoke(args=["kil", "load-demo", "--if-empty"])
    assert result.exit_code == 0, result.output
    assert "admin@demo.kil.example" in result.output
    titles = [c.title for c in _db.session.query(Consultation).order_by("principle_number")]
    assert titles == [p.title for p in PRINCIPLES]
    names = {n.name for n in _db.session.query(Neighbourhood)}
    assert names == {"Eastbourne", "Hastings", "Lewes", "Rother", "Wealden"}
    roles = {u.role for u in _db.session.query(User)}
    assert roles == {Role.ADMIN, Role.FACILITATOR, Role.RESIDENT}
    assert _db.session.query(Idea).count() >= 24
    assert _db.session.query(Vote).count() >= 50
    assert _db.session.query(Comment).count() >= 10
    _check_demo_organisation()
    _check_demo_questions_and_indicator()
    again = app.test_cli_runner().invoke(args=["kil", "load-demo", "--if-empty"])
    assert "not loaded" in again.output


def _check_demo_questions_and_indicator():
    from kil_consult.questions.models import Question
    from kil_consult.questions.results import question_results
    from kil_consult.statements.models import Indicator

    questions = _db.session.query(Question).all()
    assert len(questions) == 3
    consultation = questions[0].consultation
    results = question_results(consultation)
    assert results.people == 30  # six residents online and 24 forms from the drop-in
    rother = [r.by_neighbourhood.columns.index("Rother") for r in results.questions if r.answered]
    assert rother
    indicator = _db.session.query(Indicator).one()
    assert len(indicator.readings) == 2 and indicator.baseline_value < indicator.target_value


def _check_demo_organisation():
    from kil_consult.accounts.models import User
    from kil_consult.ideas.models import Idea
    from kil_consult.organisations.models import Organisation
    from kil_consult.organisations.services import organisations_user_can_speak_for

    larder = _db.session.query(Organisation).one()
    assert larder.name == "Hastings Community Larder" and larder.is_verified
    assert [place.name for place in larder.neighbourhoods] == ["Hastings"]
    assert larder.registration_number.isdigit()
    volunteer = _db.session.query(User).filter_by(email="volunteer@demo.kil.example").one()
    assert organisations_user_can_speak_for(volunteer) == [larder]
    on_behalf = _db.session.query(Idea).filter_by(organisation_id=larder.id).all()
    assert len(on_behalf) == 2 and {idea.author_id for idea in on_behalf} == {volunteer.id}

    # Two consultations ran first: closed, with published summaries citing their ideas, so a
    # facilitator can start the statement from them; the other four are open.
    from kil_consult.consultations.models import Consultation, Stage
    from kil_consult.statements.summaries import published_version

    stages = {c.principle_number: c.current_stage() for c in _db.session.query(Consultation)}
    assert {n for n, stage in stages.items() if stage is Stage.CLOSED} == {5, 6}
    assert {n for n, stage in stages.items() if stage is Stage.OPEN} == {1, 2, 3, 4}
    for consultation in _db.session.query(Consultation).filter(
        Consultation.principle_number.in_([5, 6])
    ):
        version = published_version(consultation)
        assert version is not None and version.decision
        assert all(finding.citations for finding in version.findings)


def test_idea_counts_on_the_page_equal_the_rows(client, council, db):
    from .factories import make_vote

    idea = make_idea(make_consultation())
    for value in ["agree", "agree", "disagree", "pass"]:
        make_vote(idea, value=value)
    db.session.commit()
    page = client.get(f"/ideas/{idea.id}").get_data(as_text=True)
    assert '<strong data-count="agree">2</strong>' in page
    assert '<strong data-count="disagree">1</strong>' in page
    assert '<strong data-count="pass">1</strong>' in page
