"""The project builds with the pinned backend and no deprecation warning (a fresh `make run`
must keep working after setuptools drops old metadata forms), and the load-data generator
handles empty tables."""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

from sqlalchemy import func, select

from kil_consult.accounts.models import User
from kil_consult.ideas.models import Comment, Idea, Vote
from kil_consult.loadgen import LOAD_DOMAIN, LoadSizes, generate

ROOT = Path(__file__).resolve().parent.parent

BUILD_METADATA = """
import sys, warnings
warnings.simplefilter("always")
from setuptools import build_meta
print(build_meta.prepare_metadata_for_build_wheel(sys.argv[1]))
"""


def test_pyproject_uses_an_spdx_licence_and_a_bounded_backend():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())
    assert project["project"]["license"] == "MIT"
    assert all((ROOT / name).is_file() for name in project["project"]["license-files"])
    (backend,) = [r for r in project["build-system"]["requires"] if r.startswith("setuptools")]
    assert ">=77" in backend and "<" in backend


def test_building_the_metadata_prints_no_deprecation_warning(tmp_path):
    result = subprocess.run(
        [sys.executable, "-c", BUILD_METADATA, str(tmp_path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    output = result.stdout + result.stderr
    assert "eprecat" not in output, output
    metadata = next(tmp_path.glob("*.dist-info")) / "METADATA"
    assert "License-Expression: MIT" in metadata.read_text()


def _generated(db, model, person) -> int:
    """How many rows of ``model`` the generated participants made (the demo has its own)."""
    load_people = select(User.id).where(User.email.like(f"%@{LOAD_DOMAIN}"))
    return db.session.scalar(select(func.count(model.id)).where(person.in_(load_people)))


def test_load_data_with_no_comments_and_no_votes(db):
    generate(LoadSizes(ideas=12, participants=5, votes=0, comments=0), echo=lambda _: None)
    assert _generated(db, Idea, Idea.author_id) == 12
    assert _generated(db, Vote, Vote.user_id) == 0
    assert _generated(db, Comment, Comment.author_id) == 0


def test_load_data_from_the_command_line_with_zero_comments(app, db):
    result = app.test_cli_runner().invoke(
        args=[
            "kil",
            "generate-load-data",
            "--ideas",
            "8",
            "--participants",
            "4",
            "--votes",
            "20",
            "--comments",
            "0",
        ]
    )
    assert result.exit_code == 0, result.output
    assert _generated(db, Vote, Vote.user_id) == 20
    assert _generated(db, Comment, Comment.author_id) == 0
