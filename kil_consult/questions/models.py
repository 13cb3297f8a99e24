"""Questions asked in a consultation, the people (or paper forms) answering them, and answers.

A question is one of five GOV.UK patterns (radios, checkboxes, a 5-point scale, a whole number,
short text). Answers hang off a ``QuestionResponse``: one per person per consultation online,
or one per form filled in at a workshop or on paper. The response keeps where it came from and
the neighbourhood it speaks for, so results can be read by neighbourhood and by source.
"""

from __future__ import annotations

import enum
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import JSON, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..consultations.models import Consultation, Neighbourhood
from ..extensions import db, str_enum
from ..ideas.models import CommunityEvent, Source
from ..timeutil import utcnow

if TYPE_CHECKING:  # the ORM links these by name
    from ..accounts.models import User


class QuestionKind(enum.StrEnum):
    """The GOV.UK pattern a question is asked with."""

    RADIOS = "radios"
    CHECKBOXES = "checkboxes"
    SCALE = "scale"
    NUMBER = "number"
    TEXT = "text"

    @property
    def label(self) -> str:
        return {
            "radios": "Choose one answer (radios)",
            "checkboxes": "Choose any that apply (checkboxes)",
            "scale": "A 5-point scale",
            "number": "A whole number",
            "text": "A short answer in words",
        }[self.value]

    @property
    def is_number(self) -> bool:
        return self is QuestionKind.NUMBER

    @property
    def is_text(self) -> bool:
        """Answered in words (never published, only counted)."""
        return self is QuestionKind.TEXT

    @property
    def is_checkboxes(self) -> bool:
        return self is QuestionKind.CHECKBOXES

    @property
    def has_options(self) -> bool:
        """Answered by choosing from a list (so the answers can be counted)."""
        return self in (QuestionKind.RADIOS, QuestionKind.CHECKBOXES, QuestionKind.SCALE)


class Placement(enum.StrEnum):
    """Whether a question is put to people before they share ideas, or after."""

    BEFORE = "before"
    AFTER = "after"

    @property
    def label(self) -> str:
        return {"before": "Before sharing ideas", "after": "After sharing ideas"}[self.value]

    @property
    def is_before(self) -> bool:
        return self is Placement.BEFORE


# The 5-point scales a facilitator can choose from, in order from most to least positive.
SCALES: dict[str, tuple[str, ...]] = {
    "agree": (
        "Strongly agree",
        "Agree",
        "Neither agree nor disagree",
        "Disagree",
        "Strongly disagree",
    ),
    "well": ("Very well", "Fairly well", "Neither well nor badly", "Fairly badly", "Very badly"),
    "likely": (
        "Very likely",
        "Fairly likely",
        "Neither likely nor unlikely",
        "Fairly unlikely",
        "Very unlikely",
    ),
}


class Question(db.Model):
    """One closed question of a consultation, in the order people are asked them."""

    __tablename__ = "questions"

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(
        ForeignKey("consultations.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(default=0)
    kind: Mapped[QuestionKind] = mapped_column(str_enum(QuestionKind, 20))
    text: Mapped[str] = mapped_column(String(300))
    hint: Mapped[str] = mapped_column(String(500), default="")
    # The choices, in order, for radios, checkboxes and a scale; answers store their index.
    options: Mapped[list] = mapped_column(JSON, default=list)
    required: Mapped[bool] = mapped_column(default=False)
    placement: Mapped[Placement] = mapped_column(str_enum(Placement, 10), default=Placement.BEFORE)
    # Set on a question of a principle's standard baseline set (``baseline.py``), else "".
    baseline_key: Mapped[str] = mapped_column(String(40), default="", server_default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    consultation: Mapped[Consultation] = relationship()

    def __repr__(self) -> str:
        return f"<Question {self.id} {self.kind.value}>"


class QuestionResponse(db.Model):
    """One person's answers to a consultation's questions, or one form filled in offline.

    Online there is one per person per consultation (they change it while the consultation is
    open); a facilitator enters each workshop or paper form as a response of its own."""

    __tablename__ = "question_responses"
    __table_args__ = (UniqueConstraint("consultation_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(
        ForeignKey("consultations.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    source: Mapped[Source] = mapped_column(str_enum(Source, 10), default=Source.ONLINE)
    event_id: Mapped[int | None] = mapped_column(
        ForeignKey("community_events.id", ondelete="SET NULL"), index=True
    )
    neighbourhood_id: Mapped[int | None] = mapped_column(
        ForeignKey("neighbourhoods.id", ondelete="SET NULL")
    )
    entered_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    consultation: Mapped[Consultation] = relationship()
    user: Mapped[User | None] = relationship(foreign_keys=[user_id])
    event: Mapped[CommunityEvent | None] = relationship()
    neighbourhood: Mapped[Neighbourhood | None] = relationship()
    answers: Mapped[list[Answer]] = relationship(
        back_populates="response", cascade="all, delete-orphan", passive_deletes=True
    )


class Answer(db.Model):
    """One answer to one question: the chosen option, the ticked options, a number or words."""

    __tablename__ = "question_answers"
    __table_args__ = (UniqueConstraint("response_id", "question_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    response_id: Mapped[int] = mapped_column(
        ForeignKey("question_responses.id", ondelete="CASCADE")
    )
    question_id: Mapped[int] = mapped_column(
        ForeignKey("questions.id", ondelete="CASCADE"), index=True
    )
    choice: Mapped[int | None]  # radios and scales: the option's index
    choices: Mapped[list | None] = mapped_column(JSON)  # checkboxes: the options' indexes
    number: Mapped[int | None]
    text: Mapped[str] = mapped_column(String(500), default="")
    answered_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    response: Mapped[QuestionResponse] = relationship(back_populates="answers")
    question: Mapped[Question] = relationship()

    @property
    def value(self):
        """The answer as the form holds it: an index, a list of indexes, a number or text."""
        kind = self.question.kind
        if kind is QuestionKind.CHECKBOXES:
            return list(self.choices or [])
        if kind.has_options:
            return self.choice
        if kind is QuestionKind.NUMBER:
            return self.number
        return self.text

    def words(self) -> str:
        """The answer in words, as a person reads it back on "check your answers"."""
        question = self.question
        if question.kind is QuestionKind.CHECKBOXES:
            return ", ".join(_option(question, i) for i in self.choices or [])
        if question.kind.has_options:
            return _option(question, self.choice)
        if question.kind is QuestionKind.NUMBER:
            return "" if self.number is None else f"{self.number:,}"
        return self.text


def _option(question: Question, index: int | None) -> str:
    if index is None or not 0 <= index < len(question.options):
        return ""
    return question.options[index]
