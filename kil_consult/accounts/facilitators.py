"""Facilitators assigned to consultations: an admin assigns and removes them; the policy
(``policy/facilitation_rules.py``) reads the assignments, and staff pages default to a
facilitator's own consultations.

Every function flushes and leaves the commit to the caller.
"""

from __future__ import annotations

from sqlalchemy import delete, select

from .. import audit
from ..consultations.models import Consultation
from ..extensions import db
from .models import FacilitatorAssignment, Role, User


class AssignmentError(ValueError):
    """An assignment that cannot be made, with a message for the admin."""


def assigned_ids(consultation_id: int) -> frozenset[int]:
    """The ids of the facilitators assigned to a consultation."""
    return FacilitatorAssignment.user_ids_for(consultation_id)


def consultation_ids_of(user) -> list[int]:
    """The consultations a person is assigned to facilitate (none for most people)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return []
    return list(
        db.session.scalars(
            select(FacilitatorAssignment.consultation_id)
            .where(FacilitatorAssignment.user_id == user.id)
            .order_by(FacilitatorAssignment.consultation_id)
        )
    )


def facilitators_of(consultation: Consultation) -> list:
    """The people assigned to a consultation, by name."""
    return list(
        db.session.scalars(
            select(User)
            .join(FacilitatorAssignment, FacilitatorAssignment.user_id == User.id)
            .where(FacilitatorAssignment.consultation_id == consultation.id)
            .order_by(User.display_name)
        )
    )


def assign(consultation: Consultation, person, admin) -> FacilitatorAssignment:
    """Make a facilitator (or admin) responsible for a consultation; audited. A resident
    must first be made a facilitator."""
    if person.role not in (Role.FACILITATOR, Role.ADMIN):
        raise AssignmentError(
            f"{person.display_name} is a resident. Make them a facilitator first."
        )
    if person.id in assigned_ids(consultation.id):
        raise AssignmentError(f"{person.display_name} is already assigned to this consultation.")
    assignment = FacilitatorAssignment(
        consultation_id=consultation.id, user_id=person.id, assigned_by_id=admin.id
    )
    db.session.add(assignment)
    db.session.flush()
    FacilitatorAssignment.forget()
    audit.record(
        admin,
        "consultation.assign_facilitator",
        consultation,
        after={"facilitator": person.display_name},
    )
    return assignment


def unassign(consultation: Consultation, person, admin) -> None:
    """Stop a person being responsible for a consultation; audited."""
    removed = db.session.execute(
        delete(FacilitatorAssignment).where(
            FacilitatorAssignment.consultation_id == consultation.id,
            FacilitatorAssignment.user_id == person.id,
        )
    ).rowcount
    if not removed:
        raise AssignmentError(f"{person.display_name} is not assigned to this consultation.")
    FacilitatorAssignment.forget()
    audit.record(
        admin,
        "consultation.unassign_facilitator",
        consultation,
        before={"facilitator": person.display_name},
    )
