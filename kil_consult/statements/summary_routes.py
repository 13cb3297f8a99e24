"""The summary pages of a consultation ("you said, we did") and asking for the update email.

Their views hang on the statements blueprint (summaries sit above the analysis they cite);
the addresses stay under ``/consultations/<slug>/``. ``create_app`` imports this module before
it registers the blueprint.
"""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from .. import policy
from ..analysis.forms import ConfirmForm, SummaryForm, UpdatesForm
from ..analysis.results import summary_of
from ..analysis.tasks import fresh_results
from ..analysis.values import SHORT_LIST_LENGTH
from ..consultations.models import Consultation
from ..consultations.services import consultation_by_slug
from ..extensions import db
from . import summaries
from .routes import bp

BY_SLUG = {"id_arg": "slug", "lookup": consultation_by_slug, "name": "consultation"}


def _fill(form: SummaryForm, version) -> None:
    if version is None:
        return
    form.overview.data = version.overview
    form.themes.data = version.themes
    form.decision.data = version.decision
    form.connection.data = version.connection
    for (text, ideas), finding in zip(form.findings(), version.findings, strict=False):
        text.data = finding.text
        ideas.data = ", ".join(str(c.idea_id) for c in finding.citations)


@bp.route("/consultations/<slug>/summary", methods=["GET", "POST"])
@policy.requires("summary.write", **BY_SLUG)
def edit_summary(consultation: Consultation):
    form = SummaryForm()
    latest = summaries.latest_version(consultation)
    if request.method == "GET":
        _fill(form, latest)
    elif form.validate_on_submit():
        drafts = [
            summaries.FindingDraft(text.data or "", getattr(ideas, "parsed", []))
            for text, ideas in form.findings()
        ]
        try:
            version = summaries.save_draft(
                consultation,
                current_user,
                form.overview.data or "",
                form.themes.data or "",
                form.decision.data or "",
                form.connection.data or "",
                drafts,
            )
        except summaries.SummaryError as exc:
            db.session.rollback()
            form[exc.field].errors = [str(exc)]
        else:
            db.session.commit()
            flash(f"Draft saved as version {version.number}.")
            return redirect(url_for(".edit_summary", slug=consultation.slug))
    results = fresh_results(consultation)
    return render_template(
        "statements/summary_edit.html",
        consultation=consultation,
        form=form,
        latest=latest,
        published=summaries.published_version(consultation),
        top=results.top_ranked(SHORT_LIST_LENGTH),
        top_length=SHORT_LIST_LENGTH,
        confirm=ConfirmForm(),
        can_publish=policy.can("summary.publish", consultation),
    ), (400 if form.errors else 200)


@bp.route("/consultations/<slug>/summary/publish", methods=["POST"])
@policy.requires("summary.publish", **BY_SLUG)
def publish_summary(consultation: Consultation):
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        version = summaries.publish(
            consultation, current_user, early_reason=request.form.get("early_reason")
        )
    except summaries.SummaryError as exc:
        db.session.rollback()
        flash(str(exc), "error")
        return redirect(url_for(".edit_summary", slug=consultation.slug))
    db.session.commit()
    flash(f"Version {version.number} of the summary is published.")
    return redirect(url_for("analysis.results", slug=consultation.slug))


@bp.route("/consultations/<slug>/summary/versions")
@policy.requires("summary.write", **BY_SLUG)
def summary_versions(consultation: Consultation):
    summary = summary_of(consultation)
    return render_template(
        "statements/summary_versions.html",
        consultation=consultation,
        versions=list(reversed(summary.versions)) if summary else [],
    )


@bp.route("/consultations/<slug>/summary/versions/<int:number>")
@policy.requires("summary.write", **BY_SLUG)
def summary_version(consultation: Consultation, number: int):
    summary = summary_of(consultation)
    version = next((v for v in summary.versions if v.number == number), None) if summary else None
    if version is None:
        abort(404)
    return render_template(
        "statements/summary_version.html",
        consultation=consultation,
        version=version,
        results=fresh_results(consultation),
    )


@bp.route("/consultations/<slug>/updates", methods=["POST"])
@policy.requires("updates.subscribe", **BY_SLUG)
def updates(consultation: Consultation):
    if not UpdatesForm().validate_on_submit():
        abort(400)
    if request.form.get("action") == "stop":
        summaries.unsubscribe(consultation, current_user)
        message = "You will not get an email about what the council did."
    else:
        summaries.subscribe(consultation, current_user)
        message = "We will email you when the council publishes what it did."
    db.session.commit()
    flash(message)
    return redirect(url_for("pages.consultation", slug=consultation.slug) + "#you-said-we-did")
