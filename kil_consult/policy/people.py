"""Who someone is, for the rules: signed in, staff, an admin, or a confirmed participant."""

from __future__ import annotations

from ..accounts.models import Role


def _signed_in(user) -> bool:
    return bool(user is not None and getattr(user, "is_authenticated", False))


def is_staff(user) -> bool:
    """Facilitators and admins are council or partner staff."""
    return _signed_in(user) and user.role in (Role.FACILITATOR, Role.ADMIN)


def is_admin(user) -> bool:
    """Admins are the council officers who run the process."""
    return _signed_in(user) and user.role is Role.ADMIN


def is_participant(user) -> bool:
    """A signed-in person who has confirmed their email address may take part."""
    return _signed_in(user) and user.is_confirmed
