"""What sets each opinion group apart: representative ideas, selected as Pol.is selects them.

``ANALYSIS.md`` section 4 and the lessons of section 8, on the per-group counts
(``opinions.group_counts``). For group g and idea c, with ``n_a, n_d, n_s`` the group's agrees,
disagrees and all votes and ``N_a, N_d, N_s`` the same over every other group:

* ``p = (n + 1) / (n_s + 2)`` and its one-proportion test ``pz`` (the group leans that way);
* ``r = p / ((N + 1) / (N_s + 2))`` and its two-proportion test ``rz`` (more than the others);
* an idea qualifies on a side when ``pz`` and ``rz`` are both above ``Z_90`` and the group cast at
  least ``MIN_GROUP_VOTES`` votes on it, so "1 of 1" or "2 of 2" never sets a group apart;
* its direction is "agree" when ``rz`` for agreeing beats ``rz`` for disagreeing;
* agrees and disagrees are ranked together by ``r * rz * p * pz``; the best "agree" idea goes
  first, then the best of the rest, five in all, then agrees are put before disagrees (Pol.is's
  ``select-rep-comments``, as red-dwarf reproduces it). No qualifying idea, no list: unlike
  Pol.is, nothing is shown just to fill the space.

``describe`` turns one into words: "7 in 10 of this group agree, against 2 in 10 of everyone else".
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np

from .stats import MIN_GROUP_VOTES, Z_90, smoothed, two_proportion_z, within_z
from .values import in_ten

REPRESENTATIVE_PER_GROUP = 5

# The keys the first implementation's dicts had, read by ``analysis/services.py`` until the
# results layer reads attributes (``item["col"]`` is ``item.col``, ``item["p"]`` is ``item.p``).
_LEGACY_KEYS = frozenset({"col", "direction", "score", "p", "r"})


@dataclass(frozen=True)
class RepresentativeIdea:
    """An idea that sets one group apart, with the counts behind it.

    ``count`` is the group's votes on the idea's side (agrees for an "agree" idea, disagrees for
    a "disagree" one) out of ``votes``; ``others_count`` out of ``others_votes`` the same over
    everyone in the other groups. Passes count in the votes.
    """

    col: int
    group: int
    direction: str  # "agree" or "disagree"
    score: float  # r * rz * p * pz of that side
    p: float  # smoothed share of the group's votes on that side
    p_z: float
    r: float  # p against the same share among everyone else
    r_z: float
    count: int
    votes: int
    others_count: int
    others_votes: int
    best_agree: bool = False  # Pol.is's best "agree" idea, put first

    @property
    def share(self) -> float:
        """The share of the group's votes on the idea's side (unsmoothed, for words)."""
        return self.count / self.votes if self.votes else 0.0

    @property
    def others_share(self) -> float:
        return self.others_count / self.others_votes if self.others_votes else 0.0

    def as_dict(self) -> dict:
        return asdict(self)

    def __getitem__(self, key: str):
        """Read like the first implementation's dicts (``item["col"]``), for older callers."""
        if key not in _LEGACY_KEYS:
            raise KeyError(key)
        return getattr(self, key)


def representative_ideas(agree, disagree, votes, live) -> list[list[RepresentativeIdea]]:
    """For each group, up to ``REPRESENTATIVE_PER_GROUP`` ideas that set it apart (see above).

    ``agree``, ``disagree`` and ``votes`` are groups x ideas counts; ``live`` marks the ideas
    that may be listed (hidden ones keep their column but are never representative). With fewer
    than two groups nobody is set apart from anyone: every list is empty.
    """
    agree, disagree, votes = np.asarray(agree), np.asarray(disagree), np.asarray(votes)
    n_groups = agree.shape[0]
    if n_groups < 2:
        return [[] for _ in range(n_groups)]
    live = np.asarray(live, dtype=bool)
    total_a, total_d, total_s = agree.sum(0), disagree.sum(0), votes.sum(0)
    return [
        _for_group(
            g,
            (agree[g], total_a - agree[g]),
            (disagree[g], total_d - disagree[g]),
            (votes[g], total_s - votes[g]),
            live,
        )
        for g in range(n_groups)
    ]


def _side(n, n_s, o, o_s):
    p = smoothed(n, n_s)
    pz = within_z(n, n_s)
    r = p / smoothed(o, o_s)
    rz = two_proportion_z(n, n_s, o, o_s)
    return p, pz, r, rz


def _for_group(g, agree, disagree, votes, live) -> list[RepresentativeIdea]:
    (n_a, o_a), (n_d, o_d), (n_s, o_s) = agree, disagree, votes
    p_a, pa_z, r_a, ra_z = _side(n_a, n_s, o_a, o_s)
    p_d, pd_z, r_d, rd_z = _side(n_d, n_s, o_d, o_s)
    enough = live & (n_s >= MIN_GROUP_VOTES)
    agree_ok = enough & (pa_z > Z_90) & (ra_z > Z_90)
    disagree_ok = enough & (pd_z > Z_90) & (rd_z > Z_90)
    agrees = ra_z > rd_z
    score_a = r_a * ra_z * p_a * pa_z
    score_d = r_d * rd_z * p_d * pd_z
    score = np.where(agrees, score_a, score_d)

    def make(c: int, direction: str, best: bool = False) -> RepresentativeIdea:
        side_a = direction == "agree"
        return RepresentativeIdea(
            col=int(c),
            group=g,
            direction=direction,
            score=float(score_a[c] if side_a else score_d[c]),
            p=float(p_a[c] if side_a else p_d[c]),
            p_z=float(pa_z[c] if side_a else pd_z[c]),
            r=float(r_a[c] if side_a else r_d[c]),
            r_z=float(ra_z[c] if side_a else rd_z[c]),
            count=int(n_a[c] if side_a else n_d[c]),
            votes=int(n_s[c]),
            others_count=int(o_a[c] if side_a else o_d[c]),
            others_votes=int(o_s[c]),
            best_agree=best,
        )

    qualifying = np.flatnonzero(agree_ok | disagree_ok)
    ranked = qualifying[np.lexsort((qualifying, -score[qualifying]))]
    picked: list[RepresentativeIdea] = []
    best_agree = np.flatnonzero(agree_ok)
    if best_agree.size:
        best = int(best_agree[np.lexsort((best_agree, -score_a[best_agree]))][0])
        picked.append(make(best, "agree", best=True))
    for c in ranked:
        if len(picked) == REPRESENTATIVE_PER_GROUP:
            break
        if picked and picked[0].best_agree and picked[0].col == c:
            continue
        picked.append(make(c, "agree" if agrees[c] else "disagree"))
    # Agrees before disagrees, each in the order chosen (a stable sort).
    return sorted(picked, key=lambda item: item.direction != "agree")


def describe(idea: RepresentativeIdea, group: str = "this group") -> str:
    """The idea's numbers in words: "7 in 10 of this group agree, against 2 in 10 of everyone else".

    Shares are of everyone who voted on the idea, passes included, rounded to tenths.
    """
    verb = "agree" if idea.direction == "agree" else "disagree"
    ours = in_ten(idea.count, idea.votes)
    theirs = in_ten(idea.others_count, idea.others_votes)
    if idea.others_votes <= 0:
        return f"{ours.capitalize()} of {group} {verb}; no one else has voted on it"
    return f"{ours.capitalize()} of {group} {verb}, against {theirs} of everyone else"
