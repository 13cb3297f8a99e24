"""Many processes at once, and a server killed mid-load: exact counts, one vote each, no lost
update, one idea per double click, every acknowledged vote kept, a database intact.

These run on the suite's database (SQLite file, or PostgreSQL with KIL_TEST_DATABASE_URL).
They are marked ``durability``: they run in ``make test`` and can be chosen or skipped with
``-m durability`` / ``-m "not durability"``.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import requests
from sqlalchemy import func, select

from kil_consult.accounts.models import Role
from kil_consult.ideas.models import Comment, Idea, Visibility, Vote, VoteValue
from tests import factories

from .workers import TEST_CONFIG, merge_while_voting, vote_and_post

pytestmark = pytest.mark.durability
PROJECT_ROOT = Path(__file__).resolve().parents[2]
PROCESSES = 4


def _assert_counts_exact(db) -> None:
    db.session.expire_all()
    for idea in db.session.scalars(select(Idea)):
        stored = dict(
            db.session.execute(
                select(Vote.value, func.count()).where(Vote.idea_id == idea.id).group_by(Vote.value)
            ).all()
        )
        assert (idea.agree_count, idea.disagree_count, idea.pass_count) == (
            stored.get(VoteValue.AGREE, 0),
            stored.get(VoteValue.DISAGREE, 0),
            stored.get(VoteValue.PASS, 0),
        ), idea
        comments = db.session.scalar(
            select(func.count()).where(
                Comment.idea_id == idea.id, Comment.visibility == Visibility.PUBLISHED
            )
        )
        assert idea.comment_count == comments, idea
    duplicates = db.session.execute(
        select(Vote.idea_id, Vote.user_id)
        .group_by(Vote.idea_id, Vote.user_id)
        .having(func.count() > 1)
    ).all()
    assert not duplicates


def _check_sqlite(db) -> None:
    if db.engine.dialect.name == "sqlite":
        with sqlite3.connect(db.engine.url.database) as connection:
            assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_many_processes_vote_change_votes_merge_and_post_at_once(app, db):
    consultation = factories.make_consultation()
    ideas = [factories.make_idea(consultation) for _ in range(3)]
    source, target = factories.make_idea(consultation), factories.make_idea(consultation)
    shared = [factories.make_user() for _ in range(3)]  # voting from every process at once
    own = [[factories.make_user() for _ in range(3)] for _ in range(PROCESSES)]
    author = factories.make_user()
    facilitator = factories.make_user(Role.FACILITATOR)
    for voter in shared:
        factories.make_vote(source, voter, VoteValue.AGREE)
    db.session.commit()
    url = db.engine.url.render_as_string(hide_password=False)
    idea_ids = [i.id for i in ideas] + [source.id, target.id]

    context = multiprocessing.get_context("spawn")
    start = context.Barrier(PROCESSES + 1)
    results = context.Queue()
    processes = [
        context.Process(
            target=vote_and_post,
            args=(
                url,
                n,
                [u.id for u in shared + own[n]],
                idea_ids,
                40,
                consultation.id,
                author.id,
                start,
                results,
            ),
        )
        for n in range(PROCESSES)
    ]
    processes.append(
        context.Process(
            target=merge_while_voting, args=(url, source.id, target.id, facilitator.id, start)
        )
    )
    for process in processes:
        process.start()
    reports = [results.get(timeout=240) for _ in range(PROCESSES)]
    for process in processes:
        process.join(timeout=60)
        assert process.exitcode == 0, f"a worker failed ({process.exitcode})"

    _assert_counts_exact(db)
    # One idea for the same submission sent by four processes at once.
    same = select(func.count()).where(
        Idea.author_id == author.id, Idea.title == "Same idea, clicked twice"
    )
    assert db.session.scalar(same) == 1
    # No lost update: a person's vote is the last one that process made for them; people voting
    # from every process at once end with one of the last votes made for them.
    stored = {(v.user_id, v.idea_id): v.value.value for v in db.session.scalars(select(Vote))}
    finals: dict[tuple[int, int], set[str]] = defaultdict(set)
    for _seed, last in reports:
        for key, value in last.items():
            finals[key].add(value)
    merged = db.session.get(Idea, source.id)
    assert merged.visibility is Visibility.MERGED
    for (user_id, idea_id), values in finals.items():
        if idea_id in (source.id, target.id):
            continue  # the merge moved votes between these two: counted above, exactly
        assert stored[(user_id, idea_id)] in values, (user_id, idea_id)
    _check_sqlite(db)


# --- a real server killed with SIGKILL in the middle of a vote load ---------------------------


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _start_server(url: str, port: int) -> subprocess.Popen:
    env = {
        **os.environ,
        "KIL_TEST_SERVER_DATABASE_URL": url,
        "KIL_SECRET_KEY": TEST_CONFIG["SECRET_KEY"],
        "KIL_RATELIMIT_ENABLED": "false",
    }
    server = subprocess.Popen(  # nosec B603 - a fixed command line, no shell
        [
            sys.executable,
            "-m",
            "gunicorn",
            "--workers",
            "2",
            "--threads",
            "4",
            "--bind",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
            "tests.security.workers:server_app()",
        ],
        cwd=PROJECT_ROOT,
        env=env,
        start_new_session=True,  # its own process group, so one killpg stops every worker
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if requests.get(f"http://127.0.0.1:{port}/healthz", timeout=1).ok:
                return server
        except requests.RequestException:
            time.sleep(0.2)
    os.killpg(server.pid, signal.SIGKILL)
    raise AssertionError("the server did not start")


def _sign_in(base: str, email: str) -> requests.Session:
    session = requests.Session()
    response = session.post(
        f"{base}/account/sign-in",
        data={"email": email, "password": factories.PASSWORD},
        allow_redirects=False,
        timeout=30,
    )
    assert response.status_code == 302, response.text[:300]
    return session


def test_votes_answered_with_success_survive_a_server_killed_mid_load(app, db):
    consultation = factories.make_consultation()
    ideas = [factories.make_idea(consultation) for _ in range(4)]
    voters = [factories.make_user() for _ in range(8)]
    db.session.commit()
    url = db.engine.url.render_as_string(hide_password=False)
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    server = _start_server(url, port)
    try:
        sessions = {v.id: _sign_in(base, v.email) for v in voters}
        idea_ids = [i.id for i in ideas]

        def vote_until_refused(user_id: int) -> list[tuple[int, str, bool]]:
            """Vote round and round; each entry says whether the answer was a success."""
            sent = []
            values = [v.value for v in VoteValue]
            for n in range(400):
                idea_id, value = idea_ids[n % len(idea_ids)], values[(n + user_id) % 3]
                try:
                    response = sessions[user_id].post(
                        f"{base}/ideas/{idea_id}/vote",
                        data={"value": value},
                        headers={"Accept": "application/json"},
                        timeout=10,
                    )
                    sent.append((idea_id, value, response.status_code == 200))
                except requests.RequestException:
                    sent.append((idea_id, value, False))
                    break  # the server is gone
            return sent

        with ThreadPoolExecutor(len(voters)) as pool:
            futures = {v.id: pool.submit(vote_until_refused, v.id) for v in voters}
            time.sleep(2.5)
            os.killpg(server.pid, signal.SIGKILL)  # mid-load, no chance to clean up
            server.wait(timeout=30)
            sent = {user_id: future.result(timeout=60) for user_id, future in futures.items()}
        acknowledged = sum(ok for votes in sent.values() for *_rest, ok in votes)
        assert acknowledged > 20, "the load did not get going before the kill"

        server = _start_server(url, port)
        assert requests.get(f"{base}/healthz", timeout=5).ok
        db.session.expire_all()
        stored = {(v.user_id, v.idea_id): v.value.value for v in db.session.scalars(select(Vote))}
        for user_id, votes in sent.items():
            for idea_id in idea_ids:
                mine = [(value, ok) for i, value, ok in votes if i == idea_id]
                acked = [n for n, (_value, ok) in enumerate(mine) if ok]
                if not acked:
                    continue
                # The last acknowledged vote, or a later one whose answer the kill cut off.
                possible = {mine[acked[-1]][0]} | {value for value, ok in mine[acked[-1] + 1 :]}
                assert stored.get((user_id, idea_id)) in possible, (user_id, idea_id)
        _assert_counts_exact(db)
        _check_sqlite(db)
        # The restarted server takes votes again.
        again = _sign_in(base, voters[0].email).post(
            f"{base}/ideas/{idea_ids[0]}/vote", data={"value": "pass"}, timeout=10
        )
        assert again.status_code in (200, 303)
    finally:
        try:
            os.killpg(server.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        server.wait(timeout=30)
