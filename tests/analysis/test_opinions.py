"""The mathematics of ANALYSIS.md on votes with planted structure (no database)."""

from __future__ import annotations

import numpy as np
import pytest

from kil_consult.analysis import groups, opinions


def planted(n_per_camp=30, split=10, shared=6, noise=0.05, seed=3, hidden=()):
    """Two camps: they disagree with each other on ``split`` ideas and both agree on ``shared``.

    Camp A agrees with ideas 0..split-1 and disagrees with split..2*split-1; camp B the
    reverse. Everyone agrees with the last ``shared`` ideas. A few votes are flipped at random.
    """
    rng = np.random.default_rng(seed)
    n_ideas = 2 * split + shared
    rows, cols, values = [], [], []
    for person in range(2 * n_per_camp):
        camp = 1 if person < n_per_camp else -1
        for idea in range(n_ideas):
            if rng.random() < 0.1:
                continue  # not everyone votes on everything
            if idea < split:
                value = camp
            elif idea < 2 * split:
                value = -camp
            else:
                value = 1
            if rng.random() < noise:
                value = -value
            rows.append(person)
            cols.append(idea)
            values.append(value)
    zeroed = np.zeros(n_ideas, dtype=bool)
    zeroed[list(hidden)] = True
    return (
        opinions.VoteData(
            np.array(rows),
            np.array(cols),
            np.array(values, dtype=np.int8),
            2 * n_per_camp,
            n_ideas,
            zeroed,
        ),
        n_per_camp,
        split,
        shared,
    )


def test_two_camps_make_two_groups_and_the_shared_ideas_are_the_consensus():
    data, n, split, shared = planted()
    result = opinions.analyse(data)
    assert result.n_groups == 2
    camp_a, camp_b = result.group_of[:n], result.group_of[n:]
    assert len(set(camp_a)) == 1 and len(set(camp_b)) == 1 and camp_a[0] != camp_b[0]
    ranked = np.argsort(-np.nan_to_num(result.consensus_agree, nan=-1))
    n_ideas = data.n_ideas
    assert set(ranked[:shared]) == set(range(n_ideas - shared, n_ideas))
    # No divided idea passes the bar: one group or the other rejects it.
    assert np.isnan(result.consensus_agree[: 2 * split]).all()
    assert [idea.col for idea in result.consensus] == ranked[:shared].tolist()


def test_each_group_is_set_apart_by_the_ideas_it_alone_agrees_with():
    data, n, split, _shared = planted()
    result = opinions.analyse(data)
    group_a = result.group_of[0]
    picked = result.representative[group_a]
    assert 0 < len(picked) <= opinions.REPRESENTATIVE_PER_GROUP
    agrees = [item for item in picked if item["direction"] == "agree"]
    assert agrees and all(item["col"] < split for item in agrees)
    assert picked[: len(agrees)] == agrees  # agrees come first
    shared_cols = set(range(2 * split, data.n_ideas))
    assert not {item["col"] for item in picked} & shared_cols


def test_results_are_deterministic():
    data, *_ = planted()
    one, two = opinions.analyse(data), opinions.analyse(data)
    assert np.array_equal(one.group_of, two.group_of)
    assert np.allclose(one.positions, two.positions)


def test_a_hidden_idea_keeps_its_column_as_a_pass_for_everyone():
    data, n, split, shared = planted(hidden=[0])
    result = opinions.analyse(data)
    assert result.n_groups == 2
    assert np.allclose(result.components[:, 0], 0)  # it moves nobody
    assert np.isnan(result.consensus_agree[0])  # and is never ranked
    assert all(item["col"] != 0 for group in result.representative for item in group)


def test_sign_of_components_follows_the_previous_computation():
    data, *_ = planted()
    first = opinions.analyse(data)
    flipped = opinions.analyse(data, previous_components=-first.components)
    assert np.allclose(flipped.components, -first.components)
    assert np.allclose(flipped.positions, -first.positions)


def test_light_voters_are_not_clustered_unless_needed_to_reach_fifteen():
    rows = np.array([0] * 7 + [1] * 2 + [2] * 1)
    cols = np.array(list(range(7)) + [0, 1] + [0])
    data = opinions.VoteData(rows, cols, np.ones(10, dtype=np.int8), 3, 10)
    assert opinions.clustered_participants(data).tolist() == [True, True, True]  # topped up
    many = 20
    rows = np.concatenate([np.repeat(np.arange(many), 7), [many, many]])
    cols = np.concatenate([np.tile(np.arange(7), many), [0, 1]])
    data = opinions.VoteData(rows, cols, np.ones(rows.size, dtype=np.int8), many + 1, 10)
    chosen = opinions.clustered_participants(data)
    assert chosen[:many].all() and not chosen[many]


def test_group_count_changes_only_after_four_wins_in_a_row():
    state = opinions.KState(2)
    for _ in range(3):
        state = groups._hysteresis(state, 3, {2, 3})
        assert state.k == 2
    state = groups._hysteresis(state, 3, {2, 3})
    assert state.k == 3
    # A different winner in between starts the count again.
    state = opinions.KState(2, candidate=3, streak=3)
    assert groups._hysteresis(state, 4, {2, 3, 4}).streak == 1


def test_consensus_needs_enough_votes_in_every_group():
    agree = np.array([[1, 30], [1, 30]])
    votes = np.array([[1, 30], [1, 30]])
    c_agree, _ = opinions.consensus(agree, np.zeros_like(agree), votes, np.array([True, True]))
    assert np.isnan(c_agree[0]) and c_agree[1] == pytest.approx((31 / 32) ** 2)


def test_wilson_lower_bound_takes_uncertainty_into_account():
    bounds = opinions.wilson_lower_bound([1, 90, 0], [0, 10, 0])
    assert bounds[0] < bounds[1]  # one agree of one is less sure than 90 of 100
    assert bounds[1] == pytest.approx(0.8256, abs=1e-3)
    assert bounds[2] == 0


def test_divisiveness_prefers_many_votes_evenly_split():
    score = opinions.divisiveness([100, 5, 190], [100, 5, 10])
    assert score[0] > score[2] > score[1]


def test_majority_opinion():
    agree = np.array([40, 5, 20])
    votes = np.array([50, 50, 40])
    scores = opinions.majority(agree, votes, np.array([True, True, True]))
    assert scores[0] > 0 and np.isnan(scores[1]) and np.isnan(scores[2])


def test_tiny_and_empty_consultations_do_not_fail():
    empty = opinions.VoteData(
        np.zeros(0, dtype=int), np.zeros(0, dtype=int), np.zeros(0, dtype=np.int8), 0, 0
    )
    assert opinions.analyse(empty).n_groups == 0
    two = opinions.VoteData(np.array([0, 1]), np.array([0, 0]), np.array([1, -1]), 2, 1)
    result = opinions.analyse(two)
    assert result.group_agree.shape[1] == 1


def test_themes_gather_ideas_about_the_same_thing():
    from kil_consult.analysis.themes import suggest_themes

    texts = (
        [
            f"{w} for the bus routes and bus stops in the villages"
            for w in ("More", "Cheaper", "Later")
        ]
        + [f"{w} libraries and library opening hours" for w in ("Longer", "Weekend", "Evening")]
        + [f"{w} youth clubs for young people after school" for w in ("Open", "Fund", "Keep")]
    )
    themes = suggest_themes(texts)
    groups = sorted(sorted(theme.members) for theme in themes)
    assert groups == [[0, 1, 2], [3, 4, 5], [6, 7, 8]]
    names = " ".join(theme.name.lower() for theme in themes)
    assert "bus" in names and "librar" in names and "club" in names
    assert all(len(set(theme.terms)) == len(theme.terms) for theme in themes)


def test_too_few_ideas_give_no_themes():
    from kil_consult.analysis.themes import suggest_themes

    assert suggest_themes(["one idea", "two ideas"]) == []
