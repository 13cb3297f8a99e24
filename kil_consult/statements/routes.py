"""The statement's pages: public text, review, versions and diffs, progress; the staff pages to
draft, revise, open for comment, record the decision and signatories, publish and update."""

from __future__ import annotations

from datetime import datetime, time

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from .. import policy
from ..consultations.services import current_process
from ..extensions import db
from ..organisations.services import organisations_user_can_speak_for, speaking_for
from ..timeutil import from_local
from . import coming, commitment_views, services
from .content import CHAMPION_KINDS, Champion
from .forms import (
    ConfirmForm,
    DecisionForm,
    PublishForm,
    RespondForm,
    ReviewForm,
    SignatoryForm,
    StatementForm,
)
from .indicator_chart import charted_trends
from .models import CommitmentStatus, Stance
from .views import STATEMENT, attempt

bp = Blueprint("statements", __name__)


# --- public pages --------------------------------------------------------------------------


def _respond_form(part: str, formdata=None) -> RespondForm:
    form = RespondForm(formdata=formdata, prefix=part)
    organisations = organisations_user_can_speak_for(current_user)
    form.organisation.choices = [("", "Myself")] + [(str(o.id), o.name) for o in organisations]
    return form


def _show(statement, respond_forms: dict | None = None, status: int = 200):
    # While a draft is out for comment, the page shows it (with a link to the published text).
    version = statement.review_version if statement.is_reviewing() else None
    version = version or services.public_version(statement)
    read_feedback = policy.can("statement.read_feedback", statement)
    if version is None:
        version = statement.latest
    reviewing = statement.is_reviewing() and version == statement.review_version
    can_respond = reviewing and policy.can("statement.respond", statement)
    forms = respond_forms or {}
    if can_respond:
        for part, _label in services.parts_of(version.content):
            forms.setdefault(part, _respond_form(part, formdata=None))
    return (
        render_template(
            "statements/show.html",
            statement=statement,
            version=version,
            decision=services.decision_of(statement, version),
            reviewing=reviewing,
            forms=forms,
            mine=services.responses_of(statement, current_user),
            feedback=services.feedback(statement, version) if reviewing or read_feedback else {},
            read_feedback=read_feedback,
            **_body_context(statement, version),
        ),
        status,
    )


def _body_context(statement, version) -> dict:
    content = version.typed_content
    evidence = services.version_evidence(version)
    return {
        "content": content,
        "commitments": services.numbered_commitments(statement, content),
        "evidence": evidence.ideas,
        "evidence_frozen_at": evidence.frozen_at,
        "taking_part": evidence.taking_part,
        "champion_labels": dict(CHAMPION_KINDS),
    }


def _staff_context(statement, version) -> dict:
    return {
        "warnings": services.warnings_for(version),
        "close_form": ConfirmForm(formdata=None),
        "publish_form": PublishForm(formdata=None, prefix="publish"),
    }


def _coming(page: str, statement):
    """The page that will exist later, saying now what it will hold and when (never a 404)."""
    return render_template(
        "statements/coming.html",
        page=page,
        statement=statement,
        outlook=coming.outlook(current_process(), statement),
    )


@bp.route("/statement")
def show():
    statement = services.current_statement()
    if statement is None or not policy.can("statement.view", statement):
        return _coming("statement", statement)
    return _show(statement)


@bp.route("/statement/respond/<part>", methods=["POST"])
@policy.requires("statement.respond", **STATEMENT)
def respond(statement, part: str):
    version = statement.review_version
    if part not in dict(services.parts_of(version.content)):
        abort(404)
    form = _respond_form(part, formdata=request.form)
    if not form.validate():
        return _show(statement, {part: form}, 400)
    organisation = speaking_for(form.organisation.data)
    _, error = attempt(
        services.respond,
        statement,
        current_user,
        part,
        Stance(form.stance.data),
        form.comment.data or "",
        organisation,
    )
    if error:
        form.stance.errors = [error]
        return _show(statement, {part: form}, 400)
    db.session.commit()
    flash("Thank you. Your response is saved.")
    return redirect(url_for(".show", _anchor=part))


@bp.route("/statement/versions")
def versions():
    statement = services.current_statement()
    if statement is None or not policy.can("statement.view", statement):
        return _coming("versions", statement)
    visible = _visible_versions(statement)
    return render_template(
        "statements/versions.html", statement=statement, versions=list(reversed(visible))
    )


def _visible_versions(statement) -> list:
    return services.visible_versions(statement, policy.can("statement.view_drafts", statement))


def _visible_version(statement, number: int):
    for version in _visible_versions(statement):
        if version.number == number:
            return version
    abort(404)


@bp.route("/statement/versions/<int:number>")
@policy.requires("statement.view", **STATEMENT)
def version(statement, number: int):
    version = _visible_version(statement, number)
    return render_template(
        "statements/version.html",
        statement=statement,
        version=version,
        decision=services.decision_of(statement, version),
        **_body_context(statement, version),
    )


@bp.route("/statement/compare")
@policy.requires("statement.view", **STATEMENT)
def compare(statement):
    visible = _visible_versions(statement)
    numbers = [v.number for v in visible]
    try:
        new = int(request.args.get("to", numbers[-1] if numbers else 0))
        old = int(request.args.get("from", new - 1))
    except ValueError:
        abort(400)
    if old not in numbers or new not in numbers:
        abort(404)
    older, newer = _visible_version(statement, old), _visible_version(statement, new)
    return render_template(
        "statements/compare.html",
        statement=statement,
        older=older,
        newer=newer,
        numbers=numbers,
        parts=services.compare(older.content, newer.content),
    )


@bp.route("/statement/progress")
def progress():
    statement = services.current_statement()
    if statement is None or not policy.can("progress.view", statement):
        return _coming("progress", statement)
    version = statement.published_version or statement.latest
    commitments = services.numbered_commitments(statement, version.typed_content)
    return render_template(
        "statements/progress.html",
        statement=statement,
        version=version,
        commitments=commitments,
        counts=services.progress_counts(commitments),
        statuses=list(CommitmentStatus),
        trends=charted_trends([c.id for c in commitments]),
    )


# --- staff pages ---------------------------------------------------------------------------


@bp.route("/admin/statement")
@policy.requires("statement.start")
def manage():
    process = current_process()
    statement = services.statement_of(process)
    context = {"process": process, "statement": statement, "confirm": ConfirmForm()}
    if statement is not None and statement.latest is not None:
        version = statement.latest
        context |= _body_context(statement, version)
        context |= {
            "version": version,
            "decision": services.current_decision(statement),
            "review_form": ReviewForm(formdata=None, prefix="review"),
            "decision_form": DecisionForm(formdata=None, prefix="decision"),
            "signatory_form": SignatoryForm(formdata=None, prefix="signatory"),
            "feedback": services.feedback(statement),
            "review_version": statement.review_version,
        }
        context |= _staff_context(statement, version)
    else:
        context["published"] = services.published_summaries(process)
    return render_template("statements/manage.html", **context)


def _manage_with(form_name: str, form, status: int = 400):
    statement = services.current_statement()
    version = statement.latest
    forms = {
        "review_form": ReviewForm(formdata=None, prefix="review"),
        "decision_form": DecisionForm(formdata=None, prefix="decision"),
        "signatory_form": SignatoryForm(formdata=None, prefix="signatory"),
        **_staff_context(statement, version),
    }
    forms[form_name] = form
    return (
        render_template(
            "statements/manage.html",
            process=statement.process,
            statement=statement,
            confirm=ConfirmForm(),
            version=version,
            decision=services.current_decision(statement),
            feedback=services.feedback(statement),
            review_version=statement.review_version,
            form=form,
            **forms,
            **_body_context(statement, version),
        ),
        status,
    )


@bp.route("/admin/statement/start", methods=["POST"])
@policy.requires("statement.start")
def start():
    process = current_process()
    if process is None or not ConfirmForm().validate_on_submit():
        abort(400)
    _, error = attempt(services.start_from_summaries, process, current_user)
    if error:
        flash(error, "error")
        return redirect(url_for(".manage"))
    db.session.commit()
    flash("The draft statement is started as version 1.")
    return redirect(url_for(".manage"))


def _fill_text_form(form: StatementForm, content) -> None:
    form.title.data = content.title
    form.preamble.data = content.preamble
    for s in content.sections:
        form[f"section_{s.principle}"].data = s.body
    for kind, _label in CHAMPION_KINDS:
        champion = content.champion(kind)
        form[f"{kind}_name"].data = champion.name
        form[f"{kind}_role"].data = champion.role


def _champions_from(form: StatementForm) -> list[Champion]:
    return [
        Champion(kind, form[f"{kind}_name"].data or "", form[f"{kind}_role"].data or "")
        for kind, _label in CHAMPION_KINDS
    ]


@bp.route("/admin/statement/edit", methods=["GET", "POST"])
@policy.requires("statement.edit", **STATEMENT)
def edit(statement):
    content = statement.latest.typed_content
    form = StatementForm()
    if request.method == "GET":
        _fill_text_form(form, content)
    elif form.validate_on_submit():
        version, error = attempt(
            services.revise_text,
            statement,
            current_user,
            form.title.data,
            form.preamble.data,
            {s.principle: form[f"section_{s.principle}"].data for s in content.sections},
            _champions_from(form),
            form.reason.data,
        )
        if error:
            form.reason.errors = [error]
        else:
            db.session.commit()
            flash(f"Version {version.number} saved.")
            return redirect(url_for(".manage"))
    status = 400 if form.errors else 200
    return render_template(
        "statements/edit.html",
        statement=statement,
        form=form,
        feedback=services.feedback(statement),
    ), status


@bp.route("/admin/statement/review", methods=["POST"])
@policy.requires("statement.open_review", **STATEMENT)
def open_review(statement):
    form = ReviewForm(prefix="review")
    if form.validate_on_submit():
        closes_at = from_local(datetime.combine(form.closes_on.data, time(23, 59)))
        _, error = attempt(services.open_review, statement, current_user, closes_at)
        if error:
            form.closes_on.errors = [error]
        else:
            db.session.commit()
            flash("The draft is open for comment.")
            return redirect(url_for(".manage"))
    return _manage_with("review_form", form)


@bp.route("/admin/statement/decision", methods=["POST"])
@policy.requires("statement.agree", **STATEMENT)
def record_decision(statement):
    form = DecisionForm(prefix="decision")
    if form.validate_on_submit():
        _, error = attempt(
            services.record_decision,
            statement,
            current_user,
            form.body.data,
            form.decided_on.data,
            form.reference.data or "",
        )
        if error:
            form.body.errors = [error]
        else:
            db.session.commit()
            flash(f"Decision recorded: version {statement.latest.number} is agreed.")
            return redirect(url_for(".manage"))
    return _manage_with("decision_form", form)


@bp.route("/admin/statement/signatories", methods=["POST"])
@policy.requires("statement.sign", **STATEMENT)
def add_signatory(statement):
    form = SignatoryForm(prefix="signatory")
    if form.validate_on_submit():
        _, error = attempt(
            services.add_signatory,
            statement,
            current_user,
            form.name.data,
            form.role.data,
            form.signed_on.data,
        )
        if error:
            form.name.errors = [error]
        else:
            db.session.commit()
            flash(f"{form.name.data} added as a signatory.")
            return redirect(url_for(".manage"))
    return _manage_with("signatory_form", form)


@bp.route("/admin/statement/review/close", methods=["GET", "POST"])
@policy.requires("statement.close_review", **STATEMENT)
def close_review(statement):
    form = ConfirmForm()
    if request.method == "POST":
        if not form.validate_on_submit():
            abort(400)
        _, error = attempt(services.close_review, statement, current_user)
        if error:
            flash(error, "error")
        else:
            db.session.commit()
            flash("The review is closed. You can now record the decision.")
        return redirect(url_for(".manage", _anchor="decision-form"))
    return render_template("statements/close_review.html", statement=statement, form=form)


@bp.route("/admin/statement/publish", methods=["POST"])
@policy.requires("statement.publish", **STATEMENT)
def publish(statement):
    form = PublishForm(prefix="publish")
    if not form.validate_on_submit():
        return _manage_with("publish_form", form)
    override = form.override.data or "" if form.publish_anyway.data else ""
    version, error = attempt(services.publish, statement, current_user, override)
    if error:
        form.publish_anyway.errors = [error]
        return _manage_with("publish_form", form)
    db.session.commit()
    flash(f"Version {version.number} is published.")
    return redirect(url_for(".show"))


# The commitments' views live in commitment_views.py; their URLs are here with the others.
bp.add_url_rule(
    "/admin/statement/commitments/new",
    view_func=commitment_views.new_commitment,
    methods=["GET", "POST"],
)
bp.add_url_rule(
    "/admin/statement/commitments/<int:commitment_id>",
    view_func=commitment_views.edit_commitment,
    methods=["GET", "POST"],
)
bp.add_url_rule(
    "/admin/statement/commitments/<int:commitment_id>/remove",
    view_func=commitment_views.remove_commitment,
    methods=["POST"],
)
bp.add_url_rule(
    "/admin/statement/commitments/<int:commitment_id>/move",
    view_func=commitment_views.move_commitment,
    methods=["POST"],
)
bp.add_url_rule(
    "/admin/statement/commitments/<int:commitment_id>/progress",
    view_func=commitment_views.update_progress,
    methods=["GET", "POST"],
)
