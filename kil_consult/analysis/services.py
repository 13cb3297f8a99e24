"""Analysis workflows: compute and cache results, participation, ranking, themes, summaries.

The opinion analysis (``opinions.analyse``) is cached in one ``AnalysisResult`` row per
consultation with a fingerprint of the data it read. A page view recomputes it at once when
the consultation is small (``KIL_ANALYSIS_INLINE_VOTES`` votes or fewer); a larger one is
recomputed by ``flask --app app kil analyse`` (cron) or a facilitator's "Recompute now", in a
background thread, while the page shows the last result and says when it was computed.
"""

from __future__ import annotations

import logging
import math
import re
import threading
import time
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

import numpy as np
from flask import current_app
from markupsafe import Markup
from sqlalchemy import delete, distinct, func, select, union_all, update
from sqlalchemy.exc import IntegrityError
from threadpoolctl import threadpool_limits

from ..accounts.models import User
from ..consultations.models import Consultation, Neighbourhood
from ..consultations.services import counts_for, neighbourhoods
from ..extensions import db
from ..ideas.models import Comment, Idea, Source, Visibility, Vote, VoteValue
from ..timeutil import to_local, utcnow
from ..urls import LARGEST_ID
from . import opinions
from .models import (
    AnalysisResult,
    Finding,
    FindingCitation,
    Summary,
    SummaryVersion,
    Theme,
    ThemeIdea,
    ThemeStatus,
    UpdateSubscription,
)
from .themes import suggest_themes

log = logging.getLogger("kil_consult.analysis")

PAYLOAD_VERSION = 1
LOCK_TIMEOUT = timedelta(minutes=10)
LIST_LENGTH = 20
GROUP_LABELS = "ABCDE"
# Ideas in the matrix: published ones, and hidden or merged ones as zeroed columns.
IN_MATRIX = (Visibility.PUBLISHED, Visibility.HIDDEN, Visibility.MERGED)


class SummaryError(ValueError):
    """A summary that cannot be saved as sent, with a message for the facilitator."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


# --- the cache ------------------------------------------------------------------------------


def fingerprint(consultation: Consultation) -> str:
    """What the analysis read, summed up: votes (count, latest change), ideas, comments."""
    votes = db.session.execute(
        select(func.count(Vote.id), func.max(Vote.updated_at))
        .join(Idea, Vote.idea_id == Idea.id)
        .where(Idea.consultation_id == consultation.id)
    ).one()
    ideas = db.session.execute(
        select(Idea.visibility, func.count(Idea.id), func.max(Idea.moderated_at))
        .where(Idea.consultation_id == consultation.id)
        .group_by(Idea.visibility)
        .order_by(Idea.visibility)
    ).all()
    comments = db.session.scalar(
        select(func.count(Comment.id))
        .join(Idea, Comment.idea_id == Idea.id)
        .where(Idea.consultation_id == consultation.id)
    )
    idea_part = ";".join(f"{v}:{n}:{m}" for v, n, m in ideas)
    return f"v{PAYLOAD_VERSION}|{votes[0]}|{votes[1]}|{idea_part}|{comments}"[:200]


def cached_result(consultation: Consultation) -> AnalysisResult | None:
    """The stored result row of a consultation, if it was ever computed."""
    return db.session.scalar(
        select(AnalysisResult).where(AnalysisResult.consultation_id == consultation.id)
    )


@dataclass
class Results:
    """What the results page shows: the payload, when it was computed, whether it is current."""

    payload: dict
    computed_at: datetime | None
    current: bool
    computing: bool = False
    large: bool = False


def results_for(consultation: Consultation) -> Results:
    """The cached results, recomputed first if out of date and the consultation is small."""
    row = cached_result(consultation)
    now_print = fingerprint(consultation)
    if row is not None and row.fingerprint == now_print and row.payload:
        return Results(row.payload, row.computed_at, True)
    vote_count = int(now_print.split("|")[1])
    large = vote_count > current_app.config.get("KIL_ANALYSIS_INLINE_VOTES", 100_000)
    if not large:
        row = compute(consultation)
        return Results(row.payload, row.computed_at, True)
    computing = row is not None and row.computing_since is not None
    if row is None or not row.payload:
        return Results({}, None, False, computing, True)
    return Results(row.payload, row.computed_at, False, computing, True)


def _acquire_lock(consultation: Consultation) -> bool:
    """Mark the consultation's result as being computed; False if someone else already is."""
    if cached_result(consultation) is None:
        try:
            with db.session.begin_nested():
                db.session.add(AnalysisResult(consultation_id=consultation.id, payload={}))
        except IntegrityError:
            pass
    now = utcnow()
    claimed = db.session.execute(
        update(AnalysisResult)
        .where(
            AnalysisResult.consultation_id == consultation.id,
            (AnalysisResult.computing_since.is_(None))
            | (AnalysisResult.computing_since < now - LOCK_TIMEOUT),
        )
        .values(computing_since=now)
    )
    db.session.commit()
    return claimed.rowcount == 1


def compute(consultation: Consultation) -> AnalysisResult:
    """Compute the results now and store them (committing), whatever the cache holds."""
    print_before = fingerprint(consultation)
    previous = cached_result(consultation)
    started = time.perf_counter()
    payload = build_payload(consultation, previous.payload if previous else None)
    row = cached_result(consultation)
    if row is None:
        row = AnalysisResult(consultation_id=consultation.id)
        db.session.add(row)
    row.payload = payload
    row.fingerprint = print_before
    row.computed_at = utcnow()
    row.duration_ms = int((time.perf_counter() - started) * 1000)
    row.vote_count = int(print_before.split("|")[1])
    row.computing_since = None
    try:
        db.session.commit()
    except IntegrityError:  # another request stored the same result first
        db.session.rollback()
        row = cached_result(consultation)
    return row


def compute_in_background(consultation: Consultation) -> bool:
    """Start computing in a thread unless already under way; True if this call started it."""
    if not _acquire_lock(consultation):
        return False
    app = current_app._get_current_object()
    consultation_id = consultation.id

    def work():
        with app.app_context():
            try:
                compute(db.session.get(Consultation, consultation_id))
            except Exception:  # noqa: BLE001 - release the lock and keep the old result
                log.exception("Analysis of consultation %s failed", consultation_id)
                db.session.rollback()
                db.session.execute(
                    update(AnalysisResult)
                    .where(AnalysisResult.consultation_id == consultation_id)
                    .values(computing_since=None)
                )
                db.session.commit()
            finally:
                db.session.remove()

    threading.Thread(target=work, name=f"analysis-{consultation_id}", daemon=True).start()
    return True


def analyse_stale(consultations: list[Consultation]) -> list[tuple[Consultation, bool]]:
    """Recompute each consultation whose result is out of date (the cron command's work)."""
    done = []
    for consultation in consultations:
        row = cached_result(consultation)
        if row is not None and row.fingerprint == fingerprint(consultation) and row.payload:
            done.append((consultation, False))
            continue
        if not _acquire_lock(consultation):
            done.append((consultation, False))
            continue
        compute(consultation)
        done.append((consultation, True))
    return done


# --- building the payload -------------------------------------------------------------------


def load_votes(consultation: Consultation):
    """The votes of a consultation as ``VoteData`` plus the idea and participant ids."""
    ideas = db.session.execute(
        select(Idea.id, Idea.visibility)
        .where(Idea.consultation_id == consultation.id, Idea.visibility.in_(IN_MATRIX))
        .order_by(Idea.id)
    ).all()
    idea_ids = np.array([row[0] for row in ideas], dtype=np.int64)
    zeroed = np.array([row[1] is not Visibility.PUBLISHED for row in ideas], dtype=bool)
    rows = db.session.execute(
        select(Vote.user_id, Vote.idea_id, Vote.value)
        .join(Idea, Vote.idea_id == Idea.id)
        .where(Idea.consultation_id == consultation.id, Idea.visibility.in_(IN_MATRIX))
    ).all()
    users = np.array([r[0] for r in rows], dtype=np.int64)
    voted = np.array([r[1] for r in rows], dtype=np.int64)
    sign = {VoteValue.AGREE: 1, VoteValue.DISAGREE: -1, VoteValue.PASS: 0}
    values = np.array([sign[VoteValue(r[2])] for r in rows], dtype=np.int8)
    user_ids, user_index = np.unique(users, return_inverse=True)
    cols = np.searchsorted(idea_ids, voted)
    data = opinions.VoteData(
        user_index.ravel(),
        cols,
        values,
        len(user_ids),
        len(idea_ids),
        zeroed if len(ideas) else np.zeros(0, dtype=bool),
    )
    return data, idea_ids, user_ids


def _previous_components(previous: dict | None, idea_ids: np.ndarray) -> np.ndarray | None:
    if not previous or "components" not in previous:
        return None
    old_ids = previous["components"].get("idea_ids", [])
    pc = np.array(previous["components"].get("pc", [[], []]), dtype=float)
    if pc.shape[0] != 2 or not old_ids:
        return None
    aligned = np.zeros((2, len(idea_ids)))
    index = {idea_id: i for i, idea_id in enumerate(idea_ids.tolist())}
    for j, idea_id in enumerate(old_ids):
        if idea_id in index:
            aligned[:, index[idea_id]] = pc[:, j]
    return aligned


def _clean(value: float) -> float | None:
    return None if value is None or not math.isfinite(value) else round(float(value), 6)


def build_payload(consultation: Consultation, previous: dict | None = None) -> dict:
    """Run the opinion analysis and gather participation figures into one JSON-able dict."""
    data, idea_ids, user_ids = load_votes(consultation)
    with threadpool_limits(limits=1):  # one thread: steadier on a shared web server
        result = opinions.analyse(
            data,
            previous_components=_previous_components(previous, idea_ids),
            previous_k=opinions.KState.from_dict((previous or {}).get("k_state")),
        )
    live = ~data.zeroed
    groups = []
    sizes = np.bincount(result.group_of[result.group_of >= 0], minlength=result.n_groups)
    for g in range(result.n_groups):
        reps = []
        for item in result.representative[g] if result.n_groups > 1 else []:
            col = item["col"]
            reps.append(
                {
                    "idea_id": int(idea_ids[col]),
                    "direction": item["direction"],
                    "agree": int(result.group_agree[g, col]),
                    "disagree": int(result.group_disagree[g, col]),
                    "votes": int(result.group_votes[g, col]),
                    "p": _clean(item["p"]),
                    "r": _clean(item["r"]),
                }
            )
        groups.append({"label": GROUP_LABELS[g], "size": int(sizes[g]), "representative": reps})

    def top(scores: np.ndarray, n: int) -> list[dict]:
        order = [i for i in np.argsort(-np.nan_to_num(scores, nan=-1.0), kind="stable")[:n]]
        return [
            {"idea_id": int(idea_ids[i]), "score": _clean(scores[i])}
            for i in order
            if math.isfinite(scores[i])
        ]

    agree_all = np.bincount(data.cols, weights=data.values > 0, minlength=data.n_ideas)
    disagree_all = np.bincount(data.cols, weights=data.values < 0, minlength=data.n_ideas)
    votes_all = np.bincount(data.cols, minlength=data.n_ideas).astype(float)
    return {
        "version": PAYLOAD_VERSION,
        "people_in_map": int(data.n_participants),
        "people_clustered": int(result.clustered.sum()),
        "groups": groups,
        "silhouettes": {str(k): round(v, 4) for k, v in sorted(result.silhouettes.items())},
        "k_state": result.k_state.as_dict(),
        "base": [
            [round(float(x), 4), round(float(y), 4), int(size), int(group)]
            for (x, y), size, group in zip(
                result.base_centres, result.base_sizes, result.base_groups, strict=True
            )
        ],
        "components": {
            "idea_ids": idea_ids.tolist(),
            "pc": np.round(result.components, 6).tolist(),
        },
        "group_counts": {
            "idea_ids": idea_ids[live].tolist(),
            "agree": result.group_agree[:, live].astype(int).tolist(),
            "disagree": result.group_disagree[:, live].astype(int).tolist(),
            "votes": result.group_votes[:, live].astype(int).tolist(),
        },
        "consensus": top(result.consensus_agree, LIST_LENGTH) if result.n_groups > 1 else [],
        "consensus_disagree": top(result.consensus_disagree, 10) if result.n_groups > 1 else [],
        "majority_agree": top(opinions.majority(agree_all, votes_all, live), 10),
        "majority_disagree": top(opinions.majority(disagree_all, votes_all, live), 10),
        "participation": participation(consultation),
    }


# --- participation --------------------------------------------------------------------------


def _day(value) -> str:
    return str(value)[:10]


def participation(consultation: Consultation) -> dict:
    """Counts of people, ideas, votes and comments: in total, by day, by neighbourhood, by kind."""
    cid = consultation.id
    counts = counts_for([cid])[cid]
    in_scope = Idea.consultation_id == cid
    published = Idea.visibility == Visibility.PUBLISHED

    def per_day(column, *joins_and_filters):
        query = select(func.date(column), func.count()).select_from(column.table)
        for item in joins_and_filters:
            query = item(query)
        return {_day(d): n for d, n in db.session.execute(query.group_by(func.date(column)))}

    ideas_by_day = per_day(Idea.created_at, lambda q: q.where(in_scope, published))
    votes_by_day = per_day(
        Vote.created_at,
        lambda q: q.join(Idea, Vote.idea_id == Idea.id).where(in_scope, published),
    )
    comments_by_day = per_day(
        Comment.created_at,
        lambda q: q.join(Idea, Comment.idea_id == Idea.id).where(
            in_scope, published, Comment.visibility == Visibility.PUBLISHED
        ),
    )
    activity = union_all(
        select(Idea.author_id.label("uid"), Idea.created_at.label("at")).where(in_scope),
        select(Vote.user_id, Vote.created_at).join(Idea, Vote.idea_id == Idea.id).where(in_scope),
        select(Comment.author_id, Comment.created_at)
        .join(Idea, Comment.idea_id == Idea.id)
        .where(in_scope),
    ).subquery()
    firsts = (
        select(activity.c.uid, func.min(activity.c.at).label("first"))
        .group_by(activity.c.uid)
        .subquery()
    )
    new_people: dict[str, int] = {}
    for (first,) in db.session.execute(select(firsts.c.first)):
        new_people[_day(first)] = new_people.get(_day(first), 0) + 1
    by_place = dict(
        db.session.execute(
            select(User.neighbourhood_id, func.count(distinct(User.id)))
            .join(firsts, firsts.c.uid == User.id)
            .group_by(User.neighbourhood_id)
        ).all()
    )
    days = sorted(set(ideas_by_day) | set(votes_by_day) | set(comments_by_day) | set(new_people))
    kinds = db.session.execute(
        select(
            Idea.organisation_id.is_not(None),
            Idea.source,
            func.count(Idea.id),
            func.coalesce(func.sum(Idea.agree_count + Idea.disagree_count + Idea.pass_count), 0),
            func.count(distinct(Idea.organisation_id)),
        )
        .where(in_scope, published)
        .group_by(Idea.organisation_id.is_not(None), Idea.source)
    ).all()
    org_comments = db.session.execute(
        select(Comment.organisation_id.is_not(None), func.count(Comment.id))
        .join(Idea, Comment.idea_id == Idea.id)
        .where(in_scope, published, Comment.visibility == Visibility.PUBLISHED)
        .group_by(Comment.organisation_id.is_not(None))
    ).all()
    organisations = db.session.scalar(
        select(func.count(distinct(Idea.organisation_id))).where(in_scope, published)
    )
    by_who = {"residents": [0, 0, 0], "organisations": [0, 0, 0]}  # ideas, votes, comments
    by_source = {s.value: [0, 0] for s in Source}  # ideas, votes on them
    for is_org, source, n_ideas, n_votes, _orgs in kinds:
        who = by_who["organisations" if is_org else "residents"]
        who[0] += int(n_ideas)
        who[1] += int(n_votes)
        by_source[Source(source).value][0] += int(n_ideas)
        by_source[Source(source).value][1] += int(n_votes)
    for is_org, n in org_comments:
        by_who["organisations" if is_org else "residents"][2] += int(n)
    return {
        "people": counts.participants,
        "ideas": counts.ideas,
        "votes": counts.votes,
        "comments": counts.comments,
        "organisations": int(organisations or 0),
        "days": [
            [
                day,
                new_people.get(day, 0),
                ideas_by_day.get(day, 0),
                votes_by_day.get(day, 0),
                comments_by_day.get(day, 0),
            ]
            for day in days
        ],
        "by_neighbourhood": {str(k) if k is not None else "": v for k, v in by_place.items()},
        "by_who": by_who,
        "by_source": by_source,
    }


@dataclass
class PlaceRow:
    """A neighbourhood's share of participants beside its share of the area's population."""

    name: str
    people: int
    people_share: float | None
    population: int | None
    population_share: float | None


def neighbourhood_rows(payload: dict) -> tuple[list[PlaceRow], int]:
    """Rows per neighbourhood (population from today's settings) and people who gave none."""
    counts = payload.get("participation", {}).get("by_neighbourhood", {})
    places: list[Neighbourhood] = neighbourhoods()
    gave = sum(v for k, v in counts.items() if k)
    population = sum(p.population or 0 for p in places)
    rows = []
    for place in places:
        people = counts.get(str(place.id), 0)
        rows.append(
            PlaceRow(
                place.name,
                people,
                people / gave if gave else None,
                place.population,
                (place.population or 0) / population if population and place.population else None,
            )
        )
    return rows, counts.get("", 0)


# --- ideas: ranking, lookups ----------------------------------------------------------------


@dataclass
class IdeaRow:
    """An idea with its counts, its Wilson lower bound and its divisiveness."""

    id: int
    title: str
    agree: int
    disagree: int
    passes: int
    comments: int
    wilson: float
    divisive: float
    groups: list[tuple[str, int, int, int]] = field(default_factory=list)

    @property
    def votes(self) -> int:
        return self.agree + self.disagree + self.passes


def idea_rows(consultation: Consultation) -> list[IdeaRow]:
    """Every published idea with its scores (from the live counts), in id order."""
    rows = db.session.execute(
        select(
            Idea.id,
            Idea.title,
            Idea.agree_count,
            Idea.disagree_count,
            Idea.pass_count,
            Idea.comment_count,
        )
        .where(Idea.consultation_id == consultation.id, Idea.visibility == Visibility.PUBLISHED)
        .order_by(Idea.id)
    ).all()
    if not rows:
        return []
    agree = np.array([r[2] for r in rows])
    disagree = np.array([r[3] for r in rows])
    wilson = opinions.wilson_lower_bound(agree, disagree)
    divisive = opinions.divisiveness(agree, disagree)
    return [
        IdeaRow(r[0], r[1], r[2], r[3], r[4], r[5], float(w), float(d))
        for r, w, d in zip(rows, wilson, divisive, strict=True)
    ]


def ranked(rows: list[IdeaRow]) -> list[IdeaRow]:
    """Ideas by the Wilson lower bound of agree / (agree + disagree), most supported first."""
    return sorted(rows, key=lambda r: (-r.wilson, -r.votes, r.id))


def most_divisive(rows: list[IdeaRow]) -> list[IdeaRow]:
    """Ideas that split opinion most (twice the smaller side), ties by more votes."""
    return sorted((r for r in rows if r.divisive > 0), key=lambda r: (-r.divisive, -r.votes, r.id))


def group_agreement(payload: dict, idea_id: int) -> list[tuple[str, int, int, int]]:
    """Each group's (label, agrees, disagrees, votes) on an idea, from the cached analysis."""
    counts = payload.get("group_counts") or {}
    ids = counts.get("idea_ids") or []
    try:
        col = ids.index(idea_id)
    except ValueError:
        return []
    return [
        (
            group["label"],
            counts["agree"][g][col],
            counts["disagree"][g][col],
            counts["votes"][g][col],
        )
        for g, group in enumerate(payload.get("groups", []))
    ]


def with_groups(rows: list[IdeaRow], payload: dict) -> list[IdeaRow]:
    """Fill each row's per-group agreement from the payload (for the rows about to be shown)."""
    counts = payload.get("group_counts") or {}
    index = {idea_id: i for i, idea_id in enumerate(counts.get("idea_ids") or [])}
    labels = [g["label"] for g in payload.get("groups", [])]
    for row in rows:
        col = index.get(row.id)
        if col is None:
            continue
        row.groups = [
            (label, counts["agree"][g][col], counts["disagree"][g][col], counts["votes"][g][col])
            for g, label in enumerate(labels)
        ]
    return rows


def rows_by_id(consultation: Consultation) -> dict[int, IdeaRow]:
    return {row.id: row for row in idea_rows(consultation)}


# --- themes ---------------------------------------------------------------------------------


def themes_of(consultation: Consultation) -> list[Theme]:
    """A consultation's themes: accepted first, then suggested, each by name."""
    return list(
        db.session.scalars(
            select(Theme)
            .where(Theme.consultation_id == consultation.id)
            .order_by(Theme.status, Theme.name, Theme.id)
        )
    )


def theme_idea_ids(theme: Theme) -> list[int]:
    return list(
        db.session.scalars(
            select(ThemeIdea.idea_id)
            .where(ThemeIdea.theme_id == theme.id)
            .order_by(ThemeIdea.idea_id)
        )
    )


def refresh_suggestions(consultation: Consultation) -> int:
    """Replace the suggested (not yet accepted) themes with new ones from the ideas' text."""
    ideas = db.session.execute(
        select(Idea.id, Idea.title, Idea.body)
        .where(Idea.consultation_id == consultation.id, Idea.visibility == Visibility.PUBLISHED)
        .order_by(Idea.id)
    ).all()
    db.session.execute(
        delete(Theme).where(
            Theme.consultation_id == consultation.id, Theme.status == ThemeStatus.SUGGESTED
        )
    )
    with threadpool_limits(limits=1):
        suggestions = suggest_themes([f"{title}. {title}. {body}" for _id, title, body in ideas])
    for suggestion in suggestions:
        theme = Theme(
            consultation_id=consultation.id,
            name=suggestion.name[:120],
            top_terms=", ".join(suggestion.terms)[:300],
            status=ThemeStatus.SUGGESTED,
        )
        db.session.add(theme)
        db.session.flush()
        for member in suggestion.members:
            db.session.add(ThemeIdea(theme_id=theme.id, idea_id=ideas[member][0]))
    db.session.flush()
    return len(suggestions)


def create_theme(consultation: Consultation, name: str) -> Theme:
    """A facilitator's own theme, accepted from the start."""
    theme = Theme(
        consultation_id=consultation.id, name=name, status=ThemeStatus.ACCEPTED, is_manual=True
    )
    db.session.add(theme)
    db.session.flush()
    return theme


def accept_theme(theme: Theme, name: str | None = None) -> None:
    """Accept a suggested theme, optionally under a new name."""
    theme.status = ThemeStatus.ACCEPTED
    if name:
        theme.name = name


def rename_theme(theme: Theme, name: str) -> None:
    """Give a theme a new name."""
    theme.name = name


def discard_theme(theme: Theme) -> None:
    """Remove a theme; its ideas stay, untagged from it."""
    db.session.delete(theme)
    db.session.flush()


def merge_themes(source: Theme, target: Theme) -> None:
    """Move every idea of ``source`` into ``target`` (no idea twice) and remove ``source``."""
    if source.id == target.id or source.consultation_id != target.consultation_id:
        raise ValueError("Choose another theme of this consultation to merge into.")
    existing = set(theme_idea_ids(target))
    for idea_id in theme_idea_ids(source):
        if idea_id not in existing:
            db.session.add(ThemeIdea(theme_id=target.id, idea_id=idea_id))
    db.session.delete(source)
    db.session.flush()


IDEA_NUMBER = re.compile(r"^#?(\d+)(?:-#?(\d+))?$")


def parse_idea_numbers(text: str, limit: int = 2000) -> list[int]:
    """Read '12, 15, #40-45' as idea numbers; raises ``ValueError`` naming the bad part."""
    numbers: list[int] = []
    for part in re.split(r"[,;\s]+", re.sub(r"\s*-\s*", "-", text or "").strip()):
        if not part:
            continue
        match = IDEA_NUMBER.match(part)
        if not match:
            raise ValueError(part)
        first = int(match[1])
        last = int(match[2] or first)
        if last < first or last - first > limit:
            raise ValueError(part)
        numbers.extend(range(first, last + 1))
    return list(dict.fromkeys(numbers))[:limit]


def published_idea_ids(consultation: Consultation, ids: list[int]) -> set[int]:
    """Which of these ids are published ideas of this consultation."""
    ids = [n for n in ids if 0 < n <= LARGEST_ID]  # larger numbers are no idea's
    if not ids:
        return set()
    return set(
        db.session.scalars(
            select(Idea.id).where(
                Idea.consultation_id == consultation.id,
                Idea.visibility == Visibility.PUBLISHED,
                Idea.id.in_(ids),
            )
        )
    )


def tag_ideas(theme: Theme, idea_ids: list[int]) -> int:
    """Tag ideas with a theme (bulk); returns how many were newly tagged."""
    valid = published_idea_ids(theme.consultation, idea_ids)
    existing = set(theme_idea_ids(theme))
    added = 0
    for idea_id in idea_ids:
        if idea_id in valid and idea_id not in existing:
            db.session.add(ThemeIdea(theme_id=theme.id, idea_id=idea_id))
            existing.add(idea_id)
            added += 1
    db.session.flush()
    return added


def untag_idea(theme: Theme, idea_id: int) -> None:
    """Take one idea out of a theme."""
    db.session.execute(
        delete(ThemeIdea).where(ThemeIdea.theme_id == theme.id, ThemeIdea.idea_id == idea_id)
    )


def untagged_ideas(consultation: Consultation, limit: int = 50) -> list[Idea]:
    """Published ideas in no theme yet, most voted first (for bulk tagging)."""
    tagged = (
        select(ThemeIdea.idea_id)
        .join(Theme, ThemeIdea.theme_id == Theme.id)
        .where(Theme.consultation_id == consultation.id)
    )
    return list(
        db.session.scalars(
            select(Idea)
            .where(
                Idea.consultation_id == consultation.id,
                Idea.visibility == Visibility.PUBLISHED,
                Idea.id.not_in(tagged),
            )
            .order_by((Idea.agree_count + Idea.disagree_count + Idea.pass_count).desc(), Idea.id)
            .limit(limit)
        )
    )


def theme_rows(consultation: Consultation, status: ThemeStatus | None = None):
    """Themes with their number of ideas and the votes on those ideas."""
    query = (
        select(
            Theme,
            func.count(Idea.id),
            func.coalesce(func.sum(Idea.agree_count), 0),
            func.coalesce(func.sum(Idea.disagree_count), 0),
        )
        .outerjoin(ThemeIdea, ThemeIdea.theme_id == Theme.id)
        .outerjoin(Idea, (Idea.id == ThemeIdea.idea_id) & (Idea.visibility == Visibility.PUBLISHED))
        .where(Theme.consultation_id == consultation.id)
        .group_by(Theme.id)
        .order_by(Theme.status, Theme.name, Theme.id)
    )
    if status is not None:
        query = query.where(Theme.status == status)
    return db.session.execute(query).all()


# --- summaries ------------------------------------------------------------------------------


def summary_of(consultation: Consultation) -> Summary | None:
    return db.session.scalar(select(Summary).where(Summary.consultation_id == consultation.id))


def latest_version(consultation: Consultation) -> SummaryVersion | None:
    """The newest saved draft (published or not)."""
    summary = summary_of(consultation)
    return summary.versions[-1] if summary and summary.versions else None


def published_version(consultation: Consultation) -> SummaryVersion | None:
    """The version the public sees: the latest one that was published."""
    return db.session.scalar(
        select(SummaryVersion)
        .join(Summary, SummaryVersion.summary_id == Summary.id)
        .where(Summary.consultation_id == consultation.id, SummaryVersion.published_at.is_not(None))
        .order_by(SummaryVersion.number.desc())
        .limit(1)
    )


def is_published(consultation: Consultation) -> bool:
    """Whether the consultation has a published summary (and so public results)."""
    return (
        db.session.scalar(
            select(func.count(SummaryVersion.id))
            .join(Summary, SummaryVersion.summary_id == Summary.id)
            .where(
                Summary.consultation_id == consultation.id, SummaryVersion.published_at.is_not(None)
            )
        )
        > 0
    )


@dataclass
class FindingDraft:
    """A finding as typed: its text and the idea numbers it cites."""

    text: str
    idea_ids: list[int]


def save_draft(
    consultation: Consultation,
    author: User,
    overview: str,
    themes: str,
    decision: str,
    connection: str,
    findings: list[FindingDraft],
) -> SummaryVersion:
    """Save the summary as a new version; every cited idea must be published in this consultation.

    Raises ``SummaryError`` (naming the finding) for an idea that is not.
    """
    for position, finding in enumerate(findings, start=1):
        valid = published_idea_ids(consultation, finding.idea_ids)
        missing = [i for i in finding.idea_ids if i not in valid]
        if missing:
            raise SummaryError(
                f"Finding {position} cites idea {', '.join(map(str, missing))}, which is not a "
                "published idea of this consultation",
                field=f"finding_{position}_ideas",
            )
        if finding.idea_ids and not finding.text:
            raise SummaryError(
                f"Enter the text of finding {position}, or remove its ideas",
                field=f"finding_{position}_text",
            )
    summary = summary_of(consultation)
    if summary is None:
        summary = Summary(consultation_id=consultation.id)
        db.session.add(summary)
        db.session.flush()
    number = (
        db.session.scalar(
            select(func.max(SummaryVersion.number)).where(SummaryVersion.summary_id == summary.id)
        )
        or 0
    ) + 1
    version = SummaryVersion(
        summary_id=summary.id,
        number=number,
        overview=overview,
        themes=themes,
        decision=decision,
        connection=connection,
        author_id=author.id,
    )
    db.session.add(version)
    db.session.flush()
    kept = [f for f in findings if f.text]
    for position, finding in enumerate(kept, start=1):
        row = Finding(version_id=version.id, position=position, text=finding.text)
        db.session.add(row)
        db.session.flush()
        for order, idea_id in enumerate(finding.idea_ids):
            db.session.add(FindingCitation(finding_id=row.id, idea_id=idea_id, position=order))
    db.session.flush()
    db.session.expire(summary, ["versions"])
    return version


def publish(consultation: Consultation, actor: User) -> SummaryVersion:
    """Publish the latest draft: it becomes the public summary; subscribers are emailed once."""
    version = latest_version(consultation)
    if version is None:
        raise SummaryError("Save a draft of the summary before publishing it")
    now = utcnow()
    if version.published_at is None:
        version.published_at = now
    summary = version.summary
    summary.first_published_at = summary.first_published_at or now
    if version.decision.strip() and summary.responded_at is None:
        summary.responded_at = now
    _notify_subscribers(consultation)
    db.session.flush()
    return version


def _notify_subscribers(consultation: Consultation) -> int:
    from ..consultations.services import current_council
    from ..notifications.services import queue_email

    waiting = list(
        db.session.scalars(
            select(UpdateSubscription).where(
                UpdateSubscription.consultation_id == consultation.id,
                UpdateSubscription.notified_at.is_(None),
            )
        )
    )
    base = current_app.config["KIL_BASE_URL"]
    for subscription in waiting:
        queue_email(
            subscription.user.email,
            f"What happened next: {consultation.title}",
            "summary_published",
            user=subscription.user,
            consultation=consultation,
            link=f"{base}/consultations/{consultation.slug}#you-said-we-did",
            council=current_council(),
        )
        subscription.notified_at = utcnow()
    return len(waiting)


def subscription_of(consultation: Consultation, user) -> UpdateSubscription | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return db.session.scalar(
        select(UpdateSubscription).where(
            UpdateSubscription.consultation_id == consultation.id,
            UpdateSubscription.user_id == user.id,
        )
    )


def subscribe(consultation: Consultation, user: User) -> UpdateSubscription:
    """Ask to be emailed when the summary is published (once; asking twice changes nothing)."""
    existing = subscription_of(consultation, user)
    if existing is not None:
        return existing
    subscription = UpdateSubscription(consultation_id=consultation.id, user_id=user.id)
    try:
        with db.session.begin_nested():
            db.session.add(subscription)
    except IntegrityError:
        return subscription_of(consultation, user)
    return subscription


def unsubscribe(consultation: Consultation, user: User) -> None:
    """Stop asking for the update email."""
    db.session.execute(
        delete(UpdateSubscription).where(
            UpdateSubscription.consultation_id == consultation.id,
            UpdateSubscription.user_id == user.id,
        )
    )


def response_due(consultation: Consultation) -> date | None:
    """The date the council's response is due: ``KIL_RESPONSE_DUE_WEEKS`` after closing."""
    if consultation.closes_at is None:
        return None
    weeks = current_app.config.get("KIL_RESPONSE_DUE_WEEKS", 12)
    return (to_local(consultation.closes_at) + timedelta(weeks=weeks)).date()


@dataclass
class YouSaidWeDid:
    """What the consultation page shows once it has closed or its summary is published."""

    version: SummaryVersion | None
    due: date | None
    responded_at: datetime | None
    overdue: bool
    subscribed: bool


def you_said_we_did(consultation: Consultation, user=None) -> YouSaidWeDid:
    """The published summary, the response date and whether it was missed."""
    version = published_version(consultation)
    summary = version.summary if version else None
    responded_at = summary.responded_at if summary else None
    due = response_due(consultation)
    today = to_local(utcnow()).date()
    closed = consultation.current_stage().value == "closed"
    overdue = bool(closed and due and responded_at is None and today > due)
    return YouSaidWeDid(
        version, due, responded_at, overdue, subscription_of(consultation, user) is not None
    )


# --- Markdown -------------------------------------------------------------------------------

_ALLOWED_TAGS = {
    "p",
    "ul",
    "ol",
    "li",
    "strong",
    "em",
    "a",
    "h3",
    "h4",
    "h5",
    "h6",
    "blockquote",
    "code",
    "pre",
    "br",
    "hr",
}
_CLASSES = {
    "p": "govuk-body",
    "ul": "govuk-list govuk-list--bullet",
    "ol": "govuk-list govuk-list--number",
    "a": "govuk-link",
    "h3": "govuk-heading-m",
    "h4": "govuk-heading-s",
    "h5": "govuk-heading-s",
    "h6": "govuk-heading-s",
}


def render_markdown(text: str) -> Markup:
    """Render a facilitator's Markdown as GOV.UK-styled HTML, then sanitise it with nh3.

    Raw HTML in the text is not passed through; headings move down two levels so they sit
    under the page's own headings.
    """
    import nh3
    from markdown_it import MarkdownIt

    md = MarkdownIt("commonmark", {"html": False, "linkify": False})
    tokens = md.parse(text or "")
    for token in tokens:
        if token.type in ("heading_open", "heading_close"):
            token.tag = f"h{min(6, int(token.tag[1]) + 2)}"
        if token.nesting == 1 and token.tag in _CLASSES:
            token.attrSet("class", _CLASSES[token.tag])
    for token in tokens:
        for child in token.children or []:
            if child.type == "link_open":
                child.attrSet("class", "govuk-link")
    html = md.renderer.render(tokens, md.options, {})
    clean = nh3.clean(
        html,
        tags=_ALLOWED_TAGS,
        attributes={tag: {"class"} for tag in _CLASSES} | {"a": {"href", "class", "title"}},
        url_schemes={"http", "https", "mailto"},
    )
    from ..markdown_lang import mark_languages

    clean = mark_languages(clean)  # adds only lang="<valid BCP 47 tag>" to the sanitised HTML
    # Safe to mark up: nh3 has just sanitised it (allow-listed tags, http/https/mailto links).
    return Markup(clean)  # nosec B704
