"""The answers to a consultation's questions as blocks of a written report: for each question
its answers overall and by neighbourhood, read from ``QuestionResults`` (so suppressed as on
the results page)."""

from __future__ import annotations

from ..disclosure import shown
from ..questions.results import QuestionResults
from .blocks import Heading, Para, Table


def question_blocks(results: QuestionResults) -> list:
    """Nothing when the consultation asked no questions."""
    if not results.any:
        return []
    t = results.threshold
    people = shown(results.people, t)
    blocks: list = [
        Heading(2, "Answers to the questions"),
        Para(
            f"{people} people and forms answered at least one question. Any figure for fewer "
            f"than {t} people is hidden (shown as “fewer than {t}”), and so are some others "
            "that would let it be worked out."
        ),
    ]
    for q in results.questions:
        blocks.append(Heading(3, f"{q.number}. {q.text}"))
        words = f"People who answered: {shown(q.answered, t)}."
        if q.many:
            words += " People could choose more than one answer."
        if q.mean is not None:
            words += f" Average (mean): {q.mean}; middle value (median): {q.median}."
        if q.kind.value == "text":
            words += " Written answers are not published."
        blocks.append(Para(words, small=True))
        table = q.by_neighbourhood
        blocks.append(
            Table(
                f"Question {q.number} by neighbourhood",
                ["Answer", *table.columns, "All"],
                [
                    [row.label, *(shown(c, t) for c in row.cells), shown(row.total, t)]
                    for row in table.rows
                ],
                description=f"Answers to question {q.number}, by the neighbourhood people gave",
            )
        )
    return blocks
