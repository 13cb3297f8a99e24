"""Readings from a repeated (pulse) question: an indicator linked to a radios or scale question
of a consultation reads the share of the people answering it who gave the chosen answers (for
example "Very well" or "Fairly well"), dated the day staff take it, with how many people it is
from. A share of too few people could point at them, so it goes through ``disclosure.py``: no
reading is taken while the answers, or the people giving or not giving the chosen answers, are
fewer than the threshold. Services flush only."""

from __future__ import annotations

from sqlalchemy import func, select

from .. import audit
from ..disclosure import DEFAULT_THRESHOLD, suppress_counts
from ..extensions import db
from ..questions.models import Answer, Question, QuestionKind
from ..timeutil import to_local, utcnow
from .indicators import add_reading
from .models import Indicator, IndicatorReading, StatementError

PULSE_KINDS = (QuestionKind.RADIOS, QuestionKind.SCALE)


def pulse_questions() -> list[Question]:
    """The questions an indicator can take readings from (radios and scales), newest
    consultation first."""
    return list(
        db.session.scalars(
            select(Question)
            .where(Question.kind.in_(PULSE_KINDS))
            .order_by(Question.consultation_id.desc(), Question.position, Question.id)
        )
    )


def link_question(
    indicator: Indicator, actor, question: Question | None, answers: list[int]
) -> Indicator:
    """Link an indicator to a radios or scale question and the answers it counts (or unlink it
    with ``None``). Readings already taken stay. Audited."""
    if question is None:
        indicator.question, indicator.question_answers = None, []
        audit.record(actor, "indicator.change", indicator.commitment, note="Question unlinked")
        db.session.flush()
        return indicator
    if question.kind not in PULSE_KINDS:
        raise StatementError("Choose a question answered with one answer or a 5-point scale.")
    chosen = sorted(set(answers))
    if not chosen:
        raise StatementError("Select the answers to count.")
    if any(not 0 <= i < len(question.options) for i in chosen):
        raise StatementError("Choose from the question's answers.")
    if len(chosen) == len(question.options):
        raise StatementError("Leave at least one answer out: counting all of them is always 100%.")
    indicator.question, indicator.question_answers = question, chosen
    db.session.flush()
    audit.record(
        actor, "indicator.change", indicator.commitment, note=f"Question linked: {question.text}"
    )
    return indicator


def answer_counts(question: Question) -> dict[int, int]:
    """How many people gave each answer to the question, by the answer's index."""
    rows = db.session.execute(
        select(Answer.choice, func.count(Answer.id))
        .where(Answer.question_id == question.id, Answer.choice.is_not(None))
        .group_by(Answer.choice)
    )
    return {choice: count for choice, count in rows}


def take_reading(
    indicator: Indicator, actor, threshold: int = DEFAULT_THRESHOLD
) -> IndicatorReading:
    """Take today's reading from the answers to the indicator's question: the share (in per
    cent) of the people answering it who gave the chosen answers, kept with how many people
    answered. Refused when no question is linked, or when the figures would be suppressed."""
    question = indicator.question
    if question is None or not indicator.question_answers:
        raise StatementError("Link the indicator to a question first.")
    counts = answer_counts(question)
    chosen = sum(n for i, n in counts.items() if i in indicator.question_answers)
    others = sum(counts.values()) - chosen
    cells, total = suppress_counts({"chosen": chosen, "others": others}, threshold)
    if total is None or total == 0:
        raise StatementError(
            f"Fewer than {threshold} people have answered the question, so no reading can be "
            "taken yet."
        )
    if cells["chosen"] is None or cells["others"] is None:
        raise StatementError(
            f"Fewer than {threshold} people gave, or did not give, the chosen answers, so the "
            "share could point at them: wait for more answers."
        )
    reading = add_reading(
        indicator,
        actor,
        to_local(utcnow()).date(),
        round(100 * chosen / total, 1),
        note=f"From the answers to “{question.text}”"[:300],
    )
    reading.people = total
    db.session.flush()
    return reading
