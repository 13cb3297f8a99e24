"""``flask --app app kil export ...``: the exports from the command line."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from flask.cli import with_appcontext


@click.group("export")
def export():
    """Export the statement, the progress report, a consultation report or open data."""


def _write(output: str | None, body, kind: str) -> None:
    if isinstance(body, str):
        body = body.encode("utf-8")
    if isinstance(body, bytes | bytearray):
        chunks = [body]
    else:
        chunks = (c.encode("utf-8") if isinstance(c, str) else c for c in body)
    if output in (None, "-"):
        if kind in ("docx", "pdf", "zip") and sys.stdout.isatty():
            raise click.UsageError("Give --output for a binary file.")
        for chunk in chunks:
            sys.stdout.buffer.write(chunk)
        return
    with Path(output).open("wb") as handle:
        for chunk in chunks:
            handle.write(chunk)
    click.echo(f"Wrote {output}", err=True)


def _statement():
    from ..statements.services import current_statement

    statement = current_statement()
    if statement is None or statement.latest is None:
        raise click.ClickException("There is no statement yet.")
    return statement


@export.command("statement")
@click.option(
    "--format",
    "kind",
    type=click.Choice(["docx", "pdf", "md", "html", "json"]),
    default="docx",
    show_default=True,
)
@click.option(
    "--version",
    "number",
    type=int,
    help="A version number (default: the published version, or else the latest).",
)
@click.option("--output", "-o", help="File to write (default: standard output).")
@with_appcontext
def export_statement(kind: str, number: int | None, output: str | None):
    """The statement as Word, PDF, Markdown, HTML or JSON."""
    from .files import statement_file

    statement = _statement()
    version = (
        statement.version(number) if number else (statement.published_version or statement.latest)
    )
    if version is None:
        raise click.ClickException(f"There is no version {number}.")
    _write(output, statement_file(statement, version, kind), kind)


@export.command("progress")
@click.option(
    "--format", "kind", type=click.Choice(["docx", "pdf"]), default="docx", show_default=True
)
@click.option("--output", "-o", help="File to write (default: standard output).")
@with_appcontext
def export_progress(kind: str, output: str | None):
    """The progress report on the statement's commitments."""
    from .files import write
    from .statement import progress_document

    _write(output, write(progress_document(_statement()), kind), kind)


def _consultation(slug: str):
    from ..consultations.services import consultation_by_slug

    consultation = consultation_by_slug(slug)
    if consultation is None:
        raise click.ClickException(f"No consultation at {slug}.")
    return consultation


@export.command("report")
@click.argument("slug")
@click.option(
    "--format", "kind", type=click.Choice(["docx", "pdf"]), default="docx", show_default=True
)
@click.option("--output", "-o", help="File to write (default: standard output).")
@with_appcontext
def export_report(slug: str, kind: str, output: str | None):
    """A consultation's "you said, we did" report (the latest draft if none is published)."""
    from .files import write
    from .report import report_document

    _write(output, write(report_document(_consultation(slug), staff=True), kind), kind)


@export.command("open-data")
@click.argument("slug")
@click.option(
    "--format", "kind", type=click.Choice(["zip", "json"]), default="zip", show_default=True
)
@click.option("--output", "-o", help="File to write (default: standard output).")
@with_appcontext
def export_open_data(slug: str, kind: str, output: str | None):
    """A consultation's ideas, votes, comments, events, themes and results, pseudonymised."""
    from . import opendata

    consultation = _consultation(slug)
    body = opendata.csv_zip(consultation) if kind == "zip" else opendata.json_stream(consultation)
    _write(output, body, kind)
