"""Saving, changing and deleting "About you" answers: a person's own, and the responses
facilitators enter from workshops and paper forms. Every function flushes; the caller commits.

The rules: every answer is optional and may be "prefer not to say"; an answer that is special
category data is kept only with explicit consent; a postcode is looked up and forgotten, and
only its ward (and deprivation decile) is kept.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import delete, select

from .. import audit
from ..extensions import db
from ..ideas.models import CommunityEvent, Idea, Source
from ..timeutil import utcnow
from .models import AboutYou, PostcodeWard
from .questions import PREFER_NOT, QUESTIONS, SPECIAL, question

if TYPE_CHECKING:
    from ..accounts.models import User

POSTCODE = re.compile(r"^[A-Z]{1,2}[0-9][A-Z0-9]?[0-9][A-Z]{2}$")


class AboutYouError(ValueError):
    """Answers that cannot be kept, with a message for the person (``field`` names the
    question or box it is about)."""

    def __init__(self, message: str, field: str = ""):
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class Saved:
    """What saving did: the answers kept and, where a postcode was given, whether the
    council's lookup placed it in a ward."""

    about_you: AboutYou
    postcode_placed: bool | None = None  # None: no postcode given


def normalise_postcode(text: str) -> str:
    """A postcode in capitals without spaces ("tn34 1ab" -> "TN341AB"); refuses anything that
    is not shaped like a UK postcode."""
    postcode = "".join((text or "").split()).upper()
    if not POSTCODE.match(postcode):
        raise AboutYouError("Enter a real postcode, like TN34 1AB", field="postcode")
    return postcode


def check_answers(answers: dict[str, str | None], consent: bool) -> dict[str, str | None]:
    """Each question's answer as a stored code (None for not answered), refusing an answer
    that is not one of the question's, and special category answers without consent
    ("prefer not to say" needs none: it says nothing about the person)."""
    kept: dict[str, str | None] = {}
    for q in QUESTIONS:
        value = (answers.get(q.name) or "").strip() or None
        if value is not None and value != PREFER_NOT and q.option(value) is None:
            raise AboutYouError(f"Choose one of the answers to “{q.text}”", field=q.name)
        kept[q.name] = value
    needs_consent = [n for n in SPECIAL if kept[n] not in (None, PREFER_NOT)]
    if needs_consent and not consent:
        raise AboutYouError(
            "Tick the box to agree that we may keep your answers about "
            + ", ".join(question(n).characteristic.lower() for n in needs_consent)
            + ", or leave those questions unanswered",
            field="consent",
        )
    return kept


def _place(about: AboutYou, postcode: str) -> bool:
    """Keep the ward (and decile) a postcode lies in, never the postcode; False when the
    council's lookup does not have it (the ward is then left as it was)."""
    found = db.session.get(PostcodeWard, normalise_postcode(postcode))
    if found is None:
        return False
    about.ward_code = found.ward_code
    about.deprivation_decile = found.deprivation_decile
    return True


def _fill(about: AboutYou, kept: dict[str, str | None], consent: bool) -> None:
    for name, value in kept.items():
        setattr(about, name, value)
    special = any(kept[n] not in (None, PREFER_NOT) for n in SPECIAL)
    about.consented_at = (about.consented_at or utcnow()) if (consent and special) else None
    about.updated_at = utcnow()


def about_you_of(user: User) -> AboutYou | None:
    """A person's own answers, if they have given any."""
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return db.session.scalar(select(AboutYou).where(AboutYou.user_id == user.id))


def save_about_you(
    user: User, answers: dict[str, str | None], consent: bool, postcode: str = ""
) -> Saved:
    """Keep (or change) a person's own answers. A blank postcode leaves the ward as it was;
    a new one replaces it."""
    kept = check_answers(answers, consent)
    postcode = (postcode or "").strip()
    if postcode:
        normalise_postcode(postcode)  # refuse a malformed one before anything changes
    about = about_you_of(user)
    if about is None:
        about = AboutYou(user_id=user.id, source=Source.ONLINE)
        db.session.add(about)
    _fill(about, kept, consent)
    placed = _place(about, postcode) if postcode else None
    db.session.flush()
    return Saved(about, placed)


def forget_ward(user: User) -> None:
    """Forget the ward (and decile) kept from a person's postcode."""
    about = about_you_of(user)
    if about is not None:
        about.ward_code = None
        about.deprivation_decile = None
        about.updated_at = utcnow()
        db.session.flush()


def delete_about_you(user: User) -> bool:
    """Delete every answer a person gave about themselves (True if there were any); also part
    of erasing an account."""
    gone = db.session.execute(delete(AboutYou).where(AboutYou.user_id == user.id)).rowcount
    db.session.flush()
    return bool(gone)


def record_response(
    event: CommunityEvent,
    facilitator: User,
    answers: dict[str, str | None],
    consent: bool,
    idea: Idea | None = None,
    postcode: str = "",
) -> AboutYou | None:
    """Enter the "About you" answers of a person who responded at a workshop, on paper or by
    phone (None, and nothing kept, when every question was left blank). ``consent`` is what
    the person agreed to on the form; ``idea``, the idea they gave, lends only its area (no link
    to it is kept). The audit log records that a response was entered, never the answers."""
    kept = check_answers(answers, consent)
    postcode = (postcode or "").strip()
    if postcode:
        normalise_postcode(postcode)
    if not any(kept.values()) and not postcode:
        return None
    about = AboutYou(
        event_id=event.id,
        neighbourhood_id=idea.neighbourhood_id if idea else None,  # its area, not the idea
        source=event.kind,
    )
    db.session.add(about)
    _fill(about, kept, consent)
    if postcode:
        _place(about, postcode)
    db.session.flush()
    audit.record(facilitator, "offline.enter_about_you", event, after={"event": event.id})
    return about


def export_about_you(user: User) -> dict | None:
    """A person's own answers for "download your data", in words."""
    about = about_you_of(user)
    if about is None:
        return None
    return {
        "answers": {q.text: q.label_of(getattr(about, q.name)) for q in QUESTIONS},
        "ward_code": about.ward_code,
        "deprivation_decile": about.deprivation_decile,
        "consent_to_special_category_data_given_at": (
            about.consented_at.isoformat() if about.consented_at else None
        ),
        "updated_at": about.updated_at.isoformat(),
    }
