"""Idea pages: share an idea, read one with its comments, vote and comment."""

from __future__ import annotations

from flask import Blueprint, flash, jsonify, redirect, render_template, request, url_for
from flask_login import current_user

from .. import policy
from ..consultations.models import Consultation
from ..consultations.services import consultation_by_slug, neighbourhoods
from ..extensions import db, limiter
from . import services
from .forms import CommentForm, IdeaForm, VoteForm
from .models import Comment, Idea, VoteValue

bp = Blueprint("ideas", __name__)


def _wants_json() -> bool:
    return request.accept_mimetypes.best == "application/json"


@bp.route("/consultations/<slug>/ideas/new", methods=["GET", "POST"])
@policy.requires("idea.create", id_arg="slug", lookup=consultation_by_slug, name="consultation")
@limiter.limit("30 per hour", methods=["POST"], key_func=lambda: f"idea:{current_user.get_id()}")
def new(consultation: Consultation):
    form = IdeaForm(neighbourhoods=neighbourhoods())
    if request.method == "GET" and current_user.neighbourhood_id:
        form.neighbourhood_id.data = current_user.neighbourhood_id
    if form.validate_on_submit():
        try:
            idea = services.submit_idea(
                consultation,
                current_user,
                form.title.data,
                form.body.data,
                form.neighbourhood_id.data,
            )
        except services.ContributionError as exc:
            db.session.rollback()
            form.body.errors.append(str(exc))
        else:
            db.session.commit()
            flash("Your idea has been shared. Thank you.")
            return redirect(url_for(".show", idea_id=idea.id))
    status = 400 if form.errors else 200
    return render_template("ideas/new.html", consultation=consultation, form=form), status


@bp.route("/ideas/<int:idea_id>")
@policy.requires("idea.view", model=Idea, id_arg="idea_id")
def show(idea: Idea):
    return _idea_page(idea, CommentForm(formdata=None))


def _idea_page(idea: Idea, comment_form: CommentForm, status: int = 200):
    """The idea page, with the comment form as sent (so nothing typed is lost)."""
    my_vote = services.votes_by(current_user, [idea]).get(idea.id)
    return render_template(
        "ideas/show.html",
        idea=idea,
        consultation=idea.consultation,
        threads=services.comment_threads(idea),
        my_vote=my_vote,
        comment_form=comment_form,
        reply_to=request.args.get("reply_to", type=int),
    ), status


@bp.route("/ideas/<int:idea_id>/vote", methods=["POST"])
@policy.requires("idea.vote", model=Idea, id_arg="idea_id")
@limiter.limit("120 per minute", key_func=lambda: f"vote:{current_user.get_id()}")
def vote(idea: Idea):
    form = VoteForm()
    if not form.validate_on_submit():
        message = "Choose agree, disagree or pass."
        if _wants_json():
            return jsonify(error=message), 400
        flash(message, "error")
        return redirect(url_for(".show", idea_id=idea.id)), 303
    value = VoteValue(form.value.data)
    services.cast_vote(idea, current_user, value)
    db.session.commit()
    if _wants_json():
        return jsonify(
            idea=idea.id,
            vote=value.value,
            agree=idea.agree_count,
            disagree=idea.disagree_count,
            pass_=idea.pass_count,
            message=f"Your vote is recorded: {value.label.lower()}.",
        )
    flash(f"Your vote is recorded: {value.label.lower()}.")
    target = request.form.get("next", "")
    if target.startswith("/consultations/") and "//" not in target:
        return redirect(f"{target}#idea-{idea.id}", 303)
    return redirect(url_for(".show", idea_id=idea.id), 303)


@bp.route("/ideas/<int:idea_id>/comments", methods=["POST"])
@policy.requires("idea.comment", model=Idea, id_arg="idea_id")
@limiter.limit("60 per hour", key_func=lambda: f"comment:{current_user.get_id()}")
def comment(idea: Idea):
    form = CommentForm()
    parent = None
    if form.validate_on_submit():
        if form.parent_id.data is not None:
            parent = db.session.get(Comment, form.parent_id.data)
            if parent is None or parent.idea_id != idea.id:
                form.body.errors.append("The comment you replied to no longer exists")
            else:
                policy.check("comment.reply", parent)
        if not form.body.errors:
            try:
                created = services.add_comment(idea, current_user, form.body.data, parent)
            except services.ContributionError as exc:
                db.session.rollback()
                form.body.errors.append(str(exc))
                return _idea_page(idea, form, status=400)
            db.session.commit()
            flash("Your comment has been posted.")
            return redirect(url_for(".show", idea_id=idea.id, _anchor=f"comment-{created.id}"))
    return _idea_page(idea, form, status=400)
