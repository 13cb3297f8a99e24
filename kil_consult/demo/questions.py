"""The demo's questions and indicator: three questions on the neighbourhood consultation
(principle 2), answered online by the demo residents and on paper forms at the Rye market
drop-in; and an indicator with a baseline and two readings on the first commitment of the
statement's draft (started from the early round's published summaries)."""

from __future__ import annotations

import random
from datetime import date, timedelta

from ..ideas.models import CommunityEvent
from ..questions import services as questions
from ..questions.models import Placement, QuestionKind
from ..statements import indicators
from ..statements import services as statements
from ..statements.indicator_library import BY_KEY

HOW_HEARD = ["Online", "A newsletter through the door", "Word of mouth", "At a community group"]
PLACES_USED = ["Library", "Community centre", "GP surgery", "Church or faith centre", "Park"]


def load_questions(people, consultation, event: CommunityEvent, rng: random.Random) -> None:
    """Three questions (a 5-point scale and radios asked before ideas, checkboxes after)
    with answers from every demo resident and 24 forms from the drop-in. The principle's
    baseline set is left for the admin to switch on."""
    scale = questions.add_question(
        consultation,
        QuestionKind.SCALE,
        "How well do local services work together in your neighbourhood today?",
        scale="well",
    )
    heard = questions.add_question(
        consultation,
        QuestionKind.RADIOS,
        "How did you hear about this conversation?",
        options=HOW_HEARD,
        required=True,
    )
    used = questions.add_question(
        consultation,
        QuestionKind.CHECKBOXES,
        "Which local places do you use at least once a month?",
        options=PLACES_USED,
        placement=Placement.AFTER,
    )
    asked = [scale, heard, used]
    residents = [p for key, p in people.items() if key not in ("admin", "facilitator")]
    for person in residents:
        for question in asked:
            questions.answer_question(person, question, _answer(question, rng))
    for _ in range(24):
        values = {q.id: _answer(q, rng) for q in asked}
        questions.record_offline_answers(event, people["facilitator"], values)


def _answer(question, rng: random.Random):
    if question.kind is QuestionKind.CHECKBOXES:
        return sorted(rng.sample(range(len(question.options)), rng.randint(1, 3)))
    if question.kind is QuestionKind.SCALE:
        return rng.choices(range(5), weights=[1, 3, 3, 4, 2])[0]
    return rng.choices(range(len(question.options)), weights=[3, 2, 4, 2])[0]


def load_indicator(people, process, now) -> None:
    """Start the statement's draft from the published summaries and give its first
    commitment the starter library's "share of spend with local organisations", with a
    baseline and two readings."""
    statement = statements.start_from_summaries(process, people["facilitator"])
    commitment = min(statements.commitments_by_id(statement).values(), key=lambda c: c.id)
    item = BY_KEY["local-spend"]
    today = now.date()
    indicator = indicators.add_indicator(
        commitment,
        people["admin"],
        name=item.name,
        definition=item.definition,
        unit=item.unit,
        baseline_value=17.5,
        baseline_on=date(today.year - 1, 4, 1),
        target_value=30.0,
        target_on=date(today.year + 2, 3, 31),
        source=item.source,
        frequency=item.frequency,
        library_key=item.key,
    )
    admin = people["admin"]
    indicators.add_reading(indicator, admin, date(today.year - 1, 10, 1), 19.0, "Half-year")
    indicators.add_reading(indicator, admin, today - timedelta(days=30), 21.5, "Year end")
