"""The "About you" answers as spreadsheet columns, for facilitators importing paper responses:
read by ``ideas.spreadsheet`` once ``create_app`` registers ``ABOUT_YOU_COLUMNS``.

A cell may hold an answer's words ("25 to 34", "Asian: Indian", "Indian"), its code, or
"Prefer not to say"; a Consent column ("Yes") records the person's agreement on the form.
"""

from __future__ import annotations

from ..ideas.spreadsheet import ExtraColumns
from .questions import PREFER_NOT, PREFER_NOT_LABEL, QUESTIONS, question
from .services import AboutYouError, check_answers, normalise_postcode, record_response

YES = {"yes", "y", "true", "1", "agreed", "agree", "ticked", "x"}

HEADERS: dict[str, tuple[str, ...]] = {
    "age_band": ("age", "age band", "age group"),
    "sex": ("sex",),
    "gender_identity": ("gender identity", "gender same as at birth", "trans"),
    "ethnic_group": ("ethnic group", "ethnicity"),
    "disability": ("disability", "disabled", "health condition"),
    "religion": ("religion", "religion or belief", "faith"),
    "sexual_orientation": ("sexual orientation",),
    "carer": ("unpaid care", "carer", "unpaid carer"),
    "postcode": ("postcode", "post code"),
    "consent": ("consent", "agreed", "agreed to equality monitoring"),
}


def _words(text: str) -> str:
    return " ".join(text.lower().replace("-", " to ").replace("–", " to ").split())


def _code(name: str, text: str) -> str | None:
    """The answer code a cell names (None if it names none of the question's answers)."""
    wanted = _words(text)
    if wanted in (_words(PREFER_NOT_LABEL), PREFER_NOT):
        return PREFER_NOT
    for option in question(name).options:
        label = _words(option.label)
        if wanted in (option.code, label) or (
            ": " in option.label and wanted == label.split(": ", 1)[1]
        ):
            return option.code
    return None


def _answers(values: dict[str, str]) -> tuple[dict[str, str | None], list[str]]:
    answers: dict[str, str | None] = {}
    errors = []
    for q in QUESTIONS:
        text = values.get(q.name, "")
        if not text:
            continue
        code = _code(q.name, text)
        if code is None:
            errors.append(f"{q.characteristic}: “{text}” is not one of the answers")
        answers[q.name] = code
    return answers, errors


def check(values: dict[str, str]) -> list[str]:
    """A row's "About you" mistakes, in words (none for a row without answers)."""
    answers, errors = _answers(values)
    if values.get("postcode"):
        try:
            normalise_postcode(values["postcode"])
        except AboutYouError as exc:
            errors.append(str(exc))
    if not errors:
        try:
            check_answers(answers, _consent(values))
        except AboutYouError as exc:
            errors.append(str(exc).replace("Tick the box", "Put Yes in the Consent column"))
    return errors


def _consent(values: dict[str, str]) -> bool:
    return values.get("consent", "").strip().lower() in YES


def store(event, facilitator, idea, values: dict[str, str]) -> None:
    """Keep a row's answers, with the area of the idea it came with (never a link to the
    idea); nothing when every cell is empty."""
    answers, _errors = _answers(values)
    record_response(event, facilitator, answers, _consent(values), idea, values.get("postcode", ""))


ABOUT_YOU_COLUMNS = ExtraColumns(
    name="about_you",
    headers=HEADERS,
    check=check,
    store=store,
    help="About you (optional): Age, Sex, Gender identity, Ethnic group, Disability, Religion, "
    "Sexual orientation, Unpaid care and Postcode, each in the words of the form's answers or "
    "“Prefer not to say”, and Consent (Yes) where the person agreed that the council may keep "
    "their answers about ethnic group, religion, health, sexual orientation and gender identity",
)
