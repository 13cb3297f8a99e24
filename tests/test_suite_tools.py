"""The suite never passes by luck or by leaving checks out: a browser check fails (never skips)
when Chromium is missing, and ``.ci/ensure-tools`` (run by ``make test``) stops with a clear
message and a non-zero exit when it may not install what is missing."""

from __future__ import annotations

import os
import shutil
import subprocess  # nosec B404 - fixed command lines, no shell
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_a_browser_check_fails_without_chromium(tmp_path):
    result = subprocess.run(  # nosec B603
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            "tests/browser/test_checks.py::test_a_focus_trap_is_caught",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        env={
            **os.environ,
            "KIL_CHROMIUM": str(tmp_path / "no-chromium-here"),
            "PYTHONPATH": str(ROOT),
        },
    )
    output = result.stdout + result.stderr
    assert result.returncode != 0, output
    assert ("1 failed" in output or "1 error" in output) and "skipped" not in output, output
    assert "Chromium not found" in output


def test_ensure_tools_stops_with_a_clear_message_when_it_may_not_install(tmp_path):
    bin_dir = tmp_path / "bin"  # a PATH with none of the tools, and not root
    bin_dir.mkdir()
    for tool in ("uname", "cut", "tr", "sed", "dirname", "seq", "sleep", "cat"):
        (bin_dir / tool).symlink_to(shutil.which(tool))
    (bin_dir / "id").write_text("#!/bin/sh\necho 1000\n")
    (bin_dir / "id").chmod(0o755)
    result = subprocess.run(  # nosec B603
        [shutil.which("bash"), str(ROOT / ".ci" / "ensure-tools")],
        capture_output=True,
        text=True,
        timeout=60,
        env={"PATH": str(bin_dir), "HOME": str(tmp_path)},
    )
    assert result.returncode == 1
    assert "chromium (Debian package: chromium)" in result.stderr
    assert "java (Debian package: default-jre-headless)" in result.stderr
    assert "sudo apt-get install" in result.stderr and "Nothing was tested" in result.stderr


def test_make_test_runs_ensure_tools_and_ci_runs_only_make_test_and_postgres():
    makefile = (ROOT / "Makefile").read_text()
    assert "test: install-dev tools" in makefile and "\t.ci/ensure-tools" in makefile
    ci = (ROOT / ".ci" / "run").read_text()
    assert "apt-get install -y -qq postgresql" in ci  # PostgreSQL is the only thing it adds
    assert "make test\n" in ci and "make test-postgres" in ci
    assert "chromium" not in ci and "npm" not in ci and "java" not in ci
