"""The self-assessment pages: the rounds, one round with its comparison and views, a
principle's assessment, residents' views, sign-off, the meeting pack, the levels' words and
the network return's JSON Schema."""

from __future__ import annotations

import json

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from .. import policy
from ..consultations.principles import PRINCIPLES, principle
from ..extensions import db
from ..organisations.services import organisations_user_can_speak_for, speaking_for
from ..statements import services as statements
from . import rounds, services
from .evidence import commitment_evidence
from .forms import AssessmentForm, ConfirmForm, LevelsForm, RoundForm, ViewForm
from .levels import Descriptor
from .models import AssessmentRound, NetworkError
from .pack import MIMETYPES
from .returns import schema

bp = Blueprint("network", __name__)

_ROUND = {"model": AssessmentRound, "id_arg": "round_id", "name": "round_"}


def attempt(service, *args, **kwargs):
    """Call one service; if it refuses (``NetworkError``), roll back and give the message."""
    try:
        return service(*args, **kwargs), None
    except NetworkError as exc:
        db.session.rollback()
        return None, str(exc)


def _principle_or_404(number: int):
    if not 1 <= number <= len(PRINCIPLES):
        abort(404)
    return principle(number)


@bp.route("/network")
def index(form: RoundForm | None = None, status: int = 200):
    staff = policy.can("network.start_round")
    return (
        render_template(
            "network/index.html",
            rounds=rounds.rounds(include_drafts=staff),
            form=form or RoundForm(formdata=None),
        ),
        status,
    )


@bp.route("/network/rounds", methods=["POST"])
@policy.requires("network.start_round")
def start():
    form = RoundForm()
    if not form.validate_on_submit():
        return index(form, 400)
    round_, error = attempt(
        services.start_round, current_user, form.title.data, form.meeting_on.data
    )
    if error:
        form.title.errors = [error]
        return index(form, 400)
    db.session.commit()
    flash(f"Started “{round_.title}”. Assess each principle below.")
    return redirect(url_for(".show", round_id=round_.id))


def _view_form(number: int, formdata=None) -> ViewForm:
    form = ViewForm(formdata=formdata, prefix=f"p{number}")
    speak_for = organisations_user_can_speak_for(current_user)
    form.organisation.choices = [("", "Myself")] + [(str(o.id), o.name) for o in speak_for]
    return form


def _show(round_: AssessmentRound, view_forms: dict | None = None, status: int = 200):
    previous, moves = rounds.comparison(round_)
    forms = view_forms or {}
    if policy.can("network.give_view", round_):
        for p in PRINCIPLES:
            if round_.assessment(p.number):
                forms.setdefault(p.number, _view_form(p.number))
    staff_views = policy.can("network.read_views", round_)
    return (
        render_template(
            "network/round.html",
            round_=round_,
            previous=previous,
            moves=moves,
            words=_words(round_),
            counts=rounds.view_counts(round_),
            views={p.number: rounds.views_of(round_, p.number) for p in PRINCIPLES}
            if staff_views
            else {},
            own={p.number: rounds.own_view(round_, current_user, p.number) for p in PRINCIPLES},
            view_forms=forms,
            confirm=ConfirmForm(),
            form=next((f for f in forms.values() if f.errors), None),
        ),
        status,
    )


def _words(round_: AssessmentRound):
    """What a level means in this round: as signed off (kept in the return), else as worded now."""
    kept = {
        (a["principle"], a["level"]): Descriptor(
            a["principle"], a["level"], a["level_label"], a["descriptor"]
        )
        for a in (round_.return_document or {}).get("self_assessment", [])
    }
    return lambda number, level: kept.get((number, level)) or rounds.descriptor(number, level)


@bp.route("/network/rounds/<int:round_id>")
@policy.requires("round.view", **_ROUND)
def show(round_: AssessmentRound):
    return _show(round_)


def _commitment_choices() -> list:
    statement = statements.current_statement()
    if statement is None or statement.latest is None:
        return []
    version = statement.published_version or statement.latest
    return statements.numbered_commitments(statement, version.typed_content)


@bp.route("/network/rounds/<int:round_id>/principles/<int:number>", methods=["GET", "POST"])
@policy.requires("network.assess", **_ROUND)
def assess(round_: AssessmentRound, number: int):
    the_principle = _principle_or_404(number)
    levels = rounds.descriptors(number)
    found = round_.assessment(number)
    commitments = _commitment_choices()
    form = AssessmentForm()
    form.level.choices = [(d.level, f"{d.level}. {d.label}") for d in levels]
    form.commitments.choices = [(c.id, f"Commitment {c.number}: {c.text}") for c in commitments]
    if request.method == "GET" and found is not None:
        form.level.data = found.level
        chosen = {e["path"] for e in found.evidence}
        paths = {c.id: commitment_evidence(c)["path"] for c in commitments}
        form.commitments.data = [c.id for c in commitments if paths[c.id] in chosen]
        picked_paths = {paths[c] for c in form.commitments.data}
        others = [e["path"] for e in found.evidence if e["path"] not in picked_paths]
        form.addresses.data = "\n".join(others)
        form.next_steps.data = found.next_steps
        form.champion.data = found.champion
    elif request.method == "POST" and form.validate_on_submit():
        picked = [c for c in commitments if c.id in set(form.commitments.data or [])]
        _, error = attempt(
            services.save_assessment,
            round_,
            current_user,
            number,
            level=form.level.data,
            commitments=picked,
            addresses=form.address_lines,
            next_steps=form.next_steps.data,
            champion=form.champion.data,
        )
        if error:
            form.addresses.errors = [error]
        else:
            db.session.commit()
            flash(f"Saved principle {number}.")
            return redirect(url_for(".show", round_id=round_.id, _anchor=f"principle-{number}"))
    return (
        render_template(
            "network/assess.html",
            round_=round_,
            principle=the_principle,
            levels=levels,
            form=form,
        ),
        400 if form.errors else 200,
    )


@bp.route("/network/rounds/<int:round_id>/open", methods=["POST"])
@policy.requires("network.open_for_views", **_ROUND)
def open_for_views(round_: AssessmentRound):
    _, error = attempt(services.open_for_views, round_, current_user)
    if error:
        flash(error, "error")
    else:
        db.session.commit()
        flash("The round is open: residents and organisations can now say if they agree.")
    return redirect(url_for(".show", round_id=round_.id))


@bp.route("/network/rounds/<int:round_id>/sign-off", methods=["POST"])
@policy.requires("network.sign_off", **_ROUND)
def sign_off(round_: AssessmentRound):
    _, error = attempt(services.sign_off, round_, current_user)
    if error:
        flash(error, "error")
    else:
        db.session.commit()
        flash("Signed off. The round is frozen and its network return is published.")
    return redirect(url_for(".show", round_id=round_.id))


@bp.route("/network/rounds/<int:round_id>/views/<int:number>", methods=["POST"])
@policy.requires("network.give_view", **_ROUND)
def give_view(round_: AssessmentRound, number: int):
    _principle_or_404(number)
    form = _view_form(number, formdata=request.form)
    if not form.validate():
        return _show(round_, {number: form}, 400)
    organisation = speaking_for(form.organisation.data)
    _, error = attempt(
        services.record_view,
        round_,
        current_user,
        number,
        form.agrees.data == "yes",
        form.comment.data or "",
        organisation,
    )
    if error:
        form.agrees.errors = [error]
        return _show(round_, {number: form}, 400)
    db.session.commit()
    flash(f"Thank you: your view of principle {number} is saved.")
    return redirect(url_for(".show", round_id=round_.id, _anchor=f"principle-{number}"))


@bp.route("/network/rounds/<int:round_id>/pack.<kind>")
@policy.requires("round.view", **_ROUND)
def pack(round_: AssessmentRound, kind: str):
    if kind not in MIMETYPES:
        abort(404)
    from ..exports.files import write
    from .pack import pack_document

    name = f"keep-it-local-network-pack-{round_.meeting_on.isoformat()}.{kind}"
    return Response(
        write(pack_document(round_), kind),
        mimetype=MIMETYPES[kind],
        headers={
            "Content-Disposition": f'attachment; filename="{name}"',
            "X-Content-Type-Options": "nosniff",
        },
    )


@bp.route("/admin/network/levels/<int:number>", methods=["GET", "POST"])
@policy.requires("network.edit_levels")
def levels(number: int):
    the_principle = _principle_or_404(number)
    form = LevelsForm()
    if request.method == "GET":
        for d in rounds.descriptors(number):
            form[f"label_{d.level}"].data = d.label
            form[f"text_{d.level}"].data = d.text
    elif form.validate_on_submit():
        services.save_descriptors(number, form.pairs())
        db.session.commit()
        flash(f"Saved the levels of principle {number}.")
        return redirect(url_for(".levels", number=number))
    return (
        render_template("network/levels.html", principle=the_principle, form=form),
        400 if form.errors else 200,
    )


@bp.route("/network/return.schema.json")
def return_schema():
    response = Response(json.dumps(schema(), indent=2), mimetype="application/schema+json")
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response
