"""kil-consult: where a council and its residents co-design a local Keep it Local statement."""

from __future__ import annotations

import logging
import os
from pathlib import Path

from flask import Flask, has_request_context
from jinja2 import ChoiceLoader, FileSystemLoader, PackageLoader, PrefixLoader
from sqlalchemy import event
from sqlalchemy.engine import Engine

from .config import INSTANCE_PATH, PROJECT_ROOT, load_dotenv_file, settings_from_environ
from .extensions import csrf, db, limiter, login_manager, migrate

__all__ = ["create_app"]


def create_app(config: dict | None = None) -> Flask:
    """Build the app: settings from ``KIL_*`` variables, overridden by ``config`` (for tests)."""
    load_dotenv_file()
    app = Flask(
        __name__,
        template_folder=str(PROJECT_ROOT / "templates"),
        static_folder=str(PROJECT_ROOT / "static"),
        instance_path=str(INSTANCE_PATH),
    )
    app.config.from_mapping(settings_from_environ())
    app.config["RATELIMIT_HEADERS_ENABLED"] = True
    if config:
        app.config.from_mapping(config)
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    if app.config.get("KIL_PROXY_COUNT"):  # behind N proxies: trust their X-Forwarded-* headers
        from werkzeug.middleware.proxy_fix import ProxyFix

        hops = app.config["KIL_PROXY_COUNT"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    _warn_about_proxies(app)

    from .urls import DatabaseIdConverter

    app.url_map.converters["int"] = DatabaseIdConverter  # before any route is added
    _init_extensions(app)
    _init_templates(app)
    _register_blueprints(app)
    _init_audit()
    _init_spreadsheet_columns()

    from .errors import init_errors
    from .policy import Refused
    from .security import init_security

    init_security(app)
    init_errors(app, refused=Refused)
    _register_commands(app)
    return app


def _register_commands(app: Flask) -> None:
    """``flask --app app kil ...``: the group from cli.py and the areas' own commands."""
    from .analysis import tasks as _analysis_tasks  # noqa: F401  (the worker's jobs)
    from .analysis.commands import analyse_command
    from .cli import kil
    from .exports import tasks as _export_tasks  # noqa: F401  (large downloads)
    from .exports.commands import export
    from .following import tasks as _following_tasks  # noqa: F401  (digests, notices)
    from .jobs import init_jobs, worker_command
    from .network import tasks as _network_tasks  # noqa: F401  (the hub's harvest)
    from .notifications import tasks as _email_tasks  # noqa: F401  (the outbox)

    init_jobs(app)
    kil.add_command(analyse_command)
    kil.add_command(export)
    kil.add_command(worker_command)
    app.cli.add_command(kil)


def _warn_about_proxies(app: Flask) -> None:
    """In production without ``KIL_PROXY_COUNT`` the app trusts no ``X-Forwarded-Proto``: behind
    a proxy that terminates TLS every request looks like plain HTTP, so HSTS is never sent and
    rate limits count the proxy's address. Say so at start-up rather than fail silently."""
    unset = not app.config.get("KIL_PROXY_COUNT") and not os.environ.get("KIL_PROXY_COUNT")
    if app.config.get("KIL_ENV") == "production" and unset:
        logging.getLogger("kil_consult").warning(
            "KIL_ENV=production but KIL_PROXY_COUNT is not set: X-Forwarded-* headers are "
            "ignored, so behind a reverse proxy that terminates TLS no request is seen as "
            "secure (no Strict-Transport-Security header is sent) and rate limits count the "
            "proxy, not people. Set KIL_PROXY_COUNT=1 behind one proxy (nginx, Caddy); set it "
            "to 0 explicitly only if the app itself serves HTTPS."
        )


def _init_extensions(app: Flask) -> None:
    db.init_app(app)
    migrate.init_app(app, db, directory=str(PROJECT_ROOT / "migrations"), render_as_batch=True)
    csrf.init_app(app)
    limiter.init_app(app)
    from .cache import init_cache

    init_cache(app)
    login_manager.init_app(app)
    login_manager.login_view = "accounts.sign_in"
    login_manager.login_message = "Sign in to continue."
    login_manager.session_protection = "basic"

    from .accounts.services import person_for_session
    from .notifications.delivery import deliver_queued

    login_manager.user_loader(person_for_session)

    @app.after_request
    def send_queued_email(response):
        deliver_queued()
        return response

    # Import every model so that Alembic sees the whole schema.
    from .analysis import models as _a  # noqa: F401
    from .audit import models as _audit  # noqa: F401
    from .consultations import models as _c  # noqa: F401
    from .equality import models as _e  # noqa: F401
    from .exports import models as _exports  # noqa: F401
    from .ideas import models as _i  # noqa: F401
    from .moderation import models as _m  # noqa: F401
    from .network import hub_models as _hub  # noqa: F401
    from .network import models as _network  # noqa: F401
    from .notifications import models as _n  # noqa: F401
    from .organisations import models as _o  # noqa: F401
    from .questions import models as _q  # noqa: F401
    from .statements import models as _s  # noqa: F401


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection, connection_record) -> None:
    """SQLite: enforce foreign keys, wait for locks instead of failing, write-ahead log."""
    import sqlite3

    if isinstance(dbapi_connection, sqlite3.Connection):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()


def _init_templates(app: Flask) -> None:
    from flask_login import current_user
    from govuk_frontend_wtf.main import WTFormsHelpers

    from . import policy
    from .consultations.services import council_for_pages
    from .security import csp_nonce
    from .timeutil import format_date, format_datetime, format_iso_date

    app.jinja_loader = ChoiceLoader(
        [
            FileSystemLoader(str(PROJECT_ROOT / "templates")),
            PrefixLoader(
                {
                    "govuk_frontend_jinja": PackageLoader("govuk_frontend_jinja"),
                    "govuk_frontend_wtf": PackageLoader("govuk_frontend_wtf"),
                }
            ),
        ]
    )
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
    WTFormsHelpers(app)
    from . import page_shells
    from .analysis.values import in_ten
    from .cache import tallies_in_slots
    from .following.services import target_key as follow_key
    from .ideas import tallies
    from .ideas.cards import idea_cards, vote_form
    from .markdown import render_markdown
    from .pages import personal_parts
    from .pages.personal_parts import prompt_for
    from .statements.evidence import citations_of
    from .statements.summaries import you_said_we_did

    app.add_template_global(policy.can, "can")
    app.add_template_global(idea_cards, "idea_cards")
    app.add_template_global(vote_form, "vote_form")
    app.add_template_global(follow_key, "follow_key")
    app.add_template_global(policy.results_public, "results_public")
    # The moderation pages warn about an idea the agreed statement cites (moderation sits
    # below statements, so the statement's reading is handed to the templates here).
    app.add_template_global(citations_of, "statement_citations")
    app.add_template_global(you_said_we_did, "you_said_we_did")
    # A consultation's questions waiting for the signed-in person (shown on the consultation
    # and idea pages, which sit below the questions).
    app.add_template_global(prompt_for, "question_prompt")
    # Signed-in pages from shells shared by an audience, each person's parts filled in.
    personal_parts.register()
    app.add_template_global(page_shells.personal, "personal")
    # The figures a vote changes, left as slots in a shell that fills them per request.
    tallies.register()
    app.add_template_global(tallies.tally, "tally")
    app.add_template_global(tallies.people_taking_part, "people_taking_part")
    app.add_template_global(tallies_in_slots, "tallies_in_slots")
    app.add_template_global(page_shells.csrf_token, "csrf_token")  # in place of Flask-WTF's
    # A link to a page another area may add later is shown only once the page exists.
    app.add_template_global(lambda endpoint: endpoint in app.view_functions, "has_endpoint")
    app.add_template_filter(render_markdown, "markdown")
    app.add_template_filter(_percent, "percent")
    app.add_template_filter(in_ten, "in_ten")
    app.add_template_filter(format_datetime, "datetime")
    app.add_template_filter(format_date, "date")
    app.add_template_filter(format_iso_date, "isodate")
    app.jinja_env.add_extension("jinja2.ext.do")

    @app.context_processor
    def site_context():
        return {
            "council": council_for_pages(),
            "service_name": app.config["KIL_SERVICE_NAME"],
            "hub_mode": app.config.get("KIL_MODE") == "hub",
            "cspNonce": csp_nonce() if has_request_context() else "",
            "current_user": current_user,
            # over Flask-WTF's context processor, which hands pages its own generate_csrf
            "csrf_token": page_shells.csrf_token,
        }


def _percent(value: float | None) -> str:
    """A share (0.5) as a whole percentage ("50%"); empty for None."""
    return "" if value is None else f"{value * 100:.0f}%"


def _register_blueprints(app: Flask) -> None:
    from .accounts.routes import bp as accounts_bp
    from .analysis.routes import bp as analysis_bp
    from .api.routes import bp as api_bp
    from .consultations.routes import bp as consultations_bp
    from .ideas import edit_routes as _edit_routes  # noqa: F401  (its views, on ideas_bp)
    from .ideas import workshop_routes as _workshop_routes  # noqa: F401  (on ideas_bp too)
    from .ideas.routes import bp as ideas_bp
    from .moderation.routes import bp as moderation_bp
    from .organisations.routes import bp as organisations_bp
    from .pages import follow as _follow_routes  # noqa: F401  (its views, on pages_bp)
    from .pages.routes import bp as pages_bp
    from .personal_data.routes import bp as personal_data_bp

    for blueprint in (consultations_bp, ideas_bp, accounts_bp, pages_bp, api_bp):
        app.register_blueprint(blueprint)
    app.register_blueprint(organisations_bp)
    app.register_blueprint(moderation_bp)
    app.register_blueprint(analysis_bp)

    from .questions.routes import bp as questions_bp

    app.register_blueprint(questions_bp)

    from .exports.routes import bp as exports_bp
    from .statements import summary_routes as _summary_routes  # noqa: F401  (its views)
    from .statements.routes import bp as statements_bp

    app.register_blueprint(statements_bp)

    from .statements.indicator_routes import bp as indicators_bp

    app.register_blueprint(indicators_bp)
    app.register_blueprint(exports_bp)
    app.register_blueprint(personal_data_bp)

    from .following.routes import bp as following_bp

    app.register_blueprint(following_bp)

    from .network.routes import bp as network_bp

    app.register_blueprint(network_bp)
    if app.config.get("KIL_MODE") == "hub":
        from .network.hub_routes import bp as hub_bp

        app.register_blueprint(hub_bp)
    from .equality.routes import bp as equality_bp

    app.register_blueprint(equality_bp)

    @app.route("/healthz")
    def healthz():
        return {"status": "ok"}


def _init_spreadsheet_columns() -> None:
    """The spreadsheet import (ideas) reads the "About you" columns of equality monitoring and
    the answers to the consultation's own questions, areas above it, which register them here."""
    from .equality.columns import ABOUT_YOU_COLUMNS
    from .ideas.spreadsheet import register_columns
    from .questions.columns import QUESTION_COLUMNS

    register_columns(ABOUT_YOU_COLUMNS)
    register_columns(QUESTION_COLUMNS)


def _init_audit() -> None:
    """Tell the audit log what each area's items are called and where they link to (the
    audit layer imports no area, so the areas register here)."""
    from .accounts.models import User
    from .audit import register_item
    from .consultations.models import Consultation
    from .ideas.models import Comment, CommunityEvent, Idea
    from .moderation.models import HideReason
    from .organisations.models import Organisation
    from .statements.models import Commitment, Statement

    def commitment_text(commitment: Commitment) -> str:
        latest = commitment.statement.latest
        commitments = latest.content.get("commitments", []) if latest else []
        found = next((c for c in commitments if c.get("id") == commitment.id), None)
        return found["text"] if found and found.get("text") else f"Commitment {commitment.id}"

    def statement_title(statement: Statement) -> str:
        latest = statement.latest
        return (latest.content.get("title") if latest else "") or "The local statement"

    register_item(
        Consultation,
        "consultation",
        noun="Consultation",
        label=lambda c: c.title,
        endpoint="pages.consultation",
        url_args=lambda c: {"slug": c.slug},
        consultation_id=lambda c: c.id,
    )
    # People, ideas and comments are named from the row while it exists, never copied into
    # the log: erasing an account must leave no copy of its name or words behind.
    register_item(
        Idea,
        "idea",
        noun="Idea",
        label=lambda i: i.title,
        endpoint="ideas.show",
        url_args=lambda i: {"idea_id": i.id},
        keep_label=False,
    )
    register_item(
        Comment,
        "comment",
        noun="Comment",
        label=lambda c: f"Comment: {c.body[:80]}",
        endpoint="ideas.show",
        url_args=lambda c: {"idea_id": c.idea_id, "_anchor": f"comment-{c.id}"},
        consultation_id=lambda c: c.idea.consultation_id,
        keep_label=False,
    )
    register_item(
        User,
        "user",
        noun="Person",
        label=lambda u: u.display_name,
        endpoint="accounts.people",
        url_args=lambda u: {"q": u.display_name},
        keep_label=False,
    )
    register_item(
        Organisation,
        "organisation",
        noun="Organisation",
        label=lambda o: o.name,
        endpoint="organisations.decide",
        url_args=lambda o: {"slug": o.slug},
    )
    register_item(
        CommunityEvent,
        "community_event",
        noun="Offline event",
        label=lambda e: e.name,
        endpoint="ideas.event",
        url_args=lambda e: {"event_id": e.id},
    )
    register_item(
        HideReason,
        "hide_reason",
        noun="Reason template",
        label=lambda r: r.title,
        endpoint="moderation.edit_reason",
        url_args=lambda r: {"reason_id": r.id},
    )
    register_item(
        Statement,
        "statement",
        noun="Statement",
        label=statement_title,
        endpoint="statements.manage",
    )
    register_item(
        Commitment,
        "commitment",
        noun="Commitment",
        label=commitment_text,
        endpoint="statements.edit_commitment",
        url_args=lambda c: {"commitment_id": c.id},
    )
    from .network.models import AssessmentRound

    register_item(
        AssessmentRound,
        "network_round",
        noun="Self-assessment round",
        label=lambda r: r.title,
        endpoint="network.show",
        url_args=lambda r: {"round_id": r.id},
    )
    from .consultations.models import Neighbourhood
    from .equality.models import NeighbourhoodShape, PopulationFigure, PostcodeWard
    from .equality.questions import BY_NAME as EQUALITY_QUESTIONS

    register_item(
        PopulationFigure,
        "population",
        noun="Census population",
        label=lambda p: (
            EQUALITY_QUESTIONS[p.characteristic].characteristic
            if p.characteristic in EQUALITY_QUESTIONS
            else p.characteristic
        ),
        endpoint="equality.population",
    )
    register_item(
        PostcodeWard,
        "postcode_lookup",
        noun="Postcode lookup",
        label=lambda p: "Postcode-to-ward lookup",
        endpoint="equality.population",
    )
    register_item(
        NeighbourhoodShape,
        "neighbourhood_shape",
        noun="Neighbourhood boundaries",
        label=lambda s: "Neighbourhood boundaries",
        endpoint="equality.population",
    )
    register_item(
        Neighbourhood,
        "neighbourhood",
        noun="Neighbourhood",
        label=lambda n: n.name,
        endpoint="equality.population",
    )
    from .moderation.models import HouseRules

    register_item(
        HouseRules,
        "house_rules",
        noun="House rules",
        label=lambda r: "House rules",
        endpoint="moderation.edit_house_rules",
    )
