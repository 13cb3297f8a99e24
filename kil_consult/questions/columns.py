"""Answers to a consultation's own questions as spreadsheet columns, for facilitators importing
paper responses: read by ``ideas.spreadsheet`` once ``create_app`` registers
``QUESTION_COLUMNS``.

A column is headed with the question's words (as the consultation asks it, in any case, with
or without its question mark) or with "Question 1", "Q1" and so on in the order the questions
are asked. A cell holds one of the answers in words or its number in the list (1 for the
first); several answers to a "choose any that apply" question are separated by semicolons; a
number question takes a whole number; an empty cell is no answer.
"""

from __future__ import annotations

from ..extensions import db
from ..ideas.spreadsheet import ExtraColumns, header_words
from .models import Question, QuestionKind
from .services import QuestionError, check_value, questions_of, record_offline_answers

SEPARATOR = ";"


def _field(question: Question) -> str:
    return f"q{question.id}"


def headers_for(event) -> dict[str, tuple[str, ...]]:
    """The header names of each of the event's consultation's questions, by field."""
    headers = {}
    for number, question in enumerate(questions_of(event.consultation), start=1):
        words = header_words(question.text)
        names = {words, words.rstrip("?").rstrip(), f"question {number}", f"q{number}"}
        headers[_field(question)] = tuple(sorted(names))
    return headers


def _choice(question: Question, text: str) -> int | None:
    """The index of the option a cell names, by its words or its number (None if neither)."""
    wanted = header_words(text)
    for index, option in enumerate(question.options):
        if wanted == header_words(option):
            return index
    if wanted.isdigit() and 1 <= int(wanted) <= len(question.options):
        return int(wanted) - 1
    return None


def _value(question: Question, text: str):
    """A cell's answer in the shape the form gives it, or ``QuestionError`` with what to fix."""
    if question.kind is QuestionKind.CHECKBOXES:
        parts = [p.strip() for p in text.split(SEPARATOR) if p.strip()]
        chosen = [_choice(question, p) for p in parts]
        wrong = [p for p, c in zip(parts, chosen, strict=True) if c is None]
        if wrong:
            raise QuestionError(f"“{wrong[0]}” is not one of the answers")
        return check_value(question, chosen, enforce_required=False)
    if question.kind.has_options:
        choice = _choice(question, text)
        if choice is None:
            raise QuestionError(f"“{text}” is not one of the answers")
        return check_value(question, choice, enforce_required=False)
    if question.kind is QuestionKind.NUMBER:
        digits = text.replace(",", "").strip()
        if not digits.isdigit():
            raise QuestionError(f"“{text}” is not a whole number")
        return check_value(question, int(digits), enforce_required=False)
    return check_value(question, text, enforce_required=False)


def _read(values: dict[str, str]) -> tuple[dict[int, object], list[str]]:
    answers: dict[int, object] = {}
    errors = []
    for field, text in values.items():
        question = db.session.get(Question, int(field[1:])) if field[1:].isdigit() else None
        if question is None:
            continue  # a question removed since the file was checked is not answered
        try:
            answers[question.id] = _value(question, text)
        except QuestionError as exc:
            errors.append(f"{_short(question.text)}: {str(exc).rstrip('.')}")
    return answers, errors


def _short(text: str) -> str:
    return f"“{text}”" if len(text) <= 60 else f"“{text[:57].rstrip()}…”"


def check(values: dict[str, str]) -> list[str]:
    """A row's mistakes in its answers to the questions, in words."""
    return _read(values)[1]


def store(event, facilitator, idea, values: dict[str, str]) -> None:
    """Keep a row's answers as one paper form's response, in the area of its idea."""
    answers, _errors = _read(values)
    if any(v is not None for v in answers.values()):
        record_offline_answers(event, facilitator, answers, idea.neighbourhood_id)


def help_for(event) -> list[str]:
    """How to put the answers to each of the consultation's questions in a spreadsheet."""
    questions = questions_of(event.consultation)
    if not questions:
        return []
    lines = [
        "Answers to this consultation’s questions (optional): a column headed with the "
        "question’s words, or “Question 1”, “Question 2” and so on in the order below; in each "
        "cell one of the answers in words or its number in the list (1 for the first), "
        "several answers separated by semicolons (;) where more than one may be chosen, and an "
        "empty cell for no answer"
    ]
    for number, question in enumerate(questions, start=1):
        if question.kind.has_options:
            answers = "; ".join(
                f"{i} {option}" for i, option in enumerate(question.options, start=1)
            )
            how = ("any of " if question.kind.is_checkboxes else "one of ") + answers
        elif question.kind.is_number:
            how = "a whole number"
        else:
            how = "a short answer in words (500 characters or fewer)"
        lines.append(f"Question {number}, “{question.text}”: {how}")
    return lines


QUESTION_COLUMNS = ExtraColumns(
    name="questions",
    headers={},
    check=check,
    store=store,
    headers_for=headers_for,
    help_for=help_for,
)
