"""Opinion groups, representative ideas and group-informed consensus, as ``ANALYSIS.md`` says.

Pure mathematics on arrays: no database, no Flask. ``analyse`` takes the votes as three parallel
arrays (participant index, idea index, value +1 / -1 / 0) and returns plain numbers, so the same
code serves the web page, the background command and the benchmark. What the groups share and
what divides them is in ``consensus``; what sets each group apart, in ``representative``.

Choices, stated once:

* PCA: the matrix of votes is centred by each idea's mean over the votes cast; a missing vote
  is imputed as that mean, so the centred matrix keeps one stored value per vote. Its two
  principal components come from scikit-learn's ``TruncatedSVD`` (randomized SVD, fixed seed)
  on that sparse matrix, never densified. Tiny matrices (fewer than three rows or columns) use
  numpy's dense SVD instead, since the randomized solver needs a spare dimension.
* Groups: k-means (k = 100) on the scaled 2-D positions gives base clusters; k-means over the
  base-cluster centres, weighted by size, for k = 2 .. min(5, 2 + B // 12), picks k by the mean
  silhouette over the centres (the centres are the sample). A new best k replaces the previous
  one only after winning ``K_HYSTERESIS`` computations in a row.
* No structure, no groups: Pol.is always finds two groups or more, even in noise. Here the
  groups are reported only when they are separated (best silhouette at least
  ``SILHOUETTE_MIN``) and stable (``group_stability``: drawn again from random halves of the
  people, the same k groups everyone the same way, mean adjusted Rand index at least
  ``STABILITY_MIN``). Otherwise everyone clustered is one population (one group) and nobody is
  "set apart". Once groups are shown, each bar is lowered by ``SEPARATION_MARGIN`` so that a
  consultation near the line does not flicker between groups and none.
* Stable letters: given the previous clustering (``PreviousGroups``), k-means starts from its
  centres and the new groups are matched to the old ones (Hungarian assignment on how many
  people they share, or on the distance between centres), so Group A stays Group A. Without
  one, groups are ordered largest first.
"""

from __future__ import annotations

import warnings
from dataclasses import asdict, dataclass, field

import numpy as np
import scipy.sparse as sp
from scipy.optimize import linear_sum_assignment
from sklearn.cluster import KMeans
from sklearn.decomposition import TruncatedSVD
from sklearn.exceptions import ConvergenceWarning
from sklearn.metrics import adjusted_rand_score, silhouette_score

from . import consensus as _consensus
from .representative import REPRESENTATIVE_PER_GROUP, RepresentativeIdea
from .representative import representative_ideas as _representative_ideas
from .stats import MIN_GROUP_VOTES, Z_90, two_proportion_z, within_z

__all__ = [
    "MIN_GROUP_VOTES",
    "REPRESENTATIVE_PER_GROUP",
    "Z_90",
    "KState",
    "OpinionResult",
    "PreviousGroups",
    "Separation",
    "VoteData",
    "analyse",
]

SEED = 2027
MIN_CLUSTERED = 15  # at least this many participants are clustered (heaviest voters added)
MAX_VOTES_NEEDED = 7  # a participant needs min(7, number of ideas) votes to be clustered
BASE_CLUSTERS = 100
MAX_GROUPS = 5
K_HYSTERESIS = 4
# Separation: planted groups give a best silhouette of 0.5 and more and a stability of 0.9 and
# more; votes with no structure give 0.33-0.45 and 0.2-0.6 (tests/analysis/test_groups.py).
SILHOUETTE_MIN = 0.45
STABILITY_MIN = 0.8
SEPARATION_MARGIN = 0.05  # each bar is this much lower while groups are already shown
STABILITY_RESAMPLES = 4
STABILITY_FRACTION = 0.5  # each resample draws this share of the clustered people...
STABILITY_MAX_SAMPLE = 5000  # ...but no more than this many (county scale stays fast)


@dataclass
class VoteData:
    """The votes of one consultation as parallel arrays over row and column indices.

    ``zeroed`` marks columns of hidden or merged-away ideas: they stay in the matrix as a pass
    for everyone, so that they neither move people nor count as missing.
    """

    rows: np.ndarray  # participant index per vote
    cols: np.ndarray  # idea index per vote
    values: np.ndarray  # +1 agree, -1 disagree, 0 pass
    n_participants: int
    n_ideas: int
    zeroed: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=bool))

    def __post_init__(self) -> None:
        if self.zeroed.size == 0:
            self.zeroed = np.zeros(self.n_ideas, dtype=bool)


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


@dataclass
class OpinionResult:
    """Everything the opinion analysis finds, as numpy arrays indexed by group and column.

    ``consensus_agree`` and ``consensus_disagree`` hold the group-informed consensus of the
    ideas that pass the bar (``consensus.consensus_mask``), ``nan`` elsewhere; ``consensus``,
    ``consensus_rejected``, ``division`` and ``split`` are the same findings as lists of values,
    best first, each possibly empty. With no distinct groups ``n_groups`` is 1 (everyone
    clustered is one population), ``representative`` is ``[[]]`` and ``division`` is empty.
    """

    components: np.ndarray  # (2, n_ideas)
    positions: np.ndarray  # (n_participants, 2), scaled
    clustered: np.ndarray  # bool per participant
    group_of: np.ndarray  # group index per participant, -1 if not clustered
    n_groups: int
    base_centres: np.ndarray  # (B, 2)
    base_sizes: np.ndarray  # (B,)
    base_groups: np.ndarray  # (B,)
    silhouettes: dict[int, float]
    k_state: KState
    group_agree: np.ndarray  # (G, n_ideas) counts
    group_disagree: np.ndarray
    group_votes: np.ndarray  # all votes including passes
    representative: list[list[RepresentativeIdea]]  # per group, agrees first
    consensus_agree: np.ndarray  # (n_ideas,), nan where the idea fails the bar
    consensus_disagree: np.ndarray
    separation: Separation = NO_SEPARATION
    group_centres: np.ndarray = field(default_factory=lambda: np.zeros((0, 2)))
    consensus: list[_consensus.ConsensusIdea] = field(default_factory=list)
    consensus_rejected: list[_consensus.ConsensusIdea] = field(default_factory=list)
    division: list[_consensus.DividedIdea] = field(default_factory=list)
    split: list[_consensus.SplitIdea] = field(default_factory=list)

    @property
    def group_sizes(self) -> np.ndarray:
        """People in each group."""
        return np.bincount(self.group_of[self.group_of >= 0], minlength=self.n_groups)


# --- the matrix and its principal components ----------------------------------------------


def vote_matrix(data: VoteData) -> sp.csr_matrix:
    """Participants x ideas, one stored value per vote; zeroed columns hold only zeros."""
    values = np.where(data.zeroed[data.cols], 0, data.values).astype(np.float64)
    return sp.csr_matrix(
        (values, (data.rows, data.cols)), shape=(data.n_participants, data.n_ideas)
    )


def _centred(data: VoteData, means: np.ndarray | None = None):
    """The vote matrix centred by column means over the votes cast (a missing vote is 0)."""
    matrix = vote_matrix(data).tocsc()
    if means is None:
        counts = np.bincount(data.cols, minlength=data.n_ideas).astype(np.float64)
        sums = np.asarray(matrix.sum(axis=0)).ravel()
        means = np.divide(sums, counts, out=np.zeros_like(sums), where=counts > 0)
    # Centre only the stored values: a missing vote is imputed as the mean, i.e. exactly 0.
    centred = matrix.copy()
    centred.data = centred.data - np.repeat(means, np.diff(centred.indptr))
    return centred.tocsr(), means


def _project(data: VoteData, centred: sp.csr_matrix, components: np.ndarray) -> np.ndarray:
    """Scaled positions: ``p_i * sqrt(C / n_i)``, so light voters do not all sit at the centre."""
    n_rows, n_cols = centred.shape
    positions = np.asarray(centred @ components.T)
    # Zeroed columns are present cells for everyone (a pass), so they count in n_i.
    live_votes = np.bincount(data.rows[~data.zeroed[data.cols]], minlength=n_rows).astype(
        np.float64
    )
    present = live_votes + float(data.zeroed.sum())
    return positions * np.sqrt(n_cols / np.maximum(present, 1.0))[:, None]


def _fit_components(centred: sp.csr_matrix) -> np.ndarray:
    n_rows, n_cols = centred.shape
    components = np.zeros((2, n_cols))
    if min(n_rows, n_cols) > 2:
        svd = TruncatedSVD(
            n_components=2,
            algorithm="randomized",
            n_iter=5,
            power_iteration_normalizer="QR",
            random_state=SEED,
        )
        svd.fit(centred)
        components = svd.components_
    elif min(n_rows, n_cols) > 0:
        _u, _s, vt = np.linalg.svd(centred.toarray(), full_matrices=False)
        components[: vt.shape[0]] = vt[:2]
    return components


def principal_components(
    data: VoteData, previous: np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """The two principal components of the mean-imputed matrix and each participant's position.

    ``previous`` (2 x n_ideas, zeros where unknown) keeps each component's sign stable: a
    component pointing away from its predecessor is flipped.
    """
    centred, _means = _centred(data)
    components = _fit_components(centred)
    if previous is not None and previous.shape == components.shape:
        for k in range(2):
            if float(np.dot(previous[k], components[k])) < 0:
                components[k] = -components[k]
    return components, _project(data, centred, components)


def clustered_participants(data: VoteData) -> np.ndarray:
    """Who is clustered: enough votes (hidden ideas count), topped up with the heaviest voters."""
    votes = np.bincount(data.rows, minlength=data.n_participants)
    chosen = votes >= min(MAX_VOTES_NEEDED, data.n_ideas)
    chosen &= votes > 0
    wanted = min(MIN_CLUSTERED, int((votes > 0).sum()))
    if chosen.sum() < wanted:
        order = np.lexsort((np.arange(votes.size), -votes))  # heaviest first, stable
        chosen[order[:wanted]] = True
    return chosen


# --- groups ---------------------------------------------------------------------------------


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


def group_counts(data: VoteData, group_of: np.ndarray, n_groups: int):
    """Agree, disagree and all-vote counts per group and idea, in time linear in the votes.

    Equivalent to ``(group one-hot)^T x (indicator matrix)`` per vote type; a ``bincount``
    over ``group * n_ideas + idea`` computes that product without building the matrices.
    """
    member = group_of[data.rows] >= 0
    cells = group_of[data.rows[member]] * data.n_ideas + data.cols[member]
    values = data.values[member]
    size = n_groups * data.n_ideas
    shape = (n_groups, data.n_ideas)

    def count(mask: np.ndarray) -> np.ndarray:
        return np.bincount(cells[mask], minlength=size).reshape(shape)

    return count(values > 0), count(values < 0), count(np.ones(values.size, dtype=bool))


# The tests of ANALYSIS.md, kept under their first names for older callers.
_two_proportion_z = two_proportion_z
_within_z = within_z


def representative_ideas(
    agree, disagree, votes, live: np.ndarray
) -> list[list[RepresentativeIdea]]:
    """For each group, the ideas that set it apart (``representative.representative_ideas``).

    Each item is a ``RepresentativeIdea``; it still reads like the first implementation's
    dicts (``item["col"]``, ``item["direction"]``, ``item["p"]``, ``item["r"]``).
    """
    return _representative_ideas(agree, disagree, votes, live)


def consensus(agree, disagree, votes, live: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Group-informed consensus (section 5) of the ideas that pass the bar; ``nan`` elsewhere.

    An idea is scored only when every group cast at least ``MIN_GROUP_VOTES`` votes on it and
    agrees (or, for the second array, disagrees) with it, above one half and significantly
    (``consensus.consensus_mask``). The lists themselves: ``consensus.consensus_ideas``.
    """
    return (
        _consensus.consensus_scores(agree, votes, live),
        _consensus.consensus_scores(disagree, votes, live),
    )


def majority(agree: np.ndarray, votes: np.ndarray, live: np.ndarray) -> np.ndarray:
    """Majority opinion (section 6): ``p * z`` where the majority significantly agrees, else nan.

    Pass the disagree counts as ``agree`` for the ideas a majority rejects.
    """
    p = (agree + 1) / (votes + 2)
    z = within_z(agree, votes)
    ok = live & (p > 0.5) & (z > Z_90)
    return np.where(ok, p * z, np.nan)


# --- the whole analysis ---------------------------------------------------------------------


def analyse(
    data: VoteData,
    previous_components: np.ndarray | None = None,
    previous_k: KState | None = None,
    previous: PreviousGroups | None = None,
) -> OpinionResult:
    """Run sections 1-5 and 8 of ``ANALYSIS.md`` on one consultation's votes.

    ``previous_components`` keeps the components' signs, ``previous_k`` the hysteresis of the
    group count and of showing groups at all, ``previous`` the groups' starting centres and
    letters; all three come from the last computation and may be left out.
    """
    previous_k = previous_k or KState()
    components, positions = principal_components(data, previous_components)
    clustered = clustered_participants(data)
    group_of = np.full(data.n_participants, -1, dtype=int)
    centres = np.zeros((0, 2))
    base_sizes = np.zeros(0, dtype=int)
    base_groups = np.zeros(0, dtype=int)
    silhouettes: dict[int, float] = {}
    state = KState()
    split = NO_SEPARATION
    n_groups = 0
    if clustered.sum() >= 2:
        points = positions[clustered]
        init = previous.base_centres if previous is not None else None
        centres, base_labels = base_clusters(points, init)
        base_sizes = np.bincount(base_labels, minlength=len(centres))
        init_groups = (
            previous.group_centres if previous is not None and previous.n_groups >= 2 else None
        )
        base_groups, silhouettes, state = choose_groups(
            centres, base_sizes, previous_k, init_groups
        )
        members = None
        if previous is not None and previous.group_of is not None:
            # Match on the people both computations clustered: align to this one's clustered.
            old = np.full(data.n_participants, -1)
            known = previous.group_of[: data.n_participants]
            old[: known.size] = known
            previous = PreviousGroups(
                previous.base_centres, previous.base_sizes, previous.base_groups, old[clustered]
            )
            members = base_labels
        base_groups = match_groups(base_groups, base_sizes, centres, previous, members)
        group_of[np.flatnonzero(clustered)] = base_groups[base_labels]
        scores = dict(silhouettes)
        labels = group_of[clustered]
        if state.k not in scores and 2 <= len(np.unique(labels)) < labels.size:
            # Too few base clusters to score (two distinct positions): score the people.
            scores[state.k] = float(silhouette_score(points, labels))
        split = separation(data, clustered, group_of, scores, state, previous_k.distinct)
        state.distinct = split.distinct
        if not split.distinct:
            base_groups = np.zeros_like(base_groups)
            group_of[clustered] = 0
        n_groups = int(base_groups.max()) + 1
    agree, disagree, votes = group_counts(data, group_of, n_groups)
    live = ~data.zeroed
    sizes = np.bincount(group_of[group_of >= 0], minlength=n_groups)
    c_agree, c_disagree = consensus(agree, disagree, votes, live)
    all_agree = np.bincount(data.cols, weights=data.values > 0, minlength=data.n_ideas)
    all_disagree = np.bincount(data.cols, weights=data.values < 0, minlength=data.n_ideas)
    all_votes = np.bincount(data.cols, minlength=data.n_ideas)
    return OpinionResult(
        components=components,
        positions=positions,
        clustered=clustered,
        group_of=group_of,
        n_groups=n_groups,
        base_centres=centres,
        base_sizes=base_sizes,
        base_groups=base_groups,
        silhouettes=silhouettes,
        k_state=state,
        group_agree=agree,
        group_disagree=disagree,
        group_votes=votes,
        representative=representative_ideas(agree, disagree, votes, live),
        consensus_agree=c_agree,
        consensus_disagree=c_disagree,
        separation=split,
        group_centres=_group_centres(centres, base_sizes, base_groups, n_groups)
        if n_groups
        else np.zeros((0, 2)),
        consensus=_consensus.consensus_ideas(agree, disagree, votes, live, "agree"),
        consensus_rejected=_consensus.consensus_ideas(agree, disagree, votes, live, "disagree"),
        division=_consensus.division_between_groups(agree, disagree, votes, live, sizes),
        split=_consensus.split_ideas(all_agree, all_disagree, all_votes, live),
    )


def wilson_lower_bound(agree, disagree, z: float = 1.96) -> np.ndarray:
    """Lower bound of the Wilson score interval of agree / (agree + disagree); 0 with no votes."""
    agree = np.asarray(agree, dtype=np.float64)
    n = agree + np.asarray(disagree, dtype=np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        phat = agree / n
        centre = phat + z * z / (2 * n)
        margin = z * np.sqrt((phat * (1 - phat) + z * z / (4 * n)) / n)
        bound = (centre - margin) / (1 + z * z / n)
    return np.where(n > 0, bound, 0.0)


def divisiveness(agree, disagree) -> np.ndarray:
    """How much an idea splits opinion: twice the smaller side, ``2 * min(agree, disagree)``.

    It equals ``(a + d) * (1 - |a - d| / (a + d))``: large only when many people took each side,
    so 100 / 100 is more divisive than 5 / 5 or 190 / 10 (the ideas list sorts the same way).
    """
    agree = np.asarray(agree, dtype=np.float64)
    disagree = np.asarray(disagree, dtype=np.float64)
    return 2 * np.minimum(agree, disagree)
