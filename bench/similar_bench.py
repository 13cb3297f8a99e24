"""Benchmark the similar-idea check on a consultation of 10,000 ideas.

Builds a temporary SQLite database with one consultation of realistic, repetitive ideas, then
prints: the time to build the TF-IDF index from scratch, the median and 95th-percentile time of
a check as a resident types (index warm), the time to add one new idea to the index, and the
same figures for the database query alone (the floor). Goal: a check under 100 ms.

    .venv/bin/python bench/similar_bench.py [--ideas N] [--queries N]
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

from sqlalchemy import func, insert, select  # noqa: E402

from kil_consult import create_app  # noqa: E402
from kil_consult.extensions import db  # noqa: E402

SUBJECTS = "library bus park school youth club food bank grant contract market hub clinic".split()
VERBS = "open fund protect expand keep improve support simplify share restore".split()
PLACES = "Hastings Eastbourne Lewes Rye Battle Uckfield Crowborough Seaford Newhaven".split()
EXTRAS = (
    "for families at weekends",
    "so older people are not isolated",
    "with local charities running it",
    "paid for by money saved on crisis services",
    "using empty council buildings",
    "with small local suppliers",
)


def fake_idea(rng: random.Random) -> tuple[str, str]:
    subject, verb, place = rng.choice(SUBJECTS), rng.choice(VERBS), rng.choice(PLACES)
    title = f"{verb.capitalize()} the {subject} in {place}"
    body = f"We should {verb} the {subject} in {place} {rng.choice(EXTRAS)}. " + " ".join(
        rng.choice(SUBJECTS + VERBS) for _ in range(rng.randint(10, 40))
    )
    return title, body


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--ideas", type=int, default=10_000)
    parser.add_argument("--queries", type=int, default=200)
    args = parser.parse_args()

    from flask_migrate import upgrade

    from kil_consult.ideas import similar
    from kil_consult.ideas.models import Idea
    from tests import factories

    with tempfile.TemporaryDirectory() as folder:
        app = create_app(
            {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder}/bench.sqlite3", "TESTING": True}
        )
        with app.app_context():
            upgrade()
            consultation = factories.make_consultation()
            author = factories.make_user()
            db.session.commit()
            rng = random.Random(7)
            rows = []
            for _ in range(args.ideas):
                title, body = fake_idea(rng)
                rows.append(
                    {
                        "consultation_id": consultation.id,
                        "author_id": author.id,
                        "title": title,
                        "body": body,
                    }
                )
            db.session.execute(insert(Idea), rows)
            db.session.commit()
            print(f"{args.ideas:,} ideas in one consultation")

            start = time.perf_counter()
            similar.index_for(consultation)
            print(f"  build the index from scratch      {time.perf_counter() - start:8.3f} s")

            texts = [" ".join(fake_idea(rng)) for _ in range(args.queries)]
            timings = []
            for text in texts:
                start = time.perf_counter()
                similar.similar_ideas(consultation, text)
                timings.append(time.perf_counter() - start)
            floor = []
            for _ in range(args.queries):
                start = time.perf_counter()
                db.session.execute(
                    select(func.count(Idea.id), func.max(Idea.id)).where(
                        Idea.consultation_id == consultation.id
                    )
                ).one()
                floor.append(time.perf_counter() - start)
            p95 = statistics.quantiles(timings, n=20)[-1]
            print(
                f"  check while typing, median        {statistics.median(timings) * 1000:8.1f} ms"
            )
            print(f"  check while typing, 95th pct      {p95 * 1000:8.1f} ms")
            print(f"  of which the freshness query      {statistics.median(floor) * 1000:8.1f} ms")

            title, body = fake_idea(rng)
            db.session.add(
                Idea(consultation_id=consultation.id, author_id=author.id, title=title, body=body)
            )
            db.session.commit()
            start = time.perf_counter()
            similar.similar_ideas(consultation, title)
            elapsed_ms = (time.perf_counter() - start) * 1000
            print(f"  first check after a new idea      {elapsed_ms:8.1f} ms")
            print("goal (check under 100 ms):", "met" if p95 < 0.1 else "NOT met")


if __name__ == "__main__":
    main()
