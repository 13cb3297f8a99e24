"""The network meeting pack: a round's self-assessment against the six principles, what moved
since the previous round, residents' views, and the progress on the statement's commitments,
as a ``Document`` that ``exports`` writes as Word or PDF."""

from __future__ import annotations

from dataclasses import replace

from ..consultations.services import current_council
from ..exports.blocks import Document, Heading, Markdown, Para, Table
from ..exports.statement import progress_document
from ..statements import services as statements
from ..timeutil import format_date
from .models import AssessmentRound
from .returns import external_path
from .rounds import comparison, descriptor, view_counts

MIMETYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
}


def _day(value) -> str:
    return f"{value.day} {value.strftime('%B %Y')}"


def _status(round_: AssessmentRound) -> str:
    if round_.is_frozen:
        who = round_.signed_off_by.display_name if round_.signed_off_by else "an admin"
        return f"Signed off by {who} on {format_date(round_.signed_off_at)}."
    return f"{round_.state.label}: not yet signed off, so it may still change."


def pack_document(round_: AssessmentRound) -> Document:
    """The meeting pack of one round."""
    council = current_council()
    previous, moves = comparison(round_)
    views = view_counts(round_)
    blocks: list = [
        Heading(1, f"Keep it Local network meeting pack: {council.name}"),
        Para(f"{round_.title}, for the network meeting on {_day(round_.meeting_on)}."),
        Para(_status(round_)),
        Heading(2, "Our self-assessment at a glance"),
        Para(
            f"Compared with {previous.title}."
            if previous
            else "This is our first signed-off round, so there is nothing to compare with yet."
        ),
        Table(
            "Our level on each principle",
            ["Principle", "Level now", "Previous round", "Change"],
            [
                [
                    f"{m.principle.number}. {m.principle.title}",
                    f"{m.now}, {descriptor(m.principle.number, m.now).label}" if m.now else "-",
                    str(m.before) if m.before else "-",
                    m.words,
                ]
                for m in moves
            ],
            "Each principle's level in this round beside the previous round",
        ),
    ]
    for m in moves:
        found = round_.assessment(m.principle.number)
        blocks.append(Heading(3, f"Principle {m.principle.number}: {m.principle.title}"))
        if found is None or found.level is None:
            blocks.append(Para("Not assessed yet."))
            continue
        words = descriptor(m.principle.number, found.level)
        blocks.append(Para(f"Level {found.level}, {words.label}: {words.text}"))
        blocks.append(Para(f"Since the previous round: {m.words.lower()}."))
        if found.evidence:
            blocks.append(
                Table(
                    f"Evidence for principle {m.principle.number}",
                    ["Evidence", "Address"],
                    [[e["label"], external_path(e["path"])] for e in found.evidence],
                )
            )
        else:
            blocks.append(Para("No evidence linked yet."))
        if found.next_steps:
            blocks += [Para("What we will do next:"), Markdown(found.next_steps)]
        blocks.append(Para(f"Owner: {found.champion or 'not named yet'}."))
        agree, disagree = views.get(m.principle.number, (0, 0))
        if agree or disagree:
            blocks.append(
                Para(
                    f"Residents and organisations: {agree} agreed with this assessment, "
                    f"{disagree} did not."
                )
            )
    blocks += _progress_blocks()
    return Document(
        blocks[0].text,
        council.name,
        blocks,
        draft=not round_.is_frozen,
        council=council.name,
        version=f"{round_.title}, {round_.state.label.lower()}",
    )


def _progress_blocks() -> list:
    """The progress report's commitments, one level down, under their own heading."""
    statement = statements.current_statement()
    if statement is None or statement.latest is None:
        return [Heading(2, "Progress on our commitments"), Para("No statement yet.")]
    progress = progress_document(statement)
    blocks: list = [Heading(2, "Progress on our commitments")]
    for block in progress.blocks[1:]:
        if isinstance(block, Heading):
            block = replace(block, level=min(3, block.level + 1))
        blocks.append(block)
    return blocks
