"""Running the opinion analysis: the votes as a sparse matrix, and the JSON-able payload
stored with the result (read back only by ``results.current_results``)."""

from __future__ import annotations

import math
from datetime import date, timedelta

import numpy as np
from sqlalchemy import Date, Integer, String, case, cast, func, literal, select
from threadpoolctl import threadpool_limits

from ..consultations.models import Consultation
from ..extensions import db
from ..ideas.models import Idea, Visibility, Vote, VoteValue
from . import opinions
from .participation import participation
from .results import IN_MATRIX
from .values import GROUP_LABELS, LIST_LENGTH, PAYLOAD_VERSION, SHORT_LIST_LENGTH


def _day_number(column):
    """A timestamp as its day (UTC) counted from 1 January 1970, in the database's own SQL."""
    if db.session.get_bind().dialect.name == "postgresql":
        return cast(column, Date) - literal(date(1970, 1, 1), Date)  # date - date: whole days
    return cast(func.julianday(column) - 2440587.5, Integer)  # whole days: truncated


def vote_arrays(consultation: Consultation) -> np.ndarray:
    """The votes as an (n, 4) int64 array of (participant id, idea id, +1 / -1 / 0, day cast
    as days since 1970), never as objects or rows: one query has the database write every vote
    into one string of numbers (``string_agg`` on PostgreSQL, ``group_concat`` on SQLite),
    which NumPy parses in C. A million votes make about 19 MB of text; a row or a COPY message
    per vote would cost a Python call each."""
    return _read_votes(consultation)[0]


def _read_votes(consultation: Consultation) -> tuple[np.ndarray, tuple[int, object]]:
    """The vote array, and the count and latest change of those votes (for the fingerprint
    of what the analysis read), from one pass over the votes."""
    sign = case(
        (Vote.value == VoteValue.AGREE, "1"), (Vote.value == VoteValue.DISAGREE, "-1"), else_="0"
    )
    day = cast(_day_number(Vote.created_at), String)
    row = db.session.execute(
        select(
            func.aggregate_strings(
                cast(Vote.user_id, String)
                + " "
                + cast(Vote.idea_id, String)
                + " "
                + sign
                + " "
                + day,
                " ",
            ),
            func.count(Vote.id),
            func.max(Vote.updated_at),
        )
        .select_from(Vote)
        .join(Idea, Vote.idea_id == Idea.id)
        .where(Idea.consultation_id == consultation.id, Idea.visibility.in_(IN_MATRIX))
    ).one()
    text, count, latest = row
    if not text:
        return np.zeros((0, 4), dtype=np.int64), (0, None)
    return np.fromstring(text, dtype=np.int64, sep=" ").reshape(-1, 4), (int(count), latest)


def load_votes(consultation: Consultation, read: dict | None = None):
    """The votes of a consultation as ``VoteData`` plus the idea and participant ids.

    ``read``, when given, receives what else the one pass over the votes found: the votes on
    published ideas per day (``votes_by_day``) and the votes' count and latest change
    (``votes_seen``, for the result's fingerprint)."""
    ideas = db.session.execute(
        select(Idea.id, Idea.visibility)
        .where(Idea.consultation_id == consultation.id, Idea.visibility.in_(IN_MATRIX))
        .order_by(Idea.id)
    ).all()
    idea_ids = np.array([row[0] for row in ideas], dtype=np.int64)
    zeroed = np.array([row[1] is not Visibility.PUBLISHED for row in ideas], dtype=bool)
    votes, seen = _read_votes(consultation)
    user_ids, user_index = np.unique(votes[:, 0], return_inverse=True)
    cols = np.searchsorted(idea_ids, votes[:, 1])
    if read is not None:
        read["votes_seen"] = seen
        read["votes_by_day"] = _per_day(votes[:, 3][~zeroed[cols]] if len(ideas) else votes[:, 3])
    data = opinions.VoteData(
        user_index.ravel(),
        cols,
        votes[:, 2].astype(np.int8),
        len(user_ids),
        len(idea_ids),
        zeroed if len(ideas) else np.zeros(0, dtype=bool),
    )
    return data, idea_ids, user_ids


def _per_day(days: np.ndarray) -> dict[str, int]:
    """Counts per day (YYYY-MM-DD) of day numbers counted from 1 January 1970."""
    found, counts = np.unique(days, return_counts=True)
    epoch = date(1970, 1, 1)
    return {
        (epoch + timedelta(days=int(d))).isoformat(): int(n)
        for d, n in zip(found, counts, strict=True)
    }


def _previous_components(previous: dict | None, idea_ids: np.ndarray) -> np.ndarray | None:
    """Last time's components, aligned to today's ideas, to keep their signs stable."""
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


def previous_groups(previous: dict | None) -> opinions.PreviousGroups | None:
    """Last time's clustering from the stored payload (its base clusters and their groups), so
    k-means starts from it and Group A stays Group A; None before the first computation."""
    if not previous or not previous.get("base"):
        return None
    return opinions.PreviousGroups.from_base(previous["base"])


def _clean(value: float) -> float | None:
    """A float for JSON: rounded, None for NaN or infinity."""
    return None if value is None or not math.isfinite(value) else round(float(value), 6)


def build_payload(
    consultation: Consultation, previous: dict | None = None, read: dict | None = None
) -> dict:
    """Run the opinion analysis and gather participation figures into one JSON-able dict
    (``read``: as for ``load_votes``)."""
    read = {} if read is None else read
    data, idea_ids, user_ids = load_votes(consultation, read)
    with threadpool_limits(limits=1):  # one thread: steadier on a shared web server
        result = opinions.analyse(
            data,
            previous_components=_previous_components(previous, idea_ids),
            previous_k=opinions.KState.from_dict((previous or {}).get("k_state")),
            previous=previous_groups(previous),
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
                    "count": int(item.count),
                    "others_count": int(item.others_count),
                    "others_votes": int(item.others_votes),
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

    def ideas(items, n: int | None = None, **extra) -> list[dict]:
        return [
            {"idea_id": int(idea_ids[item.col]), **{k: f(item) for k, f in extra.items()}}
            for item in (items if n is None else items[:n])
        ]

    shares = {"share": lambda i: [_clean(v) for v in i.group_share]}
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
        "separation": {
            key: _clean(value) if isinstance(value, float) else value
            for key, value in result.separation.as_dict().items()
        },
        # Every idea that passes the consensus bar (no cut-off: the page says how many).
        "consensus": ideas(result.consensus, score=lambda i: _clean(i.score), **shares),
        "consensus_disagree": ideas(
            result.consensus_rejected, score=lambda i: _clean(i.score), **shares
        ),
        "division": ideas(
            result.division,
            LIST_LENGTH,
            score=lambda i: _clean(i.gap),
            spread=lambda i: _clean(i.spread),
            most=lambda i: GROUP_LABELS[i.most],
            least=lambda i: GROUP_LABELS[i.least],
            **shares,
        ),
        "split": ideas(
            result.split,
            LIST_LENGTH,
            score=lambda i: _clean(i.score),
            smaller_share=lambda i: _clean(i.smaller_share),
        ),
        "majority_agree": top(opinions.majority(agree_all, votes_all, live), SHORT_LIST_LENGTH),
        "majority_disagree": top(
            opinions.majority(disagree_all, votes_all, live), SHORT_LIST_LENGTH
        ),
        "participation": participation(consultation, read["votes_by_day"]),
    }
