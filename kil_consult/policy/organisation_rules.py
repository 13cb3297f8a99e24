"""Who may act for, manage, join, leave and verify the voluntary and community sector
organisations people speak for (part of the RULES table in rules.py)."""

from __future__ import annotations

from sqlalchemy import select

from ..extensions import db
from ..organisations.models import Membership, MembershipStatus, Organisation, OrganisationStatus
from .people import _signed_in, is_participant, is_staff


def _membership(user, organisation: Organisation) -> Membership | None:
    if not _signed_in(user) or organisation is None:
        return None
    return db.session.scalar(
        select(Membership).where(
            Membership.organisation_id == organisation.id, Membership.user_id == user.id
        )
    )


def _is_active_member(user, organisation: Organisation) -> bool:
    membership = _membership(user, organisation)
    return membership is not None and membership.status is MembershipStatus.ACTIVE


def may_register_organisation(user, obj=None) -> bool:
    """A confirmed person may ask for a VCS organisation to be registered."""
    return is_participant(user)


def may_view_organisation(user, organisation: Organisation) -> bool:
    """Anyone may see a verified organisation; staff and its members (or invitees) see others."""
    if organisation.status is OrganisationStatus.VERIFIED or is_staff(user):
        return True
    return _membership(user, organisation) is not None


def may_act_for_organisation(user, organisation: Organisation) -> bool:
    """A confirmed active member of a verified organisation may post on its behalf."""
    return (
        is_participant(user)
        and organisation.status is OrganisationStatus.VERIFIED
        and _is_active_member(user, organisation)
    )


def may_manage_members(user, organisation: Organisation) -> bool:
    """A confirmed active member of a verified or waiting organisation may invite people and
    answer requests to join (not once the organisation has been declined)."""
    return (
        is_participant(user)
        and organisation.status is not OrganisationStatus.DECLINED
        and _is_active_member(user, organisation)
    )


def may_ask_to_join(user, organisation: Organisation) -> bool:
    """A confirmed person who does not yet belong may ask to join a verified organisation."""
    return (
        is_participant(user)
        and organisation.status is OrganisationStatus.VERIFIED
        and _membership(user, organisation) is None
    )


def may_leave_organisation(user, organisation: Organisation) -> bool:
    """An active member may leave (the service refuses the last member of a live one)."""
    return _is_active_member(user, organisation)


def may_respond_to_invitation(user, membership: Membership) -> bool:
    """Only the invited person may accept or decline their own invitation."""
    return (
        _signed_in(user)
        and membership.user_id == user.id
        and membership.status is MembershipStatus.INVITED
    )


def may_verify_organisation(user, organisation: Organisation | None = None) -> bool:
    """Facilitators and admins check organisations and verify or decline them."""
    return is_staff(user)
