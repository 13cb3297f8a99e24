"""Answers to the consultation's questions read from the spreadsheet import: columns named by
the question, checked row by row, all imported or none."""

from __future__ import annotations

import io
import re

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select

from kil_consult.extensions import db as _db
from kil_consult.ideas.models import Idea, Source
from kil_consult.questions import services
from kil_consult.questions.models import Answer, QuestionKind, QuestionResponse
from tests.factories import make_consultation, make_neighbourhood


@pytest.fixture
def setup(client, council, db, login_as):
    consultation = make_consultation()
    make_neighbourhood("Hastings")
    questions = [
        services.add_question(
            consultation, QuestionKind.SCALE, "How well does the council listen?", scale="well"
        ),
        services.add_question(
            consultation,
            QuestionKind.CHECKBOXES,
            "What matters most?",
            options=["Parks", "Buses", "Libraries"],
        ),
        services.add_question(consultation, QuestionKind.NUMBER, "How many years here?"),
        services.add_question(
            consultation, QuestionKind.RADIOS, "Would you volunteer?", options=["Yes", "No"]
        ),
    ]
    db.session.commit()
    login_as("facilitator")
    response = client.post(
        f"/admin/consultations/{consultation.slug}/offline",
        data={"kind": "paper", "name": "Library box", "held_on": ["2", "3", "2026"]},
    )
    return response.headers["Location"], questions


def _upload(client, url, content: bytes, name: str = "responses.csv"):
    return client.post(
        f"{url}/import",
        data={"spreadsheet": (io.BytesIO(content), name)},
        content_type="multipart/form-data",
    )


def _payload(page: str) -> str:
    return re.search(r'name="payload" value="([^"]+)"', page).group(1)


def _count(model) -> int:
    return _db.session.scalar(select(func.count()).select_from(model)) or 0


def test_the_import_page_explains_the_question_columns(client, setup):
    url, _questions = setup
    page = client.get(f"{url}/import").get_data(as_text=True)
    assert "Answers to this consultation’s questions" in page
    assert "Question 1, “How well does the council listen?”: one of 1 Very well" in page
    assert "Question 2, “What matters most?”: any of 1 Parks; 2 Buses; 3 Libraries" in page
    assert "Question 3, “How many years here?”: a whole number" in page


def test_a_csv_with_answers_imports_ideas_and_one_response_a_row(client, setup):
    url, (scale, boxes, number, radios) = setup
    csv = (
        b"Title,Idea,Area,How well does the council listen,Question 2,q3,WOULD YOU VOLUNTEER?\n"
        b'Benches,Somewhere to sit,Hastings,fairly well,Parks; 3,"1,200",2\n'
        b"Buses,Earlier buses,,1,,,\n"
        b"Fridge,At the hall,,,,,\n"
    )
    page = _upload(client, url, csv).get_data(as_text=True)
    assert "3 ideas ready to import" in page
    assert _count(QuestionResponse) == 0
    done = client.post(f"{url}/import/confirm", data={"payload": _payload(page)})
    assert done.status_code == 302
    assert _count(Idea) == 3
    responses = _db.session.scalars(select(QuestionResponse).order_by(QuestionResponse.id)).all()
    assert len(responses) == 2  # the row without answers gives no response
    first = {a.question_id: a.value for a in responses[0].answers}
    assert first == {scale.id: 1, boxes.id: [0, 2], number.id: 1200, radios.id: 1}
    assert responses[0].source is Source.PAPER
    assert responses[0].neighbourhood.name == "Hastings"
    assert {a.question_id: a.value for a in responses[1].answers} == {scale.id: 0}


def test_rows_with_wrong_answers_import_nothing(client, setup):
    url, _questions = setup
    csv = (
        b"Title,Idea,Question 1,Question 2,Question 3\n"
        b"Fine,All good,Very well,Buses,4\n"
        b"Odd scale,Hmm,Quite well,,\n"
        b"Odd box,Hmm,,Parks;Trains,\n"
        b"Odd number,Hmm,,,a few\n"
        b"Out of range,Hmm,6,,\n"
    )
    response = _upload(client, url, csv)
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and "4 of 5 rows need correcting" in page
    assert "“How well does the council listen?”: “Quite well” is not one of the answers" in page
    assert "“What matters most?”: “Trains” is not one of the answers" in page
    assert "“How many years here?”: “a few” is not a whole number" in page
    assert "“6” is not one of the answers" in page
    assert 'name="payload"' not in page
    assert _count(Idea) == 0 and _count(QuestionResponse) == 0 and _count(Answer) == 0


def test_an_excel_workbook_with_answers_imports_too(client, setup):
    url, (scale, boxes, number, _radios) = setup
    book = Workbook()
    sheet = book.active
    sheet.append(["Title", "Description", "Q1", "Q2", "How many years here?"])
    sheet.append(["Community fridge", "At the church hall", "Very badly", "Buses", 12])
    data = io.BytesIO()
    book.save(data)
    page = _upload(client, url, data.getvalue(), "responses.xlsx").get_data(as_text=True)
    assert "1 idea ready to import" in page
    client.post(f"{url}/import/confirm", data={"payload": _payload(page)})
    response = _db.session.scalars(select(QuestionResponse)).one()
    assert {a.question_id: a.value for a in response.answers} == {
        scale.id: 4,
        boxes.id: [1],
        number.id: 12,
    }


def test_columns_of_another_consultations_questions_are_not_read(client, setup, db):
    url, _questions = setup
    other = make_consultation()
    services.add_question(other, QuestionKind.RADIOS, "Favourite colour?", options=["Red", "Green"])
    db.session.commit()
    page = _upload(client, url, b"Title,Idea,Favourite colour?\nA,B,Blue\n").get_data(as_text=True)
    assert "1 idea ready to import" in page  # an unknown column is ignored, as before
