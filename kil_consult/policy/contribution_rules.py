"""The rules for changing what one wrote: editing and withdrawing one's own idea or comment,
and who reads the history of those changes. Part of ``policy.rules.RULES``."""

from __future__ import annotations

from sqlalchemy import select

from ..extensions import db
from ..ideas.models import Comment, Idea, IdeaResponse, Source, Visibility
from ..organisations.models import Membership, MembershipStatus, OrganisationStatus
from .people import is_participant, is_staff

# Only what is shown, or waits to be, may be changed by its author: never once a moderator has
# hidden it, merged it into another idea, or the author has withdrawn it.
CHANGEABLE = (Visibility.PUBLISHED, Visibility.PENDING)


def _still_speaks_for(user, item: Idea | Comment) -> bool:
    """Something shared for an organisation is changed only while its author still belongs to
    that organisation and it is verified."""
    if item.organisation_id is None:
        return True
    if item.organisation is None or item.organisation.status is not OrganisationStatus.VERIFIED:
        return False
    status = db.session.scalar(
        select(Membership.status).where(
            Membership.organisation_id == item.organisation_id, Membership.user_id == user.id
        )
    )
    return status is MembershipStatus.ACTIVE


def _own_and_changeable(user, item: Idea | Comment | None) -> bool:
    if item is None or not is_participant(user) or item.author_id != user.id:
        return False
    if item.visibility not in CHANGEABLE:
        return False
    idea = item if isinstance(item, Idea) else item.idea
    if idea.source is not Source.ONLINE:  # entered by a facilitator for someone at an event
        return False
    if isinstance(item, Comment) and idea.visibility not in CHANGEABLE:
        return False
    # only while the consultation takes ideas and comments (never once it has closed)
    return idea.consultation.is_accepting() and _still_speaks_for(user, item)


def has_council_response(idea: Idea) -> bool:
    """A fact on the model: the council has given its official response to the idea."""
    return bool(
        db.session.scalar(select(IdeaResponse.id).where(IdeaResponse.idea_id == idea.id).limit(1))
    )


def may_edit_own_contribution(user, item: Idea | Comment) -> bool:
    """A confirmed person may change the words of their own idea or comment while its
    consultation is open and it is published or waiting for a moderator: never once a moderator
    has hidden it, it was merged or withdrawn, or the consultation has closed; an idea the
    council has answered keeps the words the answer was given to (it may still be withdrawn);
    something shared for an organisation only while they still act for it."""
    if not _own_and_changeable(user, item):
        return False
    return not (isinstance(item, Idea) and has_council_response(item))


def may_withdraw_own_contribution(user, item: Idea | Comment) -> bool:
    """A confirmed person may withdraw their own idea or comment on the same terms as editing
    it (a note stays in its place, and replies to it stay)."""
    return _own_and_changeable(user, item)


def may_read_edit_history(user, item: Idea | Comment | None = None) -> bool:
    """Facilitators and admins read every earlier version of an idea or comment (everyone
    else sees that it was edited, and when)."""
    return is_staff(user)
