"""Closed questions: building them, answering once per person, changing answers while open,
paper forms, the baseline, and the published figures (suppressed through ``disclosure``)."""

from __future__ import annotations

import pytest

from kil_consult import policy
from kil_consult.accounts.models import Role
from kil_consult.consultations.models import Stage
from kil_consult.ideas import offline
from kil_consult.ideas.models import Source
from kil_consult.questions import baseline, services
from kil_consult.questions.models import Placement, QuestionKind, QuestionResponse
from kil_consult.questions.results import question_results
from kil_consult.questions.tables import answer_rows
from kil_consult.timeutil import utcnow
from tests import factories


def _radios(consultation, **kwargs):
    return services.add_question(
        consultation,
        QuestionKind.RADIOS,
        "How do you usually hear about council news?",
        options=["Online", "Newsletter", "Word of mouth"],
        **kwargs,
    )


def test_choice_questions_need_two_different_options(db):
    consultation = factories.make_consultation()
    for options, message in (
        (["Only one"], "at least 2"),
        (["Same", "same"], "must be different"),
        ([str(n) for n in range(13)], "no more than 12"),
    ):
        with pytest.raises(services.QuestionError, match=message):
            services.add_question(consultation, QuestionKind.CHECKBOXES, "Q?", options=options)


def test_a_scale_takes_a_standard_five_point_scale(db):
    consultation = factories.make_consultation()
    question = services.add_question(consultation, QuestionKind.SCALE, "Q?", scale="well")
    assert question.options[0] == "Very well" and len(question.options) == 5
    with pytest.raises(services.QuestionError, match="5-point"):
        services.add_question(consultation, QuestionKind.SCALE, "Q?", scale="nonsense")


def test_before_questions_come_first_and_move_within_their_set(db):
    consultation = factories.make_consultation()
    after = _radios(consultation, placement=Placement.AFTER)
    first = services.add_question(consultation, QuestionKind.NUMBER, "How many?")
    second = services.add_question(consultation, QuestionKind.TEXT, "Why?")
    assert services.questions_of(consultation) == [first, second, after]
    services.move_question(second, -1)
    assert services.questions_of(consultation) == [second, first, after]
    services.move_question(second, -1)  # already first: nothing happens
    assert services.questions_of(consultation, Placement.BEFORE) == [second, first]


def test_one_response_per_person_and_answers_change(db):
    consultation = factories.make_consultation()
    question = _radios(consultation)
    person = factories.make_user()
    services.answer_question(person, question, 0)
    services.answer_question(person, question, 2)
    responses = db.session.query(QuestionResponse).all()
    assert len(responses) == 1
    assert responses[0].answers[0].choice == 2
    assert responses[0].answers[0].words() == "Word of mouth"


def test_required_questions_refuse_no_answer_and_optional_ones_clear(db):
    consultation = factories.make_consultation()
    required = _radios(consultation, required=True)
    optional = services.add_question(consultation, QuestionKind.NUMBER, "How many?")
    person = factories.make_user()
    with pytest.raises(services.QuestionError, match="Select an answer"):
        services.answer_question(person, required, None)
    services.answer_question(person, optional, 4)
    response = services.answer_question(person, optional, None)
    assert response.answers == []


@pytest.mark.parametrize(
    ("kind", "value", "message"),
    [
        (QuestionKind.RADIOS, 7, "Choose from"),
        (QuestionKind.CHECKBOXES, [0, 9], "Choose from"),
        (QuestionKind.NUMBER, -1, "0 or more"),
        (QuestionKind.TEXT, "x" * 501, "500 characters"),
    ],
)
def test_answers_outside_the_question_are_refused(db, kind, value, message):
    consultation = factories.make_consultation()
    question = services.add_question(consultation, kind, "Q?", options=["A", "B"])
    with pytest.raises(services.QuestionError, match=message):
        services.answer_question(factories.make_user(), question, value)


def test_answered_questions_keep_their_options_and_stay(db):
    consultation = factories.make_consultation()
    question = _radios(consultation)
    services.answer_question(factories.make_user(), question, 1)
    with pytest.raises(services.QuestionError, match="cannot change"):
        services.change_question(question, QuestionKind.RADIOS, "New words", options=["X", "Y"])
    with pytest.raises(services.QuestionError, match="cannot be removed"):
        services.remove_question(question)
    services.change_question(
        question, QuestionKind.RADIOS, "New words", options=question.options, required=True
    )
    assert question.text == "New words" and question.required


@pytest.mark.parametrize("stage", list(Stage))
def test_who_may_answer_build_and_switch_on_the_baseline(db, stage):
    consultation = factories.make_consultation(stage=stage)
    resident = factories.make_user()
    unconfirmed = factories.make_user(confirmed=False)
    facilitator = factories.make_user(Role.FACILITATOR)
    admin = factories.make_user(Role.ADMIN)
    assert policy.allowed("questions.answer", resident, consultation) is (stage is Stage.OPEN)
    assert not policy.allowed("questions.answer", unconfirmed, consultation)
    assert policy.allowed("questions.manage", facilitator, consultation)
    assert not policy.allowed("questions.manage", resident, consultation)
    assert policy.allowed("questions.baseline", admin, consultation)
    assert not policy.allowed("questions.baseline", facilitator, consultation)
    assert policy.allowed("questions.paper", facilitator, consultation) is (
        stage is not Stage.DRAFT
    )


def test_paper_forms_are_one_response_each_with_the_events_source_and_place(db):
    consultation = factories.make_consultation()
    place = factories.make_neighbourhood("Northtown")
    question = _radios(consultation, required=True)
    staff = factories.make_user(Role.FACILITATOR)
    event = offline.record_event(
        consultation, staff, Source.EVENT, "Workshop", utcnow().date(), neighbourhood_id=place.id
    )
    for _ in range(2):
        services.record_offline_answers(event, staff, {question.id: 1})
    responses = db.session.query(QuestionResponse).all()
    assert len(responses) == 2
    assert {(r.source, r.neighbourhood_id, r.user_id) for r in responses} == {
        (Source.EVENT, place.id, None)
    }
    with pytest.raises(services.QuestionError, match="at least one answer"):
        services.record_offline_answers(event, staff, {question.id: None})
    assert services.offline_count(event) == 2


def test_the_baseline_adds_its_set_once(db):
    consultation = factories.make_process().consultations[4]  # principle 5
    assert not baseline.is_switched_on(consultation)
    assert baseline.switch_on(consultation) == 2
    assert baseline.is_switched_on(consultation)
    assert baseline.switch_on(consultation) == 0
    texts = [q.text for q in services.questions_of(consultation)]
    assert "How well does the council work with local organisations today?" in texts


def test_every_principle_has_a_baseline_set():
    assert set(baseline.BASELINE) == {1, 2, 3, 4, 5, 6}


# --- the published figures ----------------------------------------------------------------


def _answers(consultation, question, value, n, place=None):
    for _ in range(n):
        person = factories.make_user(neighbourhood=place)
        services.answer_question(person, question, value)


def test_results_suppress_small_counts_and_agree_across_tables(db):
    consultation = factories.make_consultation()
    north = factories.make_neighbourhood("Northtown")
    south = factories.make_neighbourhood("Southville")
    question = _radios(consultation)
    _answers(consultation, question, 0, 12, north)
    _answers(consultation, question, 0, 11, south)
    _answers(consultation, question, 1, 3, north)  # too few to show
    _answers(consultation, question, 2, 15, south)
    result = question_results(consultation).questions[0]
    counts = {c.label: c.people for c in result.counts}
    assert counts["Newsletter"] is None  # 3 people
    # the table's totals are the same figures as the overall counts, hidden alike
    assert [row.total for row in result.by_neighbourhood.rows] == list(counts.values())
    assert [row.total for row in result.by_source.rows] == list(counts.values())
    assert result.answered == result.by_neighbourhood.total == result.by_source.total
    # no hidden figure can be recovered from the published ones: at least two hidden in the
    # overall line, or its total hidden too
    hidden = [v for v in counts.values() if v is None]
    assert len(hidden) >= 2 or result.answered is None
    rows = list(answer_rows(question_results(consultation)))
    assert all(row[5] == "" for row in rows if row[6])  # a note only where hidden


def test_number_questions_show_an_average_only_with_enough_answers(db):
    consultation = factories.make_consultation()
    question = services.add_question(consultation, QuestionKind.NUMBER, "How many visits?")
    _answers(consultation, question, 4, 5)
    result = question_results(consultation).questions[0]
    assert result.answered is None and result.mean is None
    _answers(consultation, question, 6, 5)
    result = question_results(consultation).questions[0]
    assert (result.answered, result.mean, result.median) == (10, 5.0, 5.0)


def test_checkboxes_count_ticks_and_people_apart(db):
    consultation = factories.make_consultation()
    question = services.add_question(
        consultation, QuestionKind.CHECKBOXES, "Which?", options=["A", "B"]
    )
    _answers(consultation, question, [0, 1], 10)
    result = question_results(consultation).questions[0]
    assert result.answered == 10
    assert [c.people for c in result.counts] == [10, 10]
    assert result.by_neighbourhood.total == 20


@pytest.mark.parametrize("keep", [True, False])
def test_erasing_an_account_unties_or_removes_its_answers(db, keep):
    from kil_consult.personal_data.services import erase_account, export_data

    consultation = factories.make_consultation()
    question = _radios(consultation)
    person = factories.make_user()
    services.answer_question(person, question, 1)
    assert export_data(person)["answers_to_questions"][0]["answer"] == "Newsletter"
    erase_account(person, keep_contributions=keep)
    db.session.flush()
    db.session.expire_all()
    responses = db.session.query(QuestionResponse).all()
    if keep:
        assert [r.user_id for r in responses] == [None]
        assert question_results(consultation, threshold=1).questions[0].answered == 1
    else:
        assert responses == []
