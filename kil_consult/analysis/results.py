"""Reading and storing a consultation's results.

The analysis is stored in one ``AnalysisResult`` row per consultation with a fingerprint of
the data it read. ``current_results`` reads it (never writing) as a ``ConsultationResults``;
``recompute`` runs the analysis and stores it, flushing only: the job in ``analysis/tasks.py``
and the ``kil analyse`` command commit.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import replace
from datetime import UTC, datetime, timedelta

from flask import current_app
from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError

from .. import jobs
from ..consultations.models import Consultation
from ..extensions import db
from ..ideas.models import Comment, Idea, Source, Visibility, Vote
from ..timeutil import utcnow
from .models import AnalysisResult, Summary, SummaryVersion
from .participation import neighbourhood_rows
from .ranking import idea_rows, most_divisive, ranked
from .theme_services import theme_rows
from .values import (
    PAYLOAD_VERSION,
    BaseCluster,
    ConsultationResults,
    ContributorCounts,
    DayCounts,
    DividedRow,
    GroupCounts,
    GroupIdea,
    GroupSeparation,
    IdeaRow,
    OpinionGroup,
    Participation,
    ScoredIdea,
    SourceCounts,
    ThemeRow,
)

LOCK_TIMEOUT = timedelta(minutes=10)  # a computation still marked after this has died
QUEUED_FOR = timedelta(hours=1)  # a job still waiting after this was lost: queue it again


# Ideas in the matrix: published ones, and hidden, merged or withdrawn ones as zeroed columns.
IN_MATRIX = (Visibility.PUBLISHED, Visibility.HIDDEN, Visibility.MERGED, Visibility.WITHDRAWN)


def fingerprint(consultation: Consultation, votes_seen: tuple[int, object] | None = None) -> str:
    """What the analysis read, summed up: votes (count, latest change), ideas, comments.

    ``votes_seen`` is the votes' count and latest change as the analysis found them in its own
    pass over the votes (``payload.load_votes``); without it they are counted here."""
    if votes_seen is None:
        votes_seen = db.session.execute(
            select(func.count(Vote.id), func.max(Vote.updated_at))
            .join(Idea, Vote.idea_id == Idea.id)
            .where(Idea.consultation_id == consultation.id, Idea.visibility.in_(IN_MATRIX))
        ).one()
    votes = tuple(votes_seen)
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


def _votes_in(print_: str) -> int:
    return int(print_.split("|")[1])


def cached_result(consultation: Consultation, fresh: bool = False) -> AnalysisResult | None:
    """The stored result row of a consultation, if it was ever computed (``fresh``: as the
    database has it now, not as this session last saw it)."""
    query = select(AnalysisResult).where(AnalysisResult.consultation_id == consultation.id)
    if fresh:
        query = query.execution_options(populate_existing=True)
    return db.session.scalar(query)


def queued_key(consultation_id: int) -> str:
    """The queue's mark that a recomputation of this consultation is waiting."""
    return f"analysis.recompute:{consultation_id}"


def is_large(vote_count: int) -> bool:
    """Above ``KIL_ANALYSIS_INLINE_VOTES`` votes a page view does not queue a recomputation:
    the ``kil analyse`` cron and the staff's "Recompute now" pace it."""
    return vote_count > current_app.config.get("KIL_ANALYSIS_INLINE_VOTES", 100_000)


def _state(row: AnalysisResult | None, consultation_id: int) -> tuple[str, datetime | None]:
    """The real state of the job that keeps these results, and since when: "running" (a
    worker holds the computation mark), "queued" (waiting in the job queue), else "ready" or
    "none" (never computed)."""
    if row is not None and row.computing_since and row.computing_since > utcnow() - LOCK_TIMEOUT:
        return "running", row.computing_since
    queued = jobs.queued_since(queued_key(consultation_id))
    if queued is not None and time.time() - queued < QUEUED_FOR.total_seconds():
        since = datetime.fromtimestamp(queued, UTC).replace(tzinfo=None)
        return "queued", since
    return ("ready" if row is not None and row.computed_at else "none"), None


def current_results(consultation: Consultation, fresh: bool = False) -> ConsultationResults:
    """The stored results of a consultation with today's counts, whether they are current,
    and whether a recomputation is queued or running. Reads only: never writes."""
    row = cached_result(consultation, fresh=fresh)
    now_print = fingerprint(consultation)
    payload = (row.payload if row is not None else None) or {}
    current = bool(payload) and row.fingerprint == now_print
    state, since = _state(row, consultation.id)
    return _from_payload(
        consultation,
        payload,
        computed_at=row.computed_at if payload else None,
        current=current,
        state=state,
        state_since=since,
        large=is_large(_votes_in(now_print)),
    )


def _participation(data: Mapping) -> Participation:
    who = data.get("by_who", {})
    by_source = data.get("by_source", {})
    return Participation(
        people=data.get("people", 0),
        ideas=data.get("ideas", 0),
        votes=data.get("votes", 0),
        comments=data.get("comments", 0),
        organisations=data.get("organisations", 0),
        days=tuple(DayCounts(*day) for day in data.get("days", [])),
        by_neighbourhood=dict(data.get("by_neighbourhood", {})),
        residents=ContributorCounts(*who.get("residents", [0, 0, 0])),
        organisation_posts=ContributorCounts(*who.get("organisations", [0, 0, 0])),
        by_source={s: SourceCounts(*by_source[s.value]) for s in Source if s.value in by_source},
    )


def _group_counts(payload: Mapping) -> dict[int, tuple[GroupCounts, ...]]:
    counts = payload.get("group_counts") or {}
    labels = [g["label"] for g in payload.get("groups", [])]
    return {
        idea_id: tuple(
            GroupCounts(
                label, counts["agree"][g][col], counts["disagree"][g][col], counts["votes"][g][col]
            )
            for g, label in enumerate(labels)
        )
        for col, idea_id in enumerate(counts.get("idea_ids") or [])
    }


def _from_payload(consultation: Consultation, payload: Mapping, **state) -> ConsultationResults:
    """The stored payload (and today's published ideas, places and themes) as typed values."""
    counts = _group_counts(payload)
    rows = [replace(row, groups=counts.get(row.id, ())) for row in idea_rows(consultation)]
    by_id: dict[int, IdeaRow] = {row.id: row for row in rows}
    groups = tuple(
        OpinionGroup(
            group["label"],
            group["size"],
            tuple(
                GroupIdea(
                    rep["idea_id"],
                    by_id[rep["idea_id"]].title if rep["idea_id"] in by_id else None,
                    rep["direction"],
                    rep["agree"],
                    rep["disagree"],
                    rep["votes"],
                    rep.get("p"),
                    rep.get("r"),
                    rep.get("others_count", 0),
                    rep.get("others_votes", 0),
                )
                for rep in group["representative"]
            ),
        )
        for group in payload.get("groups", [])
    )
    participation = _participation(payload.get("participation", {}))
    places, no_place = neighbourhood_rows(participation.by_neighbourhood)
    themes = tuple(
        ThemeRow(theme.id, theme.name, theme.status.label, theme.is_accepted, n, a, d)
        for theme, n, a, d in theme_rows(consultation)
    )
    return ConsultationResults(
        consultation_id=consultation.id,
        available=bool(payload),
        participation=participation,
        ideas=tuple(rows),
        ranked=tuple(ranked(rows)),
        divisive=tuple(most_divisive(rows)),
        consensus=tuple(
            ScoredIdea(by_id[item["idea_id"]], item["score"])
            for item in payload.get("consensus", [])
            if item["idea_id"] in by_id
        ),
        division=tuple(
            DividedRow(
                by_id[item["idea_id"]],
                item["score"] or 0.0,
                item["most"],
                item["least"],
                tuple(item.get("share") or ()),
            )
            for item in payload.get("division", [])
            if item["idea_id"] in by_id
        ),
        split=tuple(
            ScoredIdea(by_id[item["idea_id"]], item["score"])
            for item in payload.get("split", [])
            if item["idea_id"] in by_id
        ),
        separation=GroupSeparation(**(payload.get("separation") or {})),
        groups=groups,
        people_in_map=payload.get("people_in_map", 0),
        people_clustered=payload.get("people_clustered", 0),
        base=tuple(BaseCluster(*cluster) for cluster in payload.get("base", [])),
        places=tuple(places),
        no_place=no_place,
        themes=themes,
        **state,
    )


def idea_group_counts(consultation: Consultation) -> dict[int, tuple[GroupCounts, ...]]:
    """Each opinion group's counts on each idea, from the consultation's stored results (read,
    never computed here; empty until the analysis has run). The statement's evidence reads
    this for many consultations at once, without building the whole ``ConsultationResults``."""
    row = cached_result(consultation)
    return _group_counts((row.payload if row is not None else None) or {})


def summary_of(consultation: Consultation) -> Summary | None:
    """A consultation's summary (with its versions), if a draft was ever saved. The results
    page shows its published version; ``statements/summaries.py`` writes it."""
    return db.session.scalar(select(Summary).where(Summary.consultation_id == consultation.id))


def results_published(consultation: Consultation) -> bool:
    """Whether a version of the consultation's summary is published (before closing only by
    an audited early publish). Whether its results are public is ``policy.results_public``
    (closed as well), the one rule the pages, the API and the open data follow."""
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


# --- storing -------------------------------------------------------------------------------


def recompute(consultation: Consultation) -> AnalysisResult:
    """Run the analysis now and store it in the session (flushing, never committing)."""
    from .payload import build_payload  # NumPy, SciPy, scikit-learn: only where they are used

    previous = cached_result(consultation)
    started = time.perf_counter()
    read: dict = {}
    payload = build_payload(consultation, previous.payload if previous else None, read)
    # the votes as the analysis read them, the rest as it is now (read after: a change in
    # between makes the result look stale, never current)
    print_before = fingerprint(consultation, read["votes_seen"])
    row = previous
    if row is None:
        row = AnalysisResult(consultation_id=consultation.id)
        db.session.add(row)
    row.payload = payload
    row.fingerprint = print_before
    row.computed_at = utcnow()
    row.duration_ms = int((time.perf_counter() - started) * 1000)
    row.vote_count = _votes_in(print_before)
    row.computing_since = None
    db.session.flush()
    return row


def claim(consultation: Consultation) -> bool:
    """Mark the result as being computed (flushing); False if someone else already is."""
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
        .execution_options(synchronize_session="fetch")
    )
    return claimed.rowcount == 1


def release(consultation_id: int) -> None:
    """Give up the mark after a failed computation (the old result stays)."""
    db.session.execute(
        update(AnalysisResult)
        .where(AnalysisResult.consultation_id == consultation_id)
        .values(computing_since=None)
    )


def is_stale(consultation: Consultation) -> bool:
    """Whether the stored result is missing or was computed from different data."""
    row = cached_result(consultation)
    return row is None or not row.payload or row.fingerprint != fingerprint(consultation)
