"""The figures a vote changes, as the pages show them: an idea's agree, disagree, pass (and
comment) counts, and the people taking part in a consultation.

While votes flow in these change many times a second, and nothing else on a consultation's list
of ideas or on an idea's page does. So a signed-in page's shell (``kil_consult.page_shells``)
may leave them as slots, filled per request from the rows as they are (one statement for all
the ideas on the page), and then depend only on the content of the ideas and consultation, not
on their tallies (``cache.tally_scope``): a vote leaves every shell as it was. Everywhere else,
visitors' cached pages and pages rendered afresh, they are put in as they are.

Cards and tallies are rendered once per worker for each set of figures
(``page_shells.reused``), from the ``counts`` macro, the one place their HTML is written.
"""

from __future__ import annotations

from flask import get_template_attribute
from markupsafe import Markup
from sqlalchemy import bindparam, select

from .. import page_shells
from ..cache import per_request, tallies_in_slots
from ..consultations.models import Consultation
from ..extensions import db
from .models import Idea

_IDEAS_TALLIES = select(
    Idea.id, Idea.agree_count, Idea.disagree_count, Idea.pass_count, Idea.comment_count
).where(Idea.id.in_(bindparam("ideas", expanding=True)))
_KNOWN_TALLIES, _KNOWN_PEOPLE = "known_tallies", "known_people"
_PEOPLE = select(Consultation.id, Consultation.participant_count).where(
    Consultation.id.in_(bindparam("consultations", expanding=True))
)


def _counts_html(agree: int, disagree: int, passed: int, comments: int) -> str:
    return page_shells.reused("tally", (agree, disagree, passed, comments), _render_counts)


def _render_counts(*figures: int) -> str:
    return get_template_attribute("_macros.html", "counts")(*figures)


def tally(idea: Idea) -> Markup:
    """An idea's counts (template global): a slot in a shell that fills its tallies."""
    if tallies_in_slots():
        return page_shells.personal("tally", idea.id)
    # rendered by the autoescaped ``counts`` macro from four numbers
    return Markup(  # nosec B704
        _counts_html(idea.agree_count, idea.disagree_count, idea.pass_count, idea.comment_count)
    )


def people_taking_part(consultation: Consultation, number: int) -> Markup:
    """ "12 people" taking part in a consultation (template global): a slot in a shell that
    fills its tallies."""
    if tallies_in_slots():
        return page_shells.personal("people", consultation.id)
    return Markup(_people(number))  # nosec B704 - a number and a fixed word


def _people(number: int) -> str:
    return f"{int(number)} {'person' if number == 1 else 'people'}"


def know_tallies(ideas: dict[int, tuple], people: dict[int, int]) -> None:
    """Tallies read elsewhere in this request (the shell's prefetch, with the person's own
    parts): ideas' ``(agree, disagree, pass, comments)`` and consultations' people."""
    memo = per_request()
    memo.setdefault(_KNOWN_TALLIES, {}).update(ideas)
    memo.setdefault(_KNOWN_PEOPLE, {}).update(people)


def fill_tallies(slots: list[list]) -> list[str]:
    """Slots ``[idea id]``: each idea's counts as stored now (read with the page's other
    slots, or in one statement here)."""
    ids = [idea_id for (idea_id,) in slots]
    known = per_request().setdefault(_KNOWN_TALLIES, {})
    missing = [idea_id for idea_id in ids if idea_id not in known]
    if missing:
        for row in db.session.execute(_IDEAS_TALLIES, {"ideas": missing}):
            known[row[0]] = tuple(row[1:])
    return [_counts_html(*known.get(idea_id, (0, 0, 0, 0))) for idea_id in ids]


def fill_people(slots: list[list]) -> list[str]:
    """Slots ``[consultation id]``: the people taking part in each, as counted now."""
    ids = [consultation_id for (consultation_id,) in slots]
    known = per_request().setdefault(_KNOWN_PEOPLE, {})
    missing = [consultation_id for consultation_id in ids if consultation_id not in known]
    if missing:
        known.update(db.session.execute(_PEOPLE, {"consultations": missing}).tuples().all())
    return [_people(known.get(consultation_id) or 0) for consultation_id in ids]


def register() -> None:
    """Tell the page shells how to fill the tallies' slots."""
    page_shells.register_part("tally", fill_tallies)
    page_shells.register_part("people", fill_people)
