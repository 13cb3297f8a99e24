"""The consultation report, "you said, we did": what was asked, who took part, what people
said (the published summary's findings with the ideas they cite), what the council decided,
and the statement's commitments for that principle."""

from __future__ import annotations

from sqlalchemy import select

from ..consultations.models import Consultation
from ..consultations.services import current_council
from ..equality.figures import from_dict
from ..extensions import db
from ..ideas.models import Idea
from ..questions.results import question_results
from ..statements import services as statements
from ..statements import summaries
from ..timeutil import format_date
from .blocks import Document, Heading, Markdown, NumberedItem, Para
from .question_blocks import question_blocks
from .taking_part import idea_sources, reading_blocks, taking_part, taking_part_blocks
from .who_answered import who_answered_blocks


def _cited(ids: list[int]) -> list[str]:
    """Each idea a finding cites: its title, where it was gathered offline, and a flag when
    nobody voted on it."""
    ideas = {i.id: i for i in db.session.scalars(select(Idea).where(Idea.id.in_(ids)))}
    gathered = idea_sources(ids)
    cited = []
    for idea_id in ids:
        idea = ideas.get(idea_id)
        text = f"idea {idea_id} ({idea.title if idea else ''})"
        if idea_id in gathered:
            text += f", {gathered[idea_id][1][0].lower()}{gathered[idea_id][1][1:]}"
        if idea is not None and idea.vote_count == 0:
            text += ", no votes yet"
        cited.append(text)
    return cited


def report_document(consultation: Consultation, staff: bool = False) -> Document:
    """The report from the published summary (staff without one get the latest draft)."""
    council = current_council()
    version = summaries.published_version(consultation)
    draft = False
    if version is None and staff:
        version = summaries.latest_version(consultation)
        draft = version is not None
    blocks: list = [
        Heading(1, f"You said, we did: {consultation.title}"),
        Para(f"Principle {consultation.principle_number} of the six Keep it Local principles."),
        Heading(2, "What we asked"),
        Para(consultation.question),
        Para(consultation.explanation),
        *taking_part_blocks(who := taking_part([consultation])),
        *who_answered_blocks(from_dict(who["about_you"])),
    ]
    if version is None:
        blocks.append(Para("The summary of this consultation has not been published yet."))
        return Document(blocks[0].text, council.name, blocks, council=council.name)
    blocks += reading_blocks()
    blocks.append(Heading(2, "You said"))
    if version.overview.strip():
        blocks.append(Markdown(version.overview))
    if version.themes.strip():
        blocks += [Heading(3, "Themes"), Markdown(version.themes)]
    if version.findings:
        blocks.append(Heading(3, "Key findings"))
        for finding in version.findings:
            blocks.append(Markdown(finding.text))
            ids = [c.idea_id for c in finding.citations]
            if ids:
                blocks.append(Para("Based on: " + "; ".join(_cited(ids)), small=True))
    blocks.append(Heading(2, "We did"))
    blocks.append(
        Markdown(version.decision) if version.decision.strip() else Para("Not decided yet.")
    )
    if version.connection.strip():
        blocks += [Heading(3, "How what you said shaped this"), Markdown(version.connection)]
    statement = statements.current_statement()
    if statement is not None and statement.published_version is not None:
        content = statement.published_version.typed_content
        mine = [
            c
            for c in statements.numbered_commitments(statement, content)
            if c.principle == consultation.principle_number
        ]
        if mine:
            blocks.append(Heading(2, "Our commitments on this principle"))
            for c in mine:
                status = c.row.status.label if c.row else "Not started"
                blocks.append(NumberedItem(c.text, [f"Status: {status}."], c.number))
    blocks += question_blocks(question_results(consultation))
    published = version.published_at
    subtitle = council.name + (f", published {format_date(published)}" if published else "")
    return Document(
        blocks[0].text,
        subtitle,
        blocks,
        draft=draft,
        council=council.name,
        version=f"Summary version {version.number}" + (", draft" if draft else ""),
    )
