"""What the consultation and idea pages tell a signed-in person about the questions: how many
are asked before and after sharing ideas, and whether they have answered them."""

from __future__ import annotations

from dataclasses import dataclass

from .. import policy
from ..consultations.models import Consultation
from .models import Placement
from .services import answers_by_question, questions_of, response_of


@dataclass(frozen=True)
class QuestionSet:
    """The questions asked at one point (before or after ideas) and how many are answered."""

    placement: Placement
    count: int
    answered: int

    @property
    def started(self) -> bool:
        return self.answered > 0


@dataclass(frozen=True)
class QuestionPrompt:
    before: QuestionSet | None
    after: QuestionSet | None


def question_prompt(user, consultation: Consultation) -> QuestionPrompt | None:
    """The question sets the person may answer now, or None when there is nothing to ask."""
    if not policy.allowed("questions.answer", user, consultation):
        return None
    questions = questions_of(consultation)
    if not questions:
        return None
    given = answers_by_question(response_of(user, consultation))
    sets = {}
    for placement in Placement:
        asked = [q for q in questions if q.placement is placement]
        sets[placement] = (
            QuestionSet(placement, len(asked), sum(q.id in given for q in asked)) if asked else None
        )
    return QuestionPrompt(sets[Placement.BEFORE], sets[Placement.AFTER])
