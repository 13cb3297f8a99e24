"""The question pages over HTTP: building, answering one to a page, checking and changing
answers, paper forms, the results page and its CSV."""

from __future__ import annotations

import random

from kil_consult.accounts.models import Role
from kil_consult.consultations.models import Stage
from kil_consult.disclosure import suppress_table, suppress_together
from kil_consult.ideas import offline
from kil_consult.ideas.models import Source
from kil_consult.questions import services
from kil_consult.questions.models import Placement, QuestionKind, QuestionResponse
from kil_consult.timeutil import utcnow
from tests import factories


def test_a_facilitator_adds_a_question_and_mistakes_come_back(client, login_as, db):
    consultation = factories.make_consultation()
    login_as(Role.FACILITATOR)
    page = f"/admin/consultations/{consultation.slug}/questions/new"
    assert client.get(page).status_code == 200
    bad = client.post(page, data={"text": "", "kind": "radios", "options": "One"})
    assert bad.status_code == 400
    assert b"govuk-error-summary" in bad.data and b"Enter the question" in bad.data
    bad = client.post(page, data={"text": "Which?", "kind": "radios", "options": "One"})
    assert bad.status_code == 400 and b"at least 2" in bad.data
    assert b"Which?" in bad.data  # the rejected form comes back filled in
    ok = client.post(
        page,
        data={
            "text": "Which?",
            "kind": "radios",
            "options": "One\nTwo",
            "required": "yes",
            "placement": "before",
        },
    )
    assert ok.status_code == 302
    listing = client.get(f"/admin/consultations/{consultation.slug}/questions")
    assert b"Which?" in listing.data and b"must be answered" in listing.data


def test_residents_cannot_build_questions(client, login_as, db):
    consultation = factories.make_consultation()
    login_as(Role.RESIDENT)
    assert client.get(f"/admin/consultations/{consultation.slug}/questions").status_code == 403


def test_a_resident_answers_one_to_a_page_checks_and_changes(client, login_as, db):
    consultation = factories.make_consultation()
    first = services.add_question(
        consultation, QuestionKind.RADIOS, "Which?", options=["One", "Two"], required=True
    )
    services.add_question(consultation, QuestionKind.NUMBER, "How many?")
    db.session.commit()
    person = login_as(Role.RESIDENT)
    show = client.get(f"/consultations/{consultation.slug}")
    assert b"answer 2 short questions" in show.data
    base = f"/consultations/{consultation.slug}/questions/before"
    page = client.get(f"{base}/1")
    assert page.status_code == 200 and b"Question 1 of 2" in page.data
    missed = client.post(f"{base}/1", data={})
    assert missed.status_code == 400 and b"Select an answer" in missed.data
    assert b"govuk-error-summary" in missed.data
    assert client.post(f"{base}/1", data={"answer": "1"}).headers["Location"].endswith(f"{base}/2")
    bad = client.post(f"{base}/2", data={"answer": "lots"})
    assert bad.status_code == 400
    assert (
        client.post(f"{base}/2", data={"answer": "3"}).headers["Location"].endswith(f"{base}/check")
    )
    check = client.get(f"{base}/check")
    assert b"Two" in check.data and b"3" in check.data and b"Change" in check.data
    changed = client.post(f"{base}/1?change=1", data={"answer": "0"})
    assert changed.headers["Location"].endswith(f"{base}/check")
    response = db.session.query(QuestionResponse).filter_by(user_id=person.id).one()
    assert {a.question_id: a.value for a in response.answers}[first.id] == 0
    assert client.get(f"{base}/3").status_code == 404


def test_answers_stop_when_the_consultation_closes(client, login_as, db):
    consultation = factories.make_consultation()
    services.add_question(consultation, QuestionKind.TEXT, "Why?")
    consultation.stage = Stage.CLOSED
    db.session.commit()
    login_as(Role.RESIDENT)
    response = client.post(
        f"/consultations/{consultation.slug}/questions/before/1", data={"answer": "x"}
    )
    assert response.status_code == 403
    assert b"no longer taking" in response.data


def test_after_questions_are_offered_on_the_new_idea(client, login_as, db):
    consultation = factories.make_consultation()
    services.add_question(
        consultation, QuestionKind.TEXT, "Anything else?", placement=Placement.AFTER
    )
    db.session.commit()
    person = login_as(Role.RESIDENT)
    idea = factories.make_idea(consultation, person)
    db.session.commit()
    page = client.get(f"/ideas/{idea.id}")
    assert b"After you share an idea" in page.data
    assert f"/consultations/{consultation.slug}/questions/after/1".encode() in page.data


def test_staff_enter_a_paper_form(client, login_as, db):
    consultation = factories.make_consultation()
    question = services.add_question(
        consultation, QuestionKind.CHECKBOXES, "Which?", options=["A", "B", "C"]
    )
    staff = login_as(Role.FACILITATOR)
    event = offline.record_event(consultation, staff, Source.PAPER, "Forms", utcnow().date())
    db.session.commit()
    page = f"/admin/offline/{event.id}/answers"
    assert client.get(page).status_code == 200
    empty = client.post(page, data={})
    assert empty.status_code == 400 and b"at least one answer" in empty.data
    saved = client.post(page, data={f"q{question.id}": ["0", "2"]})
    assert saved.status_code == 302
    response = db.session.query(QuestionResponse).one()
    assert response.source is Source.PAPER and response.answers[0].choices == [0, 2]


def test_results_page_and_csv_show_suppressed_answers(client, login_as, db):
    consultation = factories.make_consultation()
    place = factories.make_neighbourhood("Northtown")
    question = services.add_question(consultation, QuestionKind.SCALE, "How well?", scale="well")
    for n in range(13):
        services.answer_question(factories.make_user(neighbourhood=place), question, n % 2)
    db.session.commit()
    login_as(Role.FACILITATOR)
    page = client.get(f"/consultations/{consultation.slug}/results")
    assert page.status_code == 200
    assert b"Answers to the questions" in page.data and b"fewer than 10" in page.data
    assert b"Question 1 by neighbourhood" in page.data
    csv = client.get(f"/consultations/{consultation.slug}/results/questions.csv")
    assert csv.status_code == 200
    text = csv.data.decode("utf-8-sig")
    assert "question,question text,by,group,answer,people,note" in text
    assert "fewer than 10" in text and ",13," in text


def test_suppressing_together_hides_the_same_totals_in_every_table():
    generator = random.Random(7)
    disagreed = 0
    for _ in range(200):
        rows = ["a", "b", "c"]
        first = {r: {c: generator.choice([0, 2, 5, 12, 30]) for c in "xyz"} for r in rows}
        totals = {r: sum(first[r].values()) for r in rows}
        second = {}
        for r in rows:  # the same row totals split another way
            left = generator.randint(0, totals[r])
            second[r] = {"p": left, "q": totals[r] - left}
        alone = [suppress_table(t).row_totals for t in (first, second)]
        disagreed += alone[0] != alone[1]
        together = suppress_together({"one": first, "two": second})
        assert together["one"].row_totals == together["two"].row_totals
        assert together["one"].total == together["two"].total
    assert disagreed  # the case the function is for does happen


def test_open_data_has_the_answers_only_as_counts_once_results_are_public(db):
    import json

    from kil_consult.exports.opendata import json_stream
    from kil_consult.statements import summaries

    consultation = factories.make_consultation()
    question = services.add_question(
        consultation, QuestionKind.RADIOS, "Which?", options=["One", "Two"]
    )
    words = services.add_question(consultation, QuestionKind.TEXT, "Why?")
    for n in range(12):
        person = factories.make_user()
        services.answer_question(person, question, n % 2)
        services.answer_question(person, words, f"A private reason {n}")
    db.session.commit()
    data = json.loads("".join(json_stream(consultation)))
    assert data["question_answers"] == []  # results are not public while it is open
    staff = factories.make_user(Role.FACILITATOR)
    summaries.save_draft(consultation, staff, "We asked.", "", "We will.", "", [])
    consultation.stage = Stage.CLOSED
    summaries.publish(consultation, staff, early_reason="Test")
    db.session.commit()
    text = "".join(json_stream(consultation))
    rows = json.loads(text)["question_answers"]
    assert {
        "question": 1,
        "question_text": "Which?",
        "by": "all",
        "group": "All",
        "answer": "People who answered",
        "people": 12,
        "note": "",
    } in rows
    assert any(r["note"] == "fewer than 10" and r["people"] == "" for r in rows)
    assert "private reason" not in text


def test_the_consultation_report_shows_the_answers_by_neighbourhood(db):
    import io

    from docx import Document as read_docx

    from kil_consult.exports.docx import write_docx
    from kil_consult.exports.report import report_document
    from kil_consult.statements import summaries

    consultation = factories.make_consultation()
    place = factories.make_neighbourhood("Northtown")
    question = services.add_question(
        consultation, QuestionKind.RADIOS, "Which?", options=["One", "Two"]
    )
    for n in range(14):
        services.answer_question(factories.make_user(neighbourhood=place), question, n % 2)
    staff = factories.make_user(Role.FACILITATOR)
    summaries.save_draft(consultation, staff, "We asked.", "", "We will.", "", [])
    summaries.publish(consultation, staff, early_reason="Test")
    db.session.commit()
    document = report_document(consultation)
    word = read_docx(io.BytesIO(write_docx(document)))
    cells = [c.text for table in word.tables for row in table.rows for c in row.cells]
    assert "Northtown" in cells and "fewer than 10" in cells
    assert any(p.text.startswith("People who answered: 14.") for p in word.paragraphs)
    assert any(p.text == "1. Which?" for p in word.paragraphs)
