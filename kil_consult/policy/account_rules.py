"""What a person may do with their own account: its password, details, data, activity and
erasure (part of the RULES table in rules.py)."""

from __future__ import annotations

from ..accounts.models import Role
from .people import _signed_in


def _own_account(user, account) -> bool:
    return _signed_in(user) and (account is None or getattr(account, "id", None) == user.id)


def may_change_own_password(user, account=None) -> bool:
    """A signed-in person may change their own password (no one else's)."""
    return _own_account(user, account)


def may_download_own_data(user, account=None) -> bool:
    """A signed-in person may download all the data held about them (no one else's)."""
    return _own_account(user, account)


def may_change_own_details(user, account=None) -> bool:
    """A signed-in person may change their own display name and neighbourhood."""
    return _own_account(user, account)


def may_change_own_email(user, account=None) -> bool:
    """A signed-in person may move their own account to a new email address (confirmed from
    the new address)."""
    return _own_account(user, account)


def may_view_own_activity(user, account=None) -> bool:
    """A signed-in person may see everything they have shared and voted on (no one else's)."""
    return _own_account(user, account)


def may_erase_own_account(user, account=None) -> bool:
    """A signed-in resident may erase their own account; staff accounts are council records,
    so an admin first makes the person a resident."""
    return _own_account(user, account) and user.role is Role.RESIDENT
