"""Question pages: facilitators build a consultation's questions; residents answer them one
to a page and check their answers; staff enter a workshop's or paper form's answers; the
answers' CSV download. The published figures appear on the results page."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from .. import policy
from ..consultations.models import Consultation
from ..consultations.services import consultation_by_slug
from ..extensions import db
from ..ideas.models import CommunityEvent
from . import baseline, services
from .forms import (
    ConfirmForm,
    QuestionForm,
    answer_form,
    answer_value,
    field_data,
    paper_form,
)
from .models import Placement, Question, QuestionKind
from .results import question_results
from .tables import answers_csv

bp = Blueprint("questions", __name__)

BY_SLUG = {"id_arg": "slug", "lookup": consultation_by_slug, "name": "consultation"}
PLACEMENT = "<any(before, after):placement>"


# --- building questions (facilitators) ------------------------------------------------------


@bp.route("/admin/consultations/<slug>/questions")
@policy.requires("questions.manage", **BY_SLUG)
def manage(consultation: Consultation):
    questions = services.questions_of(consultation)
    return render_template(
        "questions/manage.html",
        consultation=consultation,
        questions=questions,
        answered={q.id for q in questions if services.has_answers(q)},
        baseline=baseline.baseline_for(consultation),
        baseline_on=baseline.is_switched_on(consultation),
        confirm=ConfirmForm(),
    )


def _save(form: QuestionForm, consultation: Consultation, question: Question | None):
    kind = QuestionKind(form.kind.data)
    try:
        if question is None:
            return services.add_question(consultation, kind, form.text.data, **form.values())
        return services.change_question(question, kind, form.text.data, **form.values())
    except services.QuestionError as error:
        field = form.scale if kind is QuestionKind.SCALE else form.options
        if "answered" in str(error) or "at most" in str(error):
            field = form.kind
        field.errors = [*field.errors, str(error)]
        db.session.rollback()
        return None


@bp.route("/admin/consultations/<slug>/questions/new", methods=["GET", "POST"])
@policy.requires("questions.manage", **BY_SLUG)
def new(consultation: Consultation):
    form = QuestionForm()
    if form.validate_on_submit() and _save(form, consultation, None) is not None:
        db.session.commit()
        flash("Question added.")
        return redirect(url_for(".manage", slug=consultation.slug))
    status = 400 if form.errors else 200
    return render_template(
        "questions/edit.html", consultation=consultation, form=form, question=None
    ), status


def _question(question_id: int) -> Question:
    question = db.get_or_404(Question, question_id)
    policy.check("questions.manage", question.consultation)
    return question


@bp.route("/admin/questions/<int:question_id>", methods=["GET", "POST"])
def edit(question_id: int):
    question = _question(question_id)
    form = QuestionForm()
    if request.method == "GET":
        form.fill(question)
    elif form.validate_on_submit() and _save(form, question.consultation, question) is not None:
        db.session.commit()
        flash("Question saved.")
        return redirect(url_for(".manage", slug=question.consultation.slug))
    status = 400 if form.errors else 200
    return render_template(
        "questions/edit.html",
        consultation=question.consultation,
        form=form,
        question=question,
        answered=services.has_answers(question),
    ), status


@bp.route("/admin/questions/<int:question_id>/remove", methods=["POST"])
def remove(question_id: int):
    question = _question(question_id)
    slug = question.consultation.slug
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        services.remove_question(question)
    except services.QuestionError as error:
        flash(str(error), "error")
        return redirect(url_for(".manage", slug=slug)), 303
    db.session.commit()
    flash("Question removed.")
    return redirect(url_for(".manage", slug=slug))


@bp.route("/admin/questions/<int:question_id>/move/<any(up, down):direction>", methods=["POST"])
def move(question_id: int, direction: str):
    question = _question(question_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    services.move_question(question, -1 if direction == "up" else 1)
    db.session.commit()
    return redirect(url_for(".manage", slug=question.consultation.slug, _anchor=f"q{question.id}"))


@bp.route("/admin/consultations/<slug>/questions/baseline", methods=["POST"])
@policy.requires("questions.baseline", **BY_SLUG)
def switch_on_baseline(consultation: Consultation):
    if not ConfirmForm().validate_on_submit():
        abort(400)
    added = baseline.switch_on(consultation)
    db.session.commit()
    flash(
        f"The baseline questions are on: {added} added."
        if added
        else "The baseline questions were already on."
    )
    return redirect(url_for(".manage", slug=consultation.slug))


# --- answering (residents) ------------------------------------------------------------------


@bp.route(f"/consultations/<slug>/questions/{PLACEMENT}/<int:number>", methods=["GET", "POST"])
@policy.requires("questions.answer", **BY_SLUG)
def answer(consultation: Consultation, placement: str, number: int):
    questions = services.questions_of(consultation, Placement(placement))
    if not 1 <= number <= len(questions):
        abort(404)
    question = questions[number - 1]
    given = services.answers_by_question(services.response_of(current_user, consultation))
    stored = given.get(question.id)
    form = answer_form(
        question,
        formdata=request.form if request.method == "POST" else None,
        data={"answer": field_data(question, stored.value) if stored else None},
    )
    changing = request.args.get("change") == "1"
    if request.method == "POST" and form.validate():
        try:
            services.answer_question(current_user, question, answer_value(question, form.answer))
        except services.QuestionError as error:
            form.answer.errors = [*form.answer.errors, str(error)]
        else:
            db.session.commit()
            if changing or number == len(questions):
                return redirect(url_for(".check", slug=consultation.slug, placement=placement))
            return redirect(
                url_for(".answer", slug=consultation.slug, placement=placement, number=number + 1)
            )
    status = 400 if form.errors else 200
    back = (
        url_for(".answer", slug=consultation.slug, placement=placement, number=number - 1)
        if number > 1
        else url_for("pages.consultation", slug=consultation.slug)
    )
    return render_template(
        "questions/answer.html",
        consultation=consultation,
        form=form,
        question=question,
        number=number,
        count=len(questions),
        placement=Placement(placement),
        back=back,
        changing=changing,
    ), status


@bp.route(f"/consultations/<slug>/questions/{PLACEMENT}/check")
@policy.requires("questions.answer", **BY_SLUG)
def check(consultation: Consultation, placement: str):
    questions = services.questions_of(consultation, Placement(placement))
    if not questions:
        abort(404)
    given = services.answers_by_question(services.response_of(current_user, consultation))
    return render_template(
        "questions/check.html",
        consultation=consultation,
        questions=questions,
        given=given,
        placement=Placement(placement),
        missing=services.unanswered_required(current_user, consultation, Placement(placement)),
    )


# --- answers from workshops and paper forms (staff) -----------------------------------------


@bp.route("/admin/offline/<int:event_id>/answers", methods=["GET", "POST"])
def paper(event_id: int):
    event = db.get_or_404(CommunityEvent, event_id)
    consultation = event.consultation
    policy.check("questions.paper", consultation)
    questions = services.questions_of(consultation)
    form = paper_form(questions, request.form if request.method == "POST" else None)
    if request.method == "POST" and questions and form.validate():
        values = {q.id: answer_value(q, form[f"q{q.id}"]) for q in questions}
        try:
            services.record_offline_answers(event, current_user, values)
        except services.QuestionError as error:
            first = form[f"q{questions[0].id}"]
            first.errors = [*first.errors, str(error)]
        else:
            db.session.commit()
            flash("Saved this form's answers. Enter the next form, or go back to the event.")
            return redirect(url_for(".paper", event_id=event.id))
    status = 400 if form.errors else 200
    return render_template(
        "questions/paper.html",
        consultation=consultation,
        event=event,
        form=form,
        questions=questions,
        entered=services.offline_count(event),
    ), status


# --- the answers as a spreadsheet -------------------------------------------------------------


@bp.route("/consultations/<slug>/results/questions.csv")
@policy.requires("results.view", **BY_SLUG)
def download(consultation: Consultation):
    return answers_csv(consultation, question_results(consultation))
