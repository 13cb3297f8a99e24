"""Every rule in policy.py, for every role and every stage, without HTTP."""

from __future__ import annotations

from datetime import timedelta

import pytest
from flask_login import AnonymousUserMixin

from kil_consult import policy
from kil_consult.accounts.models import Role
from kil_consult.consultations.models import Stage
from kil_consult.ideas.models import Visibility
from kil_consult.timeutil import utcnow

from .factories import make_comment, make_consultation, make_idea, make_user

ROLES = ["visitor", "unconfirmed", "resident", "facilitator", "admin"]


def person(role: str):
    if role == "visitor":
        return AnonymousUserMixin()
    if role == "unconfirmed":
        return make_user(Role.RESIDENT, confirmed=False)
    return make_user(Role(role))


# Expected answers: action -> stage -> set of roles allowed.
EVERYONE = set(ROLES)
STAFF = {"facilitator", "admin"}
PARTICIPANTS = {"resident", "facilitator", "admin"}
TABLE = {
    "consultation.view": {Stage.DRAFT: STAFF, Stage.OPEN: EVERYONE, Stage.CLOSED: EVERYONE},
    "consultation.manage": {s: {"admin"} for s in Stage},
    "idea.create": {Stage.DRAFT: set(), Stage.OPEN: PARTICIPANTS, Stage.CLOSED: set()},
    "idea.view": {Stage.DRAFT: STAFF, Stage.OPEN: EVERYONE, Stage.CLOSED: EVERYONE},
    "idea.vote": {Stage.DRAFT: set(), Stage.OPEN: PARTICIPANTS, Stage.CLOSED: set()},
    "idea.comment": {Stage.DRAFT: set(), Stage.OPEN: PARTICIPANTS, Stage.CLOSED: set()},
    "comment.reply": {Stage.DRAFT: set(), Stage.OPEN: PARTICIPANTS, Stage.CLOSED: set()},
    "users.manage": {s: {"admin"} for s in Stage},
    "staff.area": {s: STAFF for s in Stage},
}


def test_table_covers_every_rule():
    assert set(TABLE) == set(policy.RULES)


@pytest.mark.parametrize("stage", list(Stage))
@pytest.mark.parametrize("action", sorted(TABLE))
def test_action_role_stage_table(db, action, stage):
    consultation = make_consultation(stage=stage)
    idea = make_idea(consultation)
    comment = make_comment(idea)
    target = {
        "consultation.view": consultation,
        "consultation.manage": consultation,
        "idea.create": consultation,
        "idea.view": idea,
        "idea.vote": idea,
        "idea.comment": idea,
        "comment.reply": comment,
        "users.manage": None,
        "staff.area": None,
    }[action]
    for role in ROLES:
        expected = role in TABLE[action][stage]
        assert policy.allowed(action, person(role), target) is expected, (action, stage, role)


def test_open_consultation_past_its_closing_time_takes_nothing(db):
    consultation = make_consultation(stage=Stage.OPEN, closes_at=utcnow() - timedelta(seconds=1))
    idea = make_idea(consultation)
    resident = make_user()
    assert consultation.current_stage() is Stage.CLOSED
    assert not policy.allowed("idea.create", resident, consultation)
    assert not policy.allowed("idea.vote", resident, idea)
    assert not policy.allowed("idea.comment", resident, idea)
    assert policy.allowed("idea.view", AnonymousUserMixin(), idea)


def test_scheduled_consultation_takes_nothing_before_it_opens(db):
    consultation = make_consultation(stage=Stage.OPEN, opens_at=utcnow() + timedelta(days=1))
    resident = make_user()
    assert not policy.allowed("idea.create", resident, consultation)
    assert "not opened yet" in policy.refusal_message("idea.create", resident, consultation)


def test_hidden_idea_is_seen_only_by_its_author_and_staff(db):
    author = make_user()
    idea = make_idea(author=author, visibility=Visibility.HIDDEN)
    assert policy.allowed("idea.view", author, idea)
    assert policy.allowed("idea.view", make_user(Role.FACILITATOR), idea)
    assert not policy.allowed("idea.view", make_user(), idea)
    assert not policy.allowed("idea.view", AnonymousUserMixin(), idea)
    assert not policy.allowed("idea.vote", author, idea)


def test_replies_go_one_level_deep(db):
    idea = make_idea()
    top = make_comment(idea)
    reply = make_comment(idea, parent=top)
    resident = make_user()
    assert policy.allowed("comment.reply", resident, top)
    assert not policy.allowed("comment.reply", resident, reply)


def test_refusal_messages_tell_people_what_to_do(db):
    consultation = make_consultation(stage=Stage.CLOSED)
    assert "closed" in policy.refusal_message("idea.create", make_user(), consultation)
    unconfirmed = make_user(confirmed=False)
    assert "Confirm your email" in policy.refusal_message("idea.vote", unconfirmed, consultation)
