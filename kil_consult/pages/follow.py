"""Follow buttons: a consultation, an idea or the statement (neighbourhoods are chosen on the
notifications settings page; stopping is ``following.unfollow``). They sit here because they
load the thing followed from its own area."""

from __future__ import annotations

from flask import abort, flash
from flask_login import current_user

from .. import policy
from ..consultations.models import Consultation
from ..consultations.services import consultation_by_slug
from ..extensions import db
from ..following.forms import EmptyForm
from ..following.models import FollowKind
from ..following.services import follow as follow_target
from ..ideas.models import Idea
from ..urls import redirect_back
from .routes import bp


def _followed(kind: FollowKind, target, label: str, endpoint: str, **values):
    if not EmptyForm().validate_on_submit():
        abort(400)
    follow_target(current_user, kind, target, label=label)
    db.session.commit()
    flash(f"You are following {label}. See what you follow in your notification settings.")
    return redirect_back(endpoint, **values)


@bp.post("/follow/consultation/<slug>")
@policy.requires(
    "consultation.view", id_arg="slug", lookup=consultation_by_slug, name="consultation"
)
def follow_consultation(consultation: Consultation):
    policy.check("consultation.follow", consultation)  # after the 404 for what is not seen
    return _followed(
        FollowKind.CONSULTATION,
        consultation,
        consultation.title,
        "pages.consultation",
        slug=consultation.slug,
    )


@bp.post("/follow/idea/<int:idea_id>")
@policy.requires("idea.view", Idea, "idea_id")
def follow_idea(idea: Idea):
    policy.check("idea.follow", idea)  # after the 404 for what is not seen
    return _followed(
        FollowKind.IDEA, idea, f"\u201c{idea.title}\u201d", "ideas.show", idea_id=idea.id
    )


@bp.post("/follow/statement")
@policy.requires("statement.follow")
def follow_statement():
    return _followed(FollowKind.STATEMENT, None, "the Keep it Local statement", "pages.home")
