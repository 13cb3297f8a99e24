"""Downloads: the statement (Word, PDF, Markdown, HTML, JSON) and its JSON Schema, the
progress report, a consultation's "you said, we did" report and its open data, and the
equality impact assessment."""

from __future__ import annotations

import json

from flask import (
    Blueprint,
    Response,
    abort,
    redirect,
    render_template,
    request,
    stream_with_context,
    url_for,
)
from flask_login import current_user

from .. import policy
from ..consultations.models import Consultation
from ..consultations.services import consultation_by_slug, current_process
from ..extensions import db
from ..statements import services as statements
from . import opendata, prepared
from .files import statement_file, write
from .impact_assessment import impact_assessment_document
from .report import report_document
from .statement import progress_document, schema

bp = Blueprint("exports", __name__)

# The statement's downloads load the current process's statement (404 if none) for the rule.
_STATEMENT = {"load": statements.current_statement, "name": "statement"}

_BY_SLUG = {"id_arg": "slug", "lookup": consultation_by_slug, "name": "consultation"}
MIMETYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
    "md": "text/markdown; charset=utf-8",
    "html": "text/html; charset=utf-8",
    "json": "application/json",
    "zip": "application/zip",
}


def _prepared(what: str, subject_id: int, filename: str, kind: str, **options) -> Response:
    """Send the person to the page of a download the worker makes (queued once)."""
    download, new = prepared.request_download(
        what, subject_id, filename, kind, current_user, **options
    )
    token = download.token
    db.session.commit()
    if new:
        prepared.queue_build(download)
    return redirect(url_for("exports.prepared_download", token=token), code=303)


def _download(body, filename: str, kind: str) -> Response:
    return Response(
        body,
        mimetype=MIMETYPES[kind],
        headers={
            "Content-Disposition": f'attachment; filename="{filename}"',
            "X-Content-Type-Options": "nosniff",
        },
    )


@bp.route("/statement/download/<kind>")
@policy.requires("statement.view", **_STATEMENT)
def statement_download(statement, kind: str):
    if kind not in ("docx", "pdf", "md", "html", "json"):
        abort(404)
    visible = statements.visible_versions(statement, policy.can("statement.view_drafts", statement))
    number = request.args.get("version", type=int)
    if number is None:
        version = statements.public_version(statement) or (visible[-1] if visible else None)
    else:
        version = next((v for v in visible if v.number == number), None)
    if version is None:
        abort(404)
    name = f"keep-it-local-statement-v{version.number}.{kind}"
    if kind in ("docx", "pdf") and prepared.is_large(prepared.process_votes(statement)):
        staff = version not in statements.visible_versions(statement, False)  # a draft
        return _prepared("statement", statement.id, name, kind, version=version.number, staff=staff)
    return _download(statement_file(statement, version, kind), name, kind)


@bp.route("/statement/schema.json")
def statement_schema():
    response = Response(json.dumps(schema(), indent=2), mimetype="application/schema+json")
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response


@bp.route("/statement/progress/download/<kind>")
@policy.requires("progress.view", **_STATEMENT)
def progress_download(statement, kind: str):
    if kind not in ("docx", "pdf"):
        abort(404)
    name = f"keep-it-local-progress.{kind}"
    if prepared.is_large(prepared.process_votes(statement)):
        return _prepared("progress", statement.id, name, kind)
    return _download(write(progress_document(statement), kind), name, kind)


@bp.route("/who-took-part/impact-assessment.<kind>")
@policy.requires("who_took_part.view_process", load=current_process, name="process")
def impact_assessment(process, kind: str):
    """The equality impact assessment of the current process, as Word or PDF."""
    if kind not in ("docx", "pdf"):
        abort(404)
    document = impact_assessment_document(process)
    return _download(write(document, kind), f"equality-impact-assessment.{kind}", kind)


@bp.route("/consultations/<slug>/report.<kind>")
@policy.requires("report.download", **_BY_SLUG)
def report(consultation: Consultation, kind: str):
    if kind not in ("docx", "pdf"):
        abort(404)
    staff = policy.can("summary.view_drafts", consultation)
    name = f"you-said-we-did-{consultation.slug}.{kind}"
    if prepared.is_large(prepared.consultation_votes(consultation)):
        return _prepared("report", consultation.id, name, kind, staff=staff)
    return _download(write(report_document(consultation, staff=staff), kind), name, kind)


@bp.route("/consultations/<slug>/open-data.<kind>")
@policy.requires("opendata.download", **_BY_SLUG)
def open_data(consultation: Consultation, kind: str):
    name = f"open-data-{consultation.slug}.{kind}"
    if kind in ("zip", "json") and prepared.is_large(prepared.consultation_votes(consultation)):
        return _prepared("open-data", consultation.id, name, kind)
    if kind == "zip":
        body = opendata.csv_zip(consultation)
    elif kind == "json":
        body = opendata.json_stream(consultation)
    else:
        abort(404)
    return _download(stream_with_context(body), name, kind)


_PREPARED = {"id_arg": "token", "lookup": prepared.download_by_token, "name": "download"}


@bp.route("/downloads/<token>")
@policy.requires("download.fetch", **_PREPARED)
def prepared_download(download):
    """The page a person waits on while the worker makes their download: its real state,
    refreshing itself (no script needed) until the file is ready."""
    return render_template("exports/prepared.html", download=download)


@bp.route("/downloads/<token>/file")
@policy.requires("download.fetch", **_PREPARED)
def prepared_file(download):
    if download.state is not prepared.DownloadState.READY:
        return redirect(url_for("exports.prepared_download", token=download.token))
    response = Response(download.content, mimetype=download.mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{download.filename}"'
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response
