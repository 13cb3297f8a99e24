"""Running the opinion analysis: the votes as a sparse matrix, and the JSON-able payload
stored with the result (read back only by ``results.current_results``)."""

from __future__ import annotations

import math

import numpy as np
from sqlalchemy import String, case, cast, func, select
from threadpoolctl import threadpool_limits

from ..consultations.models import Consultation
from ..extensions import db
from ..ideas.models import Idea, Visibility, Vote, VoteValue
from . import opinions
from .participation import participation
from .values import GROUP_LABELS, LIST_LENGTH, PAYLOAD_VERSION, SHORT_LIST_LENGTH

# Ideas in the matrix: published ones, and hidden, merged or withdrawn ones as zeroed columns.
IN_MATRIX = (Visibility.PUBLISHED, Visibility.HIDDEN, Visibility.MERGED, Visibility.WITHDRAWN)


def vote_arrays(consultation: Consultation) -> np.ndarray:
    """The votes as an (n, 3) int64 array of (participant id, idea id, +1 / -1 / 0), never as
    objects or rows: one query has the database write every vote into one string of numbers
    (``string_agg`` on PostgreSQL, ``group_concat`` on SQLite), which NumPy parses in C. A
    million votes make about 13 MB of text; a row or a COPY message per vote would cost a
    Python call each."""
    sign = case(
        (Vote.value == VoteValue.AGREE, "1"), (Vote.value == VoteValue.DISAGREE, "-1"), else_="0"
    )
    triple = cast(Vote.user_id, String) + " " + cast(Vote.idea_id, String) + " " + sign
    text = db.session.scalar(
        select(func.aggregate_strings(triple, " "))
        .select_from(Vote)
        .join(Idea, Vote.idea_id == Idea.id)
        .where(Idea.consultation_id == consultation.id, Idea.visibility.in_(IN_MATRIX))
    )
    if not text:
        return np.zeros((0, 3), dtype=np.int64)
    return np.fromstring(text, dtype=np.int64, sep=" ").reshape(-1, 3)


def load_votes(consultation: Consultation):
    """The votes of a consultation as ``VoteData`` plus the idea and participant ids."""
    ideas = db.session.execute(
        select(Idea.id, Idea.visibility)
        .where(Idea.consultation_id == consultation.id, Idea.visibility.in_(IN_MATRIX))
        .order_by(Idea.id)
    ).all()
    idea_ids = np.array([row[0] for row in ideas], dtype=np.int64)
    zeroed = np.array([row[1] is not Visibility.PUBLISHED for row in ideas], dtype=bool)
    votes = vote_arrays(consultation)
    user_ids, user_index = np.unique(votes[:, 0], return_inverse=True)
    cols = np.searchsorted(idea_ids, votes[:, 1])
    data = opinions.VoteData(
        user_index.ravel(),
        cols,
        votes[:, 2].astype(np.int8),
        len(user_ids),
        len(idea_ids),
        zeroed if len(ideas) else np.zeros(0, dtype=bool),
    )
    return data, idea_ids, user_ids


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


def build_payload(consultation: Consultation, previous: dict | None = None) -> dict:
    """Run the opinion analysis and gather participation figures into one JSON-able dict."""
    data, idea_ids, user_ids = load_votes(consultation)
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
        "participation": participation(consultation),
    }
