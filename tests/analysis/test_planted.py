"""The analysis against a planted truth (issue 14): groups, consensus, division, no groups.

Each scenario is drawn once per module with a fixed seed (``planted.py``) and analysed on one
thread, as the app does, so every run sees the same numbers. The figures measured when these
thresholds were set are in the assertion messages' neighbours: ARI 0.93-0.96 on the default
scenario, consensus precision and recall 1.0, 9 or 10 of 10 splitting ideas in the top ten.
"""

from __future__ import annotations

import json

import numpy as np
import pytest
from sklearn.metrics import adjusted_rand_score
from threadpoolctl import threadpool_limits

from kil_consult.analysis import consensus, opinions, representative
from kil_consult.analysis.stats import MIN_GROUP_VOTES

from .planted import planted_votes, unstructured_votes


def analysed(planted, **kwargs):
    with threadpool_limits(limits=1):
        return opinions.analyse(planted.data, **kwargs)


@pytest.fixture(scope="module")
def default():
    planted = planted_votes()
    return planted, analysed(planted)


@pytest.fixture(scope="module")
def vocal():
    """The smallest group (100 people) votes on every idea; everyone else on about 15."""
    planted = planted_votes(mean_votes=15, dense_groups=(2,), seed=21)
    return planted, analysed(planted)


def ari(planted, result) -> float:
    clustered = result.clustered
    return adjusted_rand_score(planted.group[clustered], result.group_of[clustered])


def precision_recall(found, truth) -> tuple[float, float]:
    found, truth = set(found), set(truth)
    hits = len(found & truth)
    return (hits / len(found) if found else 0.0), hits / len(truth)


def test_the_planted_groups_are_recovered(default):
    planted, result = default
    assert result.separation.distinct and result.n_groups == 3
    assert result.separation.silhouette >= opinions.SILHOUETTE_MIN
    assert result.separation.stability >= opinions.STABILITY_MIN
    assert ari(planted, result) >= 0.9
    # Group A is the largest, and it is the planted 600.
    assert result.group_sizes.tolist() == sorted(result.group_sizes.tolist(), reverse=True)


def test_consensus_lists_only_what_every_group_agrees_with(default):
    planted, result = default
    found = [idea.col for idea in result.consensus]
    precision, recall = precision_recall(found, planted.consensus.tolist())
    assert precision >= 0.9 and recall >= 0.9, (precision, recall)
    scores = [idea.score for idea in result.consensus]
    assert scores == sorted(scores, reverse=True)
    for idea in result.consensus:
        assert min(idea.group_votes) >= MIN_GROUP_VOTES
        assert min(idea.group_share) > 0.5 and min(idea.group_z) > opinions.Z_90
    # The array form agrees with the list, and nothing else is scored.
    assert set(np.flatnonzero(np.isfinite(result.consensus_agree))) == set(found)


def test_what_divides_opinion_is_the_planted_splits(default):
    planted, result = default
    top = [idea.col for idea in result.division[:10]]
    assert len(set(top) & set(planted.splitting.tolist())) >= 7
    for idea in result.division:
        assert idea.gap >= consensus.DIVISION_MIN_GAP and idea.z > opinions.Z_90
        assert idea.group_share[idea.most] - idea.group_share[idea.least] == pytest.approx(
            idea.gap, abs=1e-5
        )
    # No planted consensus idea divides the groups.
    assert not set(planted.consensus.tolist()) & {idea.col for idea in result.division}


def test_ideas_people_are_split_on_is_a_separate_group_blind_list(default):
    planted, result = default
    assert result.split, "the undecided ideas are split about evenly"
    for idea in result.split:
        assert idea.smaller_share >= consensus.SPLIT_MIN_SHARE
        assert idea.agree + idea.disagree >= consensus.SPLIT_MIN_VOTES
    assert not set(planted.consensus.tolist()) & {idea.col for idea in result.split}


def test_representative_ideas_are_selected_as_polis_does(default):
    planted, result = default
    sides = {int(c): planted.sides[:, i] for i, c in enumerate(planted.splitting)}
    # Found group -> planted group, by majority of members.
    planted_of = [
        np.bincount(planted.group[result.group_of == g]).argmax() for g in range(result.n_groups)
    ]
    directions = set()
    for g, picked in enumerate(result.representative):
        assert 0 < len(picked) <= representative.REPRESENTATIVE_PER_GROUP
        assert picked[0].best_agree and picked[0].direction == "agree"
        kinds = [item.direction for item in picked]
        assert kinds == sorted(kinds)  # agrees before disagrees
        for item in picked:
            directions.add(item.direction)
            assert item.votes >= MIN_GROUP_VOTES
            assert item.p_z > opinions.Z_90 and item.r_z > opinions.Z_90
            assert item.share > item.others_share
            if item.col in sides:  # a splitting idea: the group's planted side
                expected = "agree" if sides[item.col][planted_of[g]] > 0 else "disagree"
                assert item.direction == expected
    assert directions == {"agree", "disagree"}  # disagreements set groups apart too


def test_unstructured_votes_show_no_groups():
    for mean_votes, seed in ((40, 41), (15, 42), (10, 43)):
        result = analysed(unstructured_votes(mean_votes=mean_votes, seed=seed))
        assert not result.separation.distinct, (mean_votes, result.separation)
        assert result.n_groups == 1
        assert set(result.group_of[result.clustered]) == {0}
        assert result.representative == [[]]
        assert result.division == [] and result.consensus == []
        assert np.isnan(result.consensus_agree).all()
        assert not result.k_state.distinct


def test_a_vocal_minority_keeps_its_own_group_and_its_veto(vocal):
    planted, result = vocal
    assert result.n_groups == 3 and ari(planted, result) >= 0.8
    minority = planted.group == 2
    found = np.bincount(result.group_of[minority & result.clustered]).argmax()
    assert (result.group_of[minority & result.clustered] == found).mean() >= 0.9
    precision, recall = precision_recall(
        [idea.col for idea in result.consensus], planted.consensus.tolist()
    )
    assert precision >= 0.9 and recall >= 0.9, (precision, recall)
    # Ideas the two larger groups back and the minority rejects: a majority, not a consensus.
    vetoed = [
        int(c) for i, c in enumerate(planted.splitting) if tuple(planted.sides[:, i]) == (1, 1, -1)
    ]
    assert vetoed
    agree = np.bincount(planted.data.cols, weights=planted.data.values > 0, minlength=120)
    votes = np.bincount(planted.data.cols, minlength=120)
    majority = opinions.majority(agree, votes, np.ones(120, dtype=bool))
    for col in vetoed:
        assert np.isfinite(majority[col])
        assert col not in {idea.col for idea in result.consensus}
        assert col in {idea.col for idea in result.division}


def test_sparse_voting_makes_no_claim_on_thin_evidence():
    planted = planted_votes(mean_votes=20, seed=21)
    result = analysed(planted)
    assert result.separation.distinct and ari(planted, result) >= 0.75
    precision, recall = precision_recall(
        [idea.col for idea in result.consensus], planted.consensus.tolist()
    )
    assert precision >= 0.9 and recall >= 0.75, (precision, recall)
    for picked in result.representative:
        assert all(item.votes >= MIN_GROUP_VOTES for item in picked)
    top = {idea.col for idea in result.division[:10]}
    assert len(top & set(planted.splitting.tolist())) >= 7


def test_one_of_one_never_sets_a_group_apart():
    # Group 0 of 3,000 backs idea 0 "1 of 1" and idea 1 "2 of 2"; idea 2 by 600 of 1,000.
    agree = np.array([[1, 2, 600], [0, 0, 100]])
    disagree = np.array([[0, 0, 300], [1, 2, 850]])
    votes = np.array([[1, 2, 1000], [1, 2, 1000]])
    picked = representative.representative_ideas(agree, disagree, votes, np.ones(3, dtype=bool))
    assert [item.col for item in picked[0]] == [2]
    assert picked[0][0].count == 600 and picked[0][0].others_count == 100


def test_representative_numbers_in_words():
    item = representative.RepresentativeIdea(
        col=0,
        group=0,
        direction="agree",
        score=1.0,
        p=0.7,
        p_z=3.0,
        r=3.0,
        r_z=4.0,
        count=70,
        votes=100,
        others_count=21,
        others_votes=105,
    )
    assert representative.describe(item) == (
        "7 in 10 of this group agree, against 2 in 10 of everyone else"
    )
    assert representative.in_ten(0, 10) == "none" and representative.in_ten(10, 10) == "all"
    assert representative.in_ten(1, 30) == "fewer than 1 in 10"
    assert representative.in_ten(97, 100) == "more than 9 in 10"
    assert item["col"] == 0 and item["p"] == 0.7  # still reads like the first dicts


def test_consensus_bar_and_empty_list():
    live = np.ones(3, dtype=bool)
    # Idea 0: both groups agree; idea 1: one group at one half; idea 2: too few votes.
    agree = np.array([[40, 25, 4], [30, 20, 4]])
    votes = np.array([[50, 50, 4], [40, 25, 4]])
    listed = consensus.consensus_ideas(agree, votes - agree, votes, live)
    assert [idea.col for idea in listed] == [0]
    assert (
        consensus.consensus_ideas(agree[:, 1:], votes[:, 1:] - agree[:, 1:], votes[:, 1:], live[1:])
        == []
    )
    # One group is no group: no "every group agrees" list.
    assert consensus.consensus_ideas(agree[:1], votes[:1] - agree[:1], votes[:1], live) == []


def test_results_are_plain_json(default):
    _planted, result = default
    values = (
        result.consensus[:2] + result.division[:2] + result.split[:2] + result.representative[0]
    )
    text = json.dumps([value.as_dict() for value in values] + [result.separation.as_dict()])
    assert json.loads(text)[0]["side"] == "agree"


def test_letters_follow_the_previous_clustering(default):
    planted, result = default
    previous_base = [
        [x, y, size, group]
        for (x, y), size, group in zip(
            result.base_centres, result.base_sizes, result.base_groups, strict=True
        )
    ]
    # Give the previous groups other letters: the new groups take them.
    swap = np.array([2, 0, 1])
    swapped = [[x, y, s, int(swap[int(g)])] for x, y, s, g in previous_base]
    again = analysed(
        planted,
        previous_components=result.components,
        previous_k=result.k_state,
        previous=opinions.PreviousGroups.from_base(swapped),
    )
    assert np.array_equal(again.group_of[result.clustered], swap[result.group_of[result.clustered]])
    # Matching on the people themselves gives the same letters after more votes arrive.
    more = planted_votes(seed=14)  # same people, same votes...
    data = more.data
    keep = np.random.default_rng(5).random(data.values.size) < 0.95  # ...a few votes fewer
    fewer = opinions.VoteData(
        data.rows[keep], data.cols[keep], data.values[keep], data.n_participants, data.n_ideas
    )
    with threadpool_limits(limits=1):
        later = opinions.analyse(
            fewer,
            previous_components=result.components,
            previous_k=result.k_state,
            previous=opinions.PreviousGroups.from_base(previous_base, result.group_of),
        )
    both = result.clustered & later.clustered
    assert (later.group_of[both] == result.group_of[both]).mean() >= 0.95
