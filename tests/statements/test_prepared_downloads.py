"""Large downloads are made by the job queue: the person waits on a page that shows the real
state (waiting, being made, ready, failed), with "Check again" (and, with script, by itself),
and then links to the file; the page and the file follow the download's own rule."""

from __future__ import annotations

import re

import pytest

from kil_consult.exports import opendata, prepared
from kil_consult.exports.models import DownloadState, PreparedDownload
from kil_consult.exports.tasks import build_download
from kil_consult.extensions import db as _db

from ..worker_process import queue_on_disk, wait_until, worker
from .test_exports import _zip_tables, build_published


@pytest.fixture
def published(db):
    return build_published(db)


@pytest.fixture
def queued_downloads(app):
    """Every download counts as large: made by the job queue."""
    app.config["KIL_DOWNLOAD_INLINE_VOTES"] = 0
    yield
    app.config["KIL_DOWNLOAD_INLINE_VOTES"] = 100_000


def _token(response) -> str:
    assert response.status_code == 303, response.status_code
    return re.search(r"/downloads/([\w-]+)$", response.headers["Location"]).group(1)


def test_large_open_data_is_made_by_the_queue_then_handed_out(
    client,
    published,
    db,
    queued_downloads,
):
    consultation = published.process.consultations[0]
    token = _token(client.get(f"/consultations/{consultation.slug}/open-data.zip"))
    page = client.get(f"/downloads/{token}").get_data(as_text=True)
    assert "Your download is ready" in page and "Check again" not in page
    answer = client.get(f"/downloads/{token}/file")
    assert answer.status_code == 200 and answer.mimetype == "application/zip"
    assert f'filename="open-data-{consultation.slug}.zip"' in answer.headers["Content-Disposition"]
    tables = _zip_tables(answer.data)
    assert set(tables) == set(opendata.TABLES)
    assert len(tables["votes"]) == len(_zip_tables(prepared.build(_row(token)))["votes"])
    # Asked for again soon after: the same file, not a second one.
    assert _token(client.get(f"/consultations/{consultation.slug}/open-data.zip")) == token
    assert _db.session.scalar(_db.select(_db.func.count(PreparedDownload.id))) == 1


def _row(token: str) -> PreparedDownload:
    _db.session.expire_all()
    return prepared.download_by_token(token)


def test_the_page_shows_the_real_state_while_a_worker_process_makes_it(
    app,
    client,
    database_url,
    published,
    db,
    queued_downloads,
    tmp_path,
):
    consultation = published.process.consultations[0]
    queue_file = tmp_path / "jobs.sqlite3"
    with queue_on_disk(app, queue_file) as queue:
        token = _token(client.get(f"/consultations/{consultation.slug}/report.pdf"))
        assert queue.pending_count() == 1
        page = client.get(f"/downloads/{token}").get_data(as_text=True)
        assert "Waiting to start" in page
        # "Check again" without script (no reload the person cannot control); the script
        # follows the state by itself (tests/browser/test_prepared_downloads.py).
        assert f'href="/downloads/{token}"' in page and "Check again" in page
        assert 'data-state="queued"' in page
        # No file yet: the file's address sends the person back to the page.
        assert client.get(f"/downloads/{token}/file").status_code == 302
        with worker(app, database_url, queue_file) as process:
            assert wait_until(lambda: _row(token).state is DownloadState.READY, process)
        assert queue.pending_count() == 0
    page = client.get(f"/downloads/{token}").get_data(as_text=True)
    assert "Your download is ready" in page and 'data-state="ready"' in page
    answer = client.get(f"/downloads/{token}/file")
    assert answer.status_code == 200 and answer.data.startswith(b"%PDF")
    row = _row(token)
    assert row.progress == 100 and row.size == len(answer.data) and row.started_at


def test_a_download_that_fails_says_so(
    client,
    published,
    db,
    queued_downloads,
    monkeypatch,
):
    def broken(*args):
        raise RuntimeError("disk full")

    monkeypatch.setitem(prepared.BUILDERS, "open-data", broken)
    consultation = published.process.consultations[0]
    token = _token(client.get(f"/consultations/{consultation.slug}/open-data.json"))
    row = _row(token)
    # The first failure: waiting for its one retry (10 s later, on the worker), and saying so.
    assert row.state is DownloadState.QUEUED and row.error == "RuntimeError"
    build_download.call_local(row.id)  # the retry, run here; it fails again
    row = _row(token)
    assert row.state is DownloadState.FAILED and row.finished_at is not None
    page = client.get(f"/downloads/{token}").get_data(as_text=True)
    assert "could not be made" in page and "disk full" not in page
    # Asked for again: a new attempt, not the failed one.
    monkeypatch.undo()
    again = _token(client.get(f"/consultations/{consultation.slug}/open-data.json"))
    assert again != token and _row(again).state is DownloadState.READY


def test_a_staff_version_is_only_for_staff(
    client,
    login_as,
    published,
    db,
    queued_downloads,
):
    consultation = published.process.consultations[0]
    login_as(published.facilitator)
    token = _token(client.get(f"/consultations/{consultation.slug}/report.docx"))
    assert _row(token).options == {"staff": True}
    assert client.get(f"/downloads/{token}/file").status_code == 200
    client.post("/account/sign-out")
    login_as(published.resident)
    assert client.get(f"/downloads/{token}").status_code == 403
    assert client.get(f"/downloads/{token}/file").status_code == 403
    # The resident's own request makes the public version, a different file.
    mine = _token(client.get(f"/consultations/{consultation.slug}/report.docx"))
    assert mine != token and _row(mine).options == {"staff": False}
    assert client.get("/downloads/not-a-token").status_code == 404


def test_the_statement_and_its_progress_report_as_large_downloads(
    client, published, db, queued_downloads
):
    token = _token(client.get("/statement/download/docx"))
    row = _row(token)
    assert row.what == "statement" and row.options["staff"] is False
    answer = client.get(f"/downloads/{token}/file")
    assert answer.status_code == 200 and answer.data.startswith(b"PK")  # a Word file
    assert row.filename.startswith("keep-it-local-statement-v")
    progress = _token(client.get("/statement/progress/download/pdf"))
    answer = client.get(f"/downloads/{progress}/file")
    assert answer.status_code == 200 and answer.data.startswith(b"%PDF")
