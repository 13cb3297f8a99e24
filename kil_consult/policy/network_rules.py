"""The rules of the Keep it Local Network: the self-assessment rounds, residents' views of them,
the meeting pack, and the hub's register (``RULES`` in ``rules.py`` names them)."""

from __future__ import annotations

from ..network.models import AssessmentRound, RoundState
from .people import is_admin, is_participant, is_staff


def may_view_round(user, round_: AssessmentRound) -> bool:
    """Anyone may read a round once it is open for views or signed off; facilitators and
    admins also read drafts."""
    return round_.is_public or is_staff(user)


def may_start_round(user, obj=None) -> bool:
    """Facilitators and admins start a self-assessment round."""
    return is_staff(user)


def may_assess(user, round_: AssessmentRound) -> bool:
    """Facilitators and admins record the levels, evidence, next steps and champions of a
    round until it is signed off; nobody changes a signed-off round."""
    return is_staff(user) and not round_.is_frozen


def may_open_round_for_views(user, round_: AssessmentRound) -> bool:
    """An admin opens a draft round for residents and organisations to say if they agree."""
    return is_admin(user) and round_.state is RoundState.DRAFT


def may_sign_off_round(user, round_: AssessmentRound) -> bool:
    """An admin signs a round off (it is then frozen and its network return published)."""
    return is_admin(user) and not round_.is_frozen


def may_give_view_on_round(user, round_: AssessmentRound) -> bool:
    """A confirmed person may say whether they agree with a round while it is open for views."""
    return is_participant(user) and round_.state is RoundState.OPEN


def may_read_round_views(user, round_: AssessmentRound) -> bool:
    """Facilitators and admins read every view with its comment."""
    return is_staff(user)


def may_edit_level_descriptors(user, obj=None) -> bool:
    """Only an admin rewords what each level of each principle means."""
    return is_admin(user)


def may_manage_hub(user, obj=None) -> bool:
    """Only an admin of the hub registers member councils and harvests their returns."""
    return is_admin(user)
