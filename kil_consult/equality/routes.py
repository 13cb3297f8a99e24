"""The "About you" pages of the account, the "Who took part" pages, the facilitators' entry
of a workshop or paper response with its answers, and the admin's population uploads."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from .. import policy
from ..analysis.charts import share_bars
from ..consultations.services import consultation_by_slug, current_process, neighbourhoods
from ..extensions import db, limiter, per_account
from ..ideas import offline
from ..ideas.models import CommunityEvent
from . import boundaries, census, services
from .figures import who_took_part
from .forms import (
    AboutYouForm,
    BoundariesForm,
    CensusUploadForm,
    DeleteAboutYouForm,
    OfflineResponseForm,
    PostcodeLookupForm,
    WardNeighbourhoodsForm,
    WardPopulationForm,
)
from .questions import QUESTIONS
from .reweighting import reweighted_results

bp = Blueprint("equality", __name__)

BY_SLUG = {"id_arg": "slug", "lookup": consultation_by_slug, "name": "consultation"}


# --- about you ---------------------------------------------------------------------------------


@bp.route("/account/about-you", methods=["GET", "POST"])
@policy.requires("about_you.answer")
@limiter.limit("30 per hour", methods=["POST"], key_func=per_account("about-you"))
def about_you():
    """Answer or change the optional "About you" questions."""
    stored = services.about_you_of(current_user)
    form = AboutYouForm()
    if request.method == "GET" and stored is not None:
        form.fill(stored)
    if form.validate_on_submit():
        try:
            saved = services.save_about_you(
                current_user, form.answers(), bool(form.consent.data), form.postcode.data or ""
            )
        except services.AboutYouError as exc:
            db.session.rollback()
            getattr(form, exc.field or "consent").errors = [str(exc)]
        else:
            db.session.commit()
            message = "Your answers are saved. You can change or delete them at any time."
            if saved.postcode_placed is False:
                message += (
                    " We could not find your postcode in the council's area, so it was not used."
                )
            flash(message)
            return redirect(url_for("accounts.account"))
    status = 400 if form.errors else 200
    return render_template(
        "equality/about_you.html",
        form=form,
        stored=stored,
        delete_form=DeleteAboutYouForm(),
        questions=QUESTIONS,
    ), status


@bp.route("/account/about-you/delete", methods=["POST"])
@policy.requires("about_you.answer")
def delete_about_you():
    """Delete every "About you" answer."""
    form = DeleteAboutYouForm()
    if not form.validate_on_submit():
        abort(400)
    gone = services.delete_about_you(current_user)
    db.session.commit()
    flash("Your “About you” answers are deleted." if gone else "You had not given any answers.")
    return redirect(url_for("accounts.account"))


# --- who took part -----------------------------------------------------------------------------


def _page(figures, consultations, **context):
    neighbourhood = next(c for c in figures.characteristics if c.name == "neighbourhood")
    return render_template(
        "equality/who_took_part.html",
        figures=figures,
        shapes=boundaries.participation_map(neighbourhood, consultations),
        shades=boundaries.SHADES,
        not_shown=boundaries.NOT_SHOWN,
        chart=lambda characteristic: share_bars(characteristic.rows),
        **context,
    )


@bp.route("/consultations/<slug>/who-took-part")
@policy.requires("consultation.view", **BY_SLUG)
def consultation_page(consultation):
    """Who answered "About you" among the people who took part in one consultation."""
    if not policy.can("who_took_part.view", consultation):
        return render_template("equality/not_yet.html", consultation=consultation)
    process = consultation.process.consultations
    figures = who_took_part([consultation], process, consultation.title)
    return _page(
        figures,
        [consultation],
        consultation=consultation,
        process=consultation.process,
        reweighted=reweighted_results(consultation),
    )


@bp.route("/who-took-part")
def process_page():
    """Who answered "About you" among the people who took part in the whole process."""
    process = current_process()
    if process is None:
        abort(404)
    if not policy.can("who_took_part.view_process", process):
        return render_template("equality/not_yet.html", consultation=None, process=process)
    figures = who_took_part(list(process.consultations), title=process.title)
    return _page(figures, list(process.consultations), consultation=None, process=process)


# --- a workshop or paper response, with its answers -------------------------------------------


@bp.route("/admin/offline/<int:event_id>/response", methods=["GET", "POST"])
def offline_response(event_id: int):
    """Enter an idea someone gave at a workshop or on paper, with their "About you" answers."""
    record = db.get_or_404(CommunityEvent, event_id)
    policy.check("offline.record", record.consultation)
    form = OfflineResponseForm(neighbourhoods=neighbourhoods())
    if request.method == "GET":
        form.neighbourhood_id.data = record.neighbourhood_id
    if form.validate_on_submit():
        try:
            services.check_answers(form.answers(), bool(form.consent.data))
            idea = offline.enter_offline_idea(
                record,
                current_user,
                form.title.data,
                form.body.data,
                form.contributor_name.data or "",
                form.neighbourhood_id.data,
            )
            services.record_response(
                record,
                current_user,
                form.answers(),
                bool(form.consent.data),
                idea,
                form.postcode.data or "",
            )
        except services.AboutYouError as exc:
            db.session.rollback()
            getattr(form, exc.field or "consent").errors = [str(exc)]
        else:
            db.session.commit()
            flash(f"Response added: {idea.title}. Add another, or go back to the event.")
            return redirect(url_for(".offline_response", event_id=record.id))
    status = 400 if form.errors else 200
    return render_template("equality/offline_response.html", event=record, form=form), status


# --- the population (admin) --------------------------------------------------------------------


@bp.route("/admin/who-took-part/population", methods=["GET", "POST"])
@policy.requires("population.manage")
@limiter.limit("60 per hour", methods=["POST"], key_func=per_account("population"))
def population():
    """Upload the Census tables, ward populations and postcode lookup; see what is loaded."""
    census_form = CensusUploadForm(prefix="census")
    census_form.characteristic.choices = census.CHOICES
    wards_form = WardPopulationForm(prefix="wards")
    postcodes_form = PostcodeLookupForm(prefix="postcodes")
    boundaries_form = BoundariesForm(prefix="boundaries")
    forms = {
        "census": census_form,
        "wards": wards_form,
        "postcodes": postcodes_form,
        "boundaries": boundaries_form,
        "ward_map": WardNeighbourhoodsForm(prefix="ward_map"),
    }
    which = request.form.get("which", "") if request.method == "POST" else ""
    if request.method == "POST":
        form = forms.get(which)
        if form is None:
            abort(400)
        if form.validate_on_submit():
            upload = form.table.data
            data = upload.read() if upload else b""
            try:
                if which == "census":
                    message = census.load_census(form.characteristic.data, data, current_user)
                elif which == "wards":
                    message = census.load_ward_populations(data, current_user)
                elif which == "ward_map":
                    message = census.load_ward_neighbourhoods(data, current_user)
                elif which == "boundaries":
                    message = boundaries.load_boundaries(data, current_user)
                else:
                    message = census.load_postcodes(data, current_user)
            except census.UploadError as exc:
                db.session.rollback()
                form.table.errors = [str(exc)]
            else:
                db.session.commit()
                flash(message)
                return redirect(url_for(".population"))
    failed = next((f for f in forms.values() if f.errors), None)
    return render_template(
        "equality/population.html",
        form=failed,
        census_form=census_form,
        wards_form=wards_form,
        postcodes_form=postcodes_form,
        boundaries_form=boundaries_form,
        ward_map_form=forms["ward_map"],
        loaded=census.loaded(),
    ), 400 if failed else 200
