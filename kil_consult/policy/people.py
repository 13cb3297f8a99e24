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


def page_audience(user) -> str | None:
    """Whom a page looks the same to, but for their own parts (``kil_consult.page_shells``).

    Every rule a resident meets on the shared pages reads only whether they are signed in and
    have confirmed their email address (and the page's own objects), so residents share a page
    by that; staff see tools that depend on which consultations they answer for, and never
    share one.
    """
    if not _signed_in(user) or user.role is not Role.RESIDENT:
        return None
    return "resident" if user.is_confirmed else "resident-unconfirmed"
