"""Idea pages: share an idea (checking for similar ones first), read one with its comments,
vote and comment; facilitators record offline events and enter the ideas gathered there."""

from __future__ import annotations

from flask import Blueprint, flash, jsonify, redirect, render_template, request, url_for
from flask_login import current_user

from .. import policy
from ..cache import cached_for_visitors
from ..consultations.models import Consultation
from ..consultations.services import consultation_by_slug, neighbourhoods
from ..errors import wants_json
from ..extensions import db, limiter, per_account
from ..organisations.models import Organisation
from ..organisations.services import organisations_user_can_speak_for
from ..urls import is_safe_next
from . import offline, services
from . import vote_through as voting
from .forms import CommentForm, EventForm, IdeaForm, OfflineIdeaForm, VoteForm, VoteThroughForm
from .models import Comment, CommunityEvent, Idea, Source, Visibility, VoteValue
from .similar import similar_ideas

bp = Blueprint("ideas", __name__)


def _speaking_for(field) -> Organisation | None:
    """The organisation chosen in a 'Share as' field, checked against the policy."""
    if not field.data:
        return None
    organisation = db.session.get(Organisation, field.data)
    policy.check("organisation.act", organisation)
    return organisation


@bp.route("/consultations/<slug>/ideas/new", methods=["GET", "POST"])
@policy.requires("idea.create", id_arg="slug", lookup=consultation_by_slug, name="consultation")
@limiter.limit("30 per hour", methods=["POST"], key_func=per_account("account"))
@limiter.limit("120 per hour", methods=["POST"])
def new(consultation: Consultation):
    form = IdeaForm(
        neighbourhoods=neighbourhoods(),
        organisations=organisations_user_can_speak_for(current_user),
    )
    if request.method == "GET" and current_user.neighbourhood_id:
        form.neighbourhood_id.data = current_user.neighbourhood_id
    similar = []
    if form.validate_on_submit():
        repeat = services.recent_duplicate(
            consultation, current_user, form.title.data, form.body.data
        )
        if repeat is not None:  # a double click or a resent form: show the idea already made
            return redirect(url_for(".show", idea_id=repeat.id))
        if not form.confirm_new.data:
            similar = similar_ideas(consultation, f"{form.title.data} {form.body.data}")
        if not similar:
            try:
                idea = services.submit_idea(
                    consultation,
                    current_user,
                    form.title.data,
                    form.body.data,
                    form.neighbourhood_id.data,
                    organisation=_speaking_for(form.speak_as),
                )
            except services.ContributionError as exc:
                db.session.rollback()
                form.body.errors.append(str(exc))
            else:
                db.session.commit()
                if idea.visibility is Visibility.PENDING:
                    flash(
                        "Thank you. Your idea will appear once a moderator has checked it. "
                        "We will email you when it is published."
                    )
                else:
                    flash("Your idea has been shared. Thank you.")
                return redirect(url_for(".show", idea_id=idea.id))
    status = 400 if form.errors else 200
    return render_template(
        "ideas/new.html", consultation=consultation, form=form, similar=similar
    ), status


@bp.route("/consultations/<slug>/similar-ideas")
@policy.requires(
    "consultation.view", id_arg="slug", lookup=consultation_by_slug, name="consultation"
)
@limiter.limit("120 per minute")
def similar(consultation: Consultation):
    """Ideas like the text being typed (for the script on the share-an-idea page)."""
    text = request.args.get("text", "")[:4000]
    found = similar_ideas(consultation, text)
    return jsonify(
        ideas=[
            {
                "id": match.idea.id,
                "title": match.idea.title,
                "url": url_for(".show", idea_id=match.idea.id),
                "vote_url": url_for(".vote", idea_id=match.idea.id)
                if policy.can("idea.vote", match.idea)
                else None,
                "agree": match.idea.agree_count,
                "disagree": match.idea.disagree_count,
                "comments": match.idea.comment_count,
            }
            for match in found
        ]
    )


@bp.route("/ideas/<int:idea_id>")
@cached_for_visitors
@policy.requires("idea.view", model=Idea, id_arg="idea_id")
def show(idea: Idea):
    return _idea_page(idea, _comment_form(formdata=None))


def _comment_form(**kwargs) -> CommentForm:
    return CommentForm(organisations=organisations_user_can_speak_for(current_user), **kwargs)


def _idea_page(idea: Idea, comment_form: CommentForm, status: int = 200):
    """The idea page, with the comment form as sent (so nothing typed is lost)."""
    my_vote = services.votes_by(current_user, [idea]).get(idea.id)
    return render_template(
        "ideas/show.html",
        idea=idea,
        consultation=idea.consultation,
        threads=services.comment_threads(idea, current_user),
        my_vote=my_vote,
        comment_form=comment_form,
        reply_to=request.args.get("reply_to", type=int),
        merge=services.latest_merge(idea) if idea.visibility is Visibility.MERGED else None,
    ), status


@bp.route("/ideas/<int:idea_id>/vote", methods=["POST"])
@policy.requires("idea.vote", model=Idea, id_arg="idea_id")
@limiter.limit("120 per minute", key_func=per_account("account"))
@limiter.limit("600 per minute")
def vote(idea: Idea):
    form = VoteForm()
    if not form.validate_on_submit():
        message = "Choose agree, disagree or pass."
        if wants_json():
            return jsonify(error=message), 400
        flash(message, "error")
        return redirect(url_for(".show", idea_id=idea.id)), 303
    value = VoteValue(form.value.data)
    services.cast_vote(idea, current_user, value)
    db.session.commit()
    if wants_json():
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
    if target.startswith("/consultations/") and "//" not in target and is_safe_next(target):
        return redirect(f"{target}#idea-{idea.id}", 303)
    return redirect(url_for(".show", idea_id=idea.id), 303)


@bp.route("/consultations/<slug>/vote-through", methods=["GET", "POST"])
@policy.requires(
    "consultation.vote_through", id_arg="slug", lookup=consultation_by_slug, name="consultation"
)
@limiter.limit("120 per minute", methods=["POST"], key_func=per_account("account"))
@limiter.limit("600 per minute", methods=["POST"])
def vote_through(consultation: Consultation):
    """The next idea the person has not voted on, with agree, disagree, pass and skip."""
    form = VoteThroughForm()
    skipped = voting.parse_skipped(form.skipped.data or request.args.get("skipped"))
    if request.method == "POST":
        idea = None
        if form.validate_on_submit():
            idea = db.session.get(Idea, form.idea_id.data)
            if idea is None or idea.consultation_id != consultation.id:
                form.value.errors.append("That idea is not in this consultation")
            elif form.value.data == "skip":
                skipped.append(idea.id)
                flash(f"Skipped: {idea.title}. It will come back once you have seen the others.")
            elif not policy.can("idea.vote", idea):
                flash("That idea can no longer be voted on, so your vote was not recorded.")
            else:
                value = VoteValue(form.value.data)
                services.cast_vote(idea, current_user, value)
                db.session.commit()
                flash(f"Your vote on “{idea.title}” is recorded: {value.label.lower()}.")
        if not form.errors:
            return redirect(
                url_for(
                    ".vote_through",
                    slug=consultation.slug,
                    skipped=voting.format_skipped(skipped) or None,
                ),
                303,
            )
    idea = voting.next_idea(consultation, current_user, skipped)
    return render_template(
        "ideas/vote_through.html",
        consultation=consultation,
        idea=idea,
        form=form,
        skipped=voting.format_skipped(skipped),
        skipped_count=len(skipped),
        progress=voting.progress(consultation, current_user),
    ), (400 if form.errors else 200)


@bp.route("/ideas/<int:idea_id>/comments", methods=["POST"])
@policy.requires("idea.comment", model=Idea, id_arg="idea_id")
@limiter.limit("60 per hour", key_func=per_account("account"))
@limiter.limit("300 per hour")
def comment(idea: Idea):
    form = _comment_form()
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
                created = services.add_comment(
                    idea,
                    current_user,
                    form.body.data,
                    parent,
                    organisation=_speaking_for(form.speak_as),
                )
            except services.ContributionError as exc:
                db.session.rollback()
                form.body.errors.append(str(exc))
                return _idea_page(idea, form, status=400)
            db.session.commit()
            if created.visibility is Visibility.PENDING:
                flash("Thank you. Your comment will appear once a moderator has checked it.")
            else:
                flash("Your comment has been posted.")
            return redirect(url_for(".show", idea_id=idea.id, _anchor=f"comment-{created.id}"))
    return _idea_page(idea, form, status=400)


# --- contributions gathered offline ---------------------------------------------------------


@bp.route("/admin/consultations/<slug>/offline", methods=["GET", "POST"])
@policy.requires("offline.record", id_arg="slug", lookup=consultation_by_slug, name="consultation")
def events(consultation: Consultation):
    form = EventForm(neighbourhoods=neighbourhoods())
    if form.validate_on_submit():
        event = offline.record_event(
            consultation,
            current_user,
            kind=Source(form.kind.data),
            name=form.name.data,
            held_on=form.held_on.data,
            place=form.place.data or "",
            neighbourhood_id=form.neighbourhood_id.data,
            attendees=form.attendees.data,
        )
        db.session.commit()
        flash("Saved. Now add the ideas people gave.")
        return redirect(url_for(".event", event_id=event.id))
    status = 400 if form.errors else 200
    return render_template(
        "ideas/events.html",
        consultation=consultation,
        form=form,
        events=offline.events_for(consultation),
    ), status


@bp.route("/admin/offline/<int:event_id>", methods=["GET", "POST"])
def event(event_id: int):
    record = db.get_or_404(CommunityEvent, event_id)
    policy.check("offline.record", record.consultation)
    form = OfflineIdeaForm(neighbourhoods=neighbourhoods())
    if request.method == "GET":
        form.neighbourhood_id.data = record.neighbourhood_id
    if form.validate_on_submit():
        idea = offline.enter_offline_idea(
            record,
            current_user,
            form.title.data,
            form.body.data,
            form.contributor_name.data or "",
            form.neighbourhood_id.data,
        )
        db.session.commit()
        flash(f"Idea added: {idea.title}. Add another, or go back to the consultation.")
        return redirect(url_for(".event", event_id=record.id, _anchor="add-idea"))
    status = 400 if form.errors else 200
    return render_template(
        "ideas/event.html", event=record, form=form, ideas=offline.ideas_from(record)
    ), status
