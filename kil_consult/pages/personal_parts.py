"""The signed-in person's own parts of the shared pages (``kil_consult.page_shells``).

Each filler gets every slot of its kind on a page and returns their HTML in order: their name,
their unread notifications and follows, their answers to the consultation's questions, whether
they asked for the update email, their votes (``ideas.cards.fill_vote_forms``). Before a shell
is filled, ``prefetch`` reads the person's follows, unread count, votes on the page's ideas and
update emails in one statement (each a round trip to the database otherwise), and the fillers
find them there. ``create_app`` registers them all with ``register``.
"""

from __future__ import annotations

from flask import get_template_attribute, request
from flask_login import current_user
from markupsafe import Markup, escape
from sqlalchemy import Integer, String, bindparam, func, literal, null, select, union_all

from .. import page_shells, policy
from ..analysis.models import UpdateSubscription
from ..cache import per_request
from ..consultations.models import Consultation
from ..extensions import db
from ..following.models import Follow, Notification
from ..following.services import follows_and_unread
from ..ideas.cards import fill_vote_forms, know_votes
from ..ideas.models import Idea, Vote, VoteValue
from ..ideas.page_parts import fill_vote_status
from ..ideas.tallies import know_tallies
from ..questions.prompt import QuestionPrompt, question_prompt
from ..statements.summaries import subscribed_to_updates

_UNREAD = Markup(
    ' <span class="app-unread-count">{}</span><span class="govuk-visually-hidden"> unread</span>'
)


def follows_and_unread_once() -> tuple[set[str], int]:
    """The person's follows and unread count, read together once a request."""
    here = request._get_current_object()  # per request (g may outlive one in tests)
    if not hasattr(here, "kil_follows_and_unread"):
        here.kil_follows_and_unread = follows_and_unread(current_user)
    return here.kil_follows_and_unread


def _person_on_the_page():
    """The statement ``prefetch`` runs: built once, as building a SQLAlchemy statement costs
    several times what running this one does (about 0.9 ms against 0.14 ms here).

    Each row is one fact, told by its first column: ``f`` a follow (its target), ``n`` the
    unread count, ``v`` a vote (idea id, value), ``s`` an update email asked for (consultation
    id); and the page's tallies, which are nobody's own but are read in the same round trip:
    ``t`` an idea's counts (id; agree, disagree, pass, comments) and ``p`` the people taking
    part in a consultation (id; the number).
    """
    person = bindparam("person")
    # one list of the page's ideas and one of its consultations serve every part (each
    # expanding list is worked into the SQL at every run)
    ideas = bindparam("ideas", expanding=True)
    consultations = bindparam("consultations", expanding=True)
    no_text, no_number = null().cast(String), null().cast(Integer)
    no_counts = (no_number, no_number, no_number, no_number)
    return union_all(
        select(literal("f"), Follow.target, no_number, no_text, *no_counts).where(
            Follow.user_id == person
        ),
        select(literal("n"), no_text, func.count(Notification.id), no_text, *no_counts).where(
            Notification.user_id == person, Notification.read_at.is_(None)
        ),
        select(literal("v"), no_text, Vote.idea_id, Vote.value.cast(String), *no_counts).where(
            Vote.user_id == person, Vote.idea_id.in_(ideas)
        ),
        select(
            literal("s"), no_text, UpdateSubscription.consultation_id, no_text, *no_counts
        ).where(
            UpdateSubscription.user_id == person,
            UpdateSubscription.consultation_id.in_(consultations),
        ),
        select(
            literal("t"),
            no_text,
            Idea.id,
            no_text,
            Idea.agree_count,
            Idea.disagree_count,
            Idea.pass_count,
            Idea.comment_count,
        ).where(Idea.id.in_(ideas)),
        select(
            literal("p"),
            no_text,
            Consultation.id,
            no_text,
            Consultation.participant_count,
            no_number,
            no_number,
            no_number,
        ).where(Consultation.id.in_(consultations)),
    )


_PERSON_ON_THE_PAGE = _person_on_the_page()


def prefetch(slots: list) -> None:
    """Read what the page's slots need about the person, and its tallies, in one statement
    (see above)."""
    if not slots or not getattr(current_user, "is_authenticated", False):
        return
    idea_ids = list(
        dict.fromkeys(args[0] for kind, args in slots if kind in ("vote", "vote_status", "tally"))
    )
    consultation_ids = list(
        dict.fromkeys(args[0] for kind, args in slots if kind in ("updates_form", "people"))
    )
    rows = db.session.execute(
        _PERSON_ON_THE_PAGE,
        {"person": current_user.id, "ideas": idea_ids, "consultations": consultation_ids},
    ).all()
    follows = {row[1] for row in rows if row[0] == "f"}
    unread = sum(int(row[2] or 0) for row in rows if row[0] == "n")
    request._get_current_object().kil_follows_and_unread = (follows, unread)
    know_votes(idea_ids, {row[2]: VoteValue(row[3]) for row in rows if row[0] == "v"})
    per_request()["updates_subscribed"] = {row[2] for row in rows if row[0] == "s"}
    know_tallies(
        {row[2]: tuple(row[4:8]) for row in rows if row[0] == "t"},
        {row[2]: row[4] for row in rows if row[0] == "p"},
    )


def prompt_for(consultation: Consultation) -> QuestionPrompt | None:
    """The consultation's questions waiting for the person (read once a request)."""
    memo = per_request().setdefault("question_prompts", {})
    if consultation.id not in memo:
        memo[consultation.id] = question_prompt(current_user, consultation)
    return memo[consultation.id]


def _display_name(slots: list[list]) -> list[str]:
    return [str(escape(current_user.display_name))] * len(slots)


def _unread(slots: list[list]) -> list[str]:
    unread = follows_and_unread_once()[1]
    return [str(_UNREAD.format(unread)) if unread else ""] * len(slots)


def _follow_forms(slots: list[list]) -> list[str]:
    following = follows_and_unread_once()[0]
    form = get_template_attribute("_macros.html", "follow_form")
    return [
        page_shells.reused(
            "follow",
            (key in following, key, follow_url, label, hint, next),
            form,
        )
        for key, follow_url, label, hint, next in slots
    ]


def _question_prompts(slots: list[list]) -> list[str]:
    box = get_template_attribute("questions/_prompt_box.html", "prompt_box")
    parts = []
    for consultation_id, after_only in slots:
        consultation = db.session.get(Consultation, consultation_id)
        prompt = prompt_for(consultation) if consultation is not None else None
        parts.append(str(box(consultation, prompt, after_only)) if prompt else "")
    return parts


def _update_forms(slots: list[list]) -> list[str]:
    subscribed = per_request().get("updates_subscribed")
    if subscribed is None:
        subscribed = subscribed_to_updates(current_user, [c_id for c_id, _slug in slots])
    form = get_template_attribute("statements/_updates_form.html", "updates_form")
    return [
        page_shells.reused("updates_form", (slug, c_id in subscribed), form) for c_id, slug in slots
    ]


def register() -> None:
    """Tell the page shells who shares a page and how to fill each person's parts."""
    page_shells.register_audience(policy.page_audience)
    page_shells.register_prefetch(prefetch)
    page_shells.register_part("display_name", _display_name)
    page_shells.register_part("unread", _unread)
    page_shells.register_part("follow", _follow_forms)
    page_shells.register_part("questions", _question_prompts)
    page_shells.register_part("updates_form", _update_forms)
    page_shells.register_part("vote", fill_vote_forms)
    page_shells.register_part("vote_status", fill_vote_status)
