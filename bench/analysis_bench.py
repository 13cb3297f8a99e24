"""Benchmark the opinion analysis on a county-scale consultation generated in numpy.

10,000 ideas, 50,000 participants, 1,000,000 votes (by default): prints the time and the peak
memory of the whole analysis (PCA, base clusters, groups, representative ideas, consensus,
Wilson ranking) and of each step. Goal: under 5 seconds and under 1 GB.

    .venv/bin/python bench/analysis_bench.py [--ideas N] [--participants N] [--votes N]
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import time
import tracemalloc
from dataclasses import dataclass
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from threadpoolctl import threadpool_limits  # noqa: E402

from kil_consult.analysis import opinions, themes  # noqa: E402
from tests.analysis.planted import AGREES, SPREAD  # noqa: E402  (the same odds and activity)

CAMPS = (0.5, 0.3, 0.2)  # the planted camps' shares of the participants
FIRST_SHOWN = 50  # ideas everyone is shown first


@dataclass(frozen=True)
class PlantedCamps:
    """The generated votes and the truth they were drawn from."""

    data: opinions.VoteData
    camp: np.ndarray  # each participant's planted camp
    consensus: np.ndarray  # ideas every camp agrees with (columns)


def synthetic_votes(n_ideas: int, n_participants: int, n_votes: int, seed: int = 1):
    """Three planted camps (half, three tenths and a fifth of the people) in a plane of
    opinion, at 90, 210 and 330 degrees; each idea points somewhere in that plane and each
    camp agrees with it as much as the idea points its way (agree 0.45 + 0.45 cos, disagree
    0.45 - 0.45 cos, pass 0.1), so no idea has every camp for it (the three cosines sum to
    zero) except the planted consensus ideas (1%), which every camp agrees with (0.8, 0.1,
    0.1, as ``tests/analysis/planted.py``). Heavy-tailed activity and uneven popularity, as on
    a real site; unique (participant, idea) pairs; 1% of ideas hidden (none of the consensus)."""
    rng = np.random.default_rng(seed)
    camp = rng.choice(len(CAMPS), size=n_participants, p=CAMPS)
    angles = np.radians([90.0, 210.0, 330.0])
    lean = np.cos(angles[:, None] - rng.uniform(0, 2 * np.pi, n_ideas)[None, :])
    profile = np.stack([0.45 + 0.45 * lean, 0.45 - 0.45 * lean, np.full_like(lean, 0.1)], -1)
    consensus = np.sort(rng.choice(n_ideas, max(1, n_ideas // 100), replace=False))
    profile[:, consensus] = AGREES
    # Heavy-tailed activity as in tests/analysis/planted.py (lognormal around the mean: a few
    # people vote a lot, a fifth on fewer than a third of the mean). Two thirds of each person's
    # votes go to the 50 ideas everyone is shown first (the first pages of the list), the rest
    # to any idea, prominent ones more often.
    mean = n_votes / n_participants
    activity = rng.lognormal(np.log(mean) - SPREAD**2 / 2, SPREAD, n_participants)
    counts = np.maximum(np.round(activity).astype(int), 1)
    core = min(FIRST_SHOWN, n_ideas)
    in_core = np.minimum((2 * counts + 2) // 3, core)
    shown = np.argsort(rng.random((n_participants, core)), axis=1)  # each person's order
    take = np.arange(core)[None, :] < in_core[:, None]
    core_rows = np.broadcast_to(np.arange(n_participants)[:, None], shown.shape)[take]
    rest_rows = np.repeat(
        np.arange(n_participants), np.round((counts - in_core) * 1.15).astype(int)
    )
    popularity = 1.0 / np.arange(1, n_ideas + 1) ** 0.8  # prominent ideas get more votes
    rest_cols = rng.choice(n_ideas, size=rest_rows.size, p=popularity / popularity.sum())
    rows = np.concatenate([core_rows, rest_rows])
    cols = np.concatenate([shown[take], rest_cols])
    keys = np.unique(rows.astype(np.int64) * n_ideas + cols)
    keys = np.sort(rng.permutation(keys)[:n_votes])
    rows, cols = (keys // n_ideas).astype(np.int64), (keys % n_ideas).astype(np.int64)
    chances = profile[camp[rows], cols]  # (votes, 3): agree, disagree, pass
    draw = rng.random(rows.size)
    values = np.where(
        draw < chances[:, 0], 1, np.where(draw < chances[:, 0] + chances[:, 1], -1, 0)
    ).astype(np.int8)
    zeroed = np.zeros(n_ideas, dtype=bool)
    hidden = rng.choice(np.setdiff1d(np.arange(n_ideas), consensus), n_ideas // 100, False)
    zeroed[hidden] = True  # 1% hidden ideas, none of them planted consensus
    data = opinions.VoteData(rows, cols, values, n_participants, n_ideas, zeroed)
    return PlantedCamps(data, camp, consensus)


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


def planted_found(planted: PlantedCamps, result: opinions.OpinionResult) -> tuple[float, float]:
    """How well the analysis found what was planted: the adjusted Rand index of the groups
    against the camps (over the people it clustered; 0 when it found no distinct groups) and
    the precision of "what every group agrees with" against the planted consensus ideas."""
    from sklearn.metrics import adjusted_rand_score

    clustered = result.clustered & (result.group_of >= 0)
    ari = 0.0
    if result.n_groups > 1 and clustered.any():
        ari = adjusted_rand_score(planted.camp[clustered], result.group_of[clustered])
    found = {item.col for item in result.consensus}
    precision = len(found & set(planted.consensus.tolist())) / len(found) if found else 0.0
    return float(ari), precision


def bench(args) -> None:
    planted = synthetic_votes(args.ideas, args.participants, args.votes)
    data = planted.data
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
    started, cpu_started = time.perf_counter(), time.process_time()
    result = run_all(data)
    total, cpu = time.perf_counter() - started, time.process_time() - cpu_started
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
    print(
        f"time: {total:.2f} s for the whole analysis (goal < 5 s); CPU time {cpu:.2f} s "
        f"(one thread; the difference is waiting for a CPU: load average "
        f"{os.getloadavg()[0]:.1f})"
    )
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
    ari, precision = planted_found(planted, result)
    found_ok = ari >= 0.8 and precision >= 0.8
    print(
        f"planted camps: groups match them at adjusted Rand index {ari:.3f} (must be >= 0.8); "
        f"'what every group agrees with' lists {len(result.consensus)} ideas, precision "
        f"{precision:.2f} against the {planted.consensus.size} planted consensus ideas (must "
        f"be >= 0.8) [{'found' if found_ok else 'NOT FOUND'}]"
    )
    fast = total < 5 and peak_rss < 1024
    print("goal met" if fast else "GOAL MISSED")
    if not found_ok:
        sys.exit("the analysis did not find the planted camps and consensus")


if __name__ == "__main__":
    main()
