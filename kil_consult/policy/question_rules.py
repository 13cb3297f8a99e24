"""The rules of a consultation's closed questions: building them, answering them, entering
answers from paper, and switching on a principle's baseline questions (``RULES`` in
``rules.py`` names them)."""

from __future__ import annotations

from ..consultations.models import Consultation
from .people import is_admin, is_participant, is_staff


def may_manage_questions(user, consultation: Consultation) -> bool:
    """Facilitators and admins build, change, order and remove a consultation's questions."""
    return is_staff(user)


def may_answer_questions(user, consultation: Consultation) -> bool:
    """A confirmed person may answer a consultation's questions, and change their answers,
    while it is open (and takes ideas)."""
    return is_participant(user) and consultation.is_accepting()


def may_enter_paper_answers(user, consultation: Consultation) -> bool:
    """Staff enter the answers from workshop and paper forms for a consultation that has
    opened (as they enter its offline ideas)."""
    return is_staff(user) and consultation.is_public


def may_switch_on_baseline(user, consultation: Consultation) -> bool:
    """An admin switches on a principle's standard baseline questions for a consultation."""
    return is_admin(user)
