"""Idea pages: share an idea (checking for similar ones first), read one with its comments,
vote and comment; facilitators record offline events and enter the ideas gathered there."""

from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user
from itsdangerous import BadData, URLSafeTimedSerializer
from sqlalchemy import bindparam, select
from sqlalchemy.orm import joinedload

from .. import audit, policy
from ..cache import idea_scope
from ..consultations.models import Consultation
from ..consultations.services import consultation_by_slug, neighbourhoods
from ..errors import wants_json
from ..extensions import db, limiter, per_account
from ..organisations.services import organisations_user_can_speak_for, speaking_for
from ..page_shells import shared_page
from ..urls import is_safe_next
from . import edits, offline, responses, services, spreadsheet, votes, workshops
from . import vote_through as voting
from .forms import (
    CommentForm,
    ConfirmForm,
    EventForm,
    IdeaForm,
    OfflineIdeaForm,
    ResponseForm,
    SpreadsheetForm,
    StaffNoteForm,
    VoteThroughForm,
    chosen_vote,
)
from .models import Comment, CommunityEvent, Idea, ResponseStatus, Source, Visibility, VoteValue
from .page_parts import shares_idea_page
from .similar import similar_ideas

bp = Blueprint("ideas", __name__)


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
                    organisation=speaking_for(form.speak_as.data),
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
@shared_page(
    scopes=lambda idea_id: [idea_scope(idea_id)],
    shared_if=shares_idea_page,
    tallies_if=lambda idea_id: True,  # the counts are the page's only figures votes change
)
@policy.requires("idea.view", model=Idea, id_arg="idea_id")
def show(idea: Idea):
    return _idea_page(idea, _comment_form(formdata=None))


def _comment_form(**kwargs) -> CommentForm:
    return CommentForm(organisations=organisations_user_can_speak_for(current_user), **kwargs)


def _idea_page(idea: Idea, comment_form: CommentForm, status: int = 200):
    """The idea page, with the comment form as sent (so nothing typed is lost)."""
    my_vote = services.votes_by(current_user, [idea]).get(idea.id)
    last_edit = edits.latest_edit(idea)
    return render_template(
        "ideas/show.html",
        idea=idea,
        consultation=idea.consultation,
        threads=services.comment_threads(idea, current_user),
        my_vote=my_vote,
        last_edit=last_edit,
        workshop=workshops.totals_for(idea),
        my_vote_at=edits.vote_time(idea, current_user) if last_edit and my_vote else None,
        comment_form=comment_form,
        reply_to=request.args.get("reply_to", type=int),
        merge=services.latest_merge(idea) if idea.visibility is Visibility.MERGED else None,
        response=responses.current_response(idea),
        staff_note_count=responses.staff_note_count(idea)
        if policy.can("idea.staff_notes", idea)
        else 0,
    ), status


@bp.route("/ideas/<int:idea_id>/response", methods=["GET", "POST"])
@policy.requires("idea.respond", model=Idea, id_arg="idea_id")
def respond(idea: Idea):
    """The council's official response: given, or changed, with its history below."""
    current = responses.current_response(idea)
    form = ResponseForm()
    if request.method == "GET" and current is not None:
        form.status.data, form.reason.data = current.status.value, current.reason
    if form.validate_on_submit():
        try:
            _, told = responses.respond(
                idea, current_user, ResponseStatus(form.status.data), form.reason.data
            )
        except responses.ResponseError as exc:
            db.session.rollback()
            form.reason.errors = [str(exc)]
        else:
            db.session.commit()
            flash(
                f"Response published. {told} {'person was' if told == 1 else 'people were'} "
                "emailed: the idea's author and everyone who agreed with it."
            )
            return redirect(url_for(".show", idea_id=idea.id) + "#council-response")
    return render_template(
        "ideas/response.html",
        idea=idea,
        form=form,
        history=responses.response_history(idea),
        supporters=len(responses.supporters(idea)),
    ), 400 if form.errors else 200


@bp.route("/ideas/<int:idea_id>/staff-notes", methods=["GET", "POST"])
@policy.requires("idea.staff_notes", model=Idea, id_arg="idea_id")
def staff_notes(idea: Idea):
    """Internal notes on an idea, for facilitators and admins."""
    form = StaffNoteForm()
    if form.validate_on_submit():
        try:
            responses.add_staff_note(idea, current_user, form.body.data)
        except responses.ResponseError as exc:
            db.session.rollback()
            form.body.errors = [str(exc)]
        else:
            db.session.commit()
            flash("Note added.")
            return redirect(url_for(".staff_notes", idea_id=idea.id))
    return render_template(
        "ideas/staff_notes.html", idea=idea, form=form, notes=responses.staff_notes(idea)
    ), 400 if form.errors else 200


_IDEA_WITH_CONSULTATION = (
    select(Idea).options(joinedload(Idea.consultation)).where(Idea.id == bindparam("the_idea"))
)  # built once (see ideas.services: a vote's statements)


def _idea_with_consultation(idea_id: int) -> Idea | None:
    """The idea with its consultation in the same statement (the vote rule reads both)."""
    return db.session.scalar(_IDEA_WITH_CONSULTATION, {"the_idea": idea_id})


@bp.route("/ideas/<int:idea_id>/vote", methods=["POST"])
@policy.requires("idea.vote", model=Idea, id_arg="idea_id", lookup=_idea_with_consultation)
@limiter.limit("120 per minute", key_func=per_account("account"))
@limiter.limit(lambda: current_app.config["KIL_VOTE_ADDRESS_LIMIT"])  # the client's address
def vote(idea: Idea):
    value = chosen_vote(request.form)
    if value is None:
        message = "Choose agree, disagree or pass."
        if wants_json():
            return jsonify(error=message), 400
        flash(message, "error")
        return redirect(url_for(".show", idea_id=idea.id)), 303
    votes.cast_vote(idea, current_user, value)
    # read before the commit, which expires them: the answer needs no query afterwards
    idea_id, counts = idea.id, (idea.agree_count, idea.disagree_count, idea.pass_count)
    db.session.commit()
    if wants_json():
        return jsonify(
            idea=idea_id,
            vote=value.value,
            agree=counts[0],
            disagree=counts[1],
            pass_=counts[2],
            message=f"Your vote is recorded: {value.label.lower()}.",
        )
    flash(f"Your vote is recorded: {value.label.lower()}.")
    target = request.form.get("next", "")
    if target.startswith("/consultations/") and "//" not in target and is_safe_next(target):
        return redirect(f"{target}#idea-{idea_id}", 303)
    return redirect(url_for(".show", idea_id=idea_id), 303)


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
                votes.cast_vote(idea, current_user, value)
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
                    organisation=speaking_for(form.speak_as.data),
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


# The checked rows travel from the preview to the import signed (and compressed), so nothing
# is stored in between and nobody can change them on the way.
IMPORT_SALT = "offline-import"
IMPORT_MAX_AGE = 24 * 3600


def _import_serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.secret_key, salt=IMPORT_SALT)


def _areas() -> dict[str, int]:
    return {place.name.lower(): place.id for place in neighbourhoods()}


@bp.route("/admin/offline/<int:event_id>/import", methods=["GET", "POST"])
def import_spreadsheet(event_id: int):
    """Upload a spreadsheet of paper responses and see every row checked before importing."""
    record = db.get_or_404(CommunityEvent, event_id)
    policy.check("offline.record", record.consultation)
    form = SpreadsheetForm()
    rows, payload = None, None
    if form.validate_on_submit():
        upload = form.spreadsheet.data
        try:
            cells = spreadsheet.read_spreadsheet(upload.filename, upload.read())
            rows = spreadsheet.check_rows(cells, _areas(), record)
        except spreadsheet.SpreadsheetError as exc:
            form.spreadsheet.errors = [str(exc)]
            rows = None
        else:
            if not any(row.errors for row in rows):
                payload = _import_serializer().dumps(
                    {
                        "event": record.id,
                        "by": current_user.id,
                        "rows": [row.as_dict() for row in rows],
                    }
                )
    status = 400 if form.errors or (rows and payload is None) else 200
    return render_template(
        "ideas/import.html",
        event=record,
        form=form,
        rows=rows,
        payload=payload,
        column_help=spreadsheet.column_help(record),
    ), status


@bp.route("/admin/offline/<int:event_id>/import/confirm", methods=["POST"])
def confirm_import(event_id: int):
    """Import every checked row as an idea from the event, all together or none."""
    record = db.get_or_404(CommunityEvent, event_id)
    policy.check("offline.record", record.consultation)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        data = _import_serializer().loads(request.form.get("payload", ""), max_age=IMPORT_MAX_AGE)
    except BadData:
        flash("That check has expired or was changed. Upload the file again.", "error")
        return redirect(url_for(".import_spreadsheet", event_id=record.id))
    if data.get("event") != record.id or data.get("by") != current_user.id:
        abort(400)
    rows = [spreadsheet.ImportRow(**row) for row in data["rows"]]
    areas = _areas()
    for row in rows:
        spreadsheet.check(row, areas)  # the areas may have changed since the preview
    try:
        ideas = spreadsheet.import_rows(record, current_user, rows)
    except spreadsheet.SpreadsheetError as exc:
        db.session.rollback()
        flash(str(exc), "error")
        return redirect(url_for(".import_spreadsheet", event_id=record.id))
    audit.record(current_user, "offline.import", record, after={"ideas": len(ideas)})
    db.session.commit()
    flash(f"{len(ideas)} {'idea' if len(ideas) == 1 else 'ideas'} imported from the spreadsheet.")
    return redirect(url_for(".event", event_id=record.id))
