"""Organisation workflows: register, verify or decline, invite, ask to join, approve, leave.

Every function flushes and leaves the commit to the caller (one commit per request). Each
change to an organisation or to who belongs to it is written to the audit log, against the
organisation (``item_type="organisation"``), with the membership's before and after.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from flask import current_app, url_for
from sqlalchemy import func, select

from ..accounts.models import User
from ..accounts.services import find_by_email
from ..audit import record
from ..consultations.models import Consultation, Neighbourhood, Stage
from ..extensions import db
from ..notifications.services import queue_email
from ..timeutil import utcnow
from .models import Membership, MembershipStatus, Organisation, OrganisationStatus


class OrganisationError(ValueError):
    """A request about an organisation that cannot be done, with a message for the person."""


# --- finding organisations ---------------------------------------------------------------


def organisation_by_slug(slug: str) -> Organisation | None:
    """The organisation at this address, if there is one."""
    return db.session.scalar(select(Organisation).where(Organisation.slug == slug))


def name_taken(name: str) -> bool:
    """True if an organisation already has this name, ignoring case and surrounding spaces."""
    wanted = name.strip().lower()
    return (
        db.session.scalar(select(Organisation.id).where(func.lower(Organisation.name) == wanted))
        is not None
    )


def verified_organisations() -> list[Organisation]:
    """Verified organisations, by name: the public list."""
    return list(
        db.session.scalars(
            select(Organisation)
            .where(Organisation.status == OrganisationStatus.VERIFIED)
            .order_by(func.lower(Organisation.name))
        )
    )


def organisations_for_staff() -> dict[OrganisationStatus, list[Organisation]]:
    """Every organisation grouped by status: waiting ones oldest first, the rest by name."""
    grouped: dict[OrganisationStatus, list[Organisation]] = {s: [] for s in OrganisationStatus}
    rows = db.session.scalars(select(Organisation).order_by(Organisation.created_at))
    for organisation in rows:
        grouped[organisation.status].append(organisation)
    for status in (OrganisationStatus.VERIFIED, OrganisationStatus.DECLINED):
        grouped[status].sort(key=lambda o: o.name.lower())
    return grouped


def membership_of(user, organisation: Organisation) -> Membership | None:
    """This person's membership (active, invited or requested) of the organisation, if any."""
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return db.session.scalar(
        select(Membership).where(
            Membership.organisation_id == organisation.id, Membership.user_id == user.id
        )
    )


def memberships_of(user: User) -> list[Membership]:
    """All of a person's memberships, invitations and requests, by organisation name."""
    return list(
        db.session.scalars(
            select(Membership)
            .join(Membership.organisation)
            .where(Membership.user_id == user.id)
            .order_by(func.lower(Organisation.name))
        )
    )


def organisations_user_can_speak_for(user) -> list[Organisation]:
    """The verified organisations this person is an active member of, by name.

    These are the organisations a person may post an idea or comment on behalf of (the
    ``organisation.act`` rule in ``policy.py`` says the same for one organisation).
    """
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_confirmed:
        return []
    return list(
        db.session.scalars(
            select(Organisation)
            .join(Membership, Membership.organisation_id == Organisation.id)
            .where(
                Membership.user_id == user.id,
                Membership.status == MembershipStatus.ACTIVE,
                Organisation.status == OrganisationStatus.VERIFIED,
            )
            .order_by(func.lower(Organisation.name))
        )
    )


def members(organisation: Organisation, status: MembershipStatus) -> list[Membership]:
    """The organisation's memberships in one status, oldest first."""
    return list(
        db.session.scalars(
            select(Membership)
            .where(Membership.organisation_id == organisation.id, Membership.status == status)
            .order_by(Membership.created_at, Membership.id)
        )
    )


def active_member_count(organisation: Organisation) -> int:
    """How many people are active members of the organisation."""
    return db.session.scalar(
        select(func.count()).where(
            Membership.organisation_id == organisation.id,
            Membership.status == MembershipStatus.ACTIVE,
        )
    )


@dataclass(frozen=True)
class Contributions:
    """What an organisation has said in public: its published ideas and comments."""

    ideas: list
    comments: list


def published_contributions(organisation: Organisation, limit: int = 100) -> Contributions:
    """Published ideas and comments posted on the organisation's behalf, newest first.

    Only what anyone may read: published items in consultations that are open or closed (not
    drafts); a comment only if the idea it belongs to is published too.
    """
    from ..ideas.models import Comment, Idea, Visibility

    public = Consultation.stage != Stage.DRAFT
    ideas = db.session.scalars(
        select(Idea)
        .join(Idea.consultation)
        .where(
            Idea.organisation_id == organisation.id,
            Idea.visibility == Visibility.PUBLISHED,
            public,
        )
        .order_by(Idea.created_at.desc(), Idea.id.desc())
        .limit(limit)
    )
    comments = db.session.scalars(
        select(Comment)
        .join(Comment.idea)
        .join(Idea.consultation)
        .where(
            Comment.organisation_id == organisation.id,
            Comment.visibility == Visibility.PUBLISHED,
            Idea.visibility == Visibility.PUBLISHED,
            public,
        )
        .order_by(Comment.created_at.desc(), Comment.id.desc())
        .limit(limit)
    )
    return Contributions(list(ideas), list(comments))


# --- registering and deciding ------------------------------------------------------------


# Addresses under /organisations/ that are pages, not organisations.
RESERVED_SLUGS = frozenset({"register"})


def slug_for(name: str) -> str:
    """A unique address for an organisation, made from its name ('Larder & Co' -> 'larder-co')."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    base = re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")[:120] or "organisation"
    slug, n = base, 1
    while slug in RESERVED_SLUGS or db.session.scalar(
        select(Organisation.id).where(Organisation.slug == slug)
    ):
        n += 1
        slug = f"{base}-{n}"
    return slug


def _link(endpoint: str, **values) -> str:
    return current_app.config["KIL_BASE_URL"] + url_for(endpoint, **values)


def _membership_state(membership: Membership) -> dict:
    return {"user_id": membership.user_id, "status": membership.status}


def register_organisation(
    requester: User,
    name: str,
    description: str,
    website: str = "",
    registration_number: str = "",
    neighbourhood_ids: list[int] | None = None,
) -> Organisation:
    """Ask for an organisation to be registered: it waits for staff checks (pending).

    The requester becomes its first active member, but no one can speak for it until a
    facilitator or admin verifies it. Raises ``OrganisationError`` if the name is taken.
    """
    name = name.strip()
    if name_taken(name):
        raise OrganisationError(
            f"An organisation called ‘{name}’ is already registered. If you belong to it, ask "
            "one of its members to invite you, or ask to join from its page."
        )
    places = []
    if neighbourhood_ids:
        places = list(
            db.session.scalars(select(Neighbourhood).where(Neighbourhood.id.in_(neighbourhood_ids)))
        )
    organisation = Organisation(
        name=name,
        slug=slug_for(name),
        description=description,
        website=website or "",
        registration_number=registration_number or "",
        status=OrganisationStatus.PENDING,
        requested_by=requester,
        neighbourhoods=places,
    )
    db.session.add(organisation)
    now = utcnow()
    db.session.add(
        Membership(
            organisation=organisation,
            user_id=requester.id,
            status=MembershipStatus.ACTIVE,
            joined_at=now,
        )
    )
    db.session.flush()
    record(
        requester,
        "organisation.register",
        organisation,
        after={
            "name": organisation.name,
            "status": organisation.status,
            "website": organisation.website,
            "registration_number": organisation.registration_number,
            "neighbourhoods": [p.name for p in places],
        },
    )
    return organisation


def _decide(organisation: Organisation, staff: User, status: OrganisationStatus, reason: str):
    if organisation.status is status:
        raise OrganisationError(f"{organisation.name} is already {status.label.lower()}.")
    before = {"status": organisation.status, "decision_reason": organisation.decision_reason}
    organisation.status = status
    organisation.decision_reason = reason
    organisation.decided_by_id = staff.id
    organisation.decided_at = utcnow()
    db.session.flush()
    record(
        staff,
        "organisation.verify" if status is OrganisationStatus.VERIFIED else "organisation.decline",
        organisation,
        before=before,
        after={"status": status, "decision_reason": reason},
        note=reason,
    )
    requester = organisation.requested_by
    if requester is not None:
        verified = status is OrganisationStatus.VERIFIED
        queue_email(
            requester.email,
            f"{organisation.name} has been {'verified' if verified else 'declined'}",
            "organisation_decision",
            user=requester,
            organisation=organisation,
            verified=verified,
            reason=reason,
            link=_link("organisations.show", slug=organisation.slug),
        )


def verify(organisation: Organisation, staff: User, note: str = "") -> None:
    """Verify an organisation (waiting or previously declined): its members may now speak for
    it and it appears in the public list. The person who registered it is emailed."""
    _decide(organisation, staff, OrganisationStatus.VERIFIED, note.strip())


def decline(organisation: Organisation, staff: User, reason: str) -> None:
    """Decline an organisation's registration (or withdraw a verification) with a reason that
    the person who registered it is emailed. Its members can no longer speak for it."""
    reason = reason.strip()
    if not reason:
        raise OrganisationError("Enter the reason for declining")
    _decide(organisation, staff, OrganisationStatus.DECLINED, reason)


# --- membership --------------------------------------------------------------------------


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
        link=_link("organisations.mine"),
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
            link=_link("organisations.members", slug=organisation.slug),
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
        link=_link("organisations.show", slug=organisation.slug),
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
