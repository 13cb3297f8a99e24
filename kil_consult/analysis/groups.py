"""Opinion groups on the map: base clusters, groups chosen by silhouette with hysteresis,
separation (no groups where there are none), stability under resampling and stable letters.
See ``opinions`` for the choices, stated once.
"""

from __future__ import annotations

import warnings
from dataclasses import asdict, dataclass

import numpy as np
from scipy.optimize import linear_sum_assignment
from sklearn.cluster import KMeans
from sklearn.exceptions import ConvergenceWarning
from sklearn.metrics import adjusted_rand_score, silhouette_score

from .opinion_map import (
    SEED,
    VoteData,
    _centred,
    _fit_components,
    _project,
)
from .stats import SILHOUETTE_MIN, STABILITY_MIN

BASE_CLUSTERS = 100
MAX_GROUPS = 5
K_HYSTERESIS = 4
SEPARATION_MARGIN = 0.05  # each bar is this much lower while groups are already shown
STABILITY_RESAMPLES = 4
STABILITY_FRACTION = 0.5  # each resample draws this share of the clustered people...
STABILITY_MAX_SAMPLE = 5000  # ...but no more than this many (county scale stays fast)


@dataclass
class KState:
    """What the group count's hysteresis remembers between computations.

    ``distinct`` records whether the last computation showed groups at all (see
    ``SEPARATION_MARGIN``).
    """

    k: int = 0
    candidate: int = 0
    streak: int = 0
    distinct: bool = False

    def as_dict(self) -> dict:
        return {
            "k": self.k,
            "candidate": self.candidate,
            "streak": self.streak,
            "distinct": self.distinct,
        }

    @classmethod
    def from_dict(cls, data: dict | None) -> KState:
        data = data or {}
        return cls(
            int(data.get("k", 0)),
            int(data.get("candidate", 0)),
            int(data.get("streak", 0)),
            bool(data.get("distinct", False)),
        )


@dataclass(frozen=True)
class PreviousGroups:
    """The previous computation's clustering, to start from and to keep the letters.

    ``base_centres``, ``base_sizes`` and ``base_groups`` are ``OpinionResult``'s fields of the
    same names (what the cached payload keeps as ``base``). ``group_of`` is optional: each
    current participant's previous group (-1 if new or not clustered then); with it, groups
    are matched on the people they share, without it on the distance between centres.
    """

    base_centres: np.ndarray
    base_sizes: np.ndarray
    base_groups: np.ndarray
    group_of: np.ndarray | None = None

    @classmethod
    def from_base(cls, base, group_of=None) -> PreviousGroups | None:
        """From rows of ``[x, y, size, group]`` (the payload's ``base``); None if there are none."""
        rows = np.asarray(base, dtype=np.float64).reshape(-1, 4)
        if rows.shape[0] == 0:
            return None
        return cls(
            rows[:, :2],
            rows[:, 2],
            rows[:, 3].astype(int),
            None if group_of is None else np.asarray(group_of, dtype=int),
        )

    @property
    def n_groups(self) -> int:
        return int(self.base_groups.max()) + 1 if self.base_groups.size else 0

    @property
    def group_centres(self) -> np.ndarray:
        """Each previous group's centre: its base centres weighted by size."""
        return _group_centres(self.base_centres, self.base_sizes, self.base_groups, self.n_groups)


@dataclass(frozen=True)
class Separation:
    """How clearly the participants fall into groups, and whether groups are reported."""

    k: int  # the number of groups tested (the hysteresis's choice)
    silhouette: float  # mean silhouette of that grouping over the base-cluster centres
    stability: float  # mean adjusted Rand index of that grouping under resampling
    distinct: bool  # both bars met: the groups are reported

    def as_dict(self) -> dict:
        return asdict(self)


NO_SEPARATION = Separation(k=0, silhouette=0.0, stability=0.0, distinct=False)


def base_clusters(
    points: np.ndarray, init: np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """k-means (k = 100) on the positions; every distinct point is its own cluster if fewer.

    ``init`` (the previous computation's 100 base centres) starts k-means where it ended.
    """
    distinct, inverse = np.unique(points, axis=0, return_inverse=True)
    inverse = inverse.ravel()
    if len(distinct) <= BASE_CLUSTERS:
        return distinct, inverse
    if init is not None and init.shape == (BASE_CLUSTERS, 2):
        km = KMeans(n_clusters=BASE_CLUSTERS, init=init, n_init=1, max_iter=50)
    else:
        km = KMeans(n_clusters=BASE_CLUSTERS, n_init=1, max_iter=50, random_state=SEED)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        labels = km.fit_predict(points)
    return km.cluster_centers_, labels


def _kmeans(centres, sizes, k, init=None) -> tuple[np.ndarray, float]:
    """Weighted k-means over base centres; from ``init`` if given, kept only if no worse."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        fresh = KMeans(n_clusters=k, n_init=10, random_state=SEED).fit(centres, sample_weight=sizes)
        if init is None or init.shape != (k, 2):
            return fresh.labels_, float(fresh.inertia_)
        warm = KMeans(n_clusters=k, init=init, n_init=1).fit(centres, sample_weight=sizes)
    # The warm start keeps the groups where they were unless it is clearly worse.
    if warm.inertia_ <= fresh.inertia_ * 1.01:
        return warm.labels_, float(warm.inertia_)
    return fresh.labels_, float(fresh.inertia_)


def choose_groups(
    centres: np.ndarray,
    sizes: np.ndarray,
    previous: KState,
    init: np.ndarray | None = None,
) -> tuple[np.ndarray, dict[int, float], KState]:
    """Group the base clusters: k by mean silhouette over the centres, with hysteresis.

    ``init`` (the previous group centres) starts k-means for the same number of groups.
    """
    n_base = len(centres)
    if n_base < 2:
        return np.zeros(n_base, dtype=int), {}, KState(1 if n_base else 0)
    if n_base == 2:
        return np.arange(2), {}, KState(2)
    labelings: dict[int, np.ndarray] = {}
    scores: dict[int, float] = {}
    for k in range(2, min(MAX_GROUPS, 2 + n_base // 12, n_base - 1) + 1):
        labels, _inertia = _kmeans(centres, sizes, k, init)
        if len(np.unique(labels)) < 2:
            continue
        labelings[k] = labels
        scores[k] = float(silhouette_score(centres, labels))
    if not scores:
        return np.zeros(n_base, dtype=int), {}, KState(1)
    best = max(scores, key=lambda k: (scores[k], -k))
    state = _hysteresis(previous, best, set(scores))
    return labelings[state.k], scores, state


def _hysteresis(previous: KState, best: int, feasible: set[int]) -> KState:
    """Keep the previous k until the same new best k has won ``K_HYSTERESIS`` times in a row."""
    if previous.k not in feasible or previous.k == best:
        return KState(best)
    streak = previous.streak + 1 if previous.candidate == best else 1
    if streak >= K_HYSTERESIS:
        return KState(best)
    return KState(previous.k, best, streak)


def _order_groups(labels: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """Renumber groups largest first (ties by first appearance), so Group A is the biggest."""
    n = int(labels.max()) + 1 if labels.size else 0
    sizes = np.bincount(labels, weights=weights, minlength=n)
    order = np.lexsort((np.arange(n), -sizes))
    rank = np.empty(n, dtype=int)
    rank[order] = np.arange(n)
    return rank[labels]


def _group_centres(centres, sizes, groups, n_groups) -> np.ndarray:
    weights = np.bincount(groups, weights=sizes, minlength=n_groups)
    sums = np.stack(
        [np.bincount(groups, weights=sizes * centres[:, d], minlength=n_groups) for d in (0, 1)],
        axis=1,
    )
    return sums / np.maximum(weights, 1e-12)[:, None]


def match_groups(
    labels: np.ndarray,
    weights: np.ndarray,
    centres: np.ndarray,
    previous: PreviousGroups | None,
    members: np.ndarray | None = None,
) -> np.ndarray:
    """Renumber the groups of base clusters so each keeps its previous letter where it can.

    ``labels``, ``weights`` and ``centres`` are per base cluster; ``members`` (optional) is the
    base cluster of each participant, read with ``previous.group_of``. A new group takes the
    index of the previous group it shares most people with (Hungarian assignment), or, without
    ``group_of``, the nearest previous centre; groups with no predecessor come after the others,
    largest first, and indices stay 0..k-1. Without a previous grouping of two or more groups,
    groups are ordered largest first.
    """
    n = int(labels.max()) + 1 if labels.size else 0
    if previous is None or previous.n_groups < 2 or n < 2:
        return _order_groups(labels, weights)
    n_old = previous.n_groups
    if previous.group_of is not None and members is not None:
        people = labels[members]
        old = previous.group_of[: people.size]
        known = old >= 0
        overlap = np.zeros((n, n_old))
        np.add.at(overlap, (people[known], old[known]), 1)
        cost = -overlap
    else:
        overlap = None
        new_centres = _group_centres(centres, weights, labels, n)
        cost = ((new_centres[:, None, :] - previous.group_centres[None]) ** 2).sum(-1)
    rows, cols = linear_sum_assignment(cost)
    sizes = np.bincount(labels, weights=weights, minlength=n)
    key = np.full(n, np.inf)
    for r, c in zip(rows, cols, strict=True):
        if overlap is None or overlap[r, c] > 0:
            key[r] = c
    # Unmatched groups after the matched ones, largest first.
    order = np.lexsort((np.arange(n), -sizes, key))
    rank = np.empty(n, dtype=int)
    rank[order] = np.arange(n)
    return rank[labels]


def _groups_for_k(points: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """Base clusters and k groups of them on some points: (base centres, group of each centre)."""
    centres, labels = base_clusters(points)
    sizes = np.bincount(labels, minlength=len(centres)).astype(np.float64)
    if len(centres) <= k:
        return centres, np.arange(len(centres))
    groups, _inertia = _kmeans(centres, sizes, k)
    return centres, groups


def group_stability(data: VoteData, clustered: np.ndarray, group_of: np.ndarray, k: int) -> float:
    """How reproducible the grouping is: mean adjusted Rand index under resampling.

    ``STABILITY_RESAMPLES`` times (fixed seeds), draw ``STABILITY_FRACTION`` of the clustered
    people (at most ``STABILITY_MAX_SAMPLE``), run the whole analysis on their votes alone
    (column means, components, base clusters, k groups), place every clustered person with
    those components and give them the group of their nearest base centre, and compare with
    ``group_of``. Real groups come back the same (close to 1); groups found in noise change
    with the sample (the plane itself turns, so they come back different).
    """
    people = np.flatnonzero(clustered)
    if k < 2 or people.size < 2 * k:
        return 0.0
    rng = np.random.default_rng(SEED)
    size = max(min(int(round(STABILITY_FRACTION * people.size)), STABILITY_MAX_SAMPLE), 2 * k)
    in_clustered = clustered[data.rows]
    scores = []
    for _ in range(STABILITY_RESAMPLES):
        sample = np.zeros(data.n_participants, dtype=bool)
        sample[rng.choice(people, size=size, replace=False)] = True
        keep = sample[data.rows]
        index = np.cumsum(sample) - 1
        sub = VoteData(
            index[data.rows[keep]],
            data.cols[keep],
            data.values[keep],
            int(sample.sum()),
            data.n_ideas,
            data.zeroed,
        )
        sub_centred, means = _centred(sub)
        components = _fit_components(sub_centred)
        centres, groups = _groups_for_k(_project(sub, sub_centred, components), k)
        # Everyone clustered, placed with the sample's means and components.
        everyone = VoteData(
            np.cumsum(clustered)[data.rows[in_clustered]] - 1,
            data.cols[in_clustered],
            data.values[in_clustered],
            people.size,
            data.n_ideas,
            data.zeroed,
        )
        all_centred, _ = _centred(everyone, means)
        points = _project(everyone, all_centred, components)
        nearest = np.argmin(((points[:, None, :] - centres[None]) ** 2).sum(-1), axis=1)
        scores.append(adjusted_rand_score(group_of[people], groups[nearest]))
    return float(np.mean(scores))


def separation(
    data: VoteData,
    clustered: np.ndarray,
    group_of: np.ndarray,
    silhouettes: dict[int, float],
    state: KState,
    previously_distinct: bool = False,
) -> Separation:
    """Whether the groups found are distinct enough to report (see the module's docstring)."""
    k = state.k
    silhouette = float(silhouettes.get(k, 0.0))
    margin = SEPARATION_MARGIN if previously_distinct else 0.0
    if k < 2 or silhouette < SILHOUETTE_MIN - margin:
        # Not separated: stability would not change the answer, so it is not computed.
        return Separation(k=k, silhouette=round(silhouette, 6), stability=0.0, distinct=False)
    stability = group_stability(data, clustered, group_of, k)
    return Separation(
        k=k,
        silhouette=round(silhouette, 6),
        stability=round(stability, 6),
        distinct=stability >= STABILITY_MIN - margin,
    )


# --- counts, representativeness and consensus ------------------------------------------------
