"""The statement's pages: public text, review, versions and diffs, progress; the staff pages to
draft, revise, open for comment, record the decision and signatories, publish and update."""

from __future__ import annotations

from datetime import datetime, time
from functools import wraps

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from .. import policy
from ..consultations.services import current_process
from ..extensions import db
from ..organisations.services import organisations_user_can_speak_for
from ..timeutil import from_local, to_local, utcnow
from . import services
from .forms import (
    CommitmentForm,
    ConfirmForm,
    DecisionForm,
    ProgressForm,
    RemoveCommitmentForm,
    RespondForm,
    ReviewForm,
    SignatoryForm,
    StatementForm,
)
from .models import Commitment, CommitmentStatus, Stance, StatementError

bp = Blueprint("statements", __name__)


def with_statement(action: str):
    """View decorator: the current process's statement (404 if none), checked against
    ``action`` like ``policy.requires``."""

    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            statement = services.current_statement()
            if statement is None:
                abort(404)
            policy.check(action, statement)
            return view(statement, *args, **kwargs)

        wrapped.kil_action = action
        return wrapped

    return decorator


@bp.app_template_global("current_statement")
def current_statement_global():
    return services.current_statement()


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
    staff = policy.is_staff(current_user)
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
            feedback=services.feedback(statement, version) if reviewing or staff else {},
            staff=staff,
            **_body_context(statement, version),
        ),
        status,
    )


def _body_context(statement, version) -> dict:
    content = version.content
    commitments = services.numbered_commitments(statement, content)
    return {
        "content": content,
        "commitments": commitments,
        "evidence": services.evidence(services.cited_ideas(content)),
        "champion_labels": dict(services.CHAMPION_KINDS),
    }


@bp.route("/statement")
@with_statement("statement.view")
def show(statement):
    return _show(statement)


@bp.route("/statement/respond/<part>", methods=["POST"])
@with_statement("statement.respond")
def respond(statement, part: str):
    version = statement.review_version
    if part not in dict(services.parts_of(version.content)):
        abort(404)
    form = _respond_form(part, formdata=request.form)
    if not form.validate():
        return _show(statement, {part: form}, 400)
    organisation = None
    if form.organisation.data:
        from ..organisations.models import Organisation

        organisation = db.session.get(Organisation, form.organisation.data)
        if organisation is None or not policy.can("organisation.act", organisation):
            abort(403)
    try:
        services.respond(
            statement,
            current_user,
            part,
            Stance(form.stance.data),
            form.comment.data or "",
            organisation,
        )
    except StatementError as exc:
        form.stance.errors = [str(exc)]
        return _show(statement, {part: form}, 400)
    db.session.commit()
    flash("Thank you. Your response is saved.")
    return redirect(url_for(".show", _anchor=part))


@bp.route("/statement/versions")
@with_statement("statement.view")
def versions(statement):
    visible = services.visible_versions(statement, policy.is_staff(current_user))
    return render_template(
        "statements/versions.html", statement=statement, versions=list(reversed(visible))
    )


def _visible_version(statement, number: int):
    for version in services.visible_versions(statement, policy.is_staff(current_user)):
        if version.number == number:
            return version
    abort(404)


@bp.route("/statement/versions/<int:number>")
@with_statement("statement.view")
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
@with_statement("statement.view")
def compare(statement):
    visible = services.visible_versions(statement, policy.is_staff(current_user))
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
@with_statement("progress.view")
def progress(statement):
    version = statement.published_version or statement.latest
    commitments = services.numbered_commitments(statement, version.content)
    return render_template(
        "statements/progress.html",
        statement=statement,
        version=version,
        commitments=commitments,
        counts=services.progress_counts(commitments),
        statuses=list(CommitmentStatus),
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
    else:
        from ..analysis.results import results_published as is_published

        context["published"] = [
            c for c in (process.consultations if process else []) if is_published(c)
        ]
    return render_template("statements/manage.html", **context)


def _manage_with(form_name: str, form, status: int = 400):
    statement = services.current_statement()
    version = statement.latest
    forms = {
        "review_form": ReviewForm(formdata=None, prefix="review"),
        "decision_form": DecisionForm(formdata=None, prefix="decision"),
        "signatory_form": SignatoryForm(formdata=None, prefix="signatory"),
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
    try:
        services.start_from_summaries(process, current_user)
    except StatementError as exc:
        flash(str(exc), "error")
        return redirect(url_for(".manage"))
    db.session.commit()
    flash("The draft statement is started as version 1.")
    return redirect(url_for(".manage"))


def _content_from(form: StatementForm, content: dict) -> dict:
    new = dict(content)
    new["title"] = form.title.data
    new["preamble"] = form.preamble.data
    new["sections"] = [
        dict(s, body=form[f"section_{s['principle']}"].data or "") for s in content["sections"]
    ]
    new["champions"] = [
        {
            "kind": "cabinet",
            "name": form.cabinet_name.data or "",
            "role": form.cabinet_role.data or "",
        },
        {"kind": "smt", "name": form.smt_name.data or "", "role": form.smt_role.data or ""},
    ]
    return new


@bp.route("/admin/statement/edit", methods=["GET", "POST"])
@with_statement("statement.edit")
def edit(statement):
    content = statement.latest.content
    form = StatementForm()
    if request.method == "GET":
        form.title.data = content["title"]
        form.preamble.data = content["preamble"]
        for s in content["sections"]:
            form[f"section_{s['principle']}"].data = s["body"]
        champions = {c["kind"]: c for c in content["champions"]}
        for kind in ("cabinet", "smt"):
            form[f"{kind}_name"].data = champions.get(kind, {}).get("name", "")
            form[f"{kind}_role"].data = champions.get(kind, {}).get("role", "")
    elif form.validate_on_submit():
        try:
            version = services.save_version(
                statement, current_user, _content_from(form, content), form.reason.data
            )
        except StatementError as exc:
            form.reason.errors = [str(exc)]
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


def _commitment_content(statement, commitment_id: int | None) -> dict | None:
    if commitment_id is None:
        return None
    found = services.commitment_in(statement.latest.content, commitment_id)
    if found is None:
        abort(404)
    return found


@bp.route("/admin/statement/commitments/new", methods=["GET", "POST"])
@with_statement("statement.edit")
def new_commitment(statement):
    return _commitment_page(statement, None)


@bp.route("/admin/statement/commitments/<int:commitment_id>", methods=["GET", "POST"])
@with_statement("statement.edit")
def edit_commitment(statement, commitment_id: int):
    return _commitment_page(statement, commitment_id)


def _commitment_page(statement, commitment_id: int | None):
    existing = _commitment_content(statement, commitment_id)
    form = CommitmentForm()
    if request.method == "GET" and existing:
        form.principle.data = existing["principle"]
        form.text.data = existing["text"]
        form.owner.data = existing["owner"]
        form.due.data = datetime.fromisoformat(existing["due"]).date() if existing["due"] else None
        form.ideas.data = ", ".join(map(str, existing["ideas"]))
    elif request.method == "POST" and form.validate_on_submit():
        content = dict(statement.latest.content)
        item = {
            "id": commitment_id,
            "principle": form.principle.data,
            "text": form.text.data,
            "owner": form.owner.data or "",
            "due": form.due.data.isoformat() if form.due.data else "",
            "ideas": getattr(form.ideas, "parsed", []),
        }
        try:
            if commitment_id is None:
                item["id"] = services.new_commitment(statement).id
                content["commitments"] = [*content["commitments"], item]
            else:
                content["commitments"] = [
                    item if c["id"] == commitment_id else c for c in content["commitments"]
                ]
            version = services.save_version(statement, current_user, content, form.reason.data)
        except StatementError as exc:
            db.session.rollback()
            field = form.ideas if "idea" in str(exc) else form.reason
            field.errors = [str(exc)]
        else:
            db.session.commit()
            flash(f"Commitment saved in version {version.number}.")
            return redirect(url_for(".manage"))
    status = 400 if form.errors else 200
    return render_template(
        "statements/commitment.html",
        statement=statement,
        form=form,
        commitment_id=commitment_id,
        remove_form=RemoveCommitmentForm(formdata=None, prefix="remove") if commitment_id else None,
    ), status


@bp.route("/admin/statement/commitments/<int:commitment_id>/remove", methods=["POST"])
@with_statement("statement.edit")
def remove_commitment(statement, commitment_id: int):
    _commitment_content(statement, commitment_id)
    form = RemoveCommitmentForm(prefix="remove")
    if form.validate_on_submit():
        content = dict(statement.latest.content)
        content["commitments"] = [c for c in content["commitments"] if c["id"] != commitment_id]
        try:
            version = services.save_version(statement, current_user, content, form.reason.data)
        except StatementError as exc:
            form.reason.errors = [str(exc)]
        else:
            db.session.commit()
            flash(f"Commitment removed in version {version.number}.")
            return redirect(url_for(".manage"))
    return render_template(
        "statements/commitment.html",
        statement=statement,
        form=CommitmentForm(formdata=None, data=_form_data(statement, commitment_id)),
        commitment_id=commitment_id,
        remove_form=form,
    ), 400


def _form_data(statement, commitment_id: int) -> dict:
    existing = _commitment_content(statement, commitment_id)
    return {
        "principle": existing["principle"],
        "text": existing["text"],
        "owner": existing["owner"],
        "ideas": ", ".join(map(str, existing["ideas"])),
    }


@bp.route("/admin/statement/review", methods=["POST"])
@with_statement("statement.open_review")
def open_review(statement):
    form = ReviewForm(prefix="review")
    if form.validate_on_submit():
        closes_at = from_local(datetime.combine(form.closes_on.data, time(23, 59)))
        try:
            services.open_review(statement, current_user, closes_at)
        except StatementError as exc:
            form.closes_on.errors = [str(exc)]
        else:
            db.session.commit()
            flash("The draft is open for comment.")
            return redirect(url_for(".manage"))
    return _manage_with("review_form", form)


@bp.route("/admin/statement/decision", methods=["POST"])
@with_statement("statement.agree")
def record_decision(statement):
    form = DecisionForm(prefix="decision")
    if form.validate_on_submit():
        services.record_decision(
            statement, current_user, form.body.data, form.decided_on.data, form.reference.data or ""
        )
        db.session.commit()
        flash(f"Decision recorded: version {statement.latest.number} is agreed.")
        return redirect(url_for(".manage"))
    return _manage_with("decision_form", form)


@bp.route("/admin/statement/signatories", methods=["POST"])
@with_statement("statement.sign")
def add_signatory(statement):
    form = SignatoryForm(prefix="signatory")
    if form.validate_on_submit():
        services.add_signatory(
            statement, current_user, form.name.data, form.role.data, form.signed_on.data
        )
        db.session.commit()
        flash(f"{form.name.data} added as a signatory.")
        return redirect(url_for(".manage"))
    return _manage_with("signatory_form", form)


@bp.route("/admin/statement/publish", methods=["POST"])
@with_statement("statement.publish")
def publish(statement):
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        version = services.publish(statement, current_user)
    except StatementError as exc:
        flash(str(exc), "error")
        return redirect(url_for(".manage"))
    db.session.commit()
    flash(f"Version {version.number} is published.")
    return redirect(url_for(".show"))


@bp.route("/admin/statement/commitments/<int:commitment_id>/progress", methods=["GET", "POST"])
@policy.requires("commitment.update", Commitment, "commitment_id")
def update_progress(commitment: Commitment):
    statement = commitment.statement
    version = statement.published_version
    text = services.commitment_in(version.content, commitment.id)
    if text is None:
        abort(404)
    form = ProgressForm()
    if request.method == "GET":
        form.status.data = commitment.status.value
        form.happened_on.data = to_local(utcnow()).date()
    elif form.validate_on_submit():
        try:
            services.add_progress(
                commitment,
                current_user,
                CommitmentStatus(form.status.data),
                form.happened_on.data,
                form.body.data,
            )
        except StatementError as exc:
            form.body.errors = [str(exc)]
        else:
            db.session.commit()
            flash("Progress update added.")
            return redirect(url_for(".progress", _anchor=f"commitment-{commitment.id}"))
    number = [c["id"] for c in version.content["commitments"]].index(commitment.id) + 1
    return render_template(
        "statements/progress_edit.html",
        commitment=commitment,
        text=text,
        number=number,
        form=form,
    ), 400 if form.errors else 200
