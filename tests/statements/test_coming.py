"""No dead ends (issue 17): the statement's public pages explain, before they exist, what they
will hold and when; a closed consultation says what happened and what comes next."""

from __future__ import annotations

from datetime import timedelta

import pytest

from kil_consult.consultations.models import Stage
from kil_consult.statements import services
from kil_consult.timeutil import utcnow
from tests import factories

from . import world as world_module

PAGES = ("/statement", "/statement/versions", "/statement/progress")


def test_before_drafting_every_statement_page_explains_itself(client, db):
    factories.make_council()
    process = factories.make_process(stage=Stage.OPEN)
    db.session.commit()
    home = client.get("/").get_data(as_text=True)
    assert 'href="/statement"' in home  # the promise on the home page leads somewhere
    for path in PAGES:
        response = client.get(path)
        page = response.get_data(as_text=True)
        assert response.status_code == 200, path
        assert "This page will" in page and "We are still listening" in page, path
        assert "0 of the 6 consultations have a published summary" in page
        assert process.consultations[0].title in page  # where to have your say meanwhile
    assert "every public version of the statement" in client.get(PAGES[1]).get_data(as_text=True)
    assert "dated updates" in client.get(PAGES[2]).get_data(as_text=True)


def test_with_no_process_at_all_the_pages_still_answer(client, db):
    for path in PAGES:
        response = client.get(path)
        assert response.status_code == 200 and "We are still listening" in response.get_data(
            as_text=True
        )


@pytest.fixture
def world(db):
    return world_module.build()


def test_during_drafting_and_review_and_after_agreement(client, db, world, login_as):
    statement = services.start_from_summaries(world.process, world.facilitator)
    db.session.commit()
    for path in PAGES:
        page = client.get(path).get_data(as_text=True)
        assert "drafting the statement now, from the published summaries of 2 of the 6" in page
    # Staff read the draft itself.
    login_as(world.facilitator)
    assert "endorses the six" in client.get("/statement").get_data(as_text=True)
    client.post("/account/sign-out")

    services.open_review(statement, world.admin, utcnow() + timedelta(days=14))
    db.session.commit()
    assert "endorses the six" in client.get("/statement").get_data(as_text=True)
    assert "Version 1" in client.get("/statement/versions").get_data(as_text=True)
    progress = client.get("/statement/progress").get_data(as_text=True)
    assert "A draft is open for comment until" in progress
    assert "Read the draft and say whether you support it" in progress

    services.close_review(statement, world.admin)  # no decision while the review is open
    services.record_decision(statement, world.admin, "Cabinet", utcnow().date(), "Minute 7")
    db.session.commit()
    progress = client.get("/statement/progress").get_data(as_text=True)
    assert "The council has agreed the statement" in progress


def test_closed_consultation_says_what_happened_and_what_comes_next(client, db):
    factories.make_council()
    process = factories.make_process(stage=Stage.OPEN)
    closed = process.consultations[0]
    closed.stage = Stage.CLOSED
    closed.closes_at = utcnow() - timedelta(days=2)
    closed.next_steps = "When this consultation closes, facilitators will publish a summary."
    idea = factories.make_idea(closed, title="A repair cafe")
    factories.make_vote(idea, factories.make_user(), "agree")
    open_one = process.consultations[1]
    open_one.next_steps = "When this consultation closes, facilitators will publish a summary."
    db.session.commit()

    page = client.get(f"/consultations/{closed.slug}").get_data(as_text=True)
    assert "When this consultation closes" not in page
    assert "What happened" in page and "This consultation closed on" in page
    assert "What comes next" in page and "will publish a summary" in page
    assert 'href="/statement"' in page
    # An open one still shows the council's own "what happens next".
    assert "When this consultation closes" in client.get(
        f"/consultations/{open_one.slug}"
    ).get_data(as_text=True)


def test_report_page_names_the_rules_it_refers_to(client, db, login_as):
    factories.make_council()
    consultation = factories.make_process(stage=Stage.OPEN).consultations[0]
    idea = factories.make_idea(consultation, title="Something")
    reporter = factories.make_user()
    db.session.commit()
    login_as(reporter)
    page = client.get(f"/report/idea/{idea.id}").get_data(as_text=True)
    assert "against the rules" not in page
    assert "abusive or offensive, off topic, spam or advertising" in page
