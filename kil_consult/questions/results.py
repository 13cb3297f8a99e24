"""What the answers to a consultation's questions add up to: typed, read-only values that the
results page, the CSV download, open data and the consultation report all read.

Every count of people goes through ``disclosure``: the answers by neighbourhood and by source
are suppressed together (they share their totals, which are also the overall figures), so no
table gives away what another hid. Words typed into a short-answer question are never
published, only how many people answered; a number question shows its average only when
enough people answered.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass

from sqlalchemy import select

from ..consultations.models import Consultation, Neighbourhood
from ..disclosure import DEFAULT_THRESHOLD, Table, suppress_together
from ..extensions import db
from ..ideas.models import Source
from .models import Answer, Question, QuestionKind, QuestionResponse
from .services import questions_of

NOT_GIVEN = "Not given"
ANSWERED = "Answered"


@dataclass(frozen=True)
class Row:
    """One answer to choose from (or "Answered"), across a table's columns."""

    label: str
    cells: tuple[int | None, ...]
    total: int | None


@dataclass(frozen=True)
class Breakdown:
    """A suppressed table: the answers down the side, neighbourhoods or sources across."""

    columns: tuple[str, ...]
    rows: tuple[Row, ...]
    column_totals: tuple[int | None, ...]
    total: int | None


@dataclass(frozen=True)
class Count:
    """One answer's overall figure, with its share of the people who answered (when both are
    shown), for the chart."""

    label: str
    people: int | None
    share: float | None

    @property
    def bar(self) -> str:
        """The bar's length out of 100 (everyone who answered), as the chart draws it."""
        return f"{(self.share or 0) * 100:.1f}"


@dataclass(frozen=True)
class QuestionResult:
    """The published figures of one question."""

    question_id: int
    number: int
    text: str
    kind: QuestionKind
    answered: int | None  # people who answered (hidden if too few)
    counts: tuple[Count, ...]  # per option; empty for number and text questions
    by_neighbourhood: Breakdown
    by_source: Breakdown
    mean: float | None = None
    median: float | None = None

    @property
    def counted(self) -> bool:
        """Answered by choosing, so each answer is counted and charted."""
        return self.kind.has_options

    @property
    def many(self) -> bool:
        """People could tick more than one answer, so the answers add up to more than people."""
        return self.kind is QuestionKind.CHECKBOXES


@dataclass(frozen=True)
class QuestionResults:
    """Every question of a consultation with its figures, and the threshold below which a
    count is shown as "fewer than"."""

    consultation_id: int
    threshold: int
    questions: tuple[QuestionResult, ...]
    people: int | None  # people (and forms) who answered at least one question

    @property
    def any(self) -> bool:
        return bool(self.questions)


def _breakdown(table: Table, columns: list, names: list[str], labels: list) -> Breakdown:
    rows = tuple(
        Row(label, tuple(table.cells[key][c] for c in columns), table.row_totals[key])
        for key, label in labels
    )
    return Breakdown(
        tuple(names), rows, tuple(table.column_totals[c] for c in columns), table.total
    )


def _answered_people(answers: list[Answer]) -> int:
    return len({a.response_id for a in answers})


def question_results(
    consultation: Consultation, threshold: int = DEFAULT_THRESHOLD
) -> QuestionResults:
    """Count the answers to each of a consultation's questions, by neighbourhood and by
    source, with small numbers suppressed. Reads only; one query for all the answers."""
    questions = questions_of(consultation)
    places = db.session.scalars(
        select(Neighbourhood).order_by(Neighbourhood.position, Neighbourhood.name)
    ).all()
    place_columns = [p.id for p in places] + [None]
    place_names = [p.name for p in places] + [NOT_GIVEN]
    source_columns = list(Source)
    source_names = [s.label for s in Source]
    rows = db.session.execute(
        select(Answer, QuestionResponse.neighbourhood_id, QuestionResponse.source)
        .join(QuestionResponse, Answer.response_id == QuestionResponse.id)
        .where(QuestionResponse.consultation_id == consultation.id)
    ).all()
    by_question: dict[int, list] = {q.id: [] for q in questions}
    for answer, place, source in rows:
        by_question.setdefault(answer.question_id, []).append((answer, place, source))
    results = []
    for number, question in enumerate(questions, start=1):
        results.append(
            _one(
                question,
                number,
                by_question[question.id],
                threshold,
                (place_columns, place_names),
                (source_columns, source_names),
            )
        )
    people = len({answer.response_id for answer, _p, _s in rows})
    people_shown = None if 0 < people < threshold else people
    return QuestionResults(consultation.id, threshold, tuple(results), people_shown)


def _keys(question: Question, answer: Answer) -> list:
    if question.kind is QuestionKind.CHECKBOXES:
        return list(answer.choices or [])
    if question.kind.has_options:
        return [answer.choice]
    return [ANSWERED]


def _one(question: Question, number: int, answers: list, threshold: int, places, sources):
    keys = list(range(len(question.options))) if question.kind.has_options else [ANSWERED]
    labels = list(zip(keys, question.options or [ANSWERED], strict=True))
    place_counts = {k: dict.fromkeys(places[0], 0) for k in keys}
    source_counts = {k: dict.fromkeys(sources[0], 0) for k in keys}
    for answer, place, source in answers:
        for key in _keys(question, answer):
            if key in place_counts:
                place_counts[key][place if place in places[0] else None] += 1
                source_counts[key][source] += 1
    tables = suppress_together({"place": place_counts, "source": source_counts}, threshold)
    by_place = _breakdown(tables["place"], places[0], places[1], labels)
    by_source = _breakdown(tables["source"], sources[0], sources[1], labels)
    if question.kind is QuestionKind.CHECKBOXES:
        # People may tick several answers, so the tables count ticks; people who answered
        # are a figure of their own.
        people = _answered_people([a for a, _p, _s in answers])
        answered = None if 0 < people < threshold else people
    else:
        answered = tables["place"].total  # the same figure as the tables' grand total
    counts = ()
    if question.kind.has_options:
        counts = tuple(
            Count(
                row.label,
                row.total,
                (row.total / answered) if row.total is not None and answered else None,
            )
            for row in by_place.rows
        )
    mean = median = None
    if question.kind is QuestionKind.NUMBER and answered:
        values = [a.number for a, _p, _s in answers if a.number is not None]
        mean, median = round(statistics.fmean(values), 1), statistics.median(values)
    return QuestionResult(
        question.id,
        number,
        question.text,
        question.kind,
        answered,
        counts,
        by_place,
        by_source,
        mean,
        median,
    )
