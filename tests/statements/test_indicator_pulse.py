"""Readings from a repeated question: an indicator linked to a radios or scale question reads
the share of people giving the chosen answers, never from fewer people than the threshold."""

from __future__ import annotations

from datetime import date

import pytest

from kil_consult.questions import services as questions
from kil_consult.questions.models import QuestionKind
from kil_consult.statements import indicators, pulse, services
from kil_consult.statements.models import Frequency, StatementError
from kil_consult.timeutil import to_local, utcnow
from tests import factories

from . import world as statement_world

BASE = {
    "name": "Residents who feel the council listens",
    "unit": "%",
    "baseline_value": 40.0,
    "baseline_on": date(2026, 4, 1),
    "target_value": 60.0,
    "target_on": date(2029, 3, 31),
    "frequency": Frequency.QUARTERLY,
}


@pytest.fixture
def setup(db):
    w = statement_world.build()
    statement = services.start_from_summaries(w.process, w.facilitator)
    commitment = next(iter(services.commitments_by_id(statement).values()))
    indicator = indicators.add_indicator(commitment, w.admin, **BASE)
    consultation = w.process.consultations[0]
    scale = questions.add_question(
        consultation, QuestionKind.SCALE, "How well does the council listen?", scale="well"
    )
    db.session.commit()
    return w, indicator, scale


def _answer(question, choices: list[int]) -> None:
    for choice in choices:
        questions.answer_question(factories.make_user(), question, choice)


def test_only_radios_or_a_scale_with_some_answers_left_out_can_be_linked(setup, db):
    w, indicator, scale = setup
    boxes = questions.add_question(
        scale.consultation, QuestionKind.CHECKBOXES, "Which?", options=["A", "B"]
    )
    with pytest.raises(StatementError, match="one answer or a 5-point scale"):
        pulse.link_question(indicator, w.admin, boxes, [0])
    with pytest.raises(StatementError, match="Select the answers"):
        pulse.link_question(indicator, w.admin, scale, [])
    with pytest.raises(StatementError, match="always 100%"):
        pulse.link_question(indicator, w.admin, scale, [0, 1, 2, 3, 4])
    with pytest.raises(StatementError, match="question's answers"):
        pulse.link_question(indicator, w.admin, scale, [7])
    pulse.link_question(indicator, w.admin, scale, [1, 0])
    assert indicator.question == scale and indicator.question_answers == [0, 1]
    assert scale in pulse.pulse_questions() and boxes not in pulse.pulse_questions()


def test_a_reading_is_the_share_giving_the_chosen_answers_with_its_people(setup, db):
    w, indicator, scale = setup
    pulse.link_question(indicator, w.admin, scale, [0, 1])
    _answer(scale, [0] * 6 + [1] * 6 + [3] * 12)  # 12 of 24 say very or fairly well
    reading = pulse.take_reading(indicator, w.facilitator, threshold=10)
    assert reading.value == 50.0 and reading.people == 24
    assert reading.taken_on == to_local(utcnow()).date()
    assert "How well does the council listen?" in reading.note
    assert indicators.trend_of(indicator).latest.value == 50.0


def test_no_reading_from_fewer_people_than_the_threshold(setup, db):
    w, indicator, scale = setup
    with pytest.raises(StatementError, match="Link the indicator"):
        pulse.take_reading(indicator, w.facilitator)
    pulse.link_question(indicator, w.admin, scale, [0])
    with pytest.raises(StatementError, match="Fewer than 10 people have answered"):
        pulse.take_reading(indicator, w.facilitator, threshold=10)
    _answer(scale, [0] * 5 + [4] * 4)  # 9 people
    with pytest.raises(StatementError, match="Fewer than 10 people have answered"):
        pulse.take_reading(indicator, w.facilitator, threshold=10)
    _answer(scale, [4] * 12)  # 21 people, only 5 of them giving the chosen answer
    with pytest.raises(StatementError, match="could point at them"):
        pulse.take_reading(indicator, w.facilitator, threshold=10)
    _answer(scale, [0] * 5)  # 10 of 26
    assert pulse.take_reading(indicator, w.facilitator, threshold=10).people == 26


def test_staff_link_a_question_and_take_a_reading_on_the_pages(client, login_as, setup, db):
    w, indicator, scale = setup
    _answer(scale, [0] * 10 + [2] * 10)
    db.session.commit()
    login_as(w.admin)
    page = f"/admin/indicators/{indicator.id}/question"
    listing = client.get(page).get_data(as_text=True)
    assert "How well does the council listen?" in listing
    assert f"?question={scale.id}" in listing
    chosen = client.get(f"{page}?question={scale.id}").get_data(as_text=True)
    assert "Fairly well" in chosen and "Which answers should a reading count?" in chosen
    missing = client.post(f"{page}?question={scale.id}", data={})
    assert missing.status_code == 400 and "Select the answers to count" in missing.text
    linked = client.post(f"{page}?question={scale.id}", data={"answers": ["0"]})
    assert linked.status_code == 302
    readings = client.get(f"/admin/indicators/{indicator.id}/readings").get_data(as_text=True)
    assert "Take a reading from the answers" in readings and "counting: " in readings
    assert "Very well" in client.get(page).text  # linked: the page shows the chosen answers
    assert "Choose the question" in client.get(f"{page}?question=choose").text
    taken = client.post(f"/admin/indicators/{indicator.id}/readings/from-answers")
    assert taken.status_code == 302
    db.session.refresh(indicator)
    assert [(r.value, r.people) for r in indicator.readings] == [(50.0, 20)]
    shown = client.get(f"/admin/indicators/{indicator.id}/readings").get_data(as_text=True)
    assert "from 20 people" in shown
    again = client.post(f"/admin/indicators/{indicator.id}/readings/from-answers")
    assert again.status_code == 302  # a second reading today is refused with a message
    assert "already a reading" in client.get(again.headers["Location"]).text
    assert client.get(f"{page}?question=999999").status_code == 404
    client.post(f"{page}/remove")
    db.session.refresh(indicator)
    assert indicator.question is None and len(indicator.readings) == 1


def test_a_resident_cannot_link_or_take_readings(client, login_as, setup):
    _w, indicator, _scale = setup
    login_as("resident")
    assert client.get(f"/admin/indicators/{indicator.id}/question").status_code == 403
    taken = client.post(f"/admin/indicators/{indicator.id}/readings/from-answers")
    assert taken.status_code == 403
