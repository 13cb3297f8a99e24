"""Static checks the security work relies on: bounded dependencies, bandit in `make test`."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _requirements() -> list[str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    return project["dependencies"] + [
        r for extra in project["optional-dependencies"].values() for r in extra
    ]


def test_every_dependency_has_a_lower_and_an_upper_bound():
    loose = []
    for requirement in _requirements():
        spec = re.sub(r"^[A-Za-z0-9_.\-]+(\[[^\]]*\])?", "", requirement)
        pinned = "==" in spec
        if not pinned and not (">=" in spec and re.search(r"<(?!=)|<=", spec)):
            loose.append(requirement)
    assert not loose, f"Give these a lower and an upper bound: {loose}"


def test_make_test_runs_bandit_before_pytest():
    makefile = (ROOT / "Makefile").read_text()
    target = makefile.split("\ntest:", 1)[1].split("\n\n", 1)[0]
    assert "PYTEST := $(BIN)/pytest" in makefile  # the suite, in TEST_WORKERS processes
    assert "bandit" in target and target.index("bandit") < target.index("$(PYTEST)")
    assert "--severity-level medium" in target
