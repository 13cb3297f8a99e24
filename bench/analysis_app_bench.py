"""End to end: a consultation's analysis through the app (read the votes, compute, store) on the
data of ``kil generate-load-data``, as the worker's job runs it, and the worker's memory.

Separate from ``analysis_bench.py`` (the mathematics on votes generated in NumPy): this reads
the votes from the database. For each database URL given (default: the SQLite file below, which
is filled with ``kil generate-load-data`` if it has no votes yet) it prints the time to read the
votes into arrays, the time of the whole recomputation including storing the result, and the
peak memory (RSS) of the process. Then it starts ``flask kil worker`` and prints its RSS at
rest. Goal: under 5 s and 1 GB at 1,000,000 votes; a worker under 150 MB.

    .venv/bin/python bench/analysis_app_bench.py [--url sqlite:////tmp/kil-analysis.sqlite3] \\
        [--url postgresql+psycopg://postgres@127.0.0.1:5432/kil_bench]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_URL = "sqlite:////tmp/kil-analysis.sqlite3"

MEASURE = """
import json, resource, sys, time
from kil_consult import create_app
app = create_app({"SQLALCHEMY_DATABASE_URI": sys.argv[1], "KIL_JOBS_IMMEDIATE": True})
with app.app_context():
    from kil_consult.analysis import results
    from kil_consult.analysis.payload import load_votes
    from kil_consult.consultations.services import consultation_by_slug
    from kil_consult.extensions import db
    consultation = consultation_by_slug(sys.argv[2])
    started = time.perf_counter()
    data, _ideas, _people = load_votes(consultation)
    read = time.perf_counter() - started
    db.session.rollback()
    started = time.perf_counter()
    row = results.recompute(consultation)
    db.session.commit()
    total = time.perf_counter() - started
    print(json.dumps({"votes": int(data.values.size), "people": int(data.n_participants),
        "ideas": int(data.n_ideas), "read_s": read, "recompute_s": total,
        "groups": len(row.payload["groups"]),
        "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def _env(url: str) -> dict:
    return os.environ | {"PYTHONPATH": str(ROOT), "KIL_DATABASE_URL": url}


def _flask(url: str, *args: str) -> None:
    flask = str(Path(sys.executable).with_name("flask"))
    subprocess.run([flask, "--app", "app", *args], cwd=ROOT, env=_env(url), check=True)  # noqa: S603


def _has_votes(url: str) -> bool:
    probe = (
        "import sys; from kil_consult import create_app; from sqlalchemy import text;"
        "from kil_consult.extensions import db\n"
        "app = create_app({'SQLALCHEMY_DATABASE_URI': sys.argv[1]})\n"
        "with app.app_context():\n"
        "    try: print(db.session.execute(text('select count(*) from votes')).scalar())\n"
        "    except Exception: print(0)\n"
    )
    out = subprocess.run(  # noqa: S603
        [sys.executable, "-c", probe, url], cwd=ROOT, env=_env(url), capture_output=True, text=True
    )
    return int((out.stdout.strip().splitlines() or ["0"])[-1]) > 0


def measure(url: str, slug: str) -> dict:
    """One fresh process: read the votes, then the whole recomputation, and its peak RSS."""
    if not _has_votes(url):
        print(f"  filling {url} with kil generate-load-data (a few minutes)")
        _flask(url, "db", "upgrade")
        _flask(url, "kil", "generate-load-data", "--consultation", slug)
    out = subprocess.run(  # noqa: S603 - a fixed local command
        [sys.executable, "-c", MEASURE, url, slug],
        cwd=ROOT,
        env=_env(url),
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def _rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def worker_rss(url: str, queue: Path) -> float:
    """The RSS of ``flask kil worker`` once it is up and waiting for jobs."""
    flask = str(Path(sys.executable).with_name("flask"))
    env = _env(url) | {"KIL_JOBS_PATH": str(queue)}
    worker = subprocess.Popen(  # noqa: S603 - a fixed local command
        [flask, "--app", "app", "kil", "worker"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        time.sleep(8)
        return _rss_mb(worker.pid)
    finally:
        worker.terminate()
        worker.wait(timeout=30)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", action="append", help="A database URL (repeat for several).")
    parser.add_argument("--slug", default="principle-1")
    args = parser.parse_args()
    urls = args.url or [DEFAULT_URL]
    ok = True
    for url in urls:
        found = measure(url, args.slug)
        met = found["recompute_s"] < 5 and found["peak_mb"] < 1024
        ok &= met
        print(
            f"{url.split(':')[0]}: {found['votes']:,} votes, {found['people']:,} people, "
            f"{found['ideas']:,} ideas: votes read into arrays {found['read_s']:.2f} s; "
            f"whole recomputation stored {found['recompute_s']:.2f} s; "
            f"peak RSS {found['peak_mb']:.0f} MB; {found['groups']} group(s) "
            f"[{'goal met' if met else 'GOAL MISSED'}: < 5 s, < 1 GB]"
        )
    rss = worker_rss(urls[0], Path("/tmp") / f"kil-bench-jobs-{os.getpid()}.sqlite3")
    ok &= rss < 150
    print(f"worker (flask kil worker) RSS at rest: {rss:.0f} MB [goal < 150 MB]")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
