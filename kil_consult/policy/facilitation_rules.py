"""Who answers for a consultation: facilitators an admin assigned to it (``accounts/
facilitators.py``), and workshop votes. Part of ``policy.rules.RULES``.

A consultation nobody is assigned to is every facilitator's, so a council that never assigns
anyone works as before; once it has assigned facilitators, only they (and every admin) act on
it: moderate its ideas and comments, merge, answer ideas, enter what was said offline and the
votes workshops took, write and publish its summary and run its analysis. Every facilitator
still reads everything staff read.
"""

from __future__ import annotations

from ..accounts.models import FacilitatorAssignment, Role
from ..consultations.models import Consultation, Stage
from ..ideas.models import CommunityEvent
from .people import _signed_in, is_admin, is_staff


def answers_for(user, consultation: Consultation | None) -> bool:
    """An admin answers for every consultation; a facilitator for those they are assigned to,
    and for any consultation nobody is assigned to."""
    if is_admin(user):
        return True
    if not (_signed_in(user) and user.role is Role.FACILITATOR):
        return False
    if consultation is None:
        return True
    assigned = FacilitatorAssignment.user_ids_for(consultation.id)
    return not assigned or user.id in assigned


def may_assign_facilitators(user, consultation: Consultation | None = None) -> bool:
    """Only an admin assigns facilitators to consultations."""
    return is_admin(user)


def may_record_workshop_votes(user, event: CommunityEvent) -> bool:
    """Staff who answer for a consultation record the agree, disagree and pass tallies a
    workshop or community event took on its ideas, once the consultation has opened (not for
    a batch of paper or phone responses: those are people's own ideas, not a room's votes)."""
    return (
        is_staff(user)
        and event.is_event
        and event.consultation.stage is not Stage.DRAFT
        and answers_for(user, event.consultation)
    )
