"""The statement's journey over HTTP: draft from summaries, review, revise, diff, sign-off,
publish, then progress; and the rules at each state."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from flask_login import AnonymousUserMixin

from kil_consult import policy
from kil_consult.accounts.models import Role
from kil_consult.audit import AuditEvent
from kil_consult.statements import services
from kil_consult.statements.models import (
    CommitmentStatus,
    ReviewResponse,
    Statement,
    StatementError,
    StatementState,
)
from kil_consult.timeutil import to_local, utcnow
from tests import factories

from . import world as world_module


@pytest.fixture
def world(db):
    return world_module.build()


def _date(prefix: str, day) -> dict:
    return {prefix: [str(day.day), str(day.month), str(day.year)]}


def test_start_from_published_summaries(client, login_as, world, db):
    login_as(world.facilitator)
    page = client.get("/admin/statement").get_data(as_text=True)
    assert "2 of the 6 consultations have a published summary" in page
    assert client.post("/admin/statement/start").status_code == 302
    statement = services.current_statement()
    content = statement.latest.content
    assert statement.latest.number == 1 and statement.state is StatementState.DRAFT
    assert "People want a **hub**." in content["sections"][0]["body"]
    assert f"ideas {world.ideas[0].id}, {world.ideas[1].id}" in content["sections"][0]["body"]
    assert content["sections"][2]["body"] == ""
    assert [c["ideas"] for c in content["commitments"]] == [
        [world.ideas[0].id, world.ideas[1].id],
        [world.ideas[2].id, world.ideas[3].id],
    ]
    assert "East Testshire Council endorses the six Keep it Local principles" in content["preamble"]
    # Drafts are not public yet: the page says it is being drafted, not its text.
    client.post("/account/sign-out")
    page = client.get("/statement").get_data(as_text=True)
    assert "Council staff are drafting the statement now" in page
    assert "People want a **hub**." not in page and "endorses the six" not in page
    # Starting twice is refused.
    login_as(world.facilitator)
    client.post("/admin/statement/start")
    assert db.session.query(Statement).count() == 1


def _start(world) -> Statement:
    statement = services.start_from_summaries(world.process, world.facilitator)
    factories.db.session.commit()
    return statement


def test_whole_journey(client, login_as, world, db, app):
    statement = _start(world)
    commitment_id = statement.latest.content["commitments"][0]["id"]
    # An admin opens it for comment.
    login_as(world.admin)
    closes = to_local(utcnow()).date() + timedelta(days=14)
    response = client.post("/admin/statement/review", data=_date("review-closes_on", closes))
    assert response.status_code == 302
    # A member of an organisation supports a commitment on its behalf and comments.
    client.post("/account/sign-out")
    login_as(world.volunteer)
    page = client.get("/statement").get_data(as_text=True)
    assert "open for comment until" in page and "Have your say on Commitment 1" in page
    part = f"commitment-{commitment_id}"
    response = client.post(
        f"/statement/respond/{part}",
        data={
            f"{part}-stance": "support",
            f"{part}-comment": "Please name the team.",
            f"{part}-organisation": str(world.larder.id),
        },
    )
    assert response.status_code == 302
    # Answering again replaces the response.
    client.post(
        f"/statement/respond/{part}",
        data={
            f"{part}-stance": "support",
            f"{part}-comment": "Please name the team.",
            f"{part}-organisation": str(world.larder.id),
        },
    )
    assert db.session.query(ReviewResponse).count() == 1
    # A bad answer comes back with a message and a 400.
    bad = client.post(f"/statement/respond/{part}", data={f"{part}-comment": "kept"})
    assert bad.status_code == 400 and "Choose whether you support this" in bad.get_data(
        as_text=True
    )
    assert "kept" in bad.get_data(as_text=True)
    # The facilitator sees the feedback beside the text and revises the commitment.
    client.post("/account/sign-out")
    login_as(world.facilitator)
    manage = client.get("/admin/statement").get_data(as_text=True)
    assert "Please name the team." in manage and "supported by Testshire Larder" in manage
    response = client.post(
        f"/admin/statement/commitments/{commitment_id}",
        data={
            "principle": "1",
            "text": "We will open a community hub in every town.",
            "owner": "Communities team",
            **_date("due", to_local(utcnow()).date() + timedelta(days=365)),
            "ideas": f"{world.ideas[0].id}",
            "reason": "Named the owning team after comments",
        },
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    assert statement.latest.number == 2
    # A cited idea that is hidden is refused with a message, the form filled in.
    response = client.post(
        f"/admin/statement/commitments/{commitment_id}",
        data={
            "principle": "1",
            "text": "Changed again",
            "ideas": str(world.hidden.id),
            "reason": "x",
        },
    )
    assert response.status_code == 400
    assert "which a moderator has hidden" in response.get_data(as_text=True)
    # The diff shows what changed, accessibly.
    client.post("/account/sign-out")
    diff = client.get("/statement/compare?from=1&to=2")
    assert diff.status_code == 404  # version 2 is not public yet
    login_as(world.facilitator)
    diff = client.get("/statement/compare?from=1&to=2").get_data(as_text=True)
    assert re.search(
        r"<ins[^>]*><span class=\"govuk-visually-hidden\">\[added: </span>[^<]*community", diff
    )
    assert "<del" in diff and "[removed: </span>" in diff
    # The admin records the decision and the signatories, then publishes.
    client.post("/account/sign-out")
    login_as(world.admin)
    today = to_local(utcnow()).date()
    assert client.post("/admin/statement/publish").status_code == 403
    # The review is still open: the decision waits until the admin closes it.
    refused = client.post(
        "/admin/statement/decision",
        data={"decision-body": "Cabinet", **_date("decision-decided_on", today)},
    )
    assert refused.status_code == 400 and "Close the review first" in refused.get_data(as_text=True)
    assert "Close the review now" in client.get("/admin/statement").get_data(as_text=True)
    assert client.get("/admin/statement/review/close").status_code == 200
    assert client.post("/admin/statement/review/close").status_code == 302
    assert not services.current_statement().is_reviewing()
    assert db.session.query(AuditEvent).filter_by(action="statement.close_review").count() == 1
    response = client.post(
        "/admin/statement/decision",
        data={
            "decision-body": "Cabinet",
            "decision-reference": "Minute 42",
            **_date("decision-decided_on", today),
        },
    )
    assert response.status_code == 302
    assert statement.state is StatementState.AGREED
    assert not services.current_statement().is_editable
    client.post("/admin/statement/publish")
    assert services.current_statement().state is StatementState.AGREED  # no signatory yet
    response = client.post(
        "/admin/statement/signatories",
        data={
            "signatory-name": "Cllr Keith Glazier",
            "signatory-role": "Leader of the Council",
            **_date("signatory-signed_on", today),
        },
    )
    assert response.status_code == 302
    # Commitment 2 has no owner or date: publication asks for a reason to override.
    refused = client.post("/admin/statement/publish", data={})
    assert refused.status_code == 400 and "2 warnings to resolve" in refused.get_data(as_text=True)
    assert services.current_statement().state is StatementState.AGREED
    no_reason = client.post("/admin/statement/publish", data={"publish-publish_anyway": "y"})
    assert no_reason.status_code == 400 and "Say why the statement is published" in (
        no_reason.get_data(as_text=True)
    )
    response = client.post(
        "/admin/statement/publish",
        data={"publish-publish_anyway": "y", "publish-override": "Owners follow in June"},
    )
    assert response.status_code == 302
    override = db.session.query(AuditEvent).filter_by(action="statement.publish_override").one()
    assert override.note == "Owners follow in June"
    statement = services.current_statement()
    assert statement.state is StatementState.PUBLISHED and statement.published_number == 2
    actions = {e.action for e in db.session.query(AuditEvent)}
    assert {
        "statement.open_review",
        "statement.agree",
        "statement.sign",
        "statement.publish",
    } <= actions
    # The public page is the agreed text, with its evidence and earlier versions.
    client.post("/account/sign-out")
    page = client.get("/statement").get_data(as_text=True)
    assert "We will open a community hub in every town." in page
    assert "Cabinet" in page and "Minute 42" in page and "Cllr Keith Glazier" in page
    assert "Evidence for commitment 1" in page and world.ideas[0].title in page
    assert client.get("/statement/versions/1").status_code == 200
    # Later the facilitator marks a commitment in progress with an update.
    login_as(world.facilitator)
    response = client.post(
        f"/admin/statement/commitments/{commitment_id}/progress",
        data={
            "status": "in_progress",
            "body": "First hub opened in Rye.",
            **_date("happened_on", today),
        },
    )
    assert response.status_code == 302
    client.post("/account/sign-out")
    progress = client.get("/statement/progress").get_data(as_text=True)
    assert "First hub opened in Rye." in progress and "In progress" in progress
    assert db.session.query(AuditEvent).filter_by(action="commitment.change_status").count() == 1


def test_dropping_needs_a_reason(world, db):
    statement = _start(world)
    commitment = services.commitments_by_id(statement)[
        statement.latest.content["commitments"][0]["id"]
    ]
    with pytest.raises(StatementError):
        services.add_progress(
            commitment, world.admin, CommitmentStatus.DROPPED, utcnow().date(), " "
        )


def _published(world) -> Statement:
    statement = _start(world)
    services.record_decision(statement, world.admin, "Cabinet", utcnow().date(), "M1")
    services.add_signatory(statement, world.admin, "Leader", "Leader", utcnow().date())
    services.publish(statement, world.admin, override="Owners and dates follow in the next version")
    factories.db.session.commit()
    return statement


def test_a_change_after_publication_is_a_new_version_with_its_own_decision(world, db):
    statement = _published(world)
    content = dict(statement.latest.content, title="A better title")
    services.save_version(statement, world.facilitator, content, "New title")
    assert statement.state is StatementState.DRAFT
    assert statement.published_number == 1  # the public still sees the agreed text
    assert services.decision_of(statement, statement.latest) is None
    with pytest.raises(StatementError):
        services.save_version(statement, world.facilitator, content, "Nothing new")


def test_diff_marks_added_and_removed_words():
    fragments = services.diff_text("one two three", "one four three")
    assert ("del", "two") in fragments and ("ins", "four") in fragments
    parts = services.compare(
        {
            "title": "T",
            "preamble": "p",
            "sections": [],
            "champions": [],
            "commitments": [{"id": 1, "text": "a", "owner": "", "due": "", "ideas": []}],
        },
        {
            "title": "T",
            "preamble": "p",
            "sections": [],
            "champions": [],
            "commitments": [{"id": 2, "text": "b", "owner": "", "due": "", "ideas": []}],
        },
    )
    changes = {p.key: p.change for p in parts}
    assert changes["commitment-2"] == "added" and changes["commitment-1"] == "removed"


ROLES = ["visitor", "unconfirmed", "resident", "facilitator", "admin"]
STAFF = {"facilitator", "admin"}
EVERYONE = set(ROLES)
CONFIRMED = {"resident", "facilitator", "admin"}


def person(role: str):
    if role == "visitor":
        return AnonymousUserMixin()
    if role == "unconfirmed":
        return factories.make_user(Role.RESIDENT, confirmed=False)
    return factories.make_user(Role(role))


# action -> state -> roles allowed
STATEMENT_TABLE = {
    "statement.view": {
        "draft": STAFF,
        "review": EVERYONE,
        "agreed": EVERYONE,
        "published": EVERYONE,
    },
    "statement.start": {s: STAFF for s in ("draft", "review", "agreed", "published")},
    "statement.edit": {"draft": STAFF, "review": STAFF, "agreed": set(), "published": STAFF},
    "statement.open_review": {
        "draft": {"admin"},
        "review": {"admin"},
        "agreed": set(),
        "published": set(),
    },
    "statement.respond": {"draft": set(), "review": CONFIRMED, "agreed": set(), "published": set()},
    "statement.read_feedback": {s: STAFF for s in ("draft", "review", "agreed", "published")},
    "statement.agree": {
        "draft": {"admin"},
        "review": {"admin"},
        "agreed": set(),
        "published": set(),
    },
    "statement.close_review": {
        "draft": set(),
        "review": {"admin"},
        "agreed": set(),
        "published": set(),
    },
    "statement.sign": {"draft": set(), "review": set(), "agreed": {"admin"}, "published": set()},
    "statement.publish": {"draft": set(), "review": set(), "agreed": {"admin"}, "published": set()},
    "progress.view": {"draft": STAFF, "review": STAFF, "agreed": STAFF, "published": EVERYONE},
}


@pytest.mark.parametrize("state", ["draft", "review", "agreed", "published"])
def test_statement_rules_by_state(world, db, state):
    statement = _start(world)
    if state == "review":
        services.open_review(statement, world.admin, utcnow() + timedelta(days=3))
    if state in ("agreed", "published"):
        services.open_review(statement, world.admin, utcnow() + timedelta(days=3))
        services.close_review(statement, world.admin)
        services.record_decision(statement, world.admin, "Cabinet", utcnow().date(), "")
    if state == "published":
        services.add_signatory(statement, world.admin, "L", "Leader", utcnow().date())
        services.publish(
            statement, world.admin, override="Owners and dates follow in the next version"
        )
    for action, states in STATEMENT_TABLE.items():
        for role in ROLES:
            assert policy.allowed(action, person(role), statement) is (role in states[state]), (
                action,
                state,
                role,
            )
    commitment = next(iter(services.commitments_by_id(statement).values()))
    for role in ROLES:
        expected = state == "published" and role in STAFF
        assert policy.allowed("commitment.update", person(role), commitment) is expected


def test_review_closes_at_its_date(world, db):
    statement = _start(world)
    services.open_review(statement, world.admin, utcnow() + timedelta(days=1))
    assert policy.allowed("statement.respond", world.resident, statement)
    statement.review_closes_at = utcnow() - timedelta(seconds=1)
    assert not policy.allowed("statement.respond", world.resident, statement)
    with pytest.raises(StatementError):
        services.respond(statement, world.resident, "preamble", services.Stance.SUPPORT, "")


def test_removing_a_commitment_makes_a_version(client, login_as, world, db):
    statement = _start(world)
    commitment_id = statement.latest.content["commitments"][0]["id"]
    login_as(world.facilitator)
    page = client.get(f"/admin/statement/commitments/{commitment_id}").get_data(as_text=True)
    assert 'value="" selected' not in page and "Remove this commitment" in page
    bad = client.post(f"/admin/statement/commitments/{commitment_id}/remove", data={})
    assert bad.status_code == 400 and "Say what changed and why" in bad.get_data(as_text=True)
    response = client.post(
        f"/admin/statement/commitments/{commitment_id}/remove",
        data={"remove-reason": "Merged into the other commitment"},
    )
    assert response.status_code == 302
    assert [c["id"] for c in statement.latest.content["commitments"]] != [commitment_id]
    assert statement.latest.number == 2
    missing = client.post("/admin/statement/commitments/new", data={"text": "x", "reason": "y"})
    assert missing.status_code == 400 and "Choose a principle" in missing.get_data(as_text=True)
