"""The baseline: a short standard set of questions for each Keep it Local principle, asking
residents where the council is today, so the statement starts from what they say. An admin
switches a set on for a consultation; its questions are then ordinary questions (asked before
ideas), marked with their ``baseline_key`` so the set is added once."""

from __future__ import annotations

from dataclasses import dataclass

from ..consultations.models import Consultation
from .models import Placement, QuestionKind
from .services import add_question, questions_of


@dataclass(frozen=True)
class BaselineQuestion:
    """One standard question: its key, words, pattern and scale."""

    key: str
    text: str
    kind: QuestionKind = QuestionKind.SCALE
    scale: str = "well"
    hint: str = ""


_SERVICES = BaselineQuestion(
    "services-join-up",
    "How well do local services (council, NHS, police, schools, community groups) work "
    "together for you and your family today?",
)
BASELINE: dict[int, tuple[BaselineQuestion, ...]] = {
    1: (
        _SERVICES,
        BaselineQuestion(
            "told-story-once",
            "The last time you needed help, did you have to tell your story more than once?",
            QuestionKind.RADIOS,
            hint="Think of help from any public service.",
        ),
    ),
    2: (
        BaselineQuestion(
            "help-close-to-home",
            "How well can you get the help you need close to home today?",
        ),
        BaselineQuestion(
            "trusted-local-groups",
            "How well does the council work with the groups people trust in your neighbourhood?",
        ),
    ),
    3: (
        BaselineQuestion(
            "spend-stays-local",
            "I think the council spends its money in a way that benefits local people and "
            "businesses.",
            scale="agree",
        ),
    ),
    4: (
        BaselineQuestion(
            "help-before-crisis",
            "How well does the council help people before their problems become a crisis?",
        ),
    ),
    5: (
        BaselineQuestion(
            "works-with-organisations",
            "How well does the council work with local organisations today?",
        ),
        BaselineQuestion(
            "influence-decisions",
            "I feel I can influence decisions affecting my local area.",
            scale="agree",
        ),
    ),
    6: (
        BaselineQuestion(
            "contracts-local",
            "How well does the council give small local organisations a fair chance to win "
            "its contracts?",
        ),
    ),
}

YES_NO_NOT_SURE = ["Yes", "No", "Not sure"]


def baseline_for(consultation: Consultation) -> tuple[BaselineQuestion, ...]:
    """The standard baseline questions of a consultation's principle."""
    return BASELINE.get(consultation.principle_number, ())


def _switched_on_keys(consultation: Consultation) -> set[str]:
    return {q.baseline_key for q in questions_of(consultation) if q.baseline_key}


def is_switched_on(consultation: Consultation) -> bool:
    """Whether every question of the principle's baseline set is in the consultation."""
    keys = {b.key for b in baseline_for(consultation)}
    return bool(keys) and keys <= _switched_on_keys(consultation)


def switch_on(consultation: Consultation) -> int:
    """Add the principle's baseline questions the consultation does not have yet (optional,
    asked before ideas). Returns how many were added."""
    have = _switched_on_keys(consultation)
    added = 0
    for item in baseline_for(consultation):
        if item.key in have:
            continue
        add_question(
            consultation,
            item.kind,
            item.text,
            hint=item.hint,
            options=YES_NO_NOT_SURE if item.kind is QuestionKind.RADIOS else None,
            scale=item.scale,
            placement=Placement.BEFORE,
            baseline_key=item.key,
        )
        added += 1
    return added
