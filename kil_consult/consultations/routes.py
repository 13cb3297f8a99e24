"""Consultation pages: the home page, a consultation with its ideas, and the admin's edit,
open and close actions."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user

from .. import policy
from ..cache import cached_for_visitors
from ..extensions import db
from ..ideas import services as idea_services
from ..ideas.counts import counts_for
from ..ideas.forms import IdeaListForm
from ..ideas.services import votes_by
from .forms import ConsultationForm, StageForm
from .models import Consultation, StageError
from .services import (
    close_consultation,
    consultation_by_slug,
    current_process,
    neighbourhoods,
    open_consultation,
    update_consultation,
)

bp = Blueprint("consultations", __name__)


@bp.route("/")
@cached_for_visitors
def home():
    process = current_process()
    consultations = list(process.consultations) if process else []
    visible = [c for c in consultations if policy.can("consultation.view", c)]
    counts = counts_for([c.id for c in visible])
    # ``process.statement`` is read-only, set up by the statements area (None until started).
    statement = getattr(process, "statement", None)
    return render_template(
        "consultations/home.html",
        process=process,
        consultations=visible,
        counts=counts,
        statement=statement,
    )


@bp.route("/consultations/<slug>")
@cached_for_visitors
@policy.requires(
    "consultation.view", id_arg="slug", lookup=consultation_by_slug, name="consultation"
)
def show(consultation: Consultation):
    places = neighbourhoods()
    form = IdeaListForm(request.args, neighbourhoods=places)
    if not form.validate():
        return render_template(
            "consultations/show.html",
            consultation=consultation,
            counts=counts_for([consultation.id])[consultation.id],
            form=form,
            ideas=None,
            my_votes={},
            summary_published=policy.summary_published(consultation),
        ), 400
    ideas = idea_services.list_ideas(
        consultation,
        sort=form.sort.data or idea_services.DEFAULT_SORT,
        neighbourhood_id=form.neighbourhood.data,
        page=form.page.data or 1,
        per_page=current_app.config["KIL_PAGE_SIZE"],
    )
    return render_template(
        "consultations/show.html",
        consultation=consultation,
        counts=counts_for([consultation.id])[consultation.id],
        form=form,
        ideas=ideas,
        my_votes=votes_by(current_user, ideas.items),
        summary_published=policy.summary_published(consultation),
    )


@bp.route("/admin/")
@policy.requires("staff.area")
def staff_home():
    process = current_process()
    consultations = list(process.consultations) if process else []
    from ..moderation.queue import open_report_count

    return render_template(
        "consultations/staff_home.html",
        process=process,
        consultations=consultations,
        counts=counts_for([c.id for c in consultations]),
        open_reports=open_report_count(),
    )


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
