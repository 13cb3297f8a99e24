"""Consultation lifecycle, admin editing, and what the home and consultation pages show."""

from __future__ import annotations

from datetime import timedelta

import pytest

from kil_consult.consultations.forms import parse_time
from kil_consult.consultations.models import Stage, StageError
from kil_consult.extensions import db as _db
from kil_consult.timeutil import utcnow

from .factories import make_consultation, make_idea, make_process, make_user, make_vote


def test_open_needs_a_future_closing_date(db):
    consultation = make_consultation(stage=Stage.DRAFT, closes_at=None)
    with pytest.raises(StageError, match="closing date"):
        consultation.open()
    consultation.closes_at = utcnow() + timedelta(days=5)
    consultation.open()
    assert consultation.stage is Stage.OPEN and consultation.is_accepting()


def test_wrong_transitions_are_refused(db):
    consultation = make_consultation(stage=Stage.OPEN)
    with pytest.raises(StageError, match="already open"):
        consultation.open()
    planned = consultation.closes_at
    consultation.close()
    assert consultation.stage is Stage.CLOSED
    assert consultation.ended_at() <= utcnow() < planned == consultation.closes_at
    with pytest.raises(StageError):
        consultation.close()
    draft = make_consultation(stage=Stage.DRAFT)
    with pytest.raises(StageError):
        draft.close()


def test_home_page_shows_six_with_stage_closing_date_and_counts(client, council, db):
    process = make_process()
    process.consultations[1].stage = Stage.CLOSED
    process.consultations[2].stage = Stage.DRAFT
    idea = make_idea(process.consultations[0])
    make_vote(idea)
    make_vote(idea, value="disagree")
    db.session.commit()
    page = client.get("/").get_data(as_text=True)
    assert process.consultations[0].title in page
    assert process.consultations[2].title not in page  # drafts are not public
    assert "Closes at" in page and "Closed" in page
    assert "<strong>1</strong> idea" in page
    assert "<strong>2</strong> votes" in page
    assert "<strong>3</strong> people taking part" in page


def test_draft_consultation_is_hidden_from_the_public(client, council, db, login_as):
    consultation = make_consultation(stage=Stage.DRAFT)
    db.session.commit()
    assert client.get(f"/consultations/{consultation.slug}").status_code == 404
    login_as("resident")
    assert client.get(f"/consultations/{consultation.slug}").status_code == 404


def test_staff_can_preview_a_draft(client, council, db, login_as):
    consultation = make_consultation(stage=Stage.DRAFT)
    db.session.commit()
    login_as("facilitator")
    assert client.get(f"/consultations/{consultation.slug}").status_code == 200


def test_consultation_page_shows_principle_question_next_steps_and_ideas(client, council, db):
    consultation = make_consultation(next_steps="We will report back in June.")
    make_idea(consultation, title="Open the library on Sundays")
    db.session.commit()
    page = client.get(f"/consultations/{consultation.slug}").get_data(as_text=True)
    assert "Principle 1 of 6" in page
    assert consultation.question.replace("'", "&#39;") in page
    assert "We will report back in June." in page
    assert "Open the library on Sundays" in page


def _edit_data(**overrides):
    data = {
        "title": "Whole system thinking",
        "question": "What should join up?",
        "explanation": "An explanation.",
        "next_steps": "A summary in spring.",
        "opens_on": ["1", "3", "2027"],
        "opens_time": "9:00",
        "closes_on": ["30", "6", "2027"],
        "closes_time": "5pm",
    }
    data.update(overrides)
    return data


def test_admin_edits_question_and_dates(client, council, db, login_as):
    consultation = make_consultation(stage=Stage.DRAFT)
    db.session.commit()
    login_as("admin")
    response = client.post(f"/admin/consultations/{consultation.slug}", data=_edit_data())
    assert response.status_code == 302
    _db.session.refresh(consultation)
    assert consultation.question == "What should join up?"
    # 5pm on 30 June 2027 in London (BST) is 16:00 UTC.
    assert consultation.closes_at.isoformat() == "2027-06-30T16:00:00"
    assert consultation.opens_at.isoformat() == "2027-03-01T09:00:00"


def test_bad_edit_comes_back_with_what_was_typed(client, council, db, login_as):
    consultation = make_consultation(stage=Stage.DRAFT)
    db.session.commit()
    login_as("admin")
    response = client.post(
        f"/admin/consultations/{consultation.slug}",
        data=_edit_data(question="", closes_on=["31", "2", "2027"], closes_time="25:99"),
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "There is a problem" in page
    assert "Enter the question for residents" in page
    assert "Closing date must be a real date" in page
    assert "Closing time must be a time" in page
    assert "Whole system thinking" in page  # what was typed is kept
    _db.session.refresh(consultation)
    assert consultation.question != ""


def test_closing_before_opening_is_refused(client, council, db, login_as):
    consultation = make_consultation(stage=Stage.DRAFT)
    db.session.commit()
    login_as("admin")
    response = client.post(
        f"/admin/consultations/{consultation.slug}",
        data=_edit_data(opens_on=["1", "7", "2027"], closes_on=["1", "6", "2027"]),
    )
    assert response.status_code == 400
    assert "after the opening date" in response.get_data(as_text=True)


def test_admin_opens_and_closes_and_then_nobody_can_vote(client, council, db, login_as):
    consultation = make_consultation(stage=Stage.DRAFT)
    idea = make_idea(consultation)
    db.session.commit()
    login_as("admin")
    assert client.post(f"/admin/consultations/{consultation.slug}/open").status_code == 302
    _db.session.refresh(consultation)
    assert consultation.stage is Stage.OPEN
    assert client.post(f"/ideas/{idea.id}/vote", data={"value": "agree"}).status_code == 303
    assert client.post(f"/admin/consultations/{consultation.slug}/close").status_code == 302
    response = client.post(f"/ideas/{idea.id}/vote", data={"value": "disagree"})
    assert response.status_code == 403
    assert "closed" in response.get_data(as_text=True)
    _db.session.refresh(idea)
    assert (idea.agree_count, idea.disagree_count) == (1, 0)


def test_only_admins_manage_consultations(client, council, db, login_as):
    consultation = make_consultation()
    db.session.commit()
    url = f"/admin/consultations/{consultation.slug}"
    assert client.get(url).status_code == 302  # visitors are sent to sign in
    login_as("facilitator")
    assert client.get(url).status_code == 403
    assert client.post(url + "/close").status_code == 403


def test_closing_time_is_enforced_by_the_server(client, council, db, login_as):
    consultation = make_consultation(closes_at=utcnow() + timedelta(days=1))
    idea = make_idea(consultation)
    db.session.commit()
    login_as("resident")
    consultation.closes_at = utcnow() - timedelta(seconds=1)
    db.session.commit()
    assert client.post(f"/ideas/{idea.id}/vote", data={"value": "agree"}).status_code == 403
    response = client.post(
        f"/consultations/{consultation.slug}/ideas/new", data={"title": "t", "body": "b"}
    )
    assert response.status_code == 403


@pytest.mark.parametrize(
    "text,expected",
    [
        ("17:00", (17, 0)),
        ("5pm", (17, 0)),
        ("5:30pm", (17, 30)),
        ("9.15", (9, 15)),
        ("12am", (0, 0)),
    ],
)
def test_parse_time(text, expected):
    moment = parse_time(text)
    assert (moment.hour, moment.minute) == expected


@pytest.mark.parametrize("text", ["", "25:00", "13pm", "noonish", "9:7"])
def test_parse_time_refuses_nonsense(text):
    with pytest.raises(ValueError):
        parse_time(text)


def test_people_page_makes_a_facilitator(client, council, db, login_as):
    person = make_user()
    db.session.commit()
    login_as("admin")
    response = client.post(f"/admin/people/{person.id}/role", data={"role": "facilitator"})
    assert response.status_code == 302
    _db.session.refresh(person)
    assert person.role.value == "facilitator"


def test_an_admin_cannot_demote_themselves(client, council, db, login_as):
    admin = login_as("admin")
    client.post(f"/admin/people/{admin.id}/role", data={"role": "resident"})
    _db.session.refresh(admin)
    assert admin.role.value == "admin"


def test_closing_early_keeps_the_planned_date_so_it_can_reopen(client, login_as, council, db):
    """Closing asks first, keeps the planned closing time, and reopening needs no retyping."""
    consultation = make_process().consultations[0]
    planned = utcnow().replace(microsecond=0) + timedelta(days=20)
    consultation.closes_at = planned
    db.session.commit()
    login_as("admin")

    page = client.get(f"/admin/consultations/{consultation.slug}")
    assert f'href="/admin/consultations/{consultation.slug}/close"' in page.get_data(as_text=True)
    confirm = client.get(f"/admin/consultations/{consultation.slug}/close")
    text = confirm.get_data(as_text=True)
    assert confirm.status_code == 200 and "Yes, close it now" in text
    assert db.session.get(type(consultation), consultation.id).stage is Stage.OPEN

    client.post(f"/admin/consultations/{consultation.slug}/close")
    db.session.expire_all()
    assert consultation.stage is Stage.CLOSED
    assert consultation.closes_at == planned
    assert consultation.ended_at() == consultation.closed_at < planned
    public = client.get(f"/consultations/{consultation.slug}").get_data(as_text=True)
    assert "Closed at" in public
    edit = client.get(f"/admin/consultations/{consultation.slug}").get_data(as_text=True)
    assert "its planned closing time" in edit
    # once closed, the confirmation page sends you back with a message
    again = client.get(f"/admin/consultations/{consultation.slug}/close")
    assert again.status_code == 302

    client.post(f"/admin/consultations/{consultation.slug}/open")
    db.session.expire_all()
    assert consultation.stage is Stage.OPEN and consultation.is_accepting()
    assert consultation.closes_at == planned and consultation.closed_at is None
