"""Account workflows: sign up, confirm, sign in, reset a password, change a role.

Every function flushes and leaves the commit to the caller (one commit per request).
"""

from __future__ import annotations

from functools import cache

from sqlalchemy import bindparam, func, select
from sqlalchemy.orm import lazyload
from sqlalchemy.orm.util import identity_key

from ..extensions import db
from ..notifications.services import queue_email
from ..timeutil import utcnow
from ..urls import external_url
from . import passwords, tokens
from .models import Role, User


class AccountError(ValueError):
    """A request about an account that cannot be done, with a message for the person."""


class AlreadyConfirmed(AccountError):
    """A confirmation link followed again: the address was confirmed the first time."""


def normalise_email(email: str) -> str:
    """Email addresses are compared without surrounding spaces and case."""
    return email.strip().lower()


def find_by_email(email: str) -> User | None:
    """The account with this email address, if there is one."""
    return db.session.scalar(select(User).where(User.email == normalise_email(email)))


def send_confirmation(user: User) -> None:
    """Email a link that confirms the address (valid for three days by default)."""
    queue_email(
        user.email,
        "Confirm your email address",
        "confirm_email",
        user=user,
        link=external_url("accounts.confirm_email", token=tokens.make_confirm_token(user)),
    )


def register(
    email: str, display_name: str, password: str, neighbourhood_id: int | None = None
) -> User | None:
    """Create an unconfirmed account and email a confirmation link.

    If the address already has an account, nothing is created and its owner is emailed
    instead, so the page a person sees never reveals whether an address is registered.
    Returns the new user, or None when the address was already known.
    """
    email = normalise_email(email)
    existing = find_by_email(email)
    password_hash = passwords.hash_password(password)  # same work whether or not it is used
    if existing is not None:
        queue_email(
            existing.email,
            "Someone tried to create an account with your email address",
            "already_registered",
            user=existing,
            sign_in_link=external_url("accounts.sign_in"),
            reset_link=external_url("accounts.forgot_password"),
        )
        return None
    user = User(
        email=email,
        display_name=display_name.strip(),
        password_hash=password_hash,
        neighbourhood_id=neighbourhood_id,
        role=Role.RESIDENT,
    )
    db.session.add(user)
    db.session.flush()
    send_confirmation(user)
    return user


def confirm_email(token: str) -> User:
    """Mark the address in a confirmation link as confirmed; raise ``TokenError`` if bad.

    A link works once: followed again it raises ``AlreadyConfirmed`` and changes nothing."""
    user = tokens.read_confirm_token(token, lambda uid: db.session.get(User, uid))
    if user.email_confirmed_at is not None:
        raise AlreadyConfirmed("This email address is already confirmed.")
    user.email_confirmed_at = utcnow()
    return user


def resend_confirmation(email: str) -> None:
    """Send a fresh confirmation link if this address has an unconfirmed account.

    Answers the same way for any address, so it reveals nothing about who is registered.
    """
    user = find_by_email(email)
    if user is not None and not user.is_confirmed:
        send_confirmation(user)


def authenticate(email: str, password: str) -> User | None:
    """The account these credentials belong to, or None. Takes the same time either way."""
    user = find_by_email(email)
    if not passwords.verify_password(user.password_hash if user else None, password):
        return None
    if passwords.needs_rehash(user.password_hash):
        user.password_hash = passwords.hash_password(password)
    user.last_signed_in_at = utcnow()
    return user


def request_password_reset(email: str) -> None:
    """Email a reset link to a known address, or a 'no account here' note to an unknown one."""
    user = find_by_email(email)
    if user is None:
        queue_email(
            normalise_email(email),
            "Reset your password",
            "reset_unknown",
            sign_up_link=external_url("accounts.sign_up"),
        )
        return
    queue_email(
        user.email,
        "Reset your password",
        "reset_password",
        user=user,
        link=external_url("accounts.reset_password", token=tokens.make_reset_token(user)),
    )


def user_for_reset_token(token: str) -> User:
    """The account a reset link is for; raises ``TokenError`` if expired, used or broken."""
    return tokens.read_reset_token(token, lambda uid: db.session.get(User, uid))


def change_password(user: User, current_password: str, new_password: str) -> None:
    """Change a signed-in person's password after checking their current one; every other
    session of theirs ends (the caller signs this one in again)."""
    if not passwords.verify_password(user.password_hash, current_password):
        raise AccountError("Your current password is not right")
    set_password(user, new_password)


def change_details(user: User, display_name: str, neighbourhood_id: int | None) -> bool:
    """Change the name shown with the person's ideas and comments (everywhere, at once: pages
    read it from the account) and their neighbourhood. True if anything changed."""
    display_name = display_name.strip()
    if not display_name:
        raise AccountError("Enter a name to show with your ideas and comments.")
    changed = (user.display_name, user.neighbourhood_id) != (display_name, neighbourhood_id)
    user.display_name = display_name
    user.neighbourhood_id = neighbourhood_id
    db.session.flush()
    return changed


def request_email_change(user: User, new_email: str, password: str) -> None:
    """Ask to move a person's account to a new address: after checking their password, a
    confirmation link goes to the new address (the account keeps its address until the link
    is opened). If the new address already has an account, its owner is told instead, and the
    page the person sees is the same, so it reveals nothing about who is registered."""
    if not passwords.verify_password(user.password_hash, password):
        raise AccountError("Your password is not right")
    new_email = normalise_email(new_email)
    if new_email == user.email:
        raise AccountError("That is already your email address. Enter a different one.")
    if find_by_email(new_email) is not None:
        queue_email(
            new_email,
            "Someone tried to use your email address for another account",
            "change_email_taken",
            sign_in_link=external_url("accounts.sign_in"),
        )
        return
    queue_email(
        new_email,
        "Confirm your new email address",
        "change_email",
        user=user,
        link=external_url(
            "accounts.confirm_email_change",
            token=tokens.make_change_email_token(user, new_email),
        ),
    )


def confirm_email_change(token: str) -> User:
    """Move the account to the address a change-of-email link was sent to, and tell the old
    address. Raises ``TokenError`` for a bad, expired or used link, ``AccountError`` if the
    address was taken by another account meanwhile."""
    user, new_email = tokens.read_change_email_token(token, lambda uid: db.session.get(User, uid))
    if find_by_email(new_email) is not None:
        raise AccountError("That email address now belongs to another account.")
    old_email = user.email
    user.email = new_email
    user.email_confirmed_at = utcnow()  # the link proves they read the new address
    queue_email(
        old_email,
        "The email address of your account has been changed",
        "email_changed",
        user=user,
        new_email=new_email,
        reset_link=external_url("accounts.forgot_password"),
    )
    db.session.flush()
    return user


@cache
def _signed_in_person():
    # built once (at the first request, once every model is known): every signed-in request
    # reads its person first, and ``session.get`` builds its statement each time (about
    # 170 against 70 microseconds); the neighbourhood, joined to every other load of a person,
    # is read only by the page or two that show it
    return (
        select(User).options(lazyload(User.neighbourhood)).where(User.id == bindparam("the_person"))
    )


def person_for_session(session_id: str) -> User | None:
    """The person a session belongs to (Flask-Login's ``user_loader``): its id is
    ``<user id>:<session generation>``, so a session ended by ``end_sessions`` finds no one."""
    user_id, _, generation = session_id.partition(":")
    if not user_id.isdigit() or not generation.isdigit():
        return None
    user = db.session.identity_map.get(identity_key(User, int(user_id)))  # as session.get
    if user is None:
        user = db.session.scalar(_signed_in_person(), {"the_person": int(user_id)})
    if user is None or user.session_generation != int(generation):
        return None
    return user


def end_sessions(user: User) -> None:
    """End every session this person has open, on every device."""
    user.session_generation += 1


def set_password(user: User, password: str) -> None:
    """Change the password and end every other session (and any reset links) for this user.

    Following a reset link also proves the person controls the address, so it confirms it.
    """
    user.password_hash = passwords.hash_password(password)
    user.session_generation += 1
    if user.email_confirmed_at is None:
        user.email_confirmed_at = utcnow()


def set_role(user: User, role: Role, acting: User) -> None:
    """Give a person a role. An admin cannot remove their own admin role (no lock-out)."""
    if user.id == acting.id and role is not Role.ADMIN:
        raise AccountError("You cannot remove your own admin role. Ask another admin.")
    if user.role is Role.ADMIN and role is not Role.ADMIN:
        admins = db.session.scalar(select(func.count()).where(User.role == Role.ADMIN))
        if admins <= 1:
            raise AccountError("There must always be at least one admin.")
    if user.role is not role:
        from ..audit import record

        record(acting, "user.change_role", user, before={"role": user.role}, after={"role": role})
    user.role = role


def create_admin(email: str, display_name: str, password: str) -> User:
    """Create a confirmed admin account, or make an existing account an admin."""
    user = find_by_email(email)
    if user is None:
        user = User(
            email=normalise_email(email),
            display_name=display_name,
            password_hash=passwords.hash_password(password),
        )
        db.session.add(user)
    user.role = Role.ADMIN
    if user.email_confirmed_at is None:
        user.email_confirmed_at = utcnow()
    db.session.flush()
    return user
