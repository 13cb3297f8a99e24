"""What every group agrees with, what divides the groups, and what people are split on.

Pure functions of the per-group counts (``opinions.group_counts``: agrees, disagrees and all
votes including passes, each an array of groups x ideas), returning lists of frozen values the
results layer can show, publish and serialise (``as_dict`` gives plain JSON types). Each list
has a stated bar, not a top-N: it may be empty, and its length is how many ideas pass.

* ``consensus_ideas``: Pol.is's group-informed consensus (``ANALYSIS.md`` sections 5 and 8),
  listing an idea only when every group agrees, significantly, with at least
  ``MIN_GROUP_VOTES`` votes in every group.
* ``division_between_groups``: "what divides opinion", the gap between the groups' agreement.
* ``split_ideas``: "ideas people are split on", close to 50/50 over everyone, group-blind.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np

from .stats import MIN_GROUP_VOTES, Z_90, smoothed, two_proportion_z, within_z

# "People are split on this": of those who agreed or disagreed, each side has at least this
# share, with at least SPLIT_MIN_VOTES of them.
SPLIT_MIN_SHARE = 0.4
SPLIT_MIN_VOTES = 20
# "This divides the groups": the most and least supportive groups' agreement differ by at least
# this much (smoothed shares), and significantly (two-proportion z above Z_90).
DIVISION_MIN_GAP = 0.2
# The one-sided test every group must pass for "every group agrees" (see ``consensus_mask``).
CONSENSUS_Z = Z_90


def _rounded(values) -> tuple:
    return tuple(round(float(v), 6) for v in values)


@dataclass(frozen=True)
class ConsensusIdea:
    """An idea every group agrees with (or, with ``side == "disagree"``, every group rejects).

    ``score`` is the group-informed consensus: the product over groups of each group's smoothed
    share ``(A_g + 1) / (S_g + 2)``. It ranks ideas within one analysis; it shrinks as groups
    are added, so it is not comparable between analyses with different numbers of groups.
    """

    col: int
    side: str  # "agree" or "disagree"
    score: float
    group_share: tuple[float, ...]  # smoothed share of each group's votes on that side
    group_z: tuple[float, ...]  # each group's one-proportion test (all above Z_90)
    group_count: tuple[int, ...]  # votes on that side in each group
    group_votes: tuple[int, ...]  # all votes (passes included) in each group

    def as_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class DividedIdea:
    """An idea on which the groups disagree with each other.

    ``gap`` (the ranking) is the most supportive group's smoothed agreement minus the least
    supportive group's; ``spread`` is the size-weighted standard deviation of the groups'
    agreement (how much of the population stands apart, not just how far).
    """

    col: int
    gap: float
    spread: float
    z: float  # two-proportion test of the most against the least supportive group
    most: int  # the group that agrees most
    least: int  # the group that agrees least
    group_share: tuple[float, ...]  # smoothed agreement of each group
    group_agree: tuple[int, ...]
    group_disagree: tuple[int, ...]
    group_votes: tuple[int, ...]

    def as_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class SplitIdea:
    """An idea people are split on overall, whatever their group: close to 50/50.

    ``score`` (the ranking) is twice the smaller side, ``2 * min(agree, disagree)``: many
    people on each side outrank a few.
    """

    col: int
    score: float
    agree: int
    disagree: int
    votes: int  # passes included
    smaller_share: float  # the smaller side's share of agrees and disagrees (0.4 to 0.5)

    def as_dict(self) -> dict:
        return asdict(self)


def consensus_mask(successes, votes, live) -> np.ndarray:
    """Ideas that pass the bar: in every group, at least ``MIN_GROUP_VOTES`` votes, a smoothed
    share above one half and a one-proportion test above ``Z_90``."""
    successes, votes = np.asarray(successes), np.asarray(votes)
    if successes.shape[0] < 2:
        return np.zeros(successes.shape[1], dtype=bool)
    ok = (votes >= MIN_GROUP_VOTES) & (smoothed(successes, votes) > 0.5)
    ok &= within_z(successes, votes) > CONSENSUS_Z
    return np.asarray(live, dtype=bool) & ok.all(axis=0)


def consensus_scores(successes, votes, live) -> np.ndarray:
    """Group-informed consensus for the ideas that pass the bar; ``nan`` for the others."""
    successes, votes = np.asarray(successes), np.asarray(votes)
    if successes.shape[0] == 0:
        return np.full(successes.shape[1], np.nan)
    product = np.prod(smoothed(successes, votes), axis=0)
    return np.where(consensus_mask(successes, votes, live), product, np.nan)


def consensus_ideas(agree, disagree, votes, live, side: str = "agree") -> list[ConsensusIdea]:
    """The ideas every group agrees with (``side="agree"``) or rejects, best first.

    Empty when none passes the bar (or when there are no groups); ties keep idea order.
    """
    counts = np.asarray(agree if side == "agree" else disagree)
    votes = np.asarray(votes)
    scores = consensus_scores(counts, votes, live)
    shares, z = smoothed(counts, votes), within_z(counts, votes)
    passing = np.flatnonzero(np.isfinite(scores))
    order = passing[np.lexsort((passing, -scores[passing]))]
    return [
        ConsensusIdea(
            col=int(c),
            side=side,
            score=round(float(scores[c]), 6),
            group_share=_rounded(shares[:, c]),
            group_z=_rounded(z[:, c]),
            group_count=tuple(int(v) for v in counts[:, c]),
            group_votes=tuple(int(v) for v in votes[:, c]),
        )
        for c in order
    ]


def division_between_groups(agree, disagree, votes, live, group_sizes) -> list[DividedIdea]:
    """What divides opinion: ideas the groups agree with to clearly different degrees.

    Only ideas with at least ``MIN_GROUP_VOTES`` votes in every group are considered; an idea is
    listed when the most and least supportive groups' smoothed agreement differ by at least
    ``DIVISION_MIN_GAP`` and that difference is significant (two-proportion z above
    ``Z_90``). Ranked by the gap, largest first: every group counts the same, so an idea that
    sets a small group against the rest ranks by how far apart they are, not by how many
    people are in the small group (the size-weighted ``spread`` is given beside it). Empty
    with fewer than two groups.
    """
    agree, disagree, votes = np.asarray(agree), np.asarray(disagree), np.asarray(votes)
    n_groups = agree.shape[0]
    if n_groups < 2:
        return []
    shares = smoothed(agree, votes)
    most, least = np.argmax(shares, axis=0), np.argmin(shares, axis=0)
    cols = np.arange(agree.shape[1])
    gap = shares[most, cols] - shares[least, cols]
    z = two_proportion_z(
        agree[most, cols], votes[most, cols], agree[least, cols], votes[least, cols]
    )
    weights = np.asarray(group_sizes, dtype=np.float64)
    weights = weights / weights.sum() if weights.sum() > 0 else np.full(n_groups, 1 / n_groups)
    mean = weights @ shares
    spread = np.sqrt(np.clip(weights @ (shares - mean) ** 2, 0, None))
    listed = np.asarray(live, dtype=bool) & (votes >= MIN_GROUP_VOTES).all(axis=0)
    listed &= (gap >= DIVISION_MIN_GAP) & (z > Z_90)
    chosen = np.flatnonzero(listed)
    order = chosen[np.lexsort((chosen, -gap[chosen]))]
    return [
        DividedIdea(
            col=int(c),
            gap=round(float(gap[c]), 6),
            spread=round(float(spread[c]), 6),
            z=round(float(z[c]), 6),
            most=int(most[c]),
            least=int(least[c]),
            group_share=_rounded(shares[:, c]),
            group_agree=tuple(int(v) for v in agree[:, c]),
            group_disagree=tuple(int(v) for v in disagree[:, c]),
            group_votes=tuple(int(v) for v in votes[:, c]),
        )
        for c in order
    ]


def split_ideas(agree, disagree, votes, live) -> list[SplitIdea]:
    """Ideas people are split on, whatever their group: each side at least ``SPLIT_MIN_SHARE``
    of the agrees and disagrees, with at least ``SPLIT_MIN_VOTES`` of them.

    Takes counts over everyone (one value per idea). Ranked by ``2 * min(agree, disagree)``,
    then by idea order.
    """
    agree = np.asarray(agree, dtype=np.float64)
    disagree = np.asarray(disagree, dtype=np.float64)
    votes = np.asarray(votes, dtype=np.float64)
    decided = agree + disagree
    smaller = np.minimum(agree, disagree)
    with np.errstate(divide="ignore", invalid="ignore"):
        share = np.where(decided > 0, smaller / decided, 0.0)
    listed = np.asarray(live, dtype=bool) & (decided >= SPLIT_MIN_VOTES)
    listed &= share >= SPLIT_MIN_SHARE
    chosen = np.flatnonzero(listed)
    score = 2 * smaller
    order = chosen[np.lexsort((chosen, -score[chosen]))]
    return [
        SplitIdea(
            col=int(c),
            score=float(score[c]),
            agree=int(agree[c]),
            disagree=int(disagree[c]),
            votes=int(votes[c]),
            smaller_share=round(float(share[c]), 6),
        )
        for c in order
    ]
