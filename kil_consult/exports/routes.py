"""Downloads: the statement (Word, PDF, Markdown, HTML, JSON) and its JSON Schema, the
progress report, a consultation's "you said, we did" report and its open data, and the
equality impact assessment."""

from __future__ import annotations

import json

from flask import Blueprint, Response, abort, request, stream_with_context

from .. import policy
from ..consultations.models import Consultation
from ..consultations.services import consultation_by_slug, current_process
from ..statements import services as statements
from . import opendata
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
    return _download(
        write(progress_document(statement), kind), f"keep-it-local-progress.{kind}", kind
    )


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
    document = report_document(consultation, staff=policy.can("summary.view_drafts", consultation))
    return _download(write(document, kind), f"you-said-we-did-{consultation.slug}.{kind}", kind)


@bp.route("/consultations/<slug>/open-data.<kind>")
@policy.requires("opendata.download", **_BY_SLUG)
def open_data(consultation: Consultation, kind: str):
    if kind == "zip":
        body = opendata.csv_zip(consultation)
    elif kind == "json":
        body = opendata.json_stream(consultation)
    else:
        abort(404)
    return _download(stream_with_context(body), f"open-data-{consultation.slug}.{kind}", kind)
