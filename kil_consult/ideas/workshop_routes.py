"""Workshop votes (on the ideas blueprint): a facilitator records the agree, disagree and
pass tallies a workshop took on ideas. The rule is ``policy``'s ``workshop.record_votes``;
what happens is ``workshops``'."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user

from .. import policy
from ..extensions import db
from . import workshops
from .forms import WorkshopVotesForm
from .models import CommunityEvent, Idea
from .routes import bp


@bp.route("/admin/offline/<int:event_id>/votes", methods=["GET", "POST"])
@policy.requires("workshop.record_votes", model=CommunityEvent, id_arg="event_id", name="event")
def workshop_votes(event: CommunityEvent):
    """The tallies recorded for a workshop, and a form to record one more (or correct one)."""
    form = WorkshopVotesForm()
    ideas = workshops.ideas_to_vote_on(event)
    form.idea_id.choices = [("", "Choose an idea")] + [(i.id, i.title) for i in ideas]
    if request.method == "GET" and request.args.get("idea", type=int):
        form.idea_id.data = request.args.get("idea", type=int)
    if form.validate_on_submit():
        idea = db.session.get(Idea, form.idea_id.data)
        try:
            tally = workshops.record_workshop_votes(
                event,
                idea,
                form.agree.data,
                form.disagree.data,
                form.passed.data,
                current_user,
            )
        except workshops.WorkshopVoteError as exc:
            db.session.rollback()
            form.agree.errors = [*form.agree.errors, str(exc)]
        else:
            db.session.commit()
            flash(
                f"Votes saved for “{idea.title}”."
                if tally
                else f"No votes are recorded for “{idea.title}” now."
            )
            return redirect(url_for(".workshop_votes", event_id=event.id))
    return render_template(
        "ideas/workshop_votes.html",
        event=event,
        form=form,
        tallies=workshops.tallies_at(event),
        has_ideas=bool(ideas),
    ), 400 if form.errors else 200
