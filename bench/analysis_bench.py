"""Benchmark the opinion analysis on a county-scale consultation generated in numpy.

10,000 ideas, 50,000 participants, 1,000,000 votes (by default): prints the time and the peak
memory of the whole analysis (PCA, base clusters, groups, representative ideas, consensus,
Wilson ranking) and of each step. Goal: under 5 seconds and under 1 GB.

    .venv/bin/python bench/analysis_bench.py [--ideas N] [--participants N] [--votes N]
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
import tracemalloc
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from threadpoolctl import threadpool_limits  # noqa: E402

from kil_consult.analysis import opinions, themes  # noqa: E402


def synthetic_votes(n_ideas: int, n_participants: int, n_votes: int, seed: int = 1):
    """Three camps with opinions on ideas plus noise; unique (participant, idea) pairs."""
    rng = np.random.default_rng(seed)
    camp = rng.integers(0, 3, n_participants)
    leaning = rng.choice([-1.0, 0.0, 1.0], size=(3, n_ideas), p=[0.3, 0.3, 0.4])
    # Heavy-tailed activity: a few people vote a lot, most a little.
    activity = rng.pareto(1.5, n_participants) + 1
    rows = rng.choice(n_participants, size=int(n_votes * 1.3), p=activity / activity.sum())
    popularity = 1.0 / np.arange(1, n_ideas + 1) ** 0.8  # early, prominent ideas get more votes
    cols = rng.choice(n_ideas, size=rows.size, p=popularity / popularity.sum())
    keys = np.unique(rows.astype(np.int64) * n_ideas + cols)
    keys = np.sort(rng.permutation(keys)[:n_votes])
    rows, cols = (keys // n_ideas).astype(np.int64), (keys % n_ideas).astype(np.int64)
    lean = leaning[camp[rows], cols]
    noise = rng.random(rows.size)
    values = np.where(noise < 0.15, 0, np.where(noise < 0.3, -np.sign(lean), np.sign(lean)))
    values = np.where(lean == 0, rng.choice([-1, 0, 1], rows.size), values).astype(np.int8)
    zeroed = np.zeros(n_ideas, dtype=bool)
    zeroed[rng.choice(n_ideas, n_ideas // 100, replace=False)] = True  # 1% hidden ideas
    return opinions.VoteData(rows, cols, values, n_participants, n_ideas, zeroed)


def synthetic_texts(n_ideas: int, seed: int = 2) -> list[str]:
    """Idea texts drawn from a few topics' vocabularies, with shared filler words."""
    rng = np.random.default_rng(seed)
    topics = [
        "bus route stop timetable village transport fares evening",
        "library opening hours books study space weekend",
        "youth club young people school holidays sport activities",
        "food bank pantry fresh produce market growers",
        "park green space trees benches playground litter",
        "local suppliers contracts small business social value procurement",
    ]
    filler = "local people community council more help need support area please".split()
    words = [t.split() for t in topics]
    return [
        " ".join(rng.choice(words[i % len(words)], 6).tolist() + rng.choice(filler, 4).tolist())
        for i in range(n_ideas)
    ]


def run_all(data: opinions.VoteData) -> opinions.OpinionResult:
    """Groups, consensus, then the ranking, divisive and majority lists the page shows."""
    result = opinions.analyse(data)
    agree = np.bincount(data.cols, weights=data.values > 0, minlength=data.n_ideas)
    disagree = np.bincount(data.cols, weights=data.values < 0, minlength=data.n_ideas)
    votes = np.bincount(data.cols, minlength=data.n_ideas)
    np.argsort(-opinions.wilson_lower_bound(agree, disagree), kind="stable")
    np.argsort(-opinions.divisiveness(agree, disagree), kind="stable")
    opinions.majority(agree, votes, ~data.zeroed)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ideas", type=int, default=10_000)
    parser.add_argument("--participants", type=int, default=50_000)
    parser.add_argument("--votes", type=int, default=1_000_000)
    parser.add_argument(
        "--threads", type=int, default=1, help="BLAS/OpenMP threads (the app uses 1)"
    )
    args = parser.parse_args()
    with threadpool_limits(limits=args.threads):
        bench(args)


def bench(args) -> None:
    data = synthetic_votes(args.ideas, args.participants, args.votes)
    print(
        f"analysis benchmark: {args.ideas:,} ideas x {args.participants:,} participants, "
        f"{data.values.size:,} votes"
    )
    baseline_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    opinions.analyse(
        opinions.VoteData(
            data.rows[:1000],
            data.cols[:1000],
            data.values[:1000],
            data.n_participants,
            data.n_ideas,
        )
    )  # warm imports

    steps = {}
    t = time.perf_counter()
    opinions.principal_components(data)
    steps["of which PCA (TruncatedSVD, randomized)"] = time.perf_counter() - t
    started = time.perf_counter()
    result = run_all(data)
    total = time.perf_counter() - started
    steps["whole analysis"] = total
    peak_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    # A second run under tracemalloc (slower, so not timed) measures the memory it allocates.
    tracemalloc.start()
    run_all(data)
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()

    for name, seconds in steps.items():
        print(f"  {name:<44} {seconds:6.2f} s")
    sizes = np.bincount(result.group_of[result.group_of >= 0])
    print(
        f"  groups found: {result.n_groups} (sizes {sizes.tolist()}), silhouettes "
        + ", ".join(f"k={k}: {v:.3f}" for k, v in sorted(result.silhouettes.items()))
    )
    print(f"  clustered participants: {int(result.clustered.sum()):,}")
    print(f"time: {total:.2f} s for the whole analysis (goal < 5 s)")
    print(
        f"peak memory: {peak / 2**20:.0f} MiB allocated by Python and numpy during the analysis"
        f"; process peak RSS {peak_rss:.0f} MiB (before: {baseline_rss:.0f} MiB; goal < 1 GB)"
    )
    texts = synthetic_texts(args.ideas)
    t = time.perf_counter()
    suggested = themes.suggest_themes(texts)
    print(
        f"suggested themes for {len(texts):,} ideas: {len(suggested)} themes in "
        f"{time.perf_counter() - t:.2f} s (computed on request, not part of the time above)"
    )
    ok = total < 5 and peak_rss < 1024
    print("goal met" if ok else "GOAL MISSED")


if __name__ == "__main__":
    main()
