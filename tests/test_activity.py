"""Your contributions are yours (issue 17 item 4, in part): your activity page, and changing
the name shown with your ideas and your neighbourhood."""

from __future__ import annotations

from kil_consult.consultations.models import Stage
from tests import factories


def _world(db):
    factories.make_council()
    north = factories.make_neighbourhood("Northtown")
    south = factories.make_neighbourhood("Southville")
    consultation = factories.make_process(stage=Stage.OPEN).consultations[0]
    me = factories.make_user(display_name="Sam", neighbourhood=north)
    mine = factories.make_idea(consultation, me, title="My market idea")
    factories.make_idea(consultation, me, title="My waiting idea", visibility="pending")
    other = factories.make_idea(consultation, title="Someone else's bus idea")
    factories.make_comment(other, me, "I would use this bus.")
    factories.make_vote(other, me, "disagree")
    factories.make_idea(consultation, title="Not mine at all")
    db.session.commit()
    return me, mine, other, north, south


def test_activity_lists_my_ideas_comments_and_votes(client, db, login_as):
    me, mine, other, *_ = _world(db)
    login_as(me)
    page = client.get("/account/activity").get_data(as_text=True)
    assert "Ideas (2)" in page and "Comments (1)" in page and "Votes (1)" in page
    assert "My market idea" in page and "My waiting idea" in page
    assert "Waiting for a moderator" in page
    assert "I would use this bus." in page and "Someone else&#39;s bus idea" in page
    assert "<strong>Disagree</strong>" in page
    assert "Not mine at all" not in page
    assert 'href="/account/activity"' in client.get("/account").get_data(as_text=True)


def test_activity_needs_signing_in(client, db):
    response = client.get("/account/activity")
    assert response.status_code == 302 and "/account/sign-in" in response.headers["Location"]


def test_change_name_and_neighbourhood(client, db, login_as):
    me, mine, _other, north, south = _world(db)
    login_as(me)
    form = client.get("/account/details").get_data(as_text=True)
    assert 'value="Sam"' in form
    response = client.post(
        "/account/details", data={"display_name": "  Samira  ", "neighbourhood_id": str(south.id)}
    )
    assert response.status_code == 302
    db.session.refresh(me)
    assert me.display_name == "Samira" and me.neighbourhood_id == south.id
    assert "Shared by <bdi>Samira</bdi>" in client.get(f"/ideas/{mine.id}").get_data(as_text=True)
    client.post("/account/details", data={"display_name": "Samira", "neighbourhood_id": ""})
    db.session.refresh(me)
    assert me.neighbourhood_id is None


def test_bad_details_get_a_message(client, db, login_as):
    me, *_ = _world(db)
    login_as(me)
    for data in (
        {"display_name": "", "neighbourhood_id": ""},
        {"display_name": "x" * 61, "neighbourhood_id": ""},
        {"display_name": "Sam", "neighbourhood_id": "999999"},
        {"display_name": "Sam\x07", "neighbourhood_id": ""},
    ):
        response = client.post("/account/details", data=data)
        assert response.status_code == 400, data
        assert "There is a problem" in response.get_data(as_text=True)
    db.session.refresh(me)
    assert me.display_name == "Sam"
