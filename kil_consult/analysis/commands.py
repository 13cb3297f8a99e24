"""``flask --app app kil analyse``: recompute out-of-date results (run it from cron)."""

from __future__ import annotations

import click
from flask.cli import with_appcontext
from sqlalchemy import select

from ..consultations.models import Consultation, Stage
from ..extensions import db
from . import results


def analyse_stale(consultations: list[Consultation]) -> list[tuple[Consultation, bool]]:
    """Recompute each consultation whose result is out of date, here and now, committing each
    (the command runs outside any request; a worker's job may be doing the same, so each
    consultation is claimed first)."""
    done = []
    for consultation in consultations:
        if not results.is_stale(consultation):
            done.append((consultation, False))
            continue
        claimed = results.claim(consultation)
        db.session.commit()  # others see the mark while this one computes
        if not claimed:
            done.append((consultation, False))
            continue
        try:
            results.recompute(consultation)
        except Exception:
            db.session.rollback()
            results.release(consultation.id)
            db.session.commit()
            raise
        db.session.commit()
        done.append((consultation, True))
    return done


@click.command("analyse")
@click.option("--slug", help="Only this consultation.")
@with_appcontext
def analyse_command(slug: str | None):
    """Recompute the results of every consultation whose votes changed since the last time."""
    query = select(Consultation).where(Consultation.stage != Stage.DRAFT)
    if slug:
        query = query.where(Consultation.slug == slug)
    for consultation, computed in analyse_stale(list(db.session.scalars(query))):
        state = "recomputed" if computed else "up to date (or being computed)"
        click.echo(f"{consultation.slug}: {state}")
