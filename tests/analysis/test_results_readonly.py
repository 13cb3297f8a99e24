"""Reading results never writes: every GET view of results (the pages, every CSV download,
the open data and the API's results endpoints) sends no INSERT, UPDATE or DELETE.

Out-of-date results are not computed in the request either: the page queues the job and
shows the last result with its state.
"""

from __future__ import annotations

import re
from contextlib import contextmanager

from sqlalchemy import event

from kil_consult import jobs
from kil_consult.accounts.models import Role
from kil_consult.analysis import results
from kil_consult.analysis.tables import TABLES
from kil_consult.consultations.models import Stage
from kil_consult.extensions import db as _db
from kil_consult.statements import summaries
from kil_consult.timeutil import utcnow

from ..factories import make_consultation, make_user, make_vote
from .test_results import two_camps

WRITES = re.compile(r"^\s*(INSERT|UPDATE|DELETE)\b", re.IGNORECASE)


@contextmanager
def counting_writes():
    """Every INSERT, UPDATE and DELETE the app's database is sent inside the block."""
    seen: list[str] = []

    def before(conn, cursor, statement, parameters, context, executemany):
        if WRITES.match(statement):
            seen.append(statement.split("\n")[0])

    engine = _db.engine
    event.listen(engine, "before_cursor_execute", before)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", before)


@contextmanager
def queued_jobs_wait():
    """Jobs go to an in-memory queue that nobody works, as with a worker that is busy."""
    jobs.huey.immediate = False
    try:
        yield jobs.huey
    finally:
        jobs.huey.immediate = True


def _published_world(consultation):
    divided, common = two_camps(consultation, per_camp=8)
    facilitator = make_user(Role.FACILITATOR)
    summaries.save_draft(
        consultation,
        facilitator,
        "Overview",
        "",
        "",
        "",
        [summaries.FindingDraft("People agree.", [common[0].id])],
    )
    summaries.publish(consultation, facilitator, early_reason="Test data")
    # Closed as well, so the results are public on the pages, in the API and the open data.
    consultation.stage, consultation.closed_at = Stage.CLOSED, utcnow()
    _db.session.commit()
    return divided, common


def _result_gets(slug: str) -> list[str]:
    return [
        f"/consultations/{slug}/results",
        *(f"/consultations/{slug}/results/{table}.csv" for table in TABLES),
        f"/consultations/{slug}/summary",
        f"/consultations/{slug}/summary/versions",
        f"/consultations/{slug}/summary/versions/1",
        f"/consultations/{slug}/open-data.zip",
        f"/consultations/{slug}/open-data.json",
        f"/consultations/{slug}/report.docx",
        f"/api/v1/consultations/{slug}/results",
        f"/api/v1/consultations/{slug}/summary",
        f"/api/v1/consultations/{slug}/themes",
    ]


def test_no_get_view_of_results_writes(client, council, db, login_as):
    consultation = make_consultation()
    _published_world(consultation)
    results.recompute(consultation)
    _db.session.commit()
    login_as(Role.FACILITATOR)
    for url in _result_gets(consultation.slug):
        with counting_writes() as writes:
            response = client.get(url)
            response.get_data()  # streamed downloads run to the end inside the count
        assert response.status_code == 200, url
        assert writes == [], (url, writes)


def test_out_of_date_results_queue_a_job_and_the_request_still_writes_nothing(
    client, council, db, login_as
):
    consultation = make_consultation()
    divided, _common = _published_world(consultation)
    results.recompute(consultation)
    _db.session.commit()
    make_vote(divided[0], make_user(), "pass")
    _db.session.commit()
    login_as(Role.FACILITATOR)
    with queued_jobs_wait() as huey:
        for url in _result_gets(consultation.slug):
            with counting_writes() as writes:
                response = client.get(url)
                response.get_data()
            assert response.status_code == 200, url
            assert writes == [], (url, writes)
        assert huey.pending_count() == 1  # one job, however many pages asked
        page = client.get(f"/consultations/{consultation.slug}/results").get_data(as_text=True)
        assert "New votes have come in since" in page
        assert "A recomputation is queued (since" in page and "Check again" in page
        assert not results.current_results(consultation).current
        # The worker's turn: the job stores the new result.
        job = huey.dequeue()
        assert huey.execute(job) is True
    _db.session.expire_all()
    assert results.current_results(consultation).current


def test_the_page_says_what_the_job_queue_is_really_doing(app, client, council, db, login_as):
    """Issue 15: a large consultation's results never say "being computed" while nothing
    runs; they say what is queued or running, since when, or that nothing is."""
    consultation = make_consultation()
    divided, _common = _published_world(consultation)
    results.recompute(consultation)
    _db.session.commit()
    make_vote(divided[0], make_user(), "pass")
    _db.session.commit()
    login_as(Role.FACILITATOR)
    app.config["KIL_ANALYSIS_INLINE_VOTES"] = 0  # large: a page view queues nothing
    url = f"/consultations/{consultation.slug}/results"
    try:
        with queued_jobs_wait() as huey:
            page = client.get(url).get_data(as_text=True)
            assert huey.pending_count() == 0
            assert "New votes have come in since" in page
            assert "Nothing is recomputing them at the moment" in page
            assert "scheduled job every few minutes" in page and "Recompute now" in page
            assert "being recomputed" not in page and "queued" not in page
            assert results.claim(consultation)  # a worker has started
            _db.session.commit()
            page = client.get(url).get_data(as_text=True)
            assert "They are being recomputed now (started at" in page
            assert "Nothing is recomputing" not in page
    finally:
        app.config["KIL_ANALYSIS_INLINE_VOTES"] = 100_000
        results.release(consultation.id)
        _db.session.commit()


def test_recompute_now_queues_the_job(client, council, db, login_as):
    consultation = make_consultation()
    two_camps(consultation, per_camp=8)
    results.recompute(consultation)
    _db.session.commit()
    login_as(Role.FACILITATOR)
    url = f"/consultations/{consultation.slug}/results/recompute"
    with queued_jobs_wait() as huey:
        first = client.post(url, follow_redirects=True).get_data(as_text=True)
        again = client.post(url, follow_redirects=True).get_data(as_text=True)
        assert "The results are being recomputed" in first
        assert "already being recomputed" in again
        assert huey.pending_count() == 1


def test_results_and_services_modules_never_commit():
    """Only the job (``tasks.py``), the CLI and routes commit; workflows flush."""
    import ast
    from pathlib import Path

    package = Path(results.__file__).parent
    modules = [
        *(package / name for name in ("results.py", "payload.py", "participation.py")),
        *(package / name for name in ("ranking.py", "theme_services.py", "tables.py")),
        package.parent / "statements" / "summaries.py",
    ]
    for path in modules:
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Attribute) and node.attr == "commit":
                raise AssertionError(f"{path.name} line {node.lineno} commits")
