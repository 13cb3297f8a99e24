"""Idea cards in lists, rendered once per idea content and kept in the shared cache.

A card (title, byline, text, moderation note) is the same for everyone, so it is rendered from
the ``idea_card`` macro once for each *content* of the idea and kept under a key made from what
the card shows (its text, visibility, its times) and the global version (people's public names,
places, organisations). The card holds no counts: a vote changes them many times a second, so
they go into each card's tally slot as the page is made (``ideas.tallies``), and a vote leaves
every card as it was. The person's own part of a card, the vote form with their vote and CSRF
token, is never stored either: it goes into each card's vote slot per request, from the string
template below (20 cards' forms in well under a millisecond, where the macro's loop took
several).
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Sequence

from flask import get_template_attribute, url_for
from flask_login import current_user
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup, escape
from sqlalchemy import select

from .. import page_shells, policy
from ..cache import GLOBAL, content_cache, per_request
from ..extensions import db
from ..page_shells import CSRF_MARK
from .models import Idea, Vote, VoteValue
from .tallies import tally

log = logging.getLogger("kil_consult.ideas.cards")

VOTE_SLOT = "\x00kil-vote-form\x00"
TALLY_SLOT = "\x00kil-tally\x00"
_KNOWN_VOTES = "my_votes"
CARD_SECONDS = 3600
_CHOICES = (("agree", "Agree"), ("disagree", "Disagree"), ("pass", "Pass"))
# Plain string templates filled with escaped values: ``Markup.format`` escapes through a
# formatter per call, which cost about a fifth of a signed-in list page for 20 cards' forms.
# Every value put in below is either a constant of this module or passed through ``escape``.
_BUTTON = (
    '<button type="submit" name="value" value="{value}"\n'
    '          class="govuk-button govuk-button--secondary app-vote__button{selected_class}"\n'
    '          aria-pressed="{pressed}" data-module="govuk-button"'
    ' data-prevent-double-click="true">\n'
    '          {label}<span class="govuk-visually-hidden"> with {title}</span>{yours}\n'
    "        </button>\n"
)
_YOURS = ' <span class="app-vote__yours">(your vote)</span>'
_NEXT = '<input type="hidden" name="next" value="{}">'
_FORM = (
    '<form method="post" action="{action}" class="app-vote" data-module="app-vote" novalidate>\n'
    '<input type="hidden" name="csrf_token" value="{csrf}">\n'
    "{hidden_next}\n{buttons}"
    '<p class="govuk-body-s app-vote__status" role="status" aria-live="polite">'
    "{status}</p>\n</form>\n"
)


def vote_form(idea: Idea, my_vote: VoteValue | None, next: str | None = None) -> Markup:
    """The vote buttons of an idea for the person asking (their vote marked), or the line
    saying how they voted where they may no longer vote; empty for visitors who cannot vote.

    The person's vote is their own part of a shared page: in a page shell
    (``kil_consult.page_shells``) it is a slot, filled per request by ``fill_vote_forms``.
    """
    may_vote = policy.can("idea.vote", idea)
    action = url_for("ideas.vote", idea_id=idea.id)
    if page_shells.recording():
        return page_shells.personal("vote", idea.id, may_vote, idea.title, next, action)
    # a visitor's page gets no token: making one would start a session and keep the page
    # out of the visitors' cache
    return _vote_form(
        may_vote, idea.title, my_vote, next, action, generate_csrf() if may_vote else ""
    )


def fill_vote_forms(slots: list[list]) -> list[str]:
    """The vote forms of a page's slots ``[idea id, may vote, title, next, action]``, with the
    person's votes on those ideas read in one statement (or already known); each form is
    made once in a worker for each way of voting (``page_shells.reused``), its CSRF token
    put in by the filling."""
    mine = votes_on([idea_id for idea_id, *_ in slots])
    return [
        page_shells.reused(
            "vote", (may_vote, title, mine.get(idea_id), next, action, CSRF_MARK), _vote_form
        )
        for idea_id, may_vote, title, next, action in slots
    ]


def votes_on(idea_ids: list[int]) -> dict[int, VoteValue]:
    """The signed-in person's votes on these ideas (none for visitors), read once a request:
    those already known (``know_votes``) are not read again."""
    if not idea_ids or not getattr(current_user, "is_authenticated", False):
        return {}
    known = per_request().setdefault(_KNOWN_VOTES, {})
    missing = [idea_id for idea_id in idea_ids if idea_id not in known]
    if missing:
        rows = db.session.execute(
            select(Vote.idea_id, Vote.value).where(
                Vote.user_id == current_user.id, Vote.idea_id.in_(missing)
            )
        )
        know_votes(missing, dict(rows.tuples().all()))
    return {idea_id: known[idea_id] for idea_id in idea_ids if known[idea_id] is not None}


def know_votes(idea_ids: list[int], votes: dict[int, VoteValue]) -> None:
    """The person's votes on these ideas, read elsewhere in this request (none where absent)."""
    known = per_request().setdefault(_KNOWN_VOTES, {})
    for idea_id in idea_ids:
        known[idea_id] = votes.get(idea_id)


def _vote_form(
    may_vote: bool,
    title: str,
    my_vote: VoteValue | None,
    next: str | None,
    action: str,
    csrf: str,
) -> Markup:
    if not may_vote:
        if my_vote is not None:
            return Markup('<p class="govuk-body-s">You voted {}.</p>').format(my_vote.label.lower())
        return Markup("")
    chosen = my_vote.value if my_vote is not None else None
    title = escape(title)
    buttons = "".join(
        _BUTTON.format(
            value=value,
            label=label,
            title=title,
            selected_class=" app-vote__button--selected" if value == chosen else "",
            pressed="true" if value == chosen else "false",
            yours=_YOURS if value == chosen else "",
        )
        for value, label in _CHOICES
    )
    form = _FORM.format(
        action=escape(action),
        csrf=escape(csrf),
        hidden_next=_NEXT.format(escape(next)) if next else "",
        buttons=buttons,
        status=escape(f"You voted {my_vote.label.lower()}.") if my_vote is not None else "",
    )
    # Built only from this module's constants and escaped values (above).
    return Markup(form)  # nosec B704


def _content_key(idea: Idea, global_version: int) -> str:
    """The card's cache key: changes whenever anything the card shows changes."""
    merged_title = idea.merged_into.title if idea.merged_into_id and idea.is_merged else ""
    shown = (
        idea.title,
        idea.body,
        idea.visibility.value,
        idea.moderation_reason,
        idea.author_id,
        idea.organisation_id,
        idea.neighbourhood_id,
        idea.event_id,
        idea.source.value,
        idea.contributor_name,
        idea.created_at.isoformat(),
        idea.edited_at.isoformat() if idea.edited_at else "",
        idea.withdrawn_at.isoformat() if idea.withdrawn_at else "",
        merged_title,
    )
    digest = hashlib.blake2b(repr(shown).encode(), digest_size=12).hexdigest()
    return f"kil:card:{idea.id}:{global_version}:{digest}"


def _render_card(idea: Idea) -> str:
    macro = get_template_attribute("_macros.html", "idea_card")
    return str(macro(idea, None, vote_slot=VOTE_SLOT, tally_slot=TALLY_SLOT))


def idea_cards(ideas: Sequence[Idea], my_votes: dict, next: str | None = None) -> Markup:
    """The ``<li>`` cards of a list of ideas: shared parts from the cache (rendered and stored
    when missing), each person's vote form filled in."""
    cache = content_cache()
    found: list = [None] * len(ideas)
    keys: list[str | None] = [None] * len(ideas)
    if cache is not None and ideas:
        try:
            version = cache.versions([GLOBAL])[GLOBAL]
            keys = [_content_key(idea, version) for idea in ideas]
            found = cache.store.get_many(keys)
        except Exception:  # noqa: BLE001 - store down: render every card
            log.exception("Card cache unavailable")
            keys = [None] * len(ideas)
    parts = []
    for idea, key, raw in zip(ideas, keys, found, strict=True):
        if raw is not None:
            card = bytes(raw).decode()
        else:
            card = _render_card(idea)
            if key is not None:
                try:
                    cache.store.set(key, card.encode(), CARD_SECONDS)
                except Exception:  # noqa: BLE001
                    log.exception("Could not store a card")
        parts.append(
            card.replace(TALLY_SLOT, tally(idea)).replace(
                VOTE_SLOT, vote_form(idea, my_votes.get(idea.id), next)
            )
        )
    # Every part is HTML this module rendered: cards from the autoescaped ``idea_card`` macro
    # (stored as rendered), counts from the ``counts`` macro and vote forms from the string
    # templates above, each value passed through ``escape``.
    return Markup("".join(parts))  # nosec B704
