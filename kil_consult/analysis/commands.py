"""``flask --app app kil analyse``: recompute out-of-date results (run it from cron)."""

from __future__ import annotations

import dataclasses
import enum
import json
from datetime import datetime

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


def _plain(value):
    """A results value as JSON-able data: dataclasses and named tuples as objects, enums as
    their values, times in ISO 8601."""
    if dataclasses.is_dataclass(value):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, tuple) and hasattr(value, "_fields"):
        return {name: _plain(getattr(value, name)) for name in value._fields}
    if isinstance(value, dict):
        return {
            str(k.value if isinstance(k, enum.Enum) else k): _plain(v) for k, v in value.items()
        }
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, datetime):
        return value.isoformat()
    return value


def results_json(consultation: Consultation) -> str:
    """The consultation's results as JSON: the same ``ConsultationResults`` the pages read."""
    data = _plain(results.current_results(consultation))
    return json.dumps({"consultation": consultation.slug, **data}, indent=2, ensure_ascii=False)


@click.command("analyse")
@click.argument("slug_arg", metavar="[SLUG]", required=False)
@click.option("--slug", help="Only this consultation.")
@click.option(
    "--json", "as_json", is_flag=True, help="Print the consultation's results as JSON (needs SLUG)."
)
@with_appcontext
def analyse_command(slug_arg: str | None, slug: str | None, as_json: bool):
    """Recompute the results of every consultation whose votes changed since the last time."""
    slug = slug_arg or slug
    if as_json and not slug:
        raise click.UsageError("--json needs the consultation's SLUG")
    query = select(Consultation).where(Consultation.stage != Stage.DRAFT)
    if slug:
        query = query.where(Consultation.slug == slug)
    consultations = list(db.session.scalars(query))
    if slug and not consultations:
        raise click.ClickException(f"No open or closed consultation has the slug {slug!r}")
    for consultation, computed in analyse_stale(consultations):
        if as_json:
            click.echo(results_json(consultation))
            continue
        state = "recomputed" if computed else "up to date (or being computed)"
        click.echo(f"{consultation.slug}: {state}")
