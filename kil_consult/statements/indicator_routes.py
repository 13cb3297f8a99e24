"""Indicator pages: an admin gives a commitment indicators (adopting or adapting the starter
library) and changes them; staff enter dated readings; anyone reads the starter library. The
trends appear on the progress page and in the progress report."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from .. import policy
from ..equality.figures import threshold
from ..extensions import db
from ..questions.models import Question
from . import indicators, pulse, services
from .indicator_chart import trend_chart
from .indicator_forms import ConfirmForm, IndicatorForm, PulseForm, ReadingForm
from .indicator_library import BY_KEY, LIBRARY
from .models import Commitment, Indicator, IndicatorReading
from .views import attempt

bp = Blueprint("indicators", __name__)


def _words(commitment: Commitment):
    """The commitment's number and words in the latest version (404 if it is not there)."""
    content = commitment.statement.latest.typed_content
    text = services.commitment_in(content, commitment.id)
    if text is None:
        abort(404)
    return content.commitment_number(commitment.id), text


@bp.route("/statement/indicators/library")
def library():
    return render_template("statements/indicator_library.html", library=LIBRARY)


@bp.route(
    "/admin/statement/commitments/<int:commitment_id>/indicators/new", methods=["GET", "POST"]
)
@policy.requires("indicator.manage", Commitment, "commitment_id")
def new(commitment: Commitment):
    number, text = _words(commitment)
    form = IndicatorForm()
    chosen = BY_KEY.get(request.args.get("from", ""))
    if request.method == "GET" and chosen:
        form.adopt(chosen)
    elif form.validate_on_submit():
        _, error = attempt(indicators.add_indicator, commitment, current_user, **form.values())
        if error:
            form.target_on.errors = [*form.target_on.errors, error]
        else:
            db.session.commit()
            flash("Indicator added. Now enter its readings as they come in.")
            return redirect(url_for("statements.progress", _anchor=f"commitment-{commitment.id}"))
    principle = text.principle
    return render_template(
        "statements/indicator_edit.html",
        form=form,
        commitment=commitment,
        number=number,
        text=text,
        indicator=None,
        chosen=chosen,
        suggestions=[i for i in LIBRARY if i.principle == principle],
        others=[i for i in LIBRARY if i.principle != principle],
    ), 400 if form.errors else 200


def _indicator(indicator_id: int, action: str) -> Indicator:
    indicator = db.get_or_404(Indicator, indicator_id)
    policy.check(action, indicator.commitment)
    return indicator


@bp.route("/admin/indicators/<int:indicator_id>", methods=["GET", "POST"])
def edit(indicator_id: int):
    indicator = _indicator(indicator_id, "indicator.manage")
    number, text = _words(indicator.commitment)
    form = IndicatorForm()
    if request.method == "GET":
        form.fill(indicator)
    elif form.validate_on_submit():
        _, error = attempt(indicators.change_indicator, indicator, current_user, **form.values())
        if error:
            form.target_on.errors = [*form.target_on.errors, error]
        else:
            db.session.commit()
            flash("Indicator saved.")
            return redirect(url_for(".readings", indicator_id=indicator.id))
    return render_template(
        "statements/indicator_edit.html",
        form=form,
        commitment=indicator.commitment,
        number=number,
        text=text,
        indicator=indicator,
        chosen=None,
        suggestions=[],
        others=[],
        confirm=ConfirmForm(),
    ), 400 if form.errors else 200


@bp.route("/admin/indicators/<int:indicator_id>/remove", methods=["POST"])
def remove(indicator_id: int):
    indicator = _indicator(indicator_id, "indicator.manage")
    commitment_id = indicator.commitment_id
    if not ConfirmForm().validate_on_submit():
        abort(400)
    indicators.remove_indicator(indicator, current_user)
    db.session.commit()
    flash("Indicator removed.")
    return redirect(url_for("statements.progress", _anchor=f"commitment-{commitment_id}"))


@bp.route("/admin/indicators/<int:indicator_id>/readings", methods=["GET", "POST"])
def readings(indicator_id: int):
    indicator = _indicator(indicator_id, "indicator.record")
    number, text = _words(indicator.commitment)
    form = ReadingForm()
    if form.validate_on_submit():
        _, error = attempt(
            indicators.add_reading,
            indicator,
            current_user,
            form.taken_on.data,
            form.value.data,
            form.note.data or "",
        )
        if error:
            form.taken_on.errors = [*form.taken_on.errors, error]
        else:
            db.session.commit()
            flash("Reading added.")
            return redirect(url_for(".readings", indicator_id=indicator.id))
    trend = indicators.trend_of(indicator)
    return render_template(
        "statements/indicator_readings.html",
        form=form,
        indicator=indicator,
        number=number,
        text=text,
        trend=trend,
        chart=trend_chart(trend),
        confirm=ConfirmForm(),
    ), 400 if form.errors else 200


@bp.route("/admin/indicators/readings/<int:reading_id>/remove", methods=["POST"])
def remove_reading(reading_id: int):
    reading = db.get_or_404(IndicatorReading, reading_id)
    indicator = _indicator(reading.indicator_id, "indicator.record")
    if not ConfirmForm().validate_on_submit():
        abort(400)
    indicators.remove_reading(reading)
    db.session.commit()
    flash("Reading removed.")
    return redirect(url_for(".readings", indicator_id=indicator.id))


@bp.route("/admin/indicators/<int:indicator_id>/question", methods=["GET", "POST"])
def question(indicator_id: int):
    """Link an indicator to a repeated question: choose the question, then the answers counted."""
    indicator = _indicator(indicator_id, "indicator.manage")
    number, _text = _words(indicator.commitment)
    chosen = None
    wanted = request.args.get("question", "")
    if wanted.isdigit():
        chosen = db.session.get(Question, int(wanted))
        if chosen is None or chosen.kind not in pulse.PULSE_KINDS:
            abort(404)
    elif wanted != "choose":  # "choose" lists the questions even when one is linked
        chosen = indicator.question
    form = PulseForm()
    if chosen is not None:
        form.answers.choices = list(enumerate(chosen.options))
        if request.method == "GET" and chosen == indicator.question:
            form.answers.data = list(indicator.question_answers or [])
    if chosen is not None and form.validate_on_submit():
        _, error = attempt(pulse.link_question, indicator, current_user, chosen, form.answers.data)
        if error:
            form.answers.errors = [*form.answers.errors, error]
        else:
            db.session.commit()
            flash("Question linked. Take a reading from its answers when you need one.")
            return redirect(url_for(".readings", indicator_id=indicator.id))
    elif request.method == "POST" and chosen is None:
        abort(400)
    return render_template(
        "statements/indicator_question.html",
        indicator=indicator,
        number=number,
        questions=pulse.pulse_questions(),
        chosen=chosen,
        form=form,
        threshold=threshold(),
    ), 400 if form.errors else 200


@bp.route("/admin/indicators/<int:indicator_id>/question/remove", methods=["POST"])
def unlink_question(indicator_id: int):
    indicator = _indicator(indicator_id, "indicator.manage")
    if not ConfirmForm().validate_on_submit():
        abort(400)
    pulse.link_question(indicator, current_user, None, [])
    db.session.commit()
    flash("Question unlinked. The readings taken from it stay.")
    return redirect(url_for(".readings", indicator_id=indicator.id))


@bp.route("/admin/indicators/<int:indicator_id>/readings/from-answers", methods=["POST"])
def reading_from_answers(indicator_id: int):
    """Take today's reading from the answers to the linked question."""
    indicator = _indicator(indicator_id, "indicator.record")
    if not ConfirmForm().validate_on_submit():
        abort(400)
    reading, error = attempt(pulse.take_reading, indicator, current_user, threshold())
    if error:
        db.session.rollback()
        flash(error, "error")
    else:
        db.session.commit()
        flash(f"Reading taken from the answers of {reading.people:,} people.")
    return redirect(url_for(".readings", indicator_id=indicator.id))
