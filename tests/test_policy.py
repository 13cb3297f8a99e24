"""Every rule in policy.py, for every role and every stage, without HTTP."""

from __future__ import annotations

from datetime import timedelta
from types import SimpleNamespace

import pytest
from flask_login import AnonymousUserMixin

from kil_consult import policy
from kil_consult.accounts.models import Role
from kil_consult.consultations.models import Stage
from kil_consult.ideas import offline
from kil_consult.ideas.models import Source, Visibility
from kil_consult.organisations.models import MembershipStatus, OrganisationStatus
from kil_consult.timeutil import utcnow

from .factories import (
    make_comment,
    make_consultation,
    make_idea,
    make_membership,
    make_organisation,
    make_user,
)

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
SIGNED_IN = {"unconfirmed", "resident", "facilitator", "admin"}
PARTICIPANTS = {"resident", "facilitator", "admin"}
TABLE = {
    "consultation.view": {Stage.DRAFT: STAFF, Stage.OPEN: EVERYONE, Stage.CLOSED: EVERYONE},
    "consultation.manage": {s: {"admin"} for s in Stage},
    "idea.create": {Stage.DRAFT: set(), Stage.OPEN: PARTICIPANTS, Stage.CLOSED: set()},
    "idea.view": {Stage.DRAFT: STAFF, Stage.OPEN: EVERYONE, Stage.CLOSED: EVERYONE},
    # The target is a published idea; a hidden one's words are for staff (see below).
    "idea.view_content": {Stage.DRAFT: STAFF, Stage.OPEN: EVERYONE, Stage.CLOSED: EVERYONE},
    "idea.vote": {Stage.DRAFT: set(), Stage.OPEN: PARTICIPANTS, Stage.CLOSED: set()},
    "consultation.vote_through": {
        Stage.DRAFT: set(),
        Stage.OPEN: PARTICIPANTS,
        Stage.CLOSED: set(),
    },
    "idea.comment": {Stage.DRAFT: set(), Stage.OPEN: PARTICIPANTS, Stage.CLOSED: set()},
    "comment.reply": {Stage.DRAFT: set(), Stage.OPEN: PARTICIPANTS, Stage.CLOSED: set()},
    "comment.view_pending": {s: STAFF for s in Stage},
    "contribution.publish_at_once": {s: STAFF for s in Stage},
    "users.manage": {s: {"admin"} for s in Stage},
    "staff.area": {s: STAFF for s in Stage},
    # Results are public only once a summary is published (see the tests after the table).
    "results.view": {s: STAFF for s in Stage},
    "results.manage": {s: STAFF for s in Stage},
    "summary.write": {s: STAFF for s in Stage},
    "summary.view_drafts": {s: STAFF for s in Stage},
    "summary.publish": {Stage.DRAFT: set(), Stage.OPEN: STAFF, Stage.CLOSED: STAFF},
    "updates.subscribe": {Stage.DRAFT: set(), Stage.OPEN: PARTICIPANTS, Stage.CLOSED: PARTICIPANTS},
    # Organisation rules ignore the stage. The target is a verified organisation that none of
    # these people belong to; ORGANISATION_TABLE below walks members, invitees and statuses.
    "organisation.register": {s: PARTICIPANTS for s in Stage},
    "organisation.view": {s: EVERYONE for s in Stage},
    "organisation.act": {s: set() for s in Stage},
    "organisation.manage_members": {s: set() for s in Stage},
    "organisation.join": {s: PARTICIPANTS for s in Stage},
    "organisation.leave": {s: set() for s in Stage},
    "organisation.verify": {s: STAFF for s in Stage},
    "membership.respond": {s: set() for s in Stage},
    "item.report": {s: PARTICIPANTS for s in Stage},
    "moderation.act": {s: STAFF for s in Stage},
    "idea.merge": {s: STAFF for s in Stage},
    # The council's response: to a published idea of a public consultation; staff notes always.
    "idea.respond": {Stage.DRAFT: set(), Stage.OPEN: STAFF, Stage.CLOSED: STAFF},
    "idea.staff_notes": {s: STAFF for s in Stage},
    "offline.record": {Stage.DRAFT: set(), Stage.OPEN: STAFF, Stage.CLOSED: STAFF},
    "audit.read": {s: {"admin"} for s in Stage},
    # Statement rules ignore the stage. The target is a draft statement (one version);
    # tests/statements/test_workflow.py walks every statement state.
    "statement.view": {s: STAFF for s in Stage},
    "statement.view_drafts": {s: STAFF for s in Stage},
    "statement.start": {s: STAFF for s in Stage},
    "statement.edit": {s: STAFF for s in Stage},
    "statement.open_review": {s: {"admin"} for s in Stage},
    "statement.respond": {s: set() for s in Stage},
    "statement.read_feedback": {s: STAFF for s in Stage},
    "statement.agree": {s: {"admin"} for s in Stage},
    "statement.close_review": {s: set() for s in Stage},  # the draft is not open for comment
    "statement.sign": {s: set() for s in Stage},
    "statement.publish": {s: set() for s in Stage},
    "progress.view": {s: STAFF for s in Stage},
    "commitment.update": {s: set() for s in Stage},
    "opendata.download": {Stage.DRAFT: STAFF, Stage.OPEN: EVERYONE, Stage.CLOSED: EVERYONE},
    "report.download": {s: STAFF for s in Stage},
    # A download the worker made follows the download's own rule (here: the open data).
    "download.fetch": {Stage.DRAFT: STAFF, Stage.OPEN: EVERYONE, Stage.CLOSED: EVERYONE},
    # One's own account (the target None means "the person's own"; see the test below for
    # someone else's).
    "account.change_password": {s: set(SIGNED_IN) for s in Stage},
    "account.download_data": {s: set(SIGNED_IN) for s in Stage},
    "account.erase": {s: {"unconfirmed", "resident"} for s in Stage},
    "account.change_details": {s: set(SIGNED_IN) for s in Stage},
    "account.change_email": {s: set(SIGNED_IN) for s in Stage},
    "account.view_activity": {s: set(SIGNED_IN) for s in Stage},
    "consultation.follow": {
        Stage.DRAFT: set(),
        Stage.OPEN: PARTICIPANTS,
        Stage.CLOSED: PARTICIPANTS,
    },
    "idea.follow": {Stage.DRAFT: set(), Stage.OPEN: PARTICIPANTS, Stage.CLOSED: PARTICIPANTS},
    "neighbourhood.follow": {s: PARTICIPANTS for s in Stage},
    "statement.follow": {s: PARTICIPANTS for s in Stage},
    "notifications.read": {s: set(SIGNED_IN) for s in Stage},
    "house_rules.edit": {s: {"admin"} for s in Stage},
    # The network's rounds: the stage stands for the round's state (a draft consultation for a
    # draft round, an open one for a round open for views, a closed one for a signed-off round).
    "round.view": {Stage.DRAFT: STAFF, Stage.OPEN: EVERYONE, Stage.CLOSED: EVERYONE},
    "network.start_round": {s: STAFF for s in Stage},
    "network.assess": {Stage.DRAFT: STAFF, Stage.OPEN: STAFF, Stage.CLOSED: set()},
    "network.open_for_views": {Stage.DRAFT: {"admin"}, Stage.OPEN: set(), Stage.CLOSED: set()},
    "network.sign_off": {Stage.DRAFT: {"admin"}, Stage.OPEN: {"admin"}, Stage.CLOSED: set()},
    "network.give_view": {Stage.DRAFT: set(), Stage.OPEN: PARTICIPANTS, Stage.CLOSED: set()},
    "network.read_views": {s: STAFF for s in Stage},
    "network.edit_levels": {s: {"admin"} for s in Stage},
    "hub.manage": {s: {"admin"} for s in Stage},
    # Who took part: one's own answers; the figures follow the results (see tests/equality)
    "about_you.answer": {s: set(SIGNED_IN) for s in Stage},
    "who_took_part.view": {s: STAFF for s in Stage},
    "who_took_part.view_process": {s: STAFF for s in Stage},
    "population.manage": {s: {"admin"} for s in Stage},
    # The target is someone else's idea; tests/test_edits.py walks the author's own.
    "contribution.edit": {s: set() for s in Stage},
    "contribution.withdraw": {s: set() for s in Stage},
    "contribution.history": {s: STAFF for s in Stage},
    # Nobody is assigned to the target consultation, so every facilitator answers for it;
    # tests/test_facilitators.py walks assigned and unassigned facilitators.
    "consultation.assign_facilitators": {s: {"admin"} for s in Stage},
    "workshop.record_votes": {Stage.DRAFT: set(), Stage.OPEN: STAFF, Stage.CLOSED: STAFF},
    # Questions beside the ideas (tests/questions/ walks the rest)
    "questions.manage": {s: STAFF for s in Stage},
    "questions.answer": {Stage.DRAFT: set(), Stage.OPEN: PARTICIPANTS, Stage.CLOSED: set()},
    "questions.paper": {Stage.DRAFT: set(), Stage.OPEN: STAFF, Stage.CLOSED: STAFF},
    "questions.baseline": {s: {"admin"} for s in Stage},
    "indicator.manage": {s: {"admin"} for s in Stage},
    "indicator.record": {s: STAFF for s in Stage},
}


def _round_for(stage: Stage):
    """A self-assessment round in the state the stage stands for (see the table)."""
    from datetime import date

    from kil_consult.network.models import AssessmentRound, RoundState

    state = {
        Stage.DRAFT: RoundState.DRAFT,
        Stage.OPEN: RoundState.OPEN,
        Stage.CLOSED: RoundState.SIGNED_OFF,
    }[stage]
    return AssessmentRound(title="Spring 2027", meeting_on=date(2027, 3, 27), state=state)


def test_table_covers_every_rule():
    assert set(TABLE) == set(policy.RULES)


@pytest.mark.parametrize("stage", list(Stage))
@pytest.mark.parametrize("action", sorted(TABLE))
def test_action_role_stage_table(db, action, stage):
    consultation = make_consultation(stage=stage)
    idea = make_idea(consultation)
    comment = make_comment(idea)
    organisation = make_organisation(OrganisationStatus.VERIFIED)
    invitation = make_membership(organisation, status=MembershipStatus.INVITED)
    from kil_consult.statements.services import new_commitment, start_from_summaries

    statement = start_from_summaries(consultation.process, make_user(Role.FACILITATOR))
    event = offline.record_event(
        consultation, make_user(Role.FACILITATOR), Source.EVENT, "Workshop", utcnow().date()
    )
    target = {
        "consultation.view": consultation,
        "consultation.manage": consultation,
        "idea.create": consultation,
        "idea.view": idea,
        "idea.view_content": idea,
        "idea.vote": idea,
        "idea.comment": idea,
        "comment.reply": comment,
        "comment.view_pending": idea,
        "contribution.publish_at_once": consultation,
        "users.manage": None,
        "staff.area": None,
        "results.view": consultation,
        "results.manage": consultation,
        "summary.write": consultation,
        "summary.view_drafts": consultation,
        "summary.publish": consultation,
        "updates.subscribe": consultation,
        "organisation.register": None,
        "organisation.view": organisation,
        "organisation.act": organisation,
        "organisation.manage_members": organisation,
        "organisation.join": organisation,
        "organisation.leave": organisation,
        "organisation.verify": organisation,
        "membership.respond": invitation,
        "item.report": idea,
        "moderation.act": comment,
        "idea.merge": idea,
        "idea.respond": idea,
        "idea.staff_notes": idea,
        "offline.record": consultation,
        "audit.read": None,
        "statement.view": statement,
        "statement.view_drafts": statement,
        "statement.start": None,
        "statement.edit": statement,
        "statement.open_review": statement,
        "statement.respond": statement,
        "statement.read_feedback": statement,
        "statement.agree": statement,
        "statement.close_review": statement,
        "statement.sign": statement,
        "statement.publish": statement,
        "progress.view": statement,
        "commitment.update": new_commitment(statement),
        "opendata.download": consultation,
        "report.download": consultation,
        "download.fetch": SimpleNamespace(what="open-data", subject_id=consultation.id, options={}),
        "account.change_password": None,
        "account.download_data": None,
        "account.erase": None,
        "account.change_details": None,
        "account.change_email": None,
        "account.view_activity": None,
        "consultation.vote_through": consultation,
        "consultation.follow": consultation,
        "idea.follow": idea,
        "neighbourhood.follow": None,
        "statement.follow": None,
        "notifications.read": None,
        "house_rules.edit": None,
        "network.start_round": None,
        "network.edit_levels": None,
        "hub.manage": None,
        "about_you.answer": None,
        "who_took_part.view": consultation,
        "who_took_part.view_process": consultation.process,
        "population.manage": None,
        "contribution.edit": idea,
        "contribution.withdraw": comment,
        "contribution.history": idea,
        "consultation.assign_facilitators": consultation,
        "workshop.record_votes": event,
        "questions.manage": consultation,
        "questions.answer": consultation,
        "questions.paper": consultation,
        "questions.baseline": consultation,
        "indicator.manage": new_commitment(statement),
        "indicator.record": new_commitment(statement),
    }.get(action) or (_round_for(stage) if action.startswith(("round.", "network.")) else None)
    for role in ROLES:
        expected = role in TABLE[action][stage]
        assert policy.allowed(action, person(role), target) is expected, (action, stage, role)


@pytest.mark.parametrize("stage", list(Stage))
def test_results_are_public_once_closed_and_the_summary_is_published(db, stage):
    from kil_consult.statements import summaries

    consultation = make_consultation(stage=stage)
    summaries.save_draft(consultation, make_user(Role.FACILITATOR), "Overview", "", "", "", [])
    summaries.publish(consultation, make_user(Role.FACILITATOR), early_reason="Test data")
    expected = EVERYONE if stage is Stage.CLOSED else STAFF
    for role in ROLES:
        allowed = policy.allowed("results.view", person(role), consultation)
        assert allowed is (role in expected), (stage, role)


@pytest.mark.parametrize(
    "action", ["account.change_password", "account.download_data", "account.erase"]
)
def test_nobody_acts_on_someone_elses_account(db, action):
    owner = make_user()
    assert policy.allowed(action, owner, owner)
    for role in ROLES:
        assert not policy.allowed(action, person(role), owner), (action, role)


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


def test_waiting_idea_is_seen_only_by_its_author_and_staff(db):
    author = make_user()
    idea = make_idea(author=author, visibility=Visibility.PENDING)
    assert policy.allowed("idea.view", author, idea)
    assert policy.allowed("idea.view", make_user(Role.FACILITATOR), idea)
    assert not policy.allowed("idea.view", make_user(), idea)
    assert not policy.allowed("idea.view", AnonymousUserMixin(), idea)
    assert not policy.allowed("idea.vote", author, idea)


def test_hidden_idea_page_stays_public_but_takes_no_votes_or_reports(db):
    idea = make_idea(visibility=Visibility.HIDDEN)
    resident = make_user()
    assert policy.allowed("idea.view", AnonymousUserMixin(), idea)
    assert not policy.allowed("idea.vote", resident, idea)
    assert not policy.allowed("item.report", resident, idea)
    assert not policy.allowed("idea.merge", make_user(Role.FACILITATOR), idea)


@pytest.mark.parametrize(
    "visibility, shown_to",
    [
        (Visibility.PUBLISHED, EVERYONE),
        (Visibility.MERGED, EVERYONE),
        (Visibility.HIDDEN, STAFF),
        (Visibility.PENDING, STAFF),  # the author also sees it: see the test above
    ],
)
def test_an_ideas_words_show_unless_it_was_hidden(db, visibility, shown_to):
    idea = make_idea(visibility=visibility)
    for role in ROLES:
        allowed = policy.allowed("idea.view_content", person(role), idea)
        assert allowed is (role in shown_to), (visibility, role)
    if visibility is Visibility.PENDING:
        assert policy.allowed("idea.view_content", idea.author, idea)


def test_results_follow_the_summary_fact_on_the_model(db):
    consultation = make_consultation(stage=Stage.CLOSED)
    assert not policy.summary_published(consultation)
    from kil_consult.statements import summaries as analysis

    analysis.save_draft(consultation, make_user(Role.FACILITATOR), "Overview", "", "", "", [])
    assert not policy.summary_published(consultation)
    assert not policy.allowed("results.view", make_user(), consultation)
    analysis.publish(consultation, make_user(Role.FACILITATOR), early_reason="Test data")
    db.session.expire(consultation, ["summary"])
    assert policy.summary_published(consultation)
    assert policy.allowed("results.view", make_user(), consultation)


def test_policy_imports_no_service():
    import ast
    import inspect

    from kil_consult.policy import rules

    tree = ast.parse(inspect.getsource(policy) + "\n" + inspect.getsource(rules))
    imported = [node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)]
    imported += [
        a.name for node in ast.walk(tree) if isinstance(node, ast.Import) for a in node.names
    ]
    assert not [name for name in imported if "services" in name], imported


def test_nobody_reports_themselves(db):
    resident = make_user()
    assert not policy.allowed("item.report", resident, resident)
    assert policy.allowed("item.report", resident, make_user())


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


# --- organisations: action x relation to the organisation x the organisation's status ------

RELATIONS = [
    "visitor",
    "stranger",
    "unconfirmed_member",
    "invited",
    "requested",
    "member",
    "facilitator",
    "admin",
]
ORG_STAFF = {"facilitator", "admin"}
CONFIRMED = set(RELATIONS) - {"visitor", "unconfirmed_member"}
SEES_UNVERIFIED = ORG_STAFF | {"unconfirmed_member", "invited", "requested", "member"}
V, P, D = OrganisationStatus.VERIFIED, OrganisationStatus.PENDING, OrganisationStatus.DECLINED
ORGANISATION_TABLE = {
    "organisation.register": {s: CONFIRMED for s in OrganisationStatus},
    "organisation.view": {V: set(RELATIONS), P: SEES_UNVERIFIED, D: SEES_UNVERIFIED},
    "organisation.act": {V: {"member"}, P: set(), D: set()},
    "organisation.manage_members": {V: {"member"}, P: {"member"}, D: set()},
    "organisation.join": {V: {"stranger"} | ORG_STAFF, P: set(), D: set()},
    "organisation.leave": {s: {"member", "unconfirmed_member"} for s in OrganisationStatus},
    "organisation.verify": {s: ORG_STAFF for s in OrganisationStatus},
    "membership.respond": {s: {"invited"} for s in OrganisationStatus},
}


def test_organisation_table_covers_every_organisation_rule():
    organisation_rules = {a for a in policy.RULES if a.startswith(("organisation.", "membership."))}
    assert set(ORGANISATION_TABLE) == organisation_rules


def related_people(organisation) -> dict:
    """One person for each relation to the organisation, with their memberships made."""
    people = {
        "visitor": AnonymousUserMixin(),
        "stranger": make_user(),
        "unconfirmed_member": make_user(confirmed=False),
        "invited": make_user(),
        "requested": make_user(),
        "member": make_user(),
        "facilitator": make_user(Role.FACILITATOR),
        "admin": make_user(Role.ADMIN),
    }
    make_membership(organisation, people["unconfirmed_member"])
    make_membership(organisation, people["member"])
    make_membership(organisation, people["requested"], MembershipStatus.REQUESTED)
    people["invitation"] = make_membership(
        organisation, people["invited"], MembershipStatus.INVITED
    )
    return people


@pytest.mark.parametrize("status", list(OrganisationStatus))
@pytest.mark.parametrize("action", sorted(ORGANISATION_TABLE))
def test_organisation_action_relation_status_table(db, action, status):
    organisation = make_organisation(status)
    people = related_people(organisation)
    target = people["invitation"] if action == "membership.respond" else organisation
    for relation in RELATIONS:
        expected = relation in ORGANISATION_TABLE[action][status]
        allowed = policy.allowed(action, people[relation], target)
        assert allowed is expected, (action, status, relation)
