"""Opinion groups, representative ideas and group-informed consensus, as ``ANALYSIS.md`` says.

Pure mathematics on arrays: no database, no Flask. ``analyse`` takes the votes as three parallel
arrays (participant index, idea index, value +1 / -1 / 0) and returns plain numbers, so the same
code serves the web page, the background command and the benchmark.

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
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field

import numpy as np
import scipy.sparse as sp
from sklearn.cluster import KMeans
from sklearn.decomposition import TruncatedSVD
from sklearn.exceptions import ConvergenceWarning
from sklearn.metrics import silhouette_score

SEED = 2027
Z_90 = 1.2816  # one-sided 90% significance
MIN_CLUSTERED = 15  # at least this many participants are clustered (heaviest voters added)
MAX_VOTES_NEEDED = 7  # a participant needs min(7, number of ideas) votes to be clustered
BASE_CLUSTERS = 100
MAX_GROUPS = 5
K_HYSTERESIS = 4
REPRESENTATIVE_PER_GROUP = 5
MIN_GROUP_VOTES = 3  # consensus ranks an idea only when every group cast this many votes on it


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
    """What the group count's hysteresis remembers between computations."""

    k: int = 0
    candidate: int = 0
    streak: int = 0

    def as_dict(self) -> dict:
        return {"k": self.k, "candidate": self.candidate, "streak": self.streak}

    @classmethod
    def from_dict(cls, data: dict | None) -> KState:
        data = data or {}
        return cls(int(data.get("k", 0)), int(data.get("candidate", 0)), int(data.get("streak", 0)))


@dataclass
class OpinionResult:
    """Everything the opinion analysis finds, as numpy arrays indexed by group and column."""

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
    representative: list[list[dict]]  # per group: top ideas (column, direction, scores)
    consensus_agree: np.ndarray  # (n_ideas,), nan where not ranked
    consensus_disagree: np.ndarray


# --- the matrix and its principal components ----------------------------------------------


def vote_matrix(data: VoteData) -> sp.csr_matrix:
    """Participants x ideas, one stored value per vote; zeroed columns hold only zeros."""
    values = np.where(data.zeroed[data.cols], 0, data.values).astype(np.float64)
    return sp.csr_matrix(
        (values, (data.rows, data.cols)), shape=(data.n_participants, data.n_ideas)
    )


def principal_components(
    data: VoteData, previous: np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """The two principal components of the mean-imputed matrix and each participant's position.

    ``previous`` (2 x n_ideas, zeros where unknown) keeps each component's sign stable: a
    component pointing away from its predecessor is flipped.
    """
    matrix = vote_matrix(data).tocsc()
    counts = np.bincount(data.cols, minlength=data.n_ideas).astype(np.float64)
    sums = np.asarray(matrix.sum(axis=0)).ravel()
    means = np.divide(sums, counts, out=np.zeros_like(sums), where=counts > 0)
    # Centre only the stored values: a missing vote is imputed as the mean, i.e. exactly 0.
    centred = matrix.copy()
    centred.data = centred.data - np.repeat(means, np.diff(centred.indptr))
    centred = centred.tocsr()

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
    if previous is not None and previous.shape == components.shape:
        for k in range(2):
            if float(np.dot(previous[k], components[k])) < 0:
                components[k] = -components[k]

    positions = np.asarray(centred @ components.T)
    # Zeroed columns are present cells for everyone (a pass), so they count in n_i.
    live_votes = np.bincount(data.rows[~data.zeroed[data.cols]], minlength=n_rows).astype(
        np.float64
    )
    present = live_votes + float(data.zeroed.sum())
    positions *= np.sqrt(n_cols / np.maximum(present, 1.0))[:, None]
    return components, positions


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


def base_clusters(points: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """k-means (k = 100) on the positions; every distinct point is its own cluster if fewer."""
    distinct, inverse = np.unique(points, axis=0, return_inverse=True)
    inverse = inverse.ravel()
    if len(distinct) <= BASE_CLUSTERS:
        return distinct, inverse
    km = KMeans(n_clusters=BASE_CLUSTERS, n_init=1, max_iter=50, random_state=SEED)
    labels = km.fit_predict(points)
    return km.cluster_centers_, labels


def choose_groups(
    centres: np.ndarray, sizes: np.ndarray, previous: KState
) -> tuple[np.ndarray, dict[int, float], KState]:
    """Group the base clusters: k by mean silhouette over the centres, with hysteresis."""
    n_base = len(centres)
    if n_base < 2:
        return np.zeros(n_base, dtype=int), {}, KState(1 if n_base else 0)
    if n_base == 2:
        return np.arange(2), {}, KState(2)
    labelings: dict[int, np.ndarray] = {}
    scores: dict[int, float] = {}
    for k in range(2, min(MAX_GROUPS, 2 + n_base // 12, n_base - 1) + 1):
        km = KMeans(n_clusters=k, n_init=10, random_state=SEED)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            labels = km.fit_predict(centres, sample_weight=sizes)
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


def _two_proportion_z(succ_in, n_in, succ_out, n_out):
    a, b, m, big_m = succ_in + 1.0, succ_out + 1.0, n_in + 1.0, n_out + 1.0
    q = (a + b) / (m + big_m)
    denom = np.sqrt(np.clip(q * (1 - q) * (1 / m + 1 / big_m), 0, None))
    with np.errstate(divide="ignore", invalid="ignore"):
        z = (a / m - b / big_m) / denom
    return np.where((q >= 1) | (denom == 0), 0.0, z)


def _within_z(succ, n):
    return 2 * np.sqrt(n + 1) * ((succ + 1) / (n + 1) - 0.5)


def representative_ideas(agree, disagree, votes, live: np.ndarray) -> list[list[dict]]:
    """For each group, the ideas that set it apart (section 4), top five, agrees first."""
    total_a, total_d, total_s = agree.sum(0), disagree.sum(0), votes.sum(0)
    result = []
    for g in range(agree.shape[0]):
        n_a, n_d, n_s = agree[g], disagree[g], votes[g]
        o_a, o_d, o_s = total_a - n_a, total_d - n_d, total_s - n_s
        p_a, p_d = (n_a + 1) / (n_s + 2), (n_d + 1) / (n_s + 2)
        pat, pdt = _within_z(n_a, n_s), _within_z(n_d, n_s)
        r_a, r_d = p_a / ((o_a + 1) / (o_s + 2)), p_d / ((o_d + 1) / (o_s + 2))
        rat, rdt = _two_proportion_z(n_a, n_s, o_a, o_s), _two_proportion_z(n_d, n_s, o_d, o_s)
        qualifies = ((pat > Z_90) & (rat > Z_90)) | ((pdt > Z_90) & (rdt > Z_90))
        qualifies &= live & (n_s > 0)
        agrees = rat > rdt
        score = np.where(agrees, r_a * rat * p_a * pat, r_d * rdt * p_d * pdt)
        picked = []
        for col in np.flatnonzero(qualifies):
            side_a = bool(agrees[col])
            picked.append(
                {
                    "col": int(col),
                    "direction": "agree" if side_a else "disagree",
                    "score": float(score[col]),
                    "p": float(p_a[col] if side_a else p_d[col]),
                    "r": float(r_a[col] if side_a else r_d[col]),
                }
            )
        picked.sort(key=lambda item: (item["direction"] != "agree", -item["score"]))
        top_agree = [i for i in picked if i["direction"] == "agree"][:REPRESENTATIVE_PER_GROUP]
        rest = REPRESENTATIVE_PER_GROUP - len(top_agree)
        top = top_agree + [i for i in picked if i["direction"] == "disagree"][:rest]
        result.append(top)
    return result


def consensus(agree, disagree, votes, live: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Group-informed consensus (section 5): the product over groups of smoothed agreement.

    An idea that some group voted on fewer than ``MIN_GROUP_VOTES`` times gets ``nan`` and is
    not ranked (with almost no votes it would score about 0.5 ** G).
    """
    if agree.shape[0] == 0:
        nan = np.full(agree.shape[1], np.nan)
        return nan, nan.copy()
    c_agree = np.prod((agree + 1) / (votes + 2), axis=0)
    c_disagree = np.prod((disagree + 1) / (votes + 2), axis=0)
    ranked = live & (votes >= MIN_GROUP_VOTES).all(axis=0)
    return np.where(ranked, c_agree, np.nan), np.where(ranked, c_disagree, np.nan)


def majority(agree: np.ndarray, votes: np.ndarray, live: np.ndarray) -> np.ndarray:
    """Majority opinion (section 6): ``p * z`` where the majority significantly agrees, else nan.

    Pass the disagree counts as ``agree`` for the ideas a majority rejects.
    """
    p = (agree + 1) / (votes + 2)
    z = _within_z(agree, votes)
    ok = live & (p > 0.5) & (z > Z_90)
    return np.where(ok, p * z, np.nan)


# --- the whole analysis ---------------------------------------------------------------------


def analyse(
    data: VoteData,
    previous_components: np.ndarray | None = None,
    previous_k: KState | None = None,
) -> OpinionResult:
    """Run sections 1-5 of ``ANALYSIS.md`` on one consultation's votes."""
    components, positions = principal_components(data, previous_components)
    clustered = clustered_participants(data)
    group_of = np.full(data.n_participants, -1, dtype=int)
    centres = np.zeros((0, 2))
    base_sizes = np.zeros(0, dtype=int)
    base_groups = np.zeros(0, dtype=int)
    silhouettes: dict[int, float] = {}
    state = KState()
    n_groups = 0
    if clustered.sum() >= 2:
        points = positions[clustered]
        centres, base_labels = base_clusters(points)
        base_sizes = np.bincount(base_labels, minlength=len(centres))
        base_groups, silhouettes, state = choose_groups(centres, base_sizes, previous_k or KState())
        base_groups = _order_groups(base_groups, base_sizes)
        n_groups = int(base_groups.max()) + 1
        group_of[np.flatnonzero(clustered)] = base_groups[base_labels]
    agree, disagree, votes = group_counts(data, group_of, n_groups)
    live = ~data.zeroed
    c_agree, c_disagree = (
        consensus(agree, disagree, votes, live)
        if n_groups
        else (
            np.full(data.n_ideas, np.nan),
            np.full(data.n_ideas, np.nan),
        )
    )
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
        representative=representative_ideas(agree, disagree, votes, live)
        if n_groups > 1
        else [[] for _ in range(n_groups)],
        consensus_agree=c_agree,
        consensus_disagree=c_disagree,
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
