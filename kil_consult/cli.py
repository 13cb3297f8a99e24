"""The ``flask --app app kil ...`` commands an officer or an operator runs."""

from __future__ import annotations

import click
from flask.cli import with_appcontext
from sqlalchemy import select

from .extensions import db


@click.group()
def kil():
    """kil-consult administration commands."""


@kil.command("create-admin")
@click.argument("email")
@click.option("--name", default="Council admin", help="Name shown on the site.")
@click.password_option(help="Password (asked for if not given).")
@with_appcontext
def create_admin_command(email: str, name: str, password: str):
    """Create an admin account for EMAIL, or make that existing account an admin."""
    from .accounts.passwords import password_problem
    from .accounts.services import create_admin, find_by_email

    existing = find_by_email(email)
    if existing is None:
        problem = password_problem(password, email=email, display_name=name)
        if problem:
            raise click.BadParameter(problem, param_hint="password")
    user = create_admin(email, name, password)
    db.session.commit()
    click.echo(f"{user.email} is an admin.")


@kil.command("load-demo")
@click.option("--if-empty", is_flag=True, help="Only when the database has no council yet.")
@with_appcontext
def load_demo_command(if_empty: bool):
    """Load the East Sussex demo council, its six consultations and sample contributions."""
    from .consultations.models import Council
    from .demo import DEMO_ACCOUNTS, DEMO_PASSWORD, load_demo

    if if_empty and db.session.scalar(select(Council.id).limit(1)) is not None:
        click.echo("The database already has a council; demo not loaded.")
        return
    load_demo()
    db.session.commit()
    click.echo("Demo council loaded. Sign in with any of these accounts:")
    for email, role in DEMO_ACCOUNTS:
        click.echo(f"  {role:<22} {email:<34} password: {DEMO_PASSWORD}")


@kil.command("send-mail")
@with_appcontext
def send_mail_command():
    """Send every queued email that is due (failed sends are retried with a back-off)."""
    from .notifications.delivery import deliver, due_message_ids

    total = 0
    while ids := due_message_ids(limit=100):
        sent = deliver(ids)
        total += sent
        if sent == 0:
            break
    click.echo(f"Sent {total} email(s).")


@kil.command("backup")
@click.argument("path", type=click.Path(dir_okay=False))
@click.option(
    "--portable",
    is_flag=True,
    help="Write the portable dump (restores into SQLite or PostgreSQL) even from SQLite.",
)
@with_appcontext
def backup_command(path: str, portable: bool):
    """Back up the whole database to PATH, safely while the app is running."""
    from .backup import BackupError, backup

    try:
        counts = backup(path, portable=portable)
    except BackupError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"Backed up {sum(counts.values())} rows in {len(counts)} tables to {path}.")


@kil.command("restore")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option("--replace", is_flag=True, help="Delete what the database holds first.")
@with_appcontext
def restore_command(path: str, replace: bool):
    """Restore the backup at PATH into the database (empty, or --replace)."""
    from .backup import BackupError, restore

    try:
        counts = restore(path, replace=replace)
    except BackupError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"Restored {sum(counts.values())} rows in {len(counts)} tables from {path}.")


@kil.command("purge")
@with_appcontext
def purge_command():
    """Remove personal data past its retention period (run it daily from cron)."""
    from flask import current_app

    from .personal_data.services import purge

    result = purge()
    db.session.commit()
    config = current_app.config
    click.echo(
        f"Deleted {result.unconfirmed_accounts} account(s) unconfirmed after "
        f"{config['KIL_UNCONFIRMED_DAYS']} days; erased {result.inactive_accounts} account(s) "
        f"unused for {config['KIL_RETENTION_DAYS']} days; deleted {result.emails} old email "
        "record(s)."
    )


@kil.command("repair-counts")
def repair_counts_command():
    """Rebuild who takes part in each consultation from the stored contributions."""
    from .ideas.participation import repair_participation

    counts = repair_participation()
    db.session.commit()
    for consultation_id, people in counts.items():
        click.echo(f"consultation {consultation_id}: {people:,} people taking part")


@kil.command("generate-load-data")
@click.option("--ideas", default=10_000, show_default=True, help="Ideas to create.")
@click.option("--participants", default=50_000, show_default=True, help="People to create.")
@click.option("--votes", default=1_000_000, show_default=True, help="Votes to create.")
@click.option("--comments", default=50_000, show_default=True, help="Comments to create.")
@click.option("--consultation", "slug", default="principle-1", show_default=True)
@click.option("--seed", default=2027, show_default=True, help="Random seed (same seed, same data).")
@with_appcontext
def generate_load_data_command(ideas, participants, votes, comments, slug, seed):
    """Fill one consultation with a county's worth of ideas, votes and comments (load tests).

    Loads the demo council first when the database is empty. Participants sign in as
    load-<n>@load.kil.example with the password load-password-2027.
    """
    from .loadgen import LoadSizes, generate

    sizes = LoadSizes(ideas=ideas, participants=participants, votes=votes, comments=comments)
    try:
        consultation = generate(sizes, consultation_slug=slug, seed=seed, echo=click.echo)
    except ValueError as exc:
        raise click.ClickException(str(exc)) from exc
    from .cache import forget_everything

    forget_everything()  # bulk inserts pass the ORM by: nothing cached before them is current
    click.echo(f"Done: {consultation.title} ({consultation.slug}).")


@kil.command("load-hub-demo")
@click.option(
    "--member",
    "members",
    multiple=True,
    default=("http://127.0.0.1:5000", "http://127.0.0.1:5002"),
    show_default=True,
    help="The base address of a member council's site (give it once per council).",
)
@with_appcontext
def load_hub_demo_command(members: tuple[str, ...]):
    """Set up a demo network hub (KIL_MODE=hub): its name, an admin and the member councils."""
    from .accounts.models import Role, User
    from .accounts.passwords import hash_password
    from .consultations.models import Council
    from .demo import DEMO_PASSWORD
    from .network import hub
    from .timeutil import utcnow

    if db.session.scalar(select(Council.id).limit(1)) is None:
        db.session.add(Council(name="Keep it Local Network", area_name="the network"))
        db.session.add(
            User(
                email="admin@hub.kil.example",
                display_name="Locality (network hub admin)",
                password_hash=hash_password(DEMO_PASSWORD),
                role=Role.ADMIN,
                email_confirmed_at=utcnow(),
            )
        )
    known = {m.base_url for m in hub.members()}
    for address in members:
        if hub.normalise_base_url(address) not in known:
            hub.register(address)
    db.session.commit()
    click.echo(f"Hub ready with {len(hub.members())} member councils. Sign in as")
    click.echo(f"  admin@hub.kil.example  password: {DEMO_PASSWORD}")


@kil.command("harvest")
@with_appcontext
def harvest_command():
    """Harvest every member council's network returns now (hub mode)."""
    from .network.tasks import harvest_members

    for status, count in sorted(harvest_members(everyone=True).items()):
        click.echo(f"{status}: {count}")
