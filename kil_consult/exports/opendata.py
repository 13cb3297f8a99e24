"""The evidence as open data: a consultation's ideas, votes, comments, events, themes and
results, as a ZIP of CSV files or one JSON document, streamed in constant memory.

Only published ideas and comments appear; hidden, waiting and merged content, names, email
addresses and the names typed for offline contributors never do. Participants appear as
pseudonyms made with a random salt drawn for each export: the same person has the same
pseudonym throughout one export (so votes, ideas and comments link up) and a different one in
the next (so two exports cannot be joined to follow someone).
"""

from __future__ import annotations

import csv
import functools
import hashlib
import io
import json
import secrets
import zipfile
from collections.abc import Iterator

from sqlalchemy import String, select, type_coerce
from sqlalchemy.orm import aliased

from ..consultations.models import Consultation, Neighbourhood
from ..downloads import spreadsheet_safe
from ..extensions import db
from ..ideas.models import Comment, CommunityEvent, Idea, Visibility, Vote
from ..organisations.models import Organisation
from ..timeutil import utcnow

BATCH = 5000


class Pseudonyms:
    """Stable within one export, unlinkable across exports: a keyed BLAKE2b hash of the id with
    a key drawn for this export (and forgotten with it). A bounded cache keeps it fast."""

    def __init__(self) -> None:
        key = secrets.token_bytes(32)

        @functools.lru_cache(maxsize=100_000)
        def pseudonym(user_id: int) -> str:
            digest = hashlib.blake2b(str(user_id).encode(), key=key, digest_size=8)
            return "p-" + digest.hexdigest()

        self._pseudonym = pseudonym

    def __call__(self, user_id: int | None) -> str | None:
        return None if user_id is None else self._pseudonym(user_id)


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
        "participant",
        "created_at",
        "agree",
        "disagree",
        "pass",
        "comments",
    ],
    "votes": ["idea_id", "participant", "value", "date"],
    "comments": [
        "comment_id",
        "idea_id",
        "reply_to",
        "participant",
        "organisation",
        "body",
        "created_at",
    ],
    "events": ["event_id", "kind", "name", "held_on", "place", "neighbourhood", "attendees"],
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
}


def _ideas(consultation, pseudonym) -> Iterator[list]:
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
        )
        .outerjoin(Neighbourhood, Idea.neighbourhood_id == Neighbourhood.id)
        .outerjoin(Organisation, Idea.organisation_id == Organisation.id)
        .where(Idea.consultation_id == consultation.id, Idea.visibility == Visibility.PUBLISHED)
        .order_by(Idea.id)
    )
    for row in _stream(query):
        yield [
            row[0],
            consultation.principle_number,
            row[1],
            row[2],
            row[3],
            row[4].value,
            row[5],
            pseudonym(row[6]),
            _iso(row[7]),
            row[8],
            row[9],
            row[10],
            row[11],
        ]


def _votes(consultation, pseudonym) -> Iterator[list]:
    query = (
        select(Vote.idea_id, Vote.user_id, type_coerce(Vote.value, String), Vote.updated_at)
        .where(Vote.idea_id.in_(_published_idea_ids(consultation)))
        .order_by(Vote.id)
    )
    for idea_id, user_id, value, updated_at in _stream(query):
        yield [idea_id, pseudonym(user_id), value, updated_at.date().isoformat()]


def _comments(consultation, pseudonym) -> Iterator[list]:
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
        )
        .outerjoin(parent, Comment.parent_id == parent.id)
        .outerjoin(Organisation, Comment.organisation_id == Organisation.id)
        .where(
            Comment.idea_id.in_(_published_idea_ids(consultation)),
            Comment.visibility == Visibility.PUBLISHED,
        )
        .order_by(Comment.id)
    )
    for cid, idea_id, parent_id, parent_vis, author, org, body, created in _stream(query):
        reply_to = parent_id if parent_vis is Visibility.PUBLISHED else None
        yield [cid, idea_id, reply_to, pseudonym(author), org, body, _iso(created)]


def _events(consultation, pseudonym) -> Iterator[list]:
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


def _themes(consultation, pseudonym) -> Iterator[list]:
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


def _results(consultation, pseudonym) -> Iterator[list]:
    from ..analysis.results import current_results

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


ROWS = {
    "ideas": _ideas,
    "votes": _votes,
    "comments": _comments,
    "events": _events,
    "themes": _themes,
    "results": _results,
}


def _about(consultation: Consultation) -> dict:
    return {
        "consultation": consultation.title,
        "slug": consultation.slug,
        "principle": consultation.principle_number,
        "question": consultation.question,
        "exported_at": _iso(utcnow()),
        "participants": (
            "Pseudonyms (p-...) are the same person within this export only; a new export "
            "draws new ones, so exports cannot be joined."
        ),
        "left_out": (
            "Hidden, waiting and merged ideas and comments; names, email addresses and the "
            "names of offline contributors."
        ),
        "tables": {name: columns for name, columns in TABLES.items()},
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


def csv_zip(consultation: Consultation) -> Iterator[bytes]:
    """A ZIP of one CSV per table and a README, made and sent piece by piece."""
    pseudonym = Pseudonyms()
    sink = _Sink()
    with zipfile.ZipFile(sink, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        with archive.open("README.json", "w") as member:
            member.write(json.dumps(_about(consultation), indent=2).encode())
        yield sink.take()
        for name, columns in TABLES.items():
            with archive.open(f"{name}.csv", "w", force_zip64=True) as member:
                text = io.TextIOWrapper(member, encoding="utf-8-sig", newline="")
                writer = csv.writer(text)
                writer.writerow(columns)
                for n, row in enumerate(ROWS[name](consultation, pseudonym), start=1):
                    writer.writerow([spreadsheet_safe(cell) for cell in row])
                    if n % BATCH == 0:
                        text.flush()
                        yield sink.take()
                text.flush()
                text.detach()
            yield sink.take()
    yield sink.take()


def json_stream(consultation: Consultation) -> Iterator[str]:
    """One JSON document: ``about`` then each table as a list of objects, written row by row."""
    pseudonym = Pseudonyms()
    yield '{"about": ' + json.dumps(_about(consultation))
    for name, columns in TABLES.items():
        yield f', "{name}": ['
        buffer: list[str] = []
        for n, row in enumerate(ROWS[name](consultation, pseudonym)):
            buffer.append(("," if n else "") + json.dumps(dict(zip(columns, row, strict=True))))
            if len(buffer) >= 1000:
                yield "".join(buffer)
                buffer.clear()
        yield "".join(buffer) + "]"
    yield "}\n"
