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

from dataclasses import dataclass, field

import numpy as np
from sklearn.metrics import silhouette_score

from . import consensus as _consensus
from .groups import (  # noqa: F401  (part of this module's interface)
    BASE_CLUSTERS,
    K_HYSTERESIS,
    MAX_GROUPS,
    NO_SEPARATION,
    SEPARATION_MARGIN,
    SILHOUETTE_MIN,
    STABILITY_MIN,
    KState,
    PreviousGroups,
    Separation,
    _group_centres,
    base_clusters,
    choose_groups,
    group_stability,
    match_groups,
    separation,
)
from .opinion_map import (  # noqa: F401  (part of this module's interface)
    MAX_VOTES_NEEDED,
    MIN_CLUSTERED,
    SEED,
    VoteData,
    clustered_participants,
    principal_components,
    vote_matrix,
)
from .representative import REPRESENTATIVE_PER_GROUP, RepresentativeIdea
from .representative import representative_ideas as _representative_ideas
from .stats import (  # noqa: F401  (wilson_lower_bound, divisiveness: part of the interface)
    MIN_GROUP_VOTES,
    Z_90,
    divisiveness,
    two_proportion_z,
    wilson_lower_bound,
    within_z,
)

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
