"""Benchmark search at 10,000 ideas and 20,000 comments, on SQLite (FTS5) and PostgreSQL
(full-text search over GIN indexes).

Fills a temporary SQLite database (and, with ``--postgres URL``, an empty PostgreSQL database
of your own, such as ``postgresql+psycopg://postgres@127.0.0.1/kil_bench_search``, which it
migrates and empties) with one consultation of realistic ideas and comments, then times the
whole search (ideas page, count, comments) for common words, rare words, two words and with
filters, and prints the median and 95th percentile. Goal: every search under 100 ms (p95).

    .venv/bin/python bench/search_bench.py [--ideas N] [--queries N] [--postgres URL]
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import insert, text  # noqa: E402

from kil_consult import create_app  # noqa: E402
from kil_consult.extensions import db  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
from similar_bench import fake_idea  # noqa: E402

SEARCHES = {
    "one common word": ["library", "bus", "park", "school", "market"],
    "one rare word": ["Crowborough", "Seaford", "clinic", "restore"],
    "two words": ["library families", "bus Hastings", "youth club", "food bank"],
    "no match": ["zebra", "helicopter"],
}


def fill(app, ideas: int, comments: int) -> tuple[object, int]:
    from kil_consult.ideas.models import Comment, Idea
    from tests import factories

    with app.app_context():
        consultation = factories.make_consultation()
        author = factories.make_user()
        neighbourhood = factories.make_neighbourhood("Benchtown")
        db.session.commit()
        rng = random.Random(7)
        rows = []
        for n in range(ideas):
            title, body = fake_idea(rng)
            rows.append(
                {
                    "consultation_id": consultation.id,
                    "author_id": author.id,
                    "title": title,
                    "body": body,
                    "neighbourhood_id": neighbourhood.id if n % 5 == 0 else None,
                }
            )
        db.session.execute(insert(Idea), rows)
        first = db.session.scalar(text("SELECT min(id) FROM ideas"))
        db.session.execute(
            insert(Comment),
            [
                {
                    "idea_id": first + rng.randrange(ideas),
                    "author_id": author.id,
                    "body": " ".join(fake_idea(rng))[:300],
                }
                for _ in range(comments)
            ],
        )
        db.session.commit()
        return consultation.id, neighbourhood.id


def time_searches(app, consultation_id: int, neighbourhood_id: int, queries: int) -> bool:
    from kil_consult.ideas.search import IdeaSearch, search

    met = True
    with app.app_context():
        cases = [*SEARCHES.items(), ("common word, one area", SEARCHES["one common word"])]
        for label, words in cases:
            timings = []
            for n in range(queries):
                wanted = IdeaSearch(
                    text=words[n % len(words)],
                    consultation_ids=[consultation_id],
                    neighbourhood_id=neighbourhood_id if "area" in label else None,
                )
                start = time.perf_counter()
                found = search(wanted, page=1 + n % 3)
                timings.append(time.perf_counter() - start)
                db.session.rollback()
            p95 = statistics.quantiles(timings, n=20)[-1]
            met = met and p95 < 0.1
            print(
                f"  {label:<24} median {statistics.median(timings) * 1000:7.1f} ms   "
                f"p95 {p95 * 1000:7.1f} ms   ({found.total:,} ideas match the last)"
            )
    return met


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--ideas", type=int, default=10_000)
    parser.add_argument("--comments", type=int, default=20_000)
    parser.add_argument("--queries", type=int, default=60)
    parser.add_argument("--postgres", help="an empty PostgreSQL database to use as well")
    args = parser.parse_args()
    from flask_migrate import upgrade

    targets = []
    folder = tempfile.TemporaryDirectory()
    targets.append(("SQLite (FTS5)", f"sqlite:///{folder.name}/bench.sqlite3"))
    if args.postgres:
        targets.append(("PostgreSQL (GIN)", args.postgres))
    met = True
    for label, url in targets:
        app = create_app({"SQLALCHEMY_DATABASE_URI": url, "TESTING": True})
        with app.app_context():
            upgrade()
            if url.startswith("postgresql"):
                db.session.execute(text("TRUNCATE ideas, comments, users, consultations CASCADE"))
                db.session.commit()
        ids = fill(app, args.ideas, args.comments)
        if url.startswith("postgresql"):
            with app.app_context():
                db.session.execute(text("ANALYZE"))
                db.session.commit()
        print(f"== {label}: {args.ideas:,} ideas, {args.comments:,} comments")
        met = time_searches(app, *ids, args.queries) and met
    folder.cleanup()
    print("goal (every search under 100 ms at the 95th percentile):", "met" if met else "NOT met")


if __name__ == "__main__":
    main()
