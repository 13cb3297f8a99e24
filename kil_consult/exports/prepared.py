"""Large downloads made by the job queue, never in a web worker.

Open data, the consultation report and the statement (and its progress report) as Word or PDF
are made in the request when they are small. Above ``KIL_DOWNLOAD_INLINE_VOTES`` votes the
download view asks for a ``PreparedDownload`` instead (``request_download``), queues the
``build_download`` job once the row is committed (``queue_build``) and sends the person to its
page, which shows the real state (waiting, being made with how far it has got, ready with a
link, or failed) and refreshes itself until the file is ready. The worker fills in the file,
reporting progress as it goes (``build``). A ready file is handed out again to whoever asks
for the same download within ``FRESH_FOR``; then it is made afresh from the data of that time.
"""

from __future__ import annotations

import io
import secrets
from collections.abc import Callable
from datetime import timedelta

from flask import current_app
from sqlalchemy import select, update

from ..consultations.models import Consultation
from ..extensions import db
from ..ideas.counts import counts_for
from ..timeutil import utcnow
from .models import DownloadState, PreparedDownload

FRESH_FOR = timedelta(minutes=10)  # a ready file is handed out again for this long
KEEP_FOR = timedelta(days=1)  # then it is deleted
MIMETYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
    "json": "application/json",
    "zip": "application/zip",
}

Progress = Callable[[float], None]


def is_large(vote_count: int) -> bool:
    """Whether a download over this many votes is made by the job queue."""
    return vote_count > current_app.config.get("KIL_DOWNLOAD_INLINE_VOTES", 100_000)


def consultation_votes(consultation: Consultation) -> int:
    """The votes a consultation's downloads carry (from the kept counts)."""
    return counts_for([consultation.id])[consultation.id].votes


def process_votes(statement) -> int:
    """The votes of every consultation of the statement's process (from the kept counts)."""
    ids = list(
        db.session.scalars(
            select(Consultation.id).where(Consultation.process_id == statement.process_id)
        )
    )
    return sum(c.votes for c in counts_for(ids).values())


def request_download(what: str, subject_id: int, filename: str, kind: str, user, **options):
    """The prepared download for this file: one already waiting or made within ``FRESH_FOR``
    (for the same file and the same staff or public version), else a new one, flushed and
    waiting for ``queue_build`` after the commit. Returns it and whether it is new."""
    staff = bool(options.get("staff"))
    for row in db.session.scalars(
        select(PreparedDownload)
        .where(
            PreparedDownload.what == what,
            PreparedDownload.subject_id == subject_id,
            PreparedDownload.filename == filename,
            PreparedDownload.state != DownloadState.FAILED,
            PreparedDownload.created_at > utcnow() - KEEP_FOR,
        )
        .order_by(PreparedDownload.created_at.desc())
    ):
        if (row.options or {}) != options or bool((row.options or {}).get("staff")) != staff:
            continue
        if row.waiting or (row.finished_at and row.finished_at > utcnow() - FRESH_FOR):
            return row, False
    row = PreparedDownload(
        token=secrets.token_urlsafe(24),
        what=what,
        subject_id=subject_id,
        options=options,
        filename=filename,
        mimetype=MIMETYPES[kind],
        requested_by_id=getattr(user, "id", None),
    )
    db.session.add(row)
    db.session.flush()
    return row, True


def queue_build(download: PreparedDownload) -> None:
    """Queue the job that makes the file (after the row is committed: the worker reads it)."""
    from .tasks import build_download

    build_download(download.id)


def download_by_token(token: str) -> PreparedDownload | None:
    """A prepared download by the token in its address (unguessable: 32 random characters)."""
    return db.session.scalar(select(PreparedDownload).where(PreparedDownload.token == token))


def _set_progress(download_id: int, fraction: float) -> None:
    """Save how far the file has got, in a transaction of its own (the page reads it while the
    build's own reading goes on)."""
    with db.engine.begin() as connection:
        connection.execute(
            update(PreparedDownload)
            .where(PreparedDownload.id == download_id)
            .values(progress=max(1, min(99, int(fraction * 100))))
        )


def build(download: PreparedDownload) -> bytes:
    """Make the file of a prepared download (the worker calls this), reporting progress."""
    last = [0.0]

    def progress(fraction: float) -> None:
        if fraction - last[0] >= 0.02:
            last[0] = fraction
            _set_progress(download.id, fraction)

    return BUILDERS[download.what](download.subject_id, download.options or {}, download, progress)


def _consultation(subject_id: int) -> Consultation:
    consultation = db.session.get(Consultation, subject_id)
    if consultation is None:
        raise LookupError(f"consultation {subject_id} is gone")
    return consultation


def _open_data(subject_id: int, options: dict, download, progress: Progress) -> bytes:
    from . import opendata

    consultation = _consultation(subject_id)
    counts = counts_for([consultation.id])[consultation.id]
    expected = max(1, counts.ideas + counts.votes + counts.comments)

    def rows(done: int) -> None:
        progress(done / expected)

    if download.filename.endswith(".zip"):
        body = opendata.csv_zip(consultation, on_rows=rows)
    else:
        body = (part.encode() for part in opendata.json_stream(consultation, on_rows=rows))
    buffer = io.BytesIO()
    for chunk in body:
        buffer.write(chunk)
    return buffer.getvalue()


def _kind(download) -> str:
    return download.filename.rsplit(".", 1)[-1]


def _report(subject_id: int, options: dict, download, progress: Progress) -> bytes:
    from .files import write
    from .report import report_document

    document = report_document(_consultation(subject_id), staff=bool(options.get("staff")))
    progress(0.5)
    return write(document, _kind(download))


def _statement(subject_id: int, options: dict, download, progress: Progress) -> bytes:
    from ..statements.models import Statement
    from .files import statement_file

    statement = db.session.get(Statement, subject_id)
    version = next((v for v in statement.versions if v.number == options.get("version")), None)
    if version is None:
        raise LookupError(f"statement version {options.get('version')} is gone")
    progress(0.2)
    return statement_file(statement, version, _kind(download))


def _progress_report(subject_id: int, options: dict, download, progress: Progress) -> bytes:
    from ..statements.models import Statement
    from .files import write
    from .statement import progress_document

    document = progress_document(db.session.get(Statement, subject_id))
    progress(0.5)
    return write(document, _kind(download))


BUILDERS = {
    "open-data": _open_data,
    "report": _report,
    "statement": _statement,
    "progress": _progress_report,
}


def purge_old_downloads() -> int:
    """Delete prepared downloads made more than ``KEEP_FOR`` ago; how many went."""
    result = db.session.execute(
        PreparedDownload.__table__.delete().where(PreparedDownload.created_at < utcnow() - KEEP_FOR)
    )
    return result.rowcount or 0


__all__ = [
    "DownloadState",
    "build",
    "download_by_token",
    "is_large",
    "purge_old_downloads",
    "queue_build",
    "request_download",
]
