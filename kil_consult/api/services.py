"""What the open-data API may show, and how: public records only, participants as pseudonyms,
keyset pages with opaque cursors, and the time each answer last changed.

The API answers every visitor the same (its answers are cached publicly), so it never looks at
who is signed in: staff see drafts and hidden ideas on the site, never here. Shaping lives in
``shaping.py`` and results in ``results.py``; the routes reach both through this module.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import DateTime, and_, func, or_, select
from sqlalchemy.orm import joinedload

from .. import policy
from ..accounts.models import User
from ..consultations.models import Consultation, Neighbourhood, Process
from ..consultations.services import consultation_by_slug, current_process
from ..consultations.services import neighbourhoods as all_neighbourhoods
from ..extensions import db
from ..ideas.counts import counts_for
from ..ideas.models import Comment, Idea, Source, Visibility, Vote
from ..ideas.services import sort_keys
from ..timeutil import utcnow
from . import schemas
from .results import accepted_theme, accepted_themes, results_out, summary_out  # noqa: F401
from .shaping import (  # noqa: F401  (the routes call them through this module)
    ApiError,
    consultation_out,
    idea_fields,
    idea_with_comments,
    is_public_item,
    neighbourhood_out,
    site_url,
    utc,
)

_CURSOR_SALT = "kil-consult api cursor"


# --- what is public ----------------------------------------------------------------------


def public_process() -> Process:
    """The current process (the one the home page shows); 404 if there is none yet."""
    process = current_process()
    if process is None:
        raise ApiError(404, "There is no co-design process yet.")
    return process


def public_consultations(process: Process) -> list[Consultation]:
    """The consultations of a process that anyone may read (open or closed, never drafts)."""
    return [c for c in process.consultations if policy.allowed("consultation.view", None, c)]


def public_consultation(slug: str) -> Consultation:
    """The consultation with this slug if anyone may read it; else 404, as on the site."""
    consultation = consultation_by_slug(slug)
    if consultation is None or not policy.allowed("consultation.view", None, consultation):
        raise ApiError(404, f"There is no published consultation '{slug}'.")
    return consultation


def public_idea(idea_id: int) -> Idea:
    """The idea with this id if it is published in a consultation anyone may read."""
    idea = db.session.get(Idea, idea_id)
    if idea is None or not is_public_item(idea) or not policy.allowed("idea.view", None, idea):
        raise ApiError(404, f"There is no published idea {idea_id}.")
    return idea


def neighbourhood_by_slug(slug: str) -> Neighbourhood:
    """The neighbourhood an ideas filter names; 400 if there is none (the filter is wrong)."""
    place = db.session.scalar(select(Neighbourhood).where(Neighbourhood.slug == slug))
    if place is None:
        raise ApiError(
            404,
            f"There is no neighbourhood '{slug}'. See /api/v1/neighbourhoods for the slugs.",
        )
    return place


def neighbourhoods() -> list[schemas.Neighbourhood]:
    return [neighbourhood_out(place) for place in all_neighbourhoods()]


def consultations_out(consultations: list[Consultation]) -> list[schemas.Consultation]:
    counts = counts_for([c.id for c in consultations])
    return [consultation_out(c, counts[c.id]) for c in consultations]


def example_idea_id(consultations: list[Consultation]) -> int | None:
    """A published idea to show in the API page's examples, if there is one."""
    if not consultations:
        return None
    return db.session.scalar(
        select(Idea.id)
        .where(
            Idea.consultation_id.in_([c.id for c in consultations]),
            Idea.visibility == Visibility.PUBLISHED,
        )
        .order_by(Idea.id)
        .limit(1)
    )


# --- pages of ideas ----------------------------------------------------------------------


@dataclass(frozen=True)
class IdeaFilters:
    """Which of a consultation's published ideas a list shows."""

    neighbourhood: Neighbourhood | None = None
    source: str | None = None
    author_type: str | None = None
    theme_id: int | None = None

    def conditions(self) -> list:
        from ..analysis.models import ThemeIdea

        found = []
        if self.neighbourhood is not None:
            found.append(Idea.neighbourhood_id == self.neighbourhood.id)
        if self.source is not None:
            found.append(Idea.source == Source(self.source))
        if self.author_type == "organisation":
            found.append(Idea.organisation_id.is_not(None))
        elif self.author_type == "resident":
            found.append(Idea.organisation_id.is_(None))
        if self.theme_id is not None:
            found.append(
                Idea.id.in_(select(ThemeIdea.idea_id).where(ThemeIdea.theme_id == self.theme_id))
            )
        return found

    def fingerprint(self) -> list:
        return [
            self.neighbourhood.slug if self.neighbourhood else None,
            self.source,
            self.author_type,
            self.theme_id,
        ]


@dataclass
class IdeaPage:
    """One keyset page: its ideas, how many match in all, and where the next page starts."""

    items: list[Idea]
    total: int
    next_cursor: str | None


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=_CURSOR_SALT)


def _bad_cursor(detail: str = "") -> ApiError:
    # 404: a well-formed cursor names a page; one this list never issued is a page not found.
    return ApiError(
        404,
        "The cursor is not valid"
        + (f" {detail}" if detail else "")
        + ". Copy next_cursor (or links.next) from the previous page exactly, or start again "
        "without a cursor.",
    )


def encode_cursor(consultation: Consultation, sort: str, filters: IdeaFilters, keys) -> str:
    """An opaque, signed cursor: the sort keys of the last idea on a page, and what it lists."""
    values = [v.isoformat() if isinstance(v, datetime) else v for v in keys]
    return _serializer().dumps([consultation.id, sort, filters.fingerprint(), values])


def decode_cursor(cursor: str, consultation: Consultation, sort: str, filters: IdeaFilters):
    """The sort key values a cursor holds; 400 if it was changed or made for another list."""
    try:
        consultation_id, cursor_sort, fingerprint, values = _serializer().loads(cursor)
    except (BadSignature, ValueError, TypeError):
        raise _bad_cursor() from None
    if consultation_id != consultation.id:
        raise _bad_cursor("for this consultation")
    if cursor_sort != sort:
        raise _bad_cursor(f"for sort={sort}: it was made for sort={cursor_sort}")
    if fingerprint != filters.fingerprint():
        raise _bad_cursor("for these filters: keep the same filters on every page")
    keys = sort_keys(sort)
    if not isinstance(values, list) or len(values) != len(keys):
        raise _bad_cursor()
    decoded = []
    for key, value in zip(keys, values, strict=True):
        if isinstance(key.type, DateTime):
            try:
                decoded.append(datetime.fromisoformat(value))
            except (TypeError, ValueError):
                raise _bad_cursor() from None
        elif isinstance(value, int) and not isinstance(value, bool):
            decoded.append(value)
        else:
            raise _bad_cursor()
    return decoded


def _after(keys, values):
    """Rows that come after ``values`` in an order that is descending on every key."""
    alternatives = []
    for i, key in enumerate(keys):
        equal = [keys[j] == values[j] for j in range(i)]
        alternatives.append(and_(*equal, key < values[i]))
    return or_(*alternatives)


def idea_page(
    consultation: Consultation,
    sort: str,
    filters: IdeaFilters,
    limit: int,
    cursor: str | None = None,
) -> IdeaPage:
    """A page of a consultation's published ideas in the pages' own order, after ``cursor``.

    Keyset paging (the sort keys of the last idea seen, never an offset) keeps a walk through
    every page from skipping or repeating an idea while new ideas arrive.
    """
    keys = sort_keys(sort)
    conditions = [
        Idea.consultation_id == consultation.id,
        Idea.visibility == Visibility.PUBLISHED,
        *filters.conditions(),
    ]
    total = db.session.scalar(select(func.count(Idea.id)).where(*conditions)) or 0
    query = (
        select(Idea, *keys)
        .options(
            joinedload(Idea.neighbourhood),
            joinedload(Idea.organisation),
            joinedload(Idea.author),  # whose pseudonym seed makes the author's pseudonym
        )
        .where(*conditions)
        .order_by(*(key.desc() for key in keys))
        .limit(limit + 1)
    )
    if cursor is not None:
        query = query.where(_after(keys, decode_cursor(cursor, consultation, sort, filters)))
    rows = db.session.execute(query).all()
    more, rows = len(rows) > limit, rows[:limit]
    next_cursor = encode_cursor(consultation, sort, filters, tuple(rows[-1])[1:]) if more else None
    return IdeaPage([row[0] for row in rows], total, next_cursor)


# --- when an answer last changed ---------------------------------------------------------


def _latest(*values: datetime | None) -> datetime | None:
    present = [v for v in values if v is not None]
    return max(present) if present else None


def consultation_changed_at(consultation: Consultation) -> datetime | None:
    """When a consultation's own fields or its stage (which turns at its dates) last changed."""
    now = utcnow()
    turning_points = [
        t for t in (consultation.opens_at, consultation.ended_at(now)) if t and t <= now
    ]
    return _latest(consultation.updated_at, *turning_points)


def contributions_changed_at(ideas_where) -> datetime | None:
    """The latest idea, vote, comment, moderation or author's erasure among the ideas matching
    ``ideas_where``.

    Moderation (hiding, restoring, publishing, merging) sets ``moderated_at``, so that
    If-Modified-Since never answers 304 across it; answers also carry an ETag of their exact
    body, which clients should prefer.
    """
    ideas, ideas_moderated, ideas_erased = db.session.execute(
        select(func.max(Idea.created_at), func.max(Idea.moderated_at), func.max(User.erased_at))
        .select_from(Idea)
        .join(User, User.id == Idea.author_id)
        .where(ideas_where)
    ).one()
    votes = db.session.scalar(
        select(func.max(Vote.updated_at)).select_from(Vote).join(Vote.idea).where(ideas_where)
    )
    comments, comments_moderated, comments_erased = db.session.execute(
        select(
            func.max(Comment.created_at), func.max(Comment.moderated_at), func.max(User.erased_at)
        )
        .select_from(Comment)
        .join(Comment.idea)
        .join(User, User.id == Comment.author_id)
        .where(ideas_where)
    ).one()
    return _latest(
        ideas,
        ideas_moderated,
        ideas_erased,  # erasure gives the author new pseudonyms (and a new name on the pages)
        votes,
        comments,
        comments_moderated,
        comments_erased,
    )


def consultations_changed_at(consultations: list[Consultation]) -> datetime | None:
    """The latest change to these consultations or to anything said in them."""
    if not consultations:
        return None
    ids = [c.id for c in consultations]
    return _latest(
        *(consultation_changed_at(c) for c in consultations),
        contributions_changed_at(Idea.consultation_id.in_(ids)),
    )


def idea_changed_at(idea: Idea) -> datetime | None:
    """The latest change to an idea, its votes, its comments or its consultation's stage."""
    return _latest(
        consultation_changed_at(idea.consultation), contributions_changed_at(Idea.id == idea.id)
    )


# --- the statement ------------------------------------------------------------------------


def public_statement():
    """The current process's statement if the public may read it; else 404."""
    from ..statements import services as statements

    statement = statements.current_statement()
    if statement is None or not statement.is_public:
        raise ApiError(404, "The council has not published its statement or opened it for comment.")
    return statement


def public_statement_version(statement, number: int | None = None):
    """A version the public may read (the current public one by default); else 404."""
    from ..statements import services as statements

    if number is None:
        version = statements.public_version(statement)
    else:
        visible = statements.visible_versions(statement, staff=False)
        version = next((v for v in visible if v.number == number), None)
    if version is None:
        raise ApiError(404, f"There is no public version {number} of the statement.")
    return version


def statement_document(statement, version) -> schemas.StatementDocument:
    from ..exports.statement import statement_data

    return schemas.StatementDocument(
        version=version.number, statement=statement_data(statement, version)
    )


def statement_versions(statement) -> schemas.StatementVersionList:
    from ..exports.statement import statement_data
    from ..statements import services as statements

    current = statements.public_version(statement)
    items = []
    for version in statements.visible_versions(statement, staff=False):
        status = statement_data(statement, version)["status"]
        items.append(
            schemas.StatementVersionRef(
                number=version.number,
                saved_at=utc(version.created_at),
                reason=version.reason,
                status=status,
                links=schemas.StatementVersionLinks(
                    self=site_url("api.statement_version", number=version.number),
                    html=site_url("statements.show"),
                ),
            )
        )
    return schemas.StatementVersionList(current=current.number if current else None, items=items)


def _point(point) -> schemas.IndicatorPoint:
    return schemas.IndicatorPoint(date=point.on, value=point.value, note=point.note)


def indicators_out(trends) -> list[schemas.IndicatorOut]:
    """Indicators' trends (``statements.indicators.Trend``) as the API gives them."""
    return [
        schemas.IndicatorOut(
            id=t.id,
            name=t.name,
            definition=t.definition,
            unit=t.unit,
            source=t.source,
            frequency=t.frequency.value,
            baseline=_point(t.baseline),
            target=_point(t.target),
            readings=[_point(p) for p in t.readings],
            progress=round(t.progress, 4),
        )
        for t in trends
    ]


def commitments_out(statement, version) -> schemas.CommitmentList:
    from ..exports.statement import statement_data
    from ..statements.indicators import trends_by_commitment

    data = statement_data(statement, version)
    trends = trends_by_commitment([c["id"] for c in data["commitments"]])
    return schemas.CommitmentList(
        statement_version=version.number,
        items=[
            schemas.CommitmentOut(
                number=c["number"],
                id=str(c["id"]),
                principle=c["principle"],
                text=c["text"],
                owner=c["owner"] or "",
                due=c["due"],
                ideas=c["ideas"],
                status=c["status"],
                status_reason=c["status_reason"],
                progress=[
                    schemas.ProgressNote(date=p["date"], status=p["status"], text=p["text"])
                    for p in c["progress"]
                ],
                indicators=indicators_out(trends.get(c["id"], [])),
            )
            for c in data["commitments"]
        ],
    )


def statement_changed_at(statement) -> datetime | None:
    """When the statement or its commitments' progress last changed."""
    from ..statements.models import Commitment, ProgressUpdate

    progress = db.session.scalar(
        select(func.max(ProgressUpdate.created_at))
        .join(Commitment, ProgressUpdate.commitment_id == Commitment.id)
        .where(Commitment.statement_id == statement.id)
    )
    status = db.session.scalar(
        select(func.max(Commitment.status_changed_at)).where(
            Commitment.statement_id == statement.id
        )
    )
    from ..statements.models import Indicator, IndicatorReading

    measured = db.session.scalar(
        select(func.max(IndicatorReading.created_at))
        .join(Indicator, IndicatorReading.indicator_id == Indicator.id)
        .join(Commitment, Indicator.commitment_id == Commitment.id)
        .where(Commitment.statement_id == statement.id)
    )
    defined = db.session.scalar(
        select(func.max(Indicator.created_at))
        .join(Commitment, Indicator.commitment_id == Commitment.id)
        .where(Commitment.statement_id == statement.id)
    )
    return _latest(
        statement.updated_at, statement.published_at, progress, status, measured, defined
    )
