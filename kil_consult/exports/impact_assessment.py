"""The equality impact assessment (Word and PDF): who took part in the whole process against
the area's population, each consultation's representativeness, who is missing, and space for
the council's response. Only the suppressed figures of the "Who took part" pages go in."""

from __future__ import annotations

from ..consultations.models import Process
from ..consultations.services import current_council
from ..equality.figures import who_took_part
from .blocks import Document, Heading, Para, Table
from .who_answered import who_answered_blocks


def _score(value: float | None) -> str:
    return "Not shown" if value is None else f"{round(value * 100)}%"


def impact_assessment_document(process: Process) -> Document:
    """The assessment for a process, from the same figures as its "Who took part" pages."""
    council = current_council()
    consultations = list(process.consultations)
    whole = who_took_part(consultations, title=process.title)
    parts = [(c, who_took_part([c], consultations, c.title)) for c in consultations]
    title = f"Equality impact assessment: {process.title}"
    blocks: list = [
        Heading(1, title),
        Para(
            "Under the Public Sector Equality Duty the council must have due regard to the need "
            "to eliminate discrimination, advance equality of opportunity and foster good "
            "relations. This assessment sets out who took part in the conversation that shaped "
            "the local Keep it Local statement, compared with the area's population, so that "
            "decision makers know whose voices are under-represented."
        ),
        *who_answered_blocks(whole),
        Heading(2, "Each consultation"),
        Para(
            "The consultations: "
            + "; ".join(f"principle {c.principle_number}, {c.title}" for c in consultations)
            + "."
        ),
        Table(
            "Representativeness score by consultation",
            ["Characteristic", "All", *[f"Principle {c.principle_number}" for c in consultations]],
            [
                [
                    x.heading,
                    _score(x.score),
                    *[_score(f.characteristics[n].score) for _c, f in parts],
                ]
                for n, x in enumerate(whole.characteristics)
            ],
            "One minus the total variation distance between who answered and the population, "
            "for the whole conversation and each consultation; Not shown where too few people "
            "answered or too few groups can be shown",
        ),
        Heading(2, "The council's response"),
        Para(
            "For each group the figures show as missing or under-represented: how the council "
            "will hear from them before decisions are taken, who is responsible, and by when."
        ),
        Para("Actions:"),
        Para("Assessed by (name, role, date):"),
    ]
    return Document(title, council.name, blocks, council=council.name)
