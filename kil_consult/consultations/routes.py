"""The admin's consultation pages: edit a consultation, open, schedule or close it.

The home page and a consultation's public page show ideas too, so they are composed in
``pages/`` above the areas whose parts they show."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_login import current_user

from .. import policy
from ..extensions import db
from .forms import ConsultationForm, StageForm
from .models import Consultation, Stage, StageError
from .services import (
    close_consultation,
    consultation_by_slug,
    open_consultation,
    update_consultation,
)

bp = Blueprint("consultations", __name__)


@bp.route("/admin/consultations/<slug>", methods=["GET", "POST"])
@policy.requires(
    "consultation.manage", id_arg="slug", lookup=consultation_by_slug, name="consultation"
)
def edit(consultation: Consultation):
    form = ConsultationForm(consultation=consultation)
    if form.validate_on_submit():
        try:
            update_consultation(consultation, current_user, **form.changes())
        except StageError as exc:
            db.session.rollback()
            form.closes_on.errors = [str(exc)]
        else:
            db.session.commit()
            flash("Consultation saved.")
            return redirect(url_for(".edit", slug=consultation.slug))
    status = 400 if form.errors else 200
    return render_template(
        "consultations/edit.html", consultation=consultation, form=form, stage_form=StageForm()
    ), status


@bp.route("/admin/consultations/<slug>/close")
@policy.requires(
    "consultation.manage", id_arg="slug", lookup=consultation_by_slug, name="consultation"
)
def confirm_close(consultation: Consultation):
    """Ask before closing: it stops every idea, vote and comment at once."""
    if consultation.stage is not Stage.OPEN:
        flash("Only an open consultation can be closed.", "error")
        return redirect(url_for(".edit", slug=consultation.slug))
    return render_template(
        "consultations/close.html", consultation=consultation, stage_form=StageForm()
    )


@bp.route("/admin/consultations/<slug>/<any(open, close):action>", methods=["POST"])
@policy.requires(
    "consultation.manage", id_arg="slug", lookup=consultation_by_slug, name="consultation"
)
def change_stage(consultation: Consultation, action: str):
    if not StageForm().validate_on_submit():
        abort(400)
    try:
        (open_consultation if action == "open" else close_consultation)(consultation, current_user)
    except StageError as exc:
        db.session.rollback()
        flash(str(exc), "error")
        return redirect(url_for(".edit", slug=consultation.slug))
    db.session.commit()
    if action == "close":
        flash("Consultation closed. It no longer takes ideas, votes or comments.")
    elif consultation.has_started():
        flash("Consultation opened. Residents can now share ideas, vote and comment.")
    else:
        flash("Consultation scheduled. It will open at its opening time.")
    return redirect(url_for(".edit", slug=consultation.slug))
