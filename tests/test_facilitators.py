"""Facilitators assigned to consultations and workshop votes (issue 15 item 6).

An admin assigns facilitators; a consultation nobody is assigned to is every facilitator's;
once it has some, only they and admins moderate it, answer its ideas, enter what was said
offline and write its summary; their staff home and queue open on their consultations.
Workshop votes are a room's tallies: stored apart, shown and exported as such, never people.
"""

from __future__ import annotations

import io
import zipfile

import pytest
from sqlalchemy import func, select

from kil_consult import policy
from kil_consult.accounts import facilitators
from kil_consult.accounts.models import Role
from kil_consult.audit.models import AuditEvent
from kil_consult.consultations.models import Stage
from kil_consult.ideas import offline, workshops
from kil_consult.ideas.models import Source, Visibility, Vote
from kil_consult.moderation import services as moderation
from kil_consult.timeutil import utcnow
from tests import factories


def _world(db):
    factories.make_council()
    process = factories.make_process(Stage.OPEN)
    first, second = process.consultations[0], process.consultations[1]
    fay = factories.make_user(Role.FACILITATOR, display_name="Fay")
    gus = factories.make_user(Role.FACILITATOR, display_name="Gus")
    admin = factories.make_user(Role.ADMIN, display_name="Ada")
    idea_one = factories.make_idea(first, title="Idea in the first")
    idea_two = factories.make_idea(second, title="Idea in the second")
    db.session.commit()
    return first, second, fay, gus, admin, idea_one, idea_two


RULES_ON_AN_IDEA = ["moderation.act", "idea.merge", "idea.respond"]
RULES_ON_A_CONSULTATION = ["offline.record", "summary.write", "summary.publish", "results.manage"]


def test_nobody_assigned_means_every_facilitator_answers(db):
    first, _second, fay, gus, admin, idea_one, _ = _world(db)
    for user in (fay, gus, admin):
        for action in RULES_ON_AN_IDEA:
            assert policy.allowed(action, user, idea_one), (action, user)
        for action in RULES_ON_A_CONSULTATION:
            assert policy.allowed(action, user, first), (action, user)


def test_assigned_facilitators_and_admins_answer_others_only_read(db):
    first, second, fay, gus, admin, idea_one, idea_two = _world(db)
    facilitators.assign(first, fay, admin)
    db.session.commit()
    for action in RULES_ON_AN_IDEA:
        assert policy.allowed(action, fay, idea_one)
        assert policy.allowed(action, admin, idea_one)
        assert not policy.allowed(action, gus, idea_one), action
        assert policy.allowed(action, gus, idea_two)  # nobody assigned there
    for action in RULES_ON_A_CONSULTATION:
        assert policy.allowed(action, fay, first)
        assert not policy.allowed(action, gus, first), action
    comment = factories.make_comment(idea_one)
    assert not policy.allowed("moderation.act", gus, comment)
    # what every facilitator still may: read, keep notes, the queue itself, reports on people
    for action, target in [
        ("results.view", first),
        ("summary.view_drafts", first),
        ("idea.staff_notes", idea_one),
        ("moderation.act", None),
        ("moderation.act", factories.make_user()),
        ("staff.area", None),
    ]:
        assert policy.allowed(action, gus, target), action
    assert not policy.allowed("consultation.assign_facilitators", fay, first)
    assert policy.allowed("consultation.assign_facilitators", admin, first)


def test_an_unassigned_facilitator_is_refused_in_the_pages(client, db, login_as):
    first, _second, fay, gus, admin, idea_one, _ = _world(db)
    facilitators.assign(first, fay, admin)
    db.session.commit()
    login_as(gus)
    assert client.get(f"/moderation/idea/{idea_one.id}").status_code == 403
    assert client.get(f"/moderation/idea/{idea_one.id}/hide").status_code == 403
    assert client.get(f"/ideas/{idea_one.id}/response").status_code == 403
    assert client.get(f"/admin/consultations/{first.slug}/offline").status_code == 403
    assert client.get(f"/ideas/{idea_one.id}").status_code == 200  # reading stays open


def test_bulk_moderation_leaves_other_facilitators_consultations_alone(db):
    first, second, fay, gus, admin, idea_one, idea_two = _world(db)
    facilitators.assign(first, fay, admin)
    idea_one.visibility = idea_two.visibility = Visibility.PENDING
    db.session.commit()
    done, problems = moderation.apply_bulk(
        [f"idea:{idea_one.id}", f"idea:{idea_two.id}"], "publish", gus
    )
    assert done == 1 and "not in a consultation you are assigned to" in problems[0]
    assert idea_one.visibility is Visibility.PENDING and idea_two.is_published


def test_admin_assigns_and_removes_through_the_page_audited(client, db, login_as):
    first, _second, fay, _gus, admin, *_ = _world(db)
    resident = factories.make_user(display_name="Rex")
    db.session.commit()
    login_as(admin)
    page = client.get(f"/admin/consultations/{first.slug}/facilitators").get_data(as_text=True)
    assert "Nobody is assigned yet" in page and "Fay (facilitator)" in page
    assert "Rex" not in page  # residents are made facilitators first
    response = client.post(
        f"/admin/consultations/{first.slug}/facilitators", data={"user_id": fay.id}
    )
    assert response.status_code == 302
    assert facilitators.assigned_ids(first.id) == {fay.id}
    bad = client.post(
        f"/admin/consultations/{first.slug}/facilitators", data={"user_id": resident.id}
    )
    assert bad.status_code == 400
    assert (
        client.post(f"/admin/consultations/{first.slug}/facilitators", data={}).status_code == 400
    )
    home = client.get("/admin/").get_data(as_text=True)
    assert "Fay" in home and "Any facilitator" in home
    client.post(f"/admin/consultations/{first.slug}/facilitators/{fay.id}/remove")
    assert facilitators.assigned_ids(first.id) == frozenset()
    actions = db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)).all()
    assert actions[-2:] == ["consultation.assign_facilitator", "consultation.unassign_facilitator"]


def test_staff_home_and_queue_default_to_your_consultations(client, db, login_as):
    first, second, fay, _gus, admin, idea_one, idea_two = _world(db)
    facilitators.assign(first, fay, admin)
    idea_one.visibility = idea_two.visibility = Visibility.PENDING
    factories.make_idea(second, visibility=Visibility.PENDING)
    db.session.commit()
    login_as(fay)
    home = client.get("/admin/").get_data(as_text=True)
    assert "You are assigned to 1 consultation" in home
    assert "Ideas and comments waiting for approval in your consultations" in home
    queue = client.get("/moderation?tab=waiting").get_data(as_text=True)
    assert "Idea in the first" in queue and "Idea in the second" not in queue
    assert "Your consultations" in queue
    everything = client.get("/moderation?tab=waiting&consultation=").get_data(as_text=True)
    assert "Idea in the first" in everything and "Idea in the second" in everything


# --- workshop votes --------------------------------------------------------------------------


def _workshop(db, attendees=20):
    first, _second, fay, gus, admin, idea_one, _ = _world(db)
    event = offline.record_event(
        first, fay, Source.EVENT, "Library drop-in", utcnow().date(), attendees=attendees
    )
    db.session.commit()
    return first, fay, gus, admin, idea_one, event


def test_workshop_votes_are_stored_apart_and_replace_on_correction(db):
    _first, fay, _gus, _admin, idea, event = _workshop(db)
    workshops.record_workshop_votes(event, idea, 12, 3, 1, fay)
    workshops.record_workshop_votes(event, idea, 11, 4, 1, fay)
    db.session.commit()
    totals = workshops.totals_for(idea)
    assert (totals.agree, totals.disagree, totals.passed, totals.events) == (11, 4, 1, 1)
    assert db.session.scalar(select(func.count(Vote.id))) == 0  # nobody's own vote
    assert (idea.agree_count, idea.disagree_count) == (0, 0)
    workshops.record_workshop_votes(event, idea, 0, 0, 0, fay)
    assert workshops.totals_for(idea) is None


@pytest.mark.parametrize(
    ("tallies", "message"),
    [((15, 5, 1), "more than the 20 people"), ((-1, 0, 0), "0 or more")],
)
def test_workshop_votes_are_checked(db, tallies, message):
    _first, fay, _gus, _admin, idea, event = _workshop(db)
    with pytest.raises(workshops.WorkshopVoteError, match=message):
        workshops.record_workshop_votes(event, idea, *tallies, fay)


def test_workshop_votes_only_on_the_events_consultation(db):
    _first, fay, _gus, _admin, _idea, event = _workshop(db)
    elsewhere = factories.make_idea()
    with pytest.raises(workshops.WorkshopVoteError, match="not in this event"):
        workshops.record_workshop_votes(event, elsewhere, 1, 0, 0, fay)


def test_who_may_record_workshop_votes(db):
    first, fay, gus, admin, _idea, event = _workshop(db)
    paper = offline.record_event(first, fay, Source.PAPER, "Paper forms", utcnow().date())
    assert policy.allowed("workshop.record_votes", gus, event)
    assert not policy.allowed("workshop.record_votes", gus, paper)  # not a room's votes
    assert not policy.allowed("workshop.record_votes", factories.make_user(), event)
    facilitators.assign(first, fay, admin)
    assert not policy.allowed("workshop.record_votes", gus, event)
    assert policy.allowed("workshop.record_votes", fay, event)


def test_workshop_votes_through_the_pages_shown_and_in_open_data(client, db, login_as):
    first, fay, _gus, _admin, idea, event = _workshop(db)
    login_as(fay)
    page = client.get(f"/admin/offline/{event.id}").get_data(as_text=True)
    assert f'href="/admin/offline/{event.id}/votes"' in page
    bad = client.post(
        f"/admin/offline/{event.id}/votes",
        data={"idea_id": idea.id, "agree": "30", "disagree": "0", "passed": "0"},
    )
    assert bad.status_code == 400 and "more than the 20 people" in bad.get_data(as_text=True)
    assert 'value="30"' in bad.get_data(as_text=True)
    nothing = client.post(f"/admin/offline/{event.id}/votes", data={"agree": "1"})
    assert nothing.status_code == 400 and "Choose the idea" in nothing.get_data(as_text=True)
    ok = client.post(
        f"/admin/offline/{event.id}/votes",
        data={"idea_id": idea.id, "agree": "12", "disagree": "3", "passed": "1"},
    )
    assert ok.status_code == 302
    listing = client.get(f"/admin/offline/{event.id}/votes").get_data(as_text=True)
    assert "Votes recorded (1 idea)" in listing
    shown = client.get(f"/ideas/{idea.id}").get_data(as_text=True)
    assert "Workshop votes, counted apart" in shown and "<strong>12</strong> agree" in shown
    archive = zipfile.ZipFile(
        io.BytesIO(client.get(f"/consultations/{first.slug}/open-data.zip").data)
    )
    rows = archive.read("workshop_votes.csv").decode("utf-8-sig").splitlines()
    assert rows[0].startswith("idea_id,event_id") and rows[1].endswith(",12,3,1")
