"""Membership of a community organisation: invite, accept or decline an invitation, ask to join,
approve or refuse a request, leave. Each change is audited and emails whom it concerns; the
route commits."""

from __future__ import annotations

from ..accounts.models import User
from ..accounts.services import find_by_email
from ..audit import record
from ..extensions import db
from ..notifications.services import queue_email
from ..timeutil import utcnow
from ..urls import external_url
from .models import Membership, MembershipStatus, Organisation, OrganisationStatus
from .services import OrganisationError, active_member_count, members, membership_of


def _membership_state(membership: Membership) -> dict:
    return {"user_id": membership.user_id, "status": membership.status}


def _activate(membership: Membership, approver: User | None) -> None:
    membership.status = MembershipStatus.ACTIVE
    membership.joined_at = utcnow()
    if approver is not None:
        membership.approved_by_id = approver.id


def invite(organisation: Organisation, inviter: User, email: str) -> None:
    """Invite the person with this email address to join; they accept on their account page.

    Does the same, as far as the inviter can tell, whether or not the address has an account,
    so that no one can use it to find out who is registered. Only an existing account is
    invited (and emailed). Someone who had asked to join becomes a member at once; someone
    already invited is emailed again; an active member is left as they are.
    """
    invitee = find_by_email(email)
    if invitee is None:
        return
    membership = membership_of(invitee, organisation)
    if membership is not None and membership.status is MembershipStatus.ACTIVE:
        return
    if membership is not None and membership.status is MembershipStatus.REQUESTED:
        before = _membership_state(membership)
        _activate(membership, inviter)
        db.session.flush()
        record(
            inviter,
            "membership.approve",
            organisation,
            before=before,
            after=_membership_state(membership),
            note="Invited after asking to join",
        )
        _email_request_answer(membership, approved=True)
        return
    if membership is None:
        membership = Membership(
            organisation=organisation,
            user_id=invitee.id,
            status=MembershipStatus.INVITED,
            invited_by_id=inviter.id,
        )
        db.session.add(membership)
        db.session.flush()
        record(
            inviter,
            "membership.invite",
            organisation,
            after=_membership_state(membership),
        )
    queue_email(
        invitee.email,
        f"You are invited to join {organisation.name}",
        "organisation_invitation",
        user=invitee,
        inviter=inviter,
        organisation=organisation,
        link=external_url("organisations.mine"),
    )


def accept_invitation(membership: Membership, user: User) -> None:
    """The invited person accepts: they become an active member."""
    if membership.status is not MembershipStatus.INVITED or membership.user_id != user.id:
        raise OrganisationError("This invitation is no longer open.")
    _activate(membership, None)
    db.session.flush()
    record(
        user,
        "membership.accept",
        membership.organisation,
        before={"user_id": user.id, "status": MembershipStatus.INVITED},
        after=_membership_state(membership),
    )


def decline_invitation(membership: Membership, user: User) -> None:
    """The invited person declines: the invitation is removed (they can be invited again)."""
    if membership.status is not MembershipStatus.INVITED or membership.user_id != user.id:
        raise OrganisationError("This invitation is no longer open.")
    _remove(membership, user, "membership.decline")


def request_to_join(organisation: Organisation, user: User) -> Membership:
    """Ask to join a verified organisation; its active members are emailed to approve it.

    Someone who was already invited simply becomes a member (both sides have agreed).
    """
    membership = membership_of(user, organisation)
    if membership is not None and membership.status is MembershipStatus.INVITED:
        accept_invitation(membership, user)
        return membership
    if membership is not None:
        raise OrganisationError(
            f"You are already a member of {organisation.name}."
            if membership.status is MembershipStatus.ACTIVE
            else f"You have already asked to join {organisation.name}."
        )
    if organisation.status is not OrganisationStatus.VERIFIED:
        raise OrganisationError("You can only ask to join a verified organisation.")
    membership = Membership(
        organisation=organisation, user_id=user.id, status=MembershipStatus.REQUESTED
    )
    db.session.add(membership)
    db.session.flush()
    record(
        user,
        "membership.request",
        organisation,
        after=_membership_state(membership),
    )
    for member in members(organisation, MembershipStatus.ACTIVE):
        queue_email(
            member.user.email,
            f"{user.display_name} has asked to join {organisation.name}",
            "organisation_join_request",
            user=member.user,
            requester=user,
            organisation=organisation,
            link=external_url("organisations.members", slug=organisation.slug),
        )
    return membership


def _email_request_answer(membership: Membership, approved: bool) -> None:
    organisation = membership.organisation
    queue_email(
        membership.user.email,
        f"Your request to join {organisation.name}",
        "organisation_request_answer",
        user=membership.user,
        organisation=organisation,
        approved=approved,
        link=external_url("pages.organisation", slug=organisation.slug),
    )


def _pending_request(organisation: Organisation, membership: Membership) -> None:
    if (
        membership.organisation_id != organisation.id
        or membership.status is not MembershipStatus.REQUESTED
    ):
        raise OrganisationError("This request to join has already been answered.")


def approve_request(organisation: Organisation, membership: Membership, approver: User) -> None:
    """An active member approves someone's request to join; the person is emailed."""
    _pending_request(organisation, membership)
    before = _membership_state(membership)
    _activate(membership, approver)
    db.session.flush()
    record(
        approver,
        "membership.approve",
        organisation,
        before=before,
        after=_membership_state(membership),
    )
    _email_request_answer(membership, approved=True)


def refuse_request(organisation: Organisation, membership: Membership, member: User) -> None:
    """An active member refuses someone's request to join; the person is emailed."""
    _pending_request(organisation, membership)
    _email_request_answer(membership, approved=False)
    _remove(membership, member, "membership.refuse")


def leave(organisation: Organisation, user: User) -> None:
    """A member leaves the organisation.

    The last active member of a verified or waiting organisation cannot leave: no one would be
    left to invite people, answer requests or speak for it. They are told to invite someone
    first (or ask the council to decline the registration).
    """
    membership = membership_of(user, organisation)
    if membership is None or membership.status is not MembershipStatus.ACTIVE:
        raise OrganisationError(f"You are not a member of {organisation.name}.")
    if (
        organisation.status is not OrganisationStatus.DECLINED
        and active_member_count(organisation) <= 1
    ):
        raise OrganisationError(
            f"You are the only member of {organisation.name}, so you cannot leave yet. Invite "
            "someone else to join first, or contact the council to close its registration."
        )
    _remove(membership, user, "membership.leave")


def _remove(membership: Membership, actor: User, action: str) -> None:
    record(
        actor,
        action,
        membership.organisation,
        before=_membership_state(membership),
    )
    db.session.delete(membership)
    db.session.flush()
