"""The workflows of questions: building a consultation's questions, answering them online,
entering answers from a workshop or a paper form. Each flushes and never commits."""

from __future__ import annotations

from sqlalchemy import func, select

from ..consultations.models import Consultation
from ..extensions import db
from ..ideas.models import CommunityEvent, Source
from .models import SCALES, Answer, Placement, Question, QuestionKind, QuestionResponse

MAX_QUESTIONS = 20
MAX_OPTIONS = 12
MAX_NUMBER = 1_000_000_000


class QuestionError(ValueError):
    """A change to questions or answers that the rules do not allow; the message says why."""


# --- building questions ---------------------------------------------------------------------


def questions_of(consultation: Consultation, placement: Placement | None = None) -> list[Question]:
    """A consultation's questions in the order people are asked them (before ones first)."""
    query = select(Question).where(Question.consultation_id == consultation.id)
    if placement is not None:
        query = query.where(Question.placement == placement)
    questions = db.session.scalars(query.order_by(Question.position, Question.id)).all()
    order = {Placement.BEFORE: 0, Placement.AFTER: 1}
    return sorted(questions, key=lambda q: (order[q.placement], q.position, q.id))


def has_answers(question: Question) -> bool:
    """Whether anyone has answered this question yet."""
    return bool(
        db.session.scalar(select(func.count(Answer.id)).where(Answer.question_id == question.id))
    )


def _clean_options(kind: QuestionKind, options: list[str], scale: str | None) -> list[str]:
    if kind is QuestionKind.SCALE:
        if scale not in SCALES:
            raise QuestionError("Choose which 5-point scale to use.")
        return list(SCALES[scale])
    if not kind.has_options:
        return []
    cleaned = [o.strip() for o in options if o and o.strip()]
    if len(cleaned) < 2:
        raise QuestionError("Give at least 2 answers to choose from, one on each line.")
    if len(cleaned) > MAX_OPTIONS:
        raise QuestionError(f"Give no more than {MAX_OPTIONS} answers to choose from.")
    if len({o.casefold() for o in cleaned}) != len(cleaned):
        raise QuestionError("Each answer to choose from must be different.")
    if any(len(o) > 120 for o in cleaned):
        raise QuestionError("Each answer to choose from must be 120 characters or fewer.")
    return cleaned


def add_question(
    consultation: Consultation,
    kind: QuestionKind,
    text: str,
    *,
    hint: str = "",
    options: list[str] | None = None,
    scale: str | None = None,
    required: bool = False,
    placement: Placement = Placement.BEFORE,
    baseline_key: str = "",
) -> Question:
    """Add a question at the end of the consultation's questions (at most 20). Choice questions
    need 2 to 12 different options; a scale takes one of the standard 5-point scales."""
    if len(questions_of(consultation)) >= MAX_QUESTIONS:
        raise QuestionError(f"A consultation can have at most {MAX_QUESTIONS} questions.")
    last = db.session.scalar(
        select(func.max(Question.position)).where(Question.consultation_id == consultation.id)
    )
    question = Question(
        consultation=consultation,
        kind=kind,
        text=text.strip(),
        hint=hint.strip(),
        options=_clean_options(kind, options or [], scale),
        required=required,
        placement=placement,
        position=(last or 0) + 1,
        baseline_key=baseline_key,
    )
    db.session.add(question)
    db.session.flush()
    return question


def change_question(
    question: Question,
    kind: QuestionKind,
    text: str,
    *,
    hint: str = "",
    options: list[str] | None = None,
    scale: str | None = None,
    required: bool = False,
    placement: Placement = Placement.BEFORE,
) -> Question:
    """Change a question's words, hint, whether it must be answered and when it is asked. Once
    anyone has answered, its kind and options stay as they are (answers point at them)."""
    new_options = _clean_options(kind, options or [], scale)
    if has_answers(question) and (kind is not question.kind or new_options != question.options):
        raise QuestionError(
            "People have answered this question, so its type and answers to choose from "
            "cannot change. Add a new question instead."
        )
    question.kind, question.options = kind, new_options
    question.text, question.hint = text.strip(), hint.strip()
    question.required, question.placement = required, placement
    db.session.flush()
    return question


def remove_question(question: Question) -> None:
    """Remove a question nobody has answered (answered ones are kept: they are evidence)."""
    if has_answers(question):
        raise QuestionError(
            "People have answered this question, so it cannot be removed: their answers are "
            "part of the consultation's evidence."
        )
    db.session.delete(question)
    db.session.flush()


def move_question(question: Question, direction: int) -> None:
    """Swap a question with the one before (-1) or after (+1) it among those asked with it."""
    siblings = questions_of(question.consultation, question.placement)
    index = siblings.index(question)
    other = index + direction
    if not 0 <= other < len(siblings):
        return
    for n, sibling in enumerate(siblings, start=1):
        sibling.position = n
    question.position, siblings[other].position = siblings[other].position, question.position
    db.session.flush()


# --- answering ------------------------------------------------------------------------------


def response_of(user, consultation: Consultation) -> QuestionResponse | None:
    """A person's own answers to a consultation's questions, if they have started."""
    if not getattr(user, "is_authenticated", False):
        return None
    return db.session.scalar(
        select(QuestionResponse).where(
            QuestionResponse.consultation_id == consultation.id,
            QuestionResponse.user_id == user.id,
        )
    )


def answers_by_question(response: QuestionResponse | None) -> dict[int, Answer]:
    """A response's answers keyed by question id (empty for no response)."""
    return {a.question_id: a for a in response.answers} if response else {}


def check_value(question: Question, value, *, enforce_required: bool = True):
    """The answer in the shape it is stored, or ``QuestionError`` with what to fix. ``None``
    (or an empty list or text) is no answer, refused for a required question online (a paper
    form left blank is entered as it is)."""
    empty = value is None or value == "" or value == []
    if empty:
        if question.required and enforce_required:
            raise QuestionError(_required_message(question))
        return None
    if question.kind is QuestionKind.CHECKBOXES:
        chosen = sorted({int(v) for v in value})
        if any(not 0 <= v < len(question.options) for v in chosen):
            raise QuestionError("Choose from the answers given.")
        return chosen
    if question.kind.has_options:
        if not 0 <= int(value) < len(question.options):
            raise QuestionError("Choose from the answers given.")
        return int(value)
    if question.kind is QuestionKind.NUMBER:
        if not 0 <= int(value) <= MAX_NUMBER:
            raise QuestionError("Enter a whole number, 0 or more.")
        return int(value)
    text = str(value).strip()
    if len(text) > 500:
        raise QuestionError("Your answer must be 500 characters or fewer.")
    return text


def _required_message(question: Question) -> str:
    if question.kind is QuestionKind.CHECKBOXES:
        return "Select at least one answer."
    if question.kind.has_options:
        return "Select an answer."
    if question.kind is QuestionKind.NUMBER:
        return "Enter a number."
    return "Enter your answer."


def _put(response: QuestionResponse, question: Question, value) -> None:
    answer = next((a for a in response.answers if a.question_id == question.id), None)
    if value is None:
        if answer is not None:
            response.answers.remove(answer)
        return
    if answer is None:
        answer = Answer(question=question)
        response.answers.append(answer)
    answer.choice = answer.choices = answer.number = None
    answer.text = ""
    if question.kind is QuestionKind.CHECKBOXES:
        answer.choices = value
    elif question.kind.has_options:
        answer.choice = value
    elif question.kind is QuestionKind.NUMBER:
        answer.number = value
    else:
        answer.text = value


def answer_question(user, question: Question, value) -> QuestionResponse:
    """Save (or change) a person's answer to one question, keeping one response per person per
    consultation; an empty answer to an optional question clears it. The route has checked
    that the consultation takes answers (``question.answer``)."""
    consultation = question.consultation
    response = response_of(user, consultation)
    if response is None:
        response = QuestionResponse(
            consultation=consultation,
            user_id=user.id,
            source=Source.ONLINE,
            neighbourhood_id=user.neighbourhood_id,
        )
        db.session.add(response)
    else:
        response.neighbourhood_id = user.neighbourhood_id
    _put(response, question, check_value(question, value))
    db.session.flush()
    return response


def unanswered_required(user, consultation: Consultation, placement: Placement) -> list[Question]:
    """The questions a person must still answer among those asked at this point."""
    answers = answers_by_question(response_of(user, consultation))
    return [q for q in questions_of(consultation, placement) if q.required and q.id not in answers]


def record_offline_answers(
    event: CommunityEvent, staff, values: dict[int, object], neighbourhood_id: int | None = None
) -> QuestionResponse:
    """Enter one form's answers from a workshop, event, paper or phone batch as a response of
    its own, marked with the event's source and (unless the form names another) its
    neighbourhood. Every value is checked as an online answer would be."""
    questions = {q.id: q for q in questions_of(event.consultation)}
    checked = {
        qid: check_value(questions[qid], values.get(qid), enforce_required=False)
        for qid in questions
    }
    if all(v is None for v in checked.values()):
        raise QuestionError("Enter at least one answer from the form.")
    response = QuestionResponse(
        consultation=event.consultation,
        source=event.kind,
        event=event,
        neighbourhood_id=neighbourhood_id or event.neighbourhood_id,
        entered_by_id=getattr(staff, "id", None),
    )
    db.session.add(response)
    for qid, value in checked.items():
        _put(response, questions[qid], value)
    db.session.flush()
    return response


def offline_count(event: CommunityEvent) -> int:
    """How many forms' answers have been entered from this event or batch."""
    return db.session.scalar(
        select(func.count(QuestionResponse.id)).where(QuestionResponse.event_id == event.id)
    )
