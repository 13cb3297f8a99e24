"""Benchmark the exports: the demo's statement in every format, and the open data of a large
consultation (1,000,000 votes by default) streamed as CSV-in-ZIP and as JSON.

Builds a throw-away SQLite database under a temporary directory, loads the demo, starts and
publishes its statement, then adds a large consultation with bulk-inserted people, ideas and
votes. Prints each export's time and size, and the streaming exports' peak Python memory
(tracemalloc), which should stay flat however many votes there are.

    .venv/bin/python bench/export_bench.py [--ideas N] [--people N] [--votes N]
"""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
import tracemalloc
from datetime import timedelta
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def timed(label: str, make) -> None:
    start = time.perf_counter()
    result = make()
    size = len(result) if isinstance(result, bytes | str) else 0
    print(f"  {label:<34} {time.perf_counter() - start:7.2f} s  {size / 1024:9.1f} KB")


def streamed(label: str, make_chunks, trace: bool) -> None:
    """Consume a streaming export; with ``trace``, also its peak Python memory (tracemalloc
    slows it several times, so the time is taken in a separate, untraced run)."""
    start = time.perf_counter()
    size = sum(len(chunk) for chunk in make_chunks())
    elapsed = time.perf_counter() - start
    line = f"  {label:<34} {elapsed:7.2f} s  {size / 1024 / 1024:9.1f} MB"
    if trace:
        tracemalloc.start()
        for _chunk in make_chunks():
            pass
        _current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        line += f"  peak Python memory {peak / 1024 / 1024:.1f} MB"
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(line + f"  (process peak RSS so far {rss:.0f} MB)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--ideas", type=int, default=10_000)
    parser.add_argument("--people", type=int, default=50_000)
    parser.add_argument("--votes", type=int, default=1_000_000)
    parser.add_argument("--trace", action="store_true", help="also measure peak memory (slow)")
    args = parser.parse_args()

    from flask_migrate import upgrade
    from sqlalchemy import insert, text

    from kil_consult import create_app
    from kil_consult.accounts.models import Role, User
    from kil_consult.consultations.models import Consultation, Stage
    from kil_consult.demo import load_demo
    from kil_consult.exports import opendata
    from kil_consult.exports.files import statement_file, write
    from kil_consult.exports.statement import progress_document
    from kil_consult.extensions import db
    from kil_consult.ideas.models import Idea, Vote
    from kil_consult.statements import services
    from kil_consult.timeutil import utcnow

    workdir = Path(tempfile.mkdtemp(prefix="kil-export-bench-"))
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{workdir / 'bench.sqlite3'}",
            "SECRET_KEY": "bench-secret-key-that-is-long-enough-123",
        }
    )
    with app.app_context(), app.test_request_context():
        upgrade()
        load_demo()
        db.session.commit()
        process = db.session.scalars(db.select(Consultation)).first().process
        admin = db.session.scalar(db.select(User).where(User.role == Role.ADMIN))
        statement = services.start_from_summaries(process, admin)
        services.record_decision(statement, admin, "Cabinet", utcnow().date(), "Minute 1")
        services.add_signatory(statement, admin, "Leader", "Leader of the Council", utcnow().date())
        services.publish(statement, admin, override="Owners and dates follow in the next version")
        db.session.commit()
        version = statement.published_version
        print("The demo's statement:")
        for kind in ("docx", "pdf", "md", "html", "json"):
            timed(f"statement as {kind}", lambda k=kind: statement_file(statement, version, k))
        timed("progress report as docx", lambda: write(progress_document(statement), "docx"))
        timed("progress report as pdf", lambda: write(progress_document(statement), "pdf"))
        demo_consultation = process.consultations[0]
        streamed("open data (demo) as zip", lambda: opendata.csv_zip(demo_consultation), True)

        print(
            f"A large consultation: {args.ideas:,} ideas, {args.people:,} people, "
            f"{args.votes:,} votes"
        )
        start = time.perf_counter()
        big = Consultation(
            process_id=process.id,
            principle_number=7,
            slug="large",
            title="Large",
            question="?",
            explanation="",
            stage=Stage.CLOSED,
            closes_at=utcnow() - timedelta(days=1),
        )
        db.session.add(big)
        db.session.flush()
        first_user = (db.session.scalar(text("SELECT max(id) FROM users")) or 0) + 1
        db.session.execute(
            insert(User),
            [
                {
                    "email": f"bench{n}@example.org",
                    "display_name": f"Bench {n}",
                    "password_hash": "x",
                    "role": Role.RESIDENT,
                }
                for n in range(args.people)
            ],
        )
        first_idea = (db.session.scalar(text("SELECT max(id) FROM ideas")) or 0) + 1
        db.session.execute(
            insert(Idea),
            [
                {
                    "consultation_id": big.id,
                    "author_id": first_user + n % args.people,
                    "title": f"Idea {n}",
                    "body": "A generated idea for the benchmark.",
                }
                for n in range(args.ideas)
            ],
        )
        rng = np.random.default_rng(1)
        keys = np.unique(rng.integers(0, args.people * args.ideas, int(args.votes * 1.05)))
        keys = rng.permutation(keys)[: args.votes]
        now = utcnow()
        values = ("agree", "disagree", "pass")
        for chunk in np.array_split(keys, max(1, len(keys) // 100_000)):
            db.session.execute(
                insert(Vote),
                [
                    {
                        "idea_id": first_idea + int(k % args.ideas),
                        "user_id": first_user + int(k // args.ideas),
                        "value": values[int(k) % 3],
                        "created_at": now,
                        "updated_at": now,
                    }
                    for k in chunk
                ],
            )
        db.session.commit()
        print(f"  (made in {time.perf_counter() - start:.1f} s)")
        streamed("open data as zip of CSV", lambda: opendata.csv_zip(big), args.trace)
        streamed("open data as JSON", lambda: opendata.json_stream(big), args.trace)
        db.session.execute(text("SELECT 1"))
    print(f"(database left in {workdir}; delete it when done)")


if __name__ == "__main__":
    main()
