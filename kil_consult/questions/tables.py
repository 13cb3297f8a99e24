"""The answers to a consultation's questions as rows for a spreadsheet: the CSV download and
open data read the same rows, made from ``QuestionResults`` (so suppressed as on the page)."""

from __future__ import annotations

from collections.abc import Iterator

from ..consultations.models import Consultation
from ..downloads import csv_response
from .results import Breakdown, QuestionResults

HEADER = ["question", "question text", "by", "group", "answer", "people", "note"]


def _cell(value: int | None, threshold: int) -> tuple:
    return ("", f"fewer than {threshold}") if value is None else (value, "")


def _breakdown_rows(number, text, by, table: Breakdown, threshold) -> Iterator[list]:
    for row in table.rows:
        for column, value in zip(table.columns, row.cells, strict=True):
            yield [number, text, by, column, row.label, *_cell(value, threshold)]
        yield [number, text, by, "All", row.label, *_cell(row.total, threshold)]


def answer_rows(results: QuestionResults) -> Iterator[list]:
    """Every published figure, one to a row: each answer overall, by neighbourhood and by
    source ("people" left empty where the figure is suppressed, and the note says why)."""
    t = results.threshold
    for q in results.questions:
        yield [q.number, q.text, "all", "All", "People who answered", *_cell(q.answered, t)]
        if q.mean is not None:
            yield [q.number, q.text, "all", "All", "Average (mean)", q.mean, ""]
            yield [q.number, q.text, "all", "All", "Middle value (median)", q.median, ""]
        yield from _breakdown_rows(q.number, q.text, "neighbourhood", q.by_neighbourhood, t)
        yield from _breakdown_rows(q.number, q.text, "source", q.by_source, t)


def answers_csv(consultation: Consultation, results: QuestionResults):
    """The answers' figures as a CSV download named after the consultation."""
    return csv_response(f"{consultation.slug}-questions.csv", HEADER, answer_rows(results))
