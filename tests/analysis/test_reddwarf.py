"""The analysis against red-dwarf 0.4.0, a Python reproduction of the Pol.is pipeline.

Both run on the same planted vote matrix (1,000 people x 120 ideas, seconds each). Where the
methods are meant to agree they must: the groups (ARI >= 0.9), the planted consensus ideas in
red-dwarf's group-aware-consensus top list, and each group's representative ideas.
Red-dwarf's own imports and pandas calls raise two warnings; only those are silenced.
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from scipy.optimize import linear_sum_assignment
from sklearn.metrics import adjusted_rand_score
from threadpoolctl import threadpool_limits

from kil_consult.analysis import opinions

from .planted import planted_votes

pytest.importorskip("reddwarf")


def _run_reddwarf(data: opinions.VoteData):
    votes = [
        {"participant_id": int(r), "statement_id": int(c), "vote": int(v), "modified": 0}
        for r, c, v in zip(data.rows, data.cols, data.values, strict=True)
    ]
    from pandas.errors import Pandas4Warning
    from pydantic.warnings import UnsupportedFieldAttributeWarning

    with warnings.catch_warnings():
        # red-dwarf's models declare Field(exclude=True) on a type alias (pydantic warns on
        # import), and it builds its matrix with DataFrame.from_dict on a list (pandas 3).
        warnings.filterwarnings("ignore", category=UnsupportedFieldAttributeWarning)
        warnings.filterwarnings(
            "ignore", category=Pandas4Warning, message="Passing a list to DataFrame.from_dict"
        )
        from reddwarf.implementations.polis import run_pipeline

        with threadpool_limits(limits=1):
            return run_pipeline(votes=votes, random_state=opinions.SEED)


@pytest.fixture(scope="module")
def both():
    planted = planted_votes()
    with threadpool_limits(limits=1):
        ours = opinions.analyse(planted.data)
    return planted, ours, _run_reddwarf(planted.data)


def _theirs(reference):
    labels = reference.participants_df["cluster_id"].dropna()
    return labels.index.to_numpy(), labels.to_numpy(dtype=int)


def test_the_groups_agree(both):
    _planted, ours, reference = both
    ids, labels = _theirs(reference)
    shared = ours.clustered[ids]
    assert shared.mean() >= 0.95  # the same people are clustered (7 votes or more)
    assert len(set(labels)) == ours.n_groups
    assert adjusted_rand_score(labels[shared], ours.group_of[ids[shared]]) >= 0.9


def test_the_planted_consensus_tops_reddwarfs_group_aware_consensus(both):
    planted, ours, reference = both
    scores = reference.group_aware_consensus["agree"]
    top = sorted(scores, key=lambda tid: (-scores[tid], tid))[: len(planted.consensus) + 2]
    assert set(planted.consensus.tolist()) <= set(top)
    # Ours lists the same ideas, in red-dwarf's order of the same product.
    ours_cols = [idea.col for idea in ours.consensus]
    assert set(ours_cols) <= set(top)
    assert ours_cols == [tid for tid in top if tid in set(ours_cols)]


def test_the_representative_ideas_agree(both):
    _planted, ours, reference = both
    ids, labels = _theirs(reference)
    shared = ours.clustered[ids]
    overlap = np.zeros((ours.n_groups, ours.n_groups))
    np.add.at(overlap, (ours.group_of[ids[shared]], labels[shared]), 1)
    rows, cols = linear_sum_assignment(-overlap)
    for g, h in zip(rows, cols, strict=True):
        mine = [(item.col, item.direction) for item in ours.representative[g]]
        theirs = [(item["tid"], item["repful-for"]) for item in reference.repness[h]]
        assert len(set(mine) & set(theirs)) >= 4, (g, mine, theirs)
        assert mine[0] == theirs[0]  # the same best "agree" idea leads
