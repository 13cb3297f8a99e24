"""Vote through ideas one at a time (issue 17 item 3): the next idea not yet voted on, fewest
votes first; agree, disagree, pass and skip; progress; every step a plain form."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from kil_consult.consultations.models import Stage
from kil_consult.ideas.models import Vote, VoteValue
from kil_consult.timeutil import utcnow
from tests import factories


@pytest.fixture
def setup(db, login_as):
    factories.make_council()
    consultation = factories.make_process(stage=Stage.OPEN).consultations[0]
    me = factories.make_user(display_name="Me")
    others = [factories.make_user() for _ in range(3)]
    popular = factories.make_idea(consultation, title="Popular idea")
    for voter in others:
        factories.make_vote(popular, voter, "agree")
    quiet = factories.make_idea(consultation, title="Workshop idea with no votes")
    some = factories.make_idea(consultation, title="Idea with one vote")
    factories.make_vote(some, others[0], "disagree")
    factories.make_idea(consultation, me, title="My own idea")
    factories.make_idea(consultation, title="Hidden idea", visibility="hidden")
    elsewhere = factories.make_idea(factories.make_process().consultations[1], title="Elsewhere")
    db.session.commit()
    login_as(me)
    return consultation, me, popular, quiet, some, elsewhere


def _shown(response) -> str:
    match = re.search(r'<h2 class="govuk-fieldset__heading" dir="auto">([^<]+)</h2>', response)
    return match.group(1) if match else ""


def _answer(client, consultation, idea, value, skipped=""):
    data = {"idea_id": idea.id, "value": value}
    if skipped:
        data["skipped"] = skipped
    return client.post(f"/consultations/{consultation.slug}/vote-through", data=data)


def test_fewest_votes_first_then_each_answer_moves_on(client, setup, db):
    consultation, me, popular, quiet, some, _ = setup
    url = f"/consultations/{consultation.slug}/vote-through"
    page = client.get(url).get_data(as_text=True)
    assert _shown(page) == "Workshop idea with no votes"
    assert "You have voted on 0 of 3 ideas shared by others." in page
    assert "My own idea" not in page and "Hidden idea" not in page

    response = _answer(client, consultation, quiet, "agree")
    assert response.status_code == 303
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Your vote on “Workshop idea with no votes” is recorded: agree." in page
    assert "You have voted on 1 of 3 ideas" in page
    assert _shown(page) == "Idea with one vote"

    _answer(client, consultation, some, "pass")
    page = client.get(url).get_data(as_text=True)
    assert _shown(page) == "Popular idea" and "You have voted on 2 of 3" in page
    _answer(client, consultation, popular, "disagree")
    page = client.get(url).get_data(as_text=True)
    assert "You have voted on every idea shared so far. Thank you." in page
    assert "You have voted on 3 of 3" in page
    rows = db.session.execute(select(Vote.idea_id, Vote.value).where(Vote.user_id == me.id))
    assert dict(rows.tuples().all()) == {
        quiet.id: VoteValue.AGREE,
        some.id: VoteValue.PASS,
        popular.id: VoteValue.DISAGREE,
    }


def test_skip_records_nothing_and_the_idea_comes_back_last(client, setup, db):
    consultation, me, popular, quiet, some, _ = setup
    response = _answer(client, consultation, quiet, "skip")
    assert response.status_code == 303
    location = response.headers["Location"]
    assert f"skipped={quiet.id}" in location
    page = client.get(location).get_data(as_text=True)
    assert "Skipped: Workshop idea with no votes." in page
    assert _shown(page) == "Idea with one vote"
    assert f'name="skipped" value="{quiet.id}"' in page  # carried on without JavaScript
    assert db.session.scalar(select(Vote.id).where(Vote.user_id == me.id)) is None

    response = _answer(client, consultation, some, "skip", skipped=str(quiet.id))
    response = _answer(client, consultation, popular, "agree", skipped=f"{quiet.id},{some.id}")
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "You have seen every idea. You skipped 2 ideas." in page
    page = client.get(f"/consultations/{consultation.slug}/vote-through").get_data(as_text=True)
    assert _shown(page) == "Workshop idea with no votes"  # back to the skipped ones


def test_bad_answers_get_a_message_not_a_500(client, setup):
    consultation, _me, _popular, quiet, _some, elsewhere = setup
    for data in (
        {"idea_id": quiet.id, "value": "maybe"},
        {"idea_id": "x", "value": "agree"},
        {"idea_id": elsewhere.id, "value": "agree"},
        {"idea_id": 999999, "value": "agree"},
    ):
        response = client.post(f"/consultations/{consultation.slug}/vote-through", data=data)
        assert response.status_code == 400, data
    garbage = client.get(f"/consultations/{consultation.slug}/vote-through?skipped=a,,1e9,-3,7")
    assert garbage.status_code == 200


def test_an_idea_hidden_meanwhile_is_not_voted_on(client, setup, db):
    consultation, me, _popular, quiet, _some, _ = setup
    quiet.visibility = "hidden"
    db.session.commit()
    response = _answer(client, consultation, quiet, "agree")
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "can no longer be voted on" in page
    assert db.session.scalar(select(Vote.id).where(Vote.user_id == me.id)) is None


def test_closed_consultations_and_visitors(client, db, setup):
    consultation = setup[0]
    consultation.closes_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    response = client.get(f"/consultations/{consultation.slug}/vote-through")
    assert response.status_code == 403
    assert "This consultation is closed" in response.get_data(as_text=True)
    client.post("/account/sign-out")
    response = client.get(f"/consultations/{consultation.slug}/vote-through")
    assert response.status_code == 302 and "/account/sign-in" in response.headers["Location"]


def test_the_consultation_page_links_to_it(client, setup):
    consultation = setup[0]
    page = client.get(f"/consultations/{consultation.slug}").get_data(as_text=True)
    assert f'href="/consultations/{consultation.slug}/vote-through"' in page
