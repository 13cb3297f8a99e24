"""Organisation workflows: find, register, verify or decline (membership is ``membership.py``).

Every function flushes and leaves the commit to the caller (one commit per request). Each
change to an organisation or to who belongs to it is written to the audit log, against the
organisation (``item_type="organisation"``), with the membership's before and after.
"""

from __future__ import annotations

import re
import unicodedata

from sqlalchemy import func, select

from ..accounts.models import User
from ..audit import record
from ..consultations.models import Neighbourhood
from ..extensions import db
from ..notifications.services import queue_email
from ..timeutil import utcnow
from ..urls import external_url
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


def waiting_count() -> int:
    """How many organisations wait to be verified or declined."""
    return (
        db.session.scalar(
            select(func.count())
            .select_from(Organisation)
            .where(Organisation.status == OrganisationStatus.PENDING)
        )
        or 0
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
            link=external_url("pages.organisation", slug=organisation.slug),
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


def speaking_for(organisation_id: int | None) -> Organisation | None:
    """The organisation a person chose to speak for in a form ("Share as", "Say this as"),
    refused (403) unless the policy lets them act for it; None when they speak for
    themselves."""
    from .. import policy

    if not organisation_id:
        return None
    organisation = db.session.get(Organisation, organisation_id)
    policy.check("organisation.act", organisation)
    return organisation
