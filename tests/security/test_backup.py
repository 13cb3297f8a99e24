"""`kil backup` and `kil restore`: a round trip into a new, empty database loses nothing."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import pytest
from flask_migrate import upgrade
from sqlalchemy import create_engine, make_url, select, text

from kil_consult import create_app
from kil_consult.accounts.models import Role
from kil_consult.extensions import db as _db
from kil_consult.ideas.models import VoteValue
from kil_consult.ideas.votes import cast_vote
from kil_consult.moderation.models import ReportReason
from kil_consult.moderation.services import hide, merge, report
from kil_consult.organisations.models import MembershipStatus
from kil_consult.statements import summaries
from tests import factories


def _fill(db) -> None:
    """Some of everything: people, organisations, ideas, votes, comments, replies, a hidden
    idea, a merge, reports, a summary and audit events."""
    facilitator = factories.make_user(Role.FACILITATOR)
    people = [factories.make_user(display_name=f"Voter \u00e9\u00e8 {n}") for n in range(5)]
    consultation = factories.make_consultation()
    factories.make_neighbourhood("Northtown")
    organisation = factories.make_organisation(members=people[:2])
    factories.make_membership(organisation, people[3], MembershipStatus.INVITED)
    ideas = [
        factories.make_idea(
            consultation, people[n % 5], title=f"Idea {n}", body="Line\nbreak \u2603"
        )
        for n in range(6)
    ]
    for n, person in enumerate(people):
        for idea in ideas:
            cast_vote(idea, person, list(VoteValue)[(n + idea.id) % 3])
    top = factories.make_comment(ideas[0], people[1], body="A comment")
    factories.make_comment(ideas[0], people[2], body="A reply", parent=top)
    report(people[4], ReportReason.ABUSIVE, "Rude", idea=ideas[1])
    hide(ideas[2], facilitator, "Off topic")
    merge(ideas[5], ideas[4], facilitator)
    summaries.save_draft(consultation, facilitator, "Overview", "", "", "", [])
    db.session.commit()


def _snapshot(engine) -> dict:
    """Every row of every table, in primary-key order, as plain values."""
    tables = {}
    with engine.connect() as connection:
        for table in _db.metadata.sorted_tables:
            order = list(table.primary_key.columns) or list(table.columns)
            rows = connection.execute(select(table).order_by(*order)).all()
            tables[table.name] = [tuple(row) for row in rows]
    return tables


def _fresh_database_url(app_url: str, tmp_path: Path) -> str:
    url = make_url(app_url)
    if url.get_backend_name() == "sqlite":
        return f"sqlite:///{tmp_path / 'restored.sqlite3'}"
    name = f"{url.database}_restore"
    admin = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return url.set(database=name).render_as_string(hide_password=False)


def _second_app(app, url: str):
    config = {
        key: app.config[key]
        for key in ("TESTING", "SECRET_KEY", "WTF_CSRF_ENABLED", "MAIL_SERVER", "MAIL_PORT")
    }
    other = create_app({**config, "SQLALCHEMY_DATABASE_URI": url})
    return other


@pytest.mark.parametrize("portable", [False, True])
def test_backup_and_restore_into_a_new_database_lose_nothing(app, db, tmp_path, portable):
    _fill(db)
    before = _snapshot(db.engine)
    assert before["votes"] and before["ideas"] and before["comments"] and before["audit_events"]
    sqlite = db.engine.dialect.name == "sqlite"
    path = tmp_path / ("backup.sqlite3" if sqlite and not portable else "backup.json.gz")
    args = ["kil", "backup", str(path)] + (["--portable"] if portable else [])
    result = app.test_cli_runner().invoke(args=args)
    assert result.exit_code == 0, result.output
    assert "Backed up" in result.output

    restored_app = _second_app(app, _fresh_database_url(str(db.engine.url), tmp_path))
    with restored_app.app_context():
        if portable or not sqlite:
            upgrade()  # the portable dump goes into a database migrated to its revision
        result = restored_app.test_cli_runner().invoke(args=["kil", "restore", str(path)])
        assert result.exit_code == 0, result.output
        after = _snapshot(_db.engine)
        # A second restore refuses to overwrite what is there, unless asked.
        again = restored_app.test_cli_runner().invoke(args=["kil", "restore", str(path)])
        assert again.exit_code != 0 and "--replace" in again.output
        replaced = restored_app.test_cli_runner().invoke(
            args=["kil", "restore", str(path), "--replace"]
        )
        assert replaced.exit_code == 0, replaced.output
        assert _snapshot(_db.engine) == before
        if _db.engine.dialect.name == "sqlite":
            with sqlite3.connect(_db.engine.url.database) as check:
                assert check.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        # New rows still get fresh ids after a restore.
        person = factories.make_user()
        _db.session.commit()
        assert person.id > max(row[0] for row in before["users"])
        _db.session.remove()
        _db.engine.dispose()
    assert after == before


def test_restore_refuses_what_is_not_a_backup(app, tmp_path):
    bogus = tmp_path / "notes.txt"
    bogus.write_text("not a backup")
    result = app.test_cli_runner().invoke(args=["kil", "restore", str(bogus)])
    assert result.exit_code != 0 and "not a kil-consult backup" in result.output
    assert os.path.exists(bogus)
