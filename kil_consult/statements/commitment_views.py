"""The staff views of the statement's commitments: add, change, move or remove one (each a
new version), and record a published commitment's progress. ``routes.py`` gives them their URLs."""

from __future__ import annotations

from datetime import date

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from .. import policy
from ..extensions import db
from ..timeutil import to_local, utcnow
from . import services
from .forms import CommitmentForm, MoveCommitmentForm, ProgressForm, RemoveCommitmentForm
from .models import Commitment, CommitmentStatus
from .views import STATEMENT, attempt


def _commitment_content(statement, commitment_id: int | None):
    if commitment_id is None:
        return None
    found = services.commitment_in(statement.latest.typed_content, commitment_id)
    if found is None:
        abort(404)
    return found


@policy.requires("statement.edit", **STATEMENT)
def new_commitment(statement):
    return _commitment_page(statement, None)


@policy.requires("statement.edit", **STATEMENT)
def edit_commitment(statement, commitment_id: int):
    return _commitment_page(statement, commitment_id)


def _commitment_data(existing) -> dict:
    return {
        "principle": existing.principle,
        "text": existing.text,
        "owner": existing.owner,
        "due": date.fromisoformat(existing.due) if existing.due else None,
        "ideas": ", ".join(map(str, existing.ideas)),
    }


def _commitment_page(statement, commitment_id: int | None):
    existing = _commitment_content(statement, commitment_id)
    form = CommitmentForm()
    if request.method == "GET" and existing:
        for name, value in _commitment_data(existing).items():
            form[name].data = value
    elif request.method == "POST" and form.validate_on_submit():
        version, error = attempt(
            services.save_commitment,
            statement,
            current_user,
            commitment_id,
            principle=form.principle.data,
            text=form.text.data,
            owner=form.owner.data or "",
            due=form.due.data,
            ideas=getattr(form.ideas, "parsed", []),
            reason=form.reason.data,
        )
        if error:
            field = form.ideas if "idea" in error else form.reason
            field.errors = [error]
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


@policy.requires("statement.edit", **STATEMENT)
def remove_commitment(statement, commitment_id: int):
    existing = _commitment_content(statement, commitment_id)
    form = RemoveCommitmentForm(prefix="remove")
    if form.validate_on_submit():
        version, error = attempt(
            services.remove_commitment, statement, current_user, commitment_id, form.reason.data
        )
        if error:
            form.reason.errors = [error]
        else:
            db.session.commit()
            flash(f"Commitment removed in version {version.number}.")
            return redirect(url_for(".manage"))
    data = _commitment_data(existing)
    del data["due"]  # as before: the page shown again leaves the date empty
    return render_template(
        "statements/commitment.html",
        statement=statement,
        form=CommitmentForm(formdata=None, data=data),
        commitment_id=commitment_id,
        remove_form=form,
    ), 400


@policy.requires("statement.edit", **STATEMENT)
def move_commitment(statement, commitment_id: int):
    _commitment_content(statement, commitment_id)
    form = MoveCommitmentForm()
    if not form.validate_on_submit() or form.direction.data not in ("up", "down"):
        abort(400)
    version, error = attempt(
        services.move_commitment,
        statement,
        current_user,
        commitment_id,
        form.direction.data == "up",
    )
    if error:
        flash(error, "error")
    else:
        db.session.commit()
        flash(f"Commitment moved in version {version.number}.")
    return redirect(url_for(".manage", _anchor="manage-commitments"))


@policy.requires("commitment.update", Commitment, "commitment_id")
def update_progress(commitment: Commitment):
    statement = commitment.statement
    content = statement.published_version.typed_content
    text = services.commitment_in(content, commitment.id)
    if text is None:
        abort(404)
    form = ProgressForm()
    if request.method == "GET":
        form.status.data = commitment.status.value
        form.happened_on.data = to_local(utcnow()).date()
    elif form.validate_on_submit():
        _, error = attempt(
            services.add_progress,
            commitment,
            current_user,
            CommitmentStatus(form.status.data),
            form.happened_on.data,
            form.body.data,
        )
        if error:
            form.body.errors = [error]
        else:
            db.session.commit()
            flash("Progress update added.")
            return redirect(url_for(".progress", _anchor=f"commitment-{commitment.id}"))
    number = content.commitment_number(commitment.id)
    return render_template(
        "statements/progress_edit.html",
        commitment=commitment,
        text=text,
        number=number,
        form=form,
    ), 400 if form.errors else 200
