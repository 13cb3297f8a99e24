"""``flask --app app kil analyse``: recompute out-of-date results (run it from cron)."""

from __future__ import annotations

import click
from flask.cli import with_appcontext
from sqlalchemy import select

from ..consultations.models import Consultation, Stage
from ..extensions import db


@click.command("analyse")
@click.option("--slug", help="Only this consultation.")
@with_appcontext
def analyse_command(slug: str | None):
    """Recompute the results of every consultation whose votes changed since the last time."""
    from .services import analyse_stale

    query = select(Consultation).where(Consultation.stage != Stage.DRAFT)
    if slug:
        query = query.where(Consultation.slug == slug)
    for consultation, computed in analyse_stale(list(db.session.scalars(query))):
        state = "recomputed" if computed else "up to date (or being computed)"
        click.echo(f"{consultation.slug}: {state}")
