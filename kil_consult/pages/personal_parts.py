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
from sqlalchemy import Integer, String, func, literal, null, select, union_all

from .. import page_shells, policy
from ..analysis.models import UpdateSubscription
from ..cache import per_request
from ..consultations.models import Consultation
from ..extensions import db
from ..following.models import Follow, Notification
from ..following.services import follows_and_unread
from ..ideas.cards import fill_vote_forms, know_votes
from ..ideas.models import Vote, VoteValue
from ..ideas.page_parts import fill_vote_status
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


def prefetch(slots: list) -> None:
    """Read what the page's slots need about the person in one statement (see above)."""
    if not getattr(current_user, "is_authenticated", False):
        return
    kinds = {kind for kind, _args in slots}
    idea_ids = [args[0] for kind, args in slots if kind in ("vote", "vote_status")]
    consultation_ids = [args[0] for kind, args in slots if kind == "updates_form"]
    user_id = current_user.id
    parts = []
    if kinds & {"unread", "follow"}:
        parts.append(
            select(literal("f"), Follow.target, null().cast(Integer), null().cast(String)).where(
                Follow.user_id == user_id
            )
        )
        parts.append(
            select(
                literal("n"), null().cast(String), func.count(Notification.id), null().cast(String)
            ).where(Notification.user_id == user_id, Notification.read_at.is_(None))
        )
    if idea_ids:
        parts.append(
            select(literal("v"), null().cast(String), Vote.idea_id, Vote.value.cast(String)).where(
                Vote.user_id == user_id, Vote.idea_id.in_(idea_ids)
            )
        )
    if consultation_ids:
        parts.append(
            select(
                literal("s"),
                null().cast(String),
                UpdateSubscription.consultation_id,
                null().cast(String),
            ).where(
                UpdateSubscription.user_id == user_id,
                UpdateSubscription.consultation_id.in_(consultation_ids),
            )
        )
    if len(parts) < 2:
        return  # one kind: its filler's own statement is as good
    rows = db.session.execute(union_all(*parts)).all()
    if kinds & {"unread", "follow"}:
        follows = {key for kind, key, _n, _v in rows if kind == "f"}
        unread = sum(int(n or 0) for kind, _key, n, _v in rows if kind == "n")
        request._get_current_object().kil_follows_and_unread = (follows, unread)
    if idea_ids:
        know_votes(idea_ids, {n: VoteValue(v) for kind, _key, n, v in rows if kind == "v"})
    if consultation_ids:
        per_request()["updates_subscribed"] = {n for kind, _key, n, _v in rows if kind == "s"}


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
        str(form(key in following, key, follow_url, label, hint, next))
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
    return [str(form(slug, c_id in subscribed)) for c_id, slug in slots]


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
