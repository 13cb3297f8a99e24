"""The evidence as open data: a consultation's ideas, votes, comments, events, themes and
results, as a ZIP of CSV files or one JSON document, streamed in constant memory.

Only published ideas and comments appear; hidden, waiting and merged content, names, email
addresses and the names typed for offline contributors never do. People appear under two
pseudonym spaces drawn afresh for each export (``accounts/pseudonyms.py``): ``author`` in
ideas and comments (one per byline, as the pages show them with a name) and ``voter`` in
votes. No value is in both, so a vote cannot be joined to anyone whose name the pages show;
the votes of one voter link up within the export (for opinion groups), and nothing links
two exports. Votes are listed by idea and then in an order that says nothing of when each
came, so the first vote on an idea does not point at its author.
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from collections.abc import Callable, Iterator

from sqlalchemy import String, select, type_coerce
from sqlalchemy.orm import aliased

from .. import policy
from ..accounts.pseudonyms import ExportPseudonyms, byline
from ..consultations.models import Consultation, Neighbourhood
from ..consultations.services import current_council
from ..downloads import spreadsheet_safe
from ..extensions import db
from ..ideas.models import Comment, CommunityEvent, Idea, Source, Visibility, Vote, WorkshopVote
from ..organisations.models import Organisation
from ..timeutil import utcnow
from .opendata_notes import OGL_NAME, OGL_URL, attribution, licence_text, readme_markdown

BATCH = 5000
RowsDone = Callable[[int], None]  # told how many rows are written so far


def _iso(value) -> str | None:
    return value.isoformat() if value is not None else None


def _published_idea_ids(consultation: Consultation):
    return select(Idea.id).where(
        Idea.consultation_id == consultation.id, Idea.visibility == Visibility.PUBLISHED
    )


def _stream(query):
    return db.session.execute(query.execution_options(yield_per=BATCH))


TABLES: dict[str, list[str]] = {
    "ideas": [
        "idea_id",
        "principle",
        "title",
        "body",
        "neighbourhood",
        "source",
        "organisation",
        "author",
        "created_at",
        "agree",
        "disagree",
        "pass",
        "comments",
    ],
    "votes": ["idea_id", "voter", "value", "date"],
    "comments": [
        "comment_id",
        "idea_id",
        "reply_to",
        "author",
        "organisation",
        "body",
        "created_at",
    ],
    "events": ["event_id", "kind", "name", "held_on", "place", "neighbourhood", "attendees"],
    "workshop_votes": ["idea_id", "event_id", "event", "held_on", "agree", "disagree", "pass"],
    "themes": ["theme_id", "theme", "idea_id"],
    "results": [
        "idea_id",
        "agree",
        "disagree",
        "pass",
        "wilson_lower_bound",
        "divisiveness",
        "consensus_score",
    ],
    "question_answers": [
        "question",
        "question_text",
        "by",
        "group",
        "answer",
        "people",
        "note",
    ],
}


def _ideas(consultation, pseudonyms: ExportPseudonyms) -> Iterator[list]:
    query = (
        select(
            Idea.id,
            Idea.title,
            Idea.body,
            Neighbourhood.name,
            Idea.source,
            Organisation.name,
            Idea.author_id,
            Idea.created_at,
            Idea.agree_count,
            Idea.disagree_count,
            Idea.pass_count,
            Idea.comment_count,
            Idea.organisation_id,
        )
        .outerjoin(Neighbourhood, Idea.neighbourhood_id == Neighbourhood.id)
        .outerjoin(Organisation, Idea.organisation_id == Organisation.id)
        .where(Idea.consultation_id == consultation.id, Idea.visibility == Visibility.PUBLISHED)
        .order_by(Idea.id)
    )
    for row in _stream(query):
        offline = row[0] if row[4] is not Source.ONLINE else None
        yield [
            row[0],
            consultation.principle_number,
            row[1],
            row[2],
            row[3],
            row[4].value,
            row[5],
            pseudonyms.author(row[6], byline(row[12], offline)),
            _iso(row[7]),
            row[8],
            row[9],
            row[10],
            row[11],
        ]


def _votes(consultation, pseudonyms: ExportPseudonyms) -> Iterator[list]:
    # By idea, then by account (the unique index's order): never by when the vote came.
    query = (
        select(Vote.idea_id, Vote.user_id, type_coerce(Vote.value, String), Vote.updated_at)
        .where(Vote.idea_id.in_(_published_idea_ids(consultation)))
        .order_by(Vote.idea_id, Vote.user_id)
    )
    for idea_id, user_id, value, updated_at in _stream(query):
        yield [idea_id, pseudonyms.voter(user_id), value, updated_at.date().isoformat()]


def _comments(consultation, pseudonyms: ExportPseudonyms) -> Iterator[list]:
    parent = aliased(Comment)
    query = (
        select(
            Comment.id,
            Comment.idea_id,
            Comment.parent_id,
            parent.visibility,
            Comment.author_id,
            Organisation.name,
            Comment.body,
            Comment.created_at,
            Comment.organisation_id,
        )
        .outerjoin(parent, Comment.parent_id == parent.id)
        .outerjoin(Organisation, Comment.organisation_id == Organisation.id)
        .where(
            Comment.idea_id.in_(_published_idea_ids(consultation)),
            Comment.visibility == Visibility.PUBLISHED,
        )
        .order_by(Comment.id)
    )
    for cid, idea_id, parent_id, parent_vis, author, org, body, created, org_id in _stream(query):
        reply_to = parent_id if parent_vis is Visibility.PUBLISHED else None
        author_pseudonym = pseudonyms.author(author, byline(org_id))
        yield [cid, idea_id, reply_to, author_pseudonym, org, body, _iso(created)]


def _events(consultation, pseudonyms: ExportPseudonyms) -> Iterator[list]:
    query = (
        select(
            CommunityEvent.id,
            CommunityEvent.kind,
            CommunityEvent.name,
            CommunityEvent.held_on,
            CommunityEvent.place,
            Neighbourhood.name,
            CommunityEvent.attendees,
        )
        .outerjoin(Neighbourhood, CommunityEvent.neighbourhood_id == Neighbourhood.id)
        .where(CommunityEvent.consultation_id == consultation.id)
        .order_by(CommunityEvent.id)
    )
    for row in _stream(query):
        yield [row[0], row[1].value, row[2], _iso(row[3]), row[4], row[5], row[6]]


def _workshop_votes(consultation, pseudonyms: ExportPseudonyms) -> Iterator[list]:
    """The tallies workshops took on published ideas (a room's votes, not people's)."""
    query = (
        select(
            WorkshopVote.idea_id,
            WorkshopVote.event_id,
            CommunityEvent.name,
            CommunityEvent.held_on,
            WorkshopVote.agree,
            WorkshopVote.disagree,
            WorkshopVote.passed,
        )
        .join(CommunityEvent, WorkshopVote.event_id == CommunityEvent.id)
        .where(WorkshopVote.idea_id.in_(_published_idea_ids(consultation)))
        .order_by(WorkshopVote.idea_id, WorkshopVote.event_id)
    )
    for row in _stream(query):
        yield [row[0], row[1], row[2], _iso(row[3]), row[4], row[5], row[6]]


def _themes(consultation, pseudonyms: ExportPseudonyms) -> Iterator[list]:
    from ..analysis.models import Theme, ThemeIdea, ThemeStatus

    query = (
        select(Theme.id, Theme.name, ThemeIdea.idea_id)
        .join(ThemeIdea, ThemeIdea.theme_id == Theme.id)
        .where(
            Theme.consultation_id == consultation.id,
            Theme.status == ThemeStatus.ACCEPTED,
            ThemeIdea.idea_id.in_(_published_idea_ids(consultation)),
        )
        .order_by(Theme.id, ThemeIdea.idea_id)
    )
    for row in _stream(query):
        yield list(row)


def _results(consultation, pseudonyms: ExportPseudonyms) -> Iterator[list]:
    """The analysis of each idea, only once the results are public (``policy.results_public``,
    the rule of the pages and the API); until then the table has its header and no rows."""
    from ..analysis.results import current_results

    if not policy.results_public(consultation):
        return
    results = current_results(consultation)
    consensus = {item.idea.id: item.score for item in results.consensus}
    for row in results.ideas:
        yield [
            row.id,
            row.agree,
            row.disagree,
            row.passes,
            round(row.wilson, 4),
            round(row.divisive, 4),
            consensus.get(row.id),
        ]


def _question_answers(consultation, pseudonyms: ExportPseudonyms) -> Iterator[list]:
    """The answers to the consultation's questions: aggregates only, suppressed as on the
    results page, and only once the results are public (an anonymous visitor may read them)."""
    from .. import policy
    from ..questions.results import question_results
    from ..questions.tables import answer_rows

    if not policy.allowed("results.view", None, consultation):
        return
    yield from answer_rows(question_results(consultation))


ROWS = {
    "ideas": _ideas,
    "votes": _votes,
    "comments": _comments,
    "events": _events,
    "workshop_votes": _workshop_votes,
    "themes": _themes,
    "results": _results,
    "question_answers": _question_answers,
}


def _about(consultation: Consultation) -> dict:
    council = current_council().name
    return {
        "consultation": consultation.title,
        "slug": consultation.slug,
        "principle": consultation.principle_number,
        "question": consultation.question,
        "exported_at": _iso(utcnow()),
        "participants": (
            "People appear only as pseudonyms, in two spaces that never share a value. "
            "'author' (author-...) in ideas and comments: one per byline (a person's own, each "
            "organisation they write for, each idea gathered offline). 'voter' (voter-...) in "
            "votes: the same voter throughout this export's votes, and never equal to any "
            "author, so no vote can be joined to a name the website shows. A new export draws "
            "new pseudonyms of both kinds, so exports cannot be joined. Votes are listed by "
            "idea, never in the order they came."
        ),
        "left_out": (
            "Hidden, waiting and merged ideas and comments; names, email addresses and the "
            "names of offline contributors. Answers to the consultation's questions appear "
            "only as counts (question_answers, once the results are public), with any count "
            "of fewer than 10 people left empty and noted; words typed as answers never."
        ),
        "results_public": policy.results_public(consultation),
        "results": (
            "The 'results' table (ranking, divisiveness, consensus) has rows once the "
            "consultation has closed and its summary is published, as on the website; until "
            "then it has its header only."
        ),
        "tables": {name: columns for name, columns in TABLES.items()},
        "licence": {"name": OGL_NAME, "url": OGL_URL, "attribution": attribution(council)},
    }


class _Sink(io.RawIOBase):
    """A write-only stream that hands back what was written since the last ``take``."""

    def __init__(self) -> None:
        self._chunks: list[bytes] = []

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:
        self._chunks.append(bytes(data))
        return len(data)

    def take(self) -> bytes:
        data = b"".join(self._chunks)
        self._chunks.clear()
        return data


def csv_zip(consultation: Consultation, on_rows: RowsDone | None = None) -> Iterator[bytes]:
    """A ZIP of one CSV per table, the licence, and a README (Markdown, with the published
    summary and the decision record, and JSON), made and sent piece by piece (``on_rows`` is
    told how many rows are written so far, every ``BATCH`` rows)."""
    pseudonyms = ExportPseudonyms()
    done = 0
    sink = _Sink()
    council = current_council().name
    with zipfile.ZipFile(sink, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("LICENCE.txt", licence_text(council))
        archive.writestr("README.md", readme_markdown(consultation, TABLES))
        with archive.open("README.json", "w") as member:
            member.write(json.dumps(_about(consultation), indent=2).encode())
        yield sink.take()
        for name, columns in TABLES.items():
            with archive.open(f"{name}.csv", "w", force_zip64=True) as member:
                text = io.TextIOWrapper(member, encoding="utf-8-sig", newline="")
                writer = csv.writer(text)
                writer.writerow(columns)
                for row in ROWS[name](consultation, pseudonyms):
                    writer.writerow([spreadsheet_safe(cell) for cell in row])
                    done += 1
                    if done % BATCH == 0:
                        text.flush()
                        yield sink.take()
                        if on_rows is not None:
                            on_rows(done)
                text.flush()
                text.detach()
            yield sink.take()
    yield sink.take()


def json_stream(consultation: Consultation, on_rows: RowsDone | None = None) -> Iterator[str]:
    """One JSON document: ``about`` then each table as a list of objects, written row by row
    (``on_rows`` as for ``csv_zip``)."""
    pseudonyms = ExportPseudonyms()
    done = 0
    yield '{"about": ' + json.dumps(_about(consultation))
    for name, columns in TABLES.items():
        yield f', "{name}": ['
        buffer: list[str] = []
        for n, row in enumerate(ROWS[name](consultation, pseudonyms)):
            buffer.append(("," if n else "") + json.dumps(dict(zip(columns, row, strict=True))))
            done += 1
            if len(buffer) >= 1000:
                yield "".join(buffer)
                buffer.clear()
                if on_rows is not None and done % BATCH == 0:
                    on_rows(done)
        yield "".join(buffer) + "]"
    yield "}\n"
