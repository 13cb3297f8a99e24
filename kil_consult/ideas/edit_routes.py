"""Changing what one wrote (on the ideas blueprint): edit or withdraw one's own idea or
comment, and, for staff, read every earlier version. The rules are ``policy``'s; what
happens is ``edits``'."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user

from .. import policy
from ..extensions import db, limiter, per_account
from . import edits
from .forms import EditCommentForm, EditIdeaForm, WithdrawForm
from .models import Comment, Idea
from .routes import bp
from .services import ContributionError


def _changed_message(item: Idea | Comment, noun: str) -> str:
    if item.is_pending:
        return (
            f"Your changes are saved. Your {noun} will appear again once a moderator has "
            "checked it."
        )
    return "Your changes are saved. The page shows that it was edited, and when."


@bp.route("/ideas/<int:idea_id>/edit", methods=["GET", "POST"])
@policy.requires("contribution.edit", model=Idea, id_arg="idea_id")
@limiter.limit("30 per hour", methods=["POST"], key_func=per_account("account"))
def edit_idea(idea: Idea):
    """Change the title and description of one's own idea."""
    form = EditIdeaForm(obj=idea if request.method == "GET" else None)
    if form.validate_on_submit():
        try:
            changed = edits.edit_idea(idea, current_user, form.title.data, form.body.data)
        except ContributionError as exc:
            db.session.rollback()
            form.body.errors.append(str(exc))
        else:
            db.session.commit()
            flash(_changed_message(idea, "idea") if changed else "Nothing was changed.")
            return redirect(url_for(".show", idea_id=idea.id))
    return render_template("ideas/edit.html", idea=idea, form=form), 400 if form.errors else 200


@bp.route("/comments/<int:comment_id>/edit", methods=["GET", "POST"])
@policy.requires("contribution.edit", model=Comment, id_arg="comment_id")
@limiter.limit("30 per hour", methods=["POST"], key_func=per_account("account"))
def edit_comment(comment: Comment):
    """Change the words of one's own comment or reply."""
    form = EditCommentForm(obj=comment if request.method == "GET" else None)
    if form.validate_on_submit():
        try:
            changed = edits.edit_comment(comment, current_user, form.body.data)
        except ContributionError as exc:
            db.session.rollback()
            form.body.errors.append(str(exc))
        else:
            db.session.commit()
            flash(_changed_message(comment, "comment") if changed else "Nothing was changed.")
            return redirect(
                url_for(".show", idea_id=comment.idea_id, _anchor=f"comment-{comment.id}")
            )
    return render_template(
        "ideas/edit_comment.html", comment=comment, idea=comment.idea, form=form
    ), 400 if form.errors else 200


def _withdraw(item: Idea | Comment, idea: Idea, noun: str):
    form = WithdrawForm()
    if form.validate_on_submit():
        try:
            edits.withdraw(item, current_user)
        except ContributionError as exc:
            db.session.rollback()
            flash(str(exc), "error")
        else:
            db.session.commit()
            flash(f"Your {noun} has been withdrawn. A note says so in its place.")
        anchor = f"comment-{item.id}" if isinstance(item, Comment) else None
        return redirect(url_for(".show", idea_id=idea.id, _anchor=anchor))
    return render_template("ideas/withdraw.html", item=item, idea=idea, noun=noun, form=form)


@bp.route("/ideas/<int:idea_id>/withdraw", methods=["GET", "POST"])
@policy.requires("contribution.withdraw", model=Idea, id_arg="idea_id")
def withdraw_idea(idea: Idea):
    """Ask, then withdraw one's own idea (a note stays in its place)."""
    return _withdraw(idea, idea, "idea")


@bp.route("/comments/<int:comment_id>/withdraw", methods=["GET", "POST"])
@policy.requires("contribution.withdraw", model=Comment, id_arg="comment_id")
def withdraw_comment(comment: Comment):
    """Ask, then withdraw one's own comment (replies to it stay)."""
    return _withdraw(comment, comment.idea, "comment")


@bp.route("/ideas/<int:idea_id>/history")
@policy.requires("contribution.history", model=Idea, id_arg="idea_id")
def idea_history(idea: Idea):
    """Every version of an idea's words, for staff."""
    return render_template(
        "ideas/history.html", item=idea, idea=idea, noun="idea", changes=edits.edits_of(idea)
    )


@bp.route("/comments/<int:comment_id>/history")
@policy.requires("contribution.history", model=Comment, id_arg="comment_id")
def comment_history(comment: Comment):
    """Every version of a comment's words, for staff."""
    return render_template(
        "ideas/history.html",
        item=comment,
        idea=comment.idea,
        noun="comment",
        changes=edits.edits_of(comment),
    )
