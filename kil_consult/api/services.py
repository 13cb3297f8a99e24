"""What the open-data API may show, and how: public records only, participants as pseudonyms,
keyset pages with opaque cursors, and the time each answer last changed.

The API answers every visitor the same (its answers are cached publicly), so it never looks at
who is signed in: staff see drafts and hidden ideas on the site, never here.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from datetime import UTC, datetime

from flask import current_app, url_for
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import DateTime, and_, func, or_, select
from sqlalchemy.orm import joinedload

from .. import policy
from ..consultations.models import Consultation, Neighbourhood, Process
from ..consultations.services import counts_for, current_process
from ..consultations.services import neighbourhoods as all_neighbourhoods
from ..extensions import db
from ..ideas.models import Comment, Idea, Source, Visibility, Vote
from ..ideas.services import comment_threads, sort_keys
from ..timeutil import utcnow
from . import schemas

_CURSOR_SALT = "kil-consult api cursor"
_PSEUDONYM_CONTEXT = b"kil-consult participant:"


class ApiError(Exception):
    """An answer other than 200, with a message for whoever called the API."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status
        self.message = message


# --- shaping -----------------------------------------------------------------------------


def pseudonym(user_id: int) -> str:
    """A participant's stable pseudonym: an HMAC of their id keyed with the app's secret key.

    The same person gets the same pseudonym in every answer, so researchers can follow one
    person's contributions; without the secret key it cannot be turned back into an id.
    """
    key = current_app.config["SECRET_KEY"].encode()
    digest = hmac.new(key, _PSEUDONYM_CONTEXT + str(user_id).encode(), hashlib.sha256)
    return f"participant-{digest.hexdigest()[:16]}"


def utc(value: datetime | None) -> datetime | None:
    """A stored naive-UTC time as an aware one, so that it serialises with its zone ('Z')."""
    return value.replace(tzinfo=UTC) if value is not None else None


def site_url(endpoint: str, **values) -> str:
    """An absolute address on the public site (``KIL_BASE_URL``), stable behind any proxy."""
    return current_app.config["KIL_BASE_URL"] + url_for(endpoint, **values)


def neighbourhood_out(place: Neighbourhood) -> schemas.Neighbourhood:
    return schemas.Neighbourhood(id=place.id, slug=place.slug, name=place.name)


def consultation_out(consultation: Consultation, counts) -> schemas.Consultation:
    """A consultation as the API shows it, with the counts the site shows."""
    stage = consultation.current_stage()
    return schemas.Consultation(
        id=consultation.id,
        slug=consultation.slug,
        process=consultation.process.slug,
        principle_number=consultation.principle_number,
        title=consultation.title,
        question=consultation.question,
        explanation=consultation.explanation,
        next_steps=consultation.next_steps,
        stage=stage.value,
        stage_label=stage.label,
        accepting=consultation.is_accepting(),
        opens_at=utc(consultation.opens_at),
        closes_at=utc(consultation.closes_at),
        counts=schemas.ConsultationCounts(**vars(counts)),
        links=schemas.ConsultationLinks(
            self=site_url("api.consultation", slug=consultation.slug),
            ideas=site_url("api.consultation_ideas", slug=consultation.slug),
            html=site_url("consultations.show", slug=consultation.slug),
        ),
    )


def idea_fields(idea: Idea) -> dict:
    """The fields of an idea that the API publishes (never its author's name or email)."""
    return {
        "id": idea.id,
        "consultation": idea.consultation.slug,
        "title": idea.title,
        "body": idea.body,
        "neighbourhood": neighbourhood_out(idea.neighbourhood) if idea.neighbourhood else None,
        "source": idea.source.value,
        "organisation": schemas.OrganisationRef(
            slug=idea.organisation.slug,
            name=idea.organisation.name,
            html=site_url("organisations.show", slug=idea.organisation.slug),
        )
        if idea.organisation
        else None,
        "author": pseudonym(idea.author_id),
        "created_at": utc(idea.created_at),
        "counts": schemas.IdeaCounts(
            agree=idea.agree_count,
            disagree=idea.disagree_count,
            pass_=idea.pass_count,
            votes=idea.vote_count,
            comments=idea.comment_count,
        ),
        "links": schemas.IdeaLinks(
            self=site_url("api.idea", idea_id=idea.id),
            html=site_url("ideas.show", idea_id=idea.id),
        ),
    }


def _published(item) -> bool:
    return item.visibility is Visibility.PUBLISHED


def idea_with_comments(idea: Idea) -> schemas.IdeaWithComments:
    """An idea with its published comments and their published replies, in the site's threads
    (the site shows hidden comments as notes; the API leaves them out)."""
    comments = [
        schemas.Comment(
            id=thread.comment.id,
            author=pseudonym(thread.comment.author_id),
            body=thread.comment.body,
            created_at=utc(thread.comment.created_at),
            replies=[
                schemas.Reply(
                    id=reply.id,
                    parent_id=thread.comment.id,
                    author=pseudonym(reply.author_id),
                    body=reply.body,
                    created_at=utc(reply.created_at),
                )
                for reply in thread.replies
                if _published(reply)
            ],
        )
        for thread in comment_threads(idea)
        if _published(thread.comment)
    ]
    return schemas.IdeaWithComments(**idea_fields(idea), comments=comments)


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
    consultation = db.session.scalar(select(Consultation).where(Consultation.slug == slug))
    if consultation is None or not policy.allowed("consultation.view", None, consultation):
        raise ApiError(404, f"There is no published consultation '{slug}'.")
    return consultation


def public_idea(idea_id: int) -> Idea:
    """The idea with this id if it is published in a consultation anyone may read."""
    idea = db.session.get(Idea, idea_id)
    if idea is None or not _published(idea) or not policy.allowed("idea.view", None, idea):
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
        .options(joinedload(Idea.neighbourhood), joinedload(Idea.organisation))
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
    turning_points = [t for t in (consultation.opens_at, consultation.closes_at) if t and t <= now]
    return _latest(consultation.updated_at, *turning_points)


def contributions_changed_at(ideas_where) -> datetime | None:
    """The latest idea, vote, comment or moderation among the ideas matching ``ideas_where``.

    Moderation (hiding, restoring, publishing, merging) sets ``moderated_at``, so that
    If-Modified-Since never answers 304 across it; answers also carry an ETag of their exact
    body, which clients should prefer.
    """
    ideas, ideas_moderated = db.session.execute(
        select(func.max(Idea.created_at), func.max(Idea.moderated_at)).where(ideas_where)
    ).one()
    votes = db.session.scalar(
        select(func.max(Vote.updated_at)).select_from(Vote).join(Vote.idea).where(ideas_where)
    )
    comments, comments_moderated = db.session.execute(
        select(func.max(Comment.created_at), func.max(Comment.moderated_at))
        .select_from(Comment)
        .join(Comment.idea)
        .where(ideas_where)
    ).one()
    return _latest(ideas, ideas_moderated, votes, comments, comments_moderated)


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


# --- themes, summaries and results -------------------------------------------------------


def accepted_themes(consultation: Consultation) -> list[tuple[object, int]]:
    """A consultation's accepted themes with how many published ideas carry each."""
    from ..analysis.models import Theme, ThemeIdea, ThemeStatus

    rows = db.session.execute(
        select(Theme, func.count(Idea.id))
        .outerjoin(ThemeIdea, ThemeIdea.theme_id == Theme.id)
        .outerjoin(Idea, (Idea.id == ThemeIdea.idea_id) & (Idea.visibility == Visibility.PUBLISHED))
        .where(Theme.consultation_id == consultation.id, Theme.status == ThemeStatus.ACCEPTED)
        .group_by(Theme.id)
        .order_by(Theme.name, Theme.id)
    ).all()
    return [(theme, int(count)) for theme, count in rows]


def accepted_theme(consultation: Consultation, theme_id: int):
    """The accepted theme an ideas filter names; 400 if the consultation has no such theme."""
    from ..analysis.models import Theme, ThemeStatus

    theme = db.session.get(Theme, theme_id)
    if (
        theme is None
        or theme.consultation_id != consultation.id
        or theme.status is not ThemeStatus.ACCEPTED
    ):
        raise ApiError(
            404,
            f"This consultation has no theme {theme_id}. See .../themes for its theme ids.",
        )
    return theme


def summary_out(consultation: Consultation) -> schemas.Summary:
    """The published summary, or 404 while there is none."""
    from ..analysis.services import published_version, you_said_we_did

    version = published_version(consultation)
    if version is None:
        raise ApiError(404, f"'{consultation.slug}' has no published summary yet.")
    state = you_said_we_did(consultation)
    published_ideas = _published_ids(
        [c.idea_id for finding in version.findings for c in finding.citations]
    )
    return schemas.Summary(
        consultation=consultation.slug,
        version=version.number,
        published_at=utc(version.published_at),
        overview=version.overview,
        themes=version.themes,
        findings=[
            schemas.Finding(
                text=finding.text,
                ideas=[c.idea_id for c in finding.citations if c.idea_id in published_ideas],
            )
            for finding in version.findings
        ],
        decision=version.decision,
        connection=version.connection,
        response_due=state.due,
        responded_at=utc(state.responded_at),
        overdue=state.overdue,
    )


def _published_ids(ids: list[int]) -> set[int]:
    if not ids:
        return set()
    return set(
        db.session.scalars(
            select(Idea.id).where(Idea.id.in_(ids), Idea.visibility == Visibility.PUBLISHED)
        )
    )


def _ranked_out(row) -> schemas.RankedIdea:
    return schemas.RankedIdea(
        idea=row.id,
        title=row.title,
        agree=row.agree,
        disagree=row.disagree,
        passes=row.passes,
        wilson_lower_bound=round(row.wilson, 6),
        divisiveness=round(row.divisive, 6),
    )


def results_out(consultation: Consultation) -> schemas.Results:
    """The public results: 404 until the summary is published, as on the site."""
    from ..analysis import services as analysis

    if not analysis.is_published(consultation):
        raise ApiError(404, f"The results of '{consultation.slug}' are not published yet.")
    results = analysis.results_for(consultation)
    payload = results.payload or {}
    rows = analysis.idea_rows(consultation)
    live = {row.id for row in rows}
    shown = payload.get("participation") or analysis.participation(consultation)
    slugs = {str(n.id): n.slug for n in all_neighbourhoods()}
    by_who, by_source = shown.get("by_who", {}), shown.get("by_source", {})
    participation = schemas.Participation(
        people=shown.get("people", 0),
        ideas=shown.get("ideas", 0),
        votes=shown.get("votes", 0),
        comments=shown.get("comments", 0),
        organisations=shown.get("organisations", 0),
        ideas_by_author_type={
            "resident": by_who.get("residents", [0])[0],
            "organisation": by_who.get("organisations", [0])[0],
        },
        ideas_by_source={s.value: by_source.get(s.value, [0])[0] for s in Source},
        people_by_neighbourhood=[
            schemas.PlaceShare(neighbourhood=slugs.get(key), people=count)
            for key, count in sorted(shown.get("by_neighbourhood", {}).items())
            if key == "" or key in slugs
        ],
    )
    groups = [
        schemas.OpinionGroup(
            label=group["label"],
            size=group["size"],
            distinguishing_ideas=[
                schemas.GroupIdea(
                    idea=item["idea_id"],
                    direction=item["direction"],
                    agree=item["agree"],
                    disagree=item["disagree"],
                    votes=item["votes"],
                )
                for item in group["representative"]
                if item["idea_id"] in live
            ],
        )
        for group in payload.get("groups", [])
    ]
    return schemas.Results(
        consultation=consultation.slug,
        computed_at=utc(results.computed_at),
        current=results.current,
        participation=participation,
        most_supported=[_ranked_out(row) for row in analysis.ranked(rows)[:20]],
        most_divisive=[_ranked_out(row) for row in analysis.most_divisive(rows)[:10]],
        opinion_groups=groups,
        consensus=[
            schemas.ScoredIdea(idea=item["idea_id"], score=item["score"])
            for item in payload.get("consensus", [])
            if item["idea_id"] in live and item["score"] is not None
        ],
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


def commitments_out(statement, version) -> schemas.CommitmentList:
    from ..exports.statement import statement_data

    data = statement_data(statement, version)
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
    return _latest(statement.updated_at, statement.published_at, progress, status)
