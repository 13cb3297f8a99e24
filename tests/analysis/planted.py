"""Vote matrices with a planted truth: known opinion groups, consensus and group-splitting ideas.

The default is the case issue 14 describes: three opinion groups of 600, 300 and 100 people over
120 ideas, 8 ideas every group agrees with, 10 ideas on which the groups take opposite sides,
and sparse voting (most people vote on a few dozen ideas, some on fewer than seven). Every
number comes from one ``numpy`` generator with a fixed seed, so a test sees the same votes on
every run.

How the votes are drawn, per group and idea, as (agree, disagree, pass) probabilities:

* consensus ideas: every group agrees (``AGREES``);
* splitting ideas: each group takes one side, strongly (``STRONG_AGREE`` or its mirror), and
  not every group takes the same side;
* the other ideas give each group its profile: each group leans for, against or neither way,
  mildly (``LEAN_FOR``, ``LEAN_AGAINST``, ``UNDECIDED``), never all three for, so that the
  only ideas every group agrees with are the planted ones.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from kil_consult.analysis.opinions import VoteData

AGREES = (0.80, 0.10, 0.10)
STRONG_AGREE = (0.88, 0.06, 0.06)
STRONG_DISAGREE = (0.06, 0.88, 0.06)
LEAN_FOR = (0.75, 0.15, 0.10)
LEAN_AGAINST = (0.15, 0.75, 0.10)
UNDECIDED = (0.40, 0.40, 0.20)
LEAN_ODDS = (0.45, 0.1, 0.45)  # how often a group leans for, neither way, against
# Sides on the splitting ideas, cycled: each pattern sets one or two groups against the rest.
SPREAD = 0.6  # of the log of how many ideas a person votes on
SPLIT_PATTERNS = ((1, -1, -1), (-1, 1, 1), (1, -1, 1), (-1, 1, -1), (1, 1, -1), (-1, -1, 1))


@dataclass(frozen=True)
class Planted:
    """A vote matrix and the truth it was drawn from (idea indices are columns of ``data``)."""

    data: VoteData
    group: np.ndarray  # planted group per participant (-1 for everyone in unstructured data)
    consensus: np.ndarray  # ideas every group agrees with
    splitting: np.ndarray  # ideas on which the groups take opposite sides
    sides: np.ndarray  # (groups, splitting ideas): +1 agrees, -1 disagrees


def planted_votes(
    sizes: tuple[int, ...] = (600, 300, 100),
    n_ideas: int = 120,
    n_consensus: int = 8,
    n_splitting: int = 10,
    mean_votes: float = 40.0,
    dense_groups: tuple[int, ...] = (),
    seed: int = 14,
) -> Planted:
    """Draw a planted consultation.

    ``mean_votes`` is the average number of ideas a person votes on (heavy-tailed: a few vote
    on most ideas, a fifth on fewer than seven); people in ``dense_groups`` vote on every idea
    (a vocal minority). Ideas are shown unevenly, as on a real site: some get far more votes.
    """
    rng = np.random.default_rng(seed)
    n_groups = len(sizes)
    roles = rng.permutation(n_ideas)
    consensus = np.sort(roles[:n_consensus])
    splitting = roles[n_consensus : n_consensus + n_splitting]
    profile = np.empty((n_groups, n_ideas, 3))
    profile[:, consensus] = AGREES
    sides = np.array(
        [SPLIT_PATTERNS[i % len(SPLIT_PATTERNS)][:n_groups] for i in range(n_splitting)]
    ).T
    for g in range(n_groups):
        profile[g, splitting] = np.where(sides[g][:, None] > 0, STRONG_AGREE, STRONG_DISAGREE)
    leanings = np.array([LEAN_FOR, UNDECIDED, LEAN_AGAINST])
    for idea in roles[n_consensus + n_splitting :]:
        lean = rng.choice(3, size=n_groups, p=LEAN_ODDS)
        while n_groups > 1 and (lean == 0).all():
            lean = rng.choice(3, size=n_groups, p=LEAN_ODDS)
        profile[:, idea] = leanings[lean]
    order = np.argsort(splitting)
    return _draw(
        rng, profile, sizes, mean_votes, dense_groups, consensus, splitting[order], sides[:, order]
    )


def unstructured_votes(
    n_participants: int = 1000, n_ideas: int = 120, mean_votes: float = 40.0, seed: int = 41
) -> Planted:
    """Everyone votes from the same profile: each idea has its own odds, there are no groups."""
    rng = np.random.default_rng(seed)
    agree = rng.uniform(0.2, 0.7, n_ideas)
    disagree = (1 - agree) * rng.uniform(0.5, 0.9, n_ideas)
    profile = np.stack([agree, disagree, 1 - agree - disagree], axis=-1)[None]
    empty = np.zeros(0, dtype=int)
    return _draw(rng, profile, (n_participants,), mean_votes, (), empty, empty, empty[None])


def _draw(rng, profile, sizes, mean_votes, dense_groups, consensus, splitting, sides) -> Planted:
    n_groups, n_ideas, _ = profile.shape
    group = np.repeat(np.arange(n_groups), sizes)
    n_people = group.size
    # Heavy-tailed activity, at least one vote each; the dense groups vote on everything.
    activity = np.minimum(
        rng.lognormal(np.log(mean_votes) - SPREAD**2 / 2, SPREAD, n_people), n_ideas
    )
    counts = np.maximum(np.round(activity).astype(int), 1)
    counts[np.isin(group, dense_groups)] = n_ideas
    popularity = rng.lognormal(0, 0.6, n_ideas)
    popularity /= popularity.sum()
    rows, cols = [], []
    for person, count in enumerate(counts):
        # Which ideas a person sees: weighted by popularity, without replacement.
        keys = np.log(rng.random(n_ideas)) / popularity
        seen = np.argpartition(-keys, count - 1)[:count] if count < n_ideas else np.arange(n_ideas)
        rows.append(np.full(seen.size, person))
        cols.append(seen)
    rows, cols = np.concatenate(rows), np.concatenate(cols)
    chances = profile[group[rows], cols]  # (votes, 3)
    draw = rng.random(rows.size)
    values = np.where(
        draw < chances[:, 0], 1, np.where(draw < chances[:, 0] + chances[:, 1], -1, 0)
    ).astype(np.int8)
    order = np.lexsort((cols, rows))
    data = VoteData(rows[order], cols[order], values[order], n_people, n_ideas)
    truth = group if n_groups > 1 else np.full(n_people, -1)
    return Planted(data, truth, np.asarray(consensus), np.asarray(splitting), np.asarray(sides))
