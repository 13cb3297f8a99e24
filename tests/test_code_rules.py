"""Rules read from the source: services flush and never commit; no file is too long to read."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "kil_consult"
MAX_LINES = 500

# Temporary, explicit exceptions (delete each when the change named is merged).
COMMITS_ALLOWED: set[tuple[str, str]] = set()
LONG_FILES_ALLOWED: set[str] = set()


def _python_files():
    return sorted(p for p in PACKAGE.rglob("*.py") if "__pycache__" not in p.parts)


def _is_service_or_results(path: Path) -> bool:
    """``services.py`` in any area, and any ``results`` module or package."""
    return path.name == "services.py" or path.stem == "results" or "results" in path.parts


def _commits(tree: ast.AST):
    """(function name, line) of every ``.commit()`` call, by the innermost enclosing function."""

    def walk(node, function):
        for child in ast.iter_child_nodes(node):
            name = function
            if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef):
                name = child.name
            if (
                isinstance(child, ast.Call)
                and isinstance(child.func, ast.Attribute)
                and child.func.attr == "commit"
            ):
                yield name, child.lineno
            yield from walk(child, name)

    yield from walk(tree, "<module>")


def test_services_and_results_never_commit():
    found = []
    for path in _python_files():
        if not _is_service_or_results(path):
            continue
        relative = path.relative_to(ROOT).as_posix()
        for function, line in _commits(ast.parse(path.read_text(), filename=relative)):
            if (relative, function) not in COMMITS_ALLOWED:
                found.append(f"{relative}:{line} in {function}()")
    assert not found, "Services flush; the route or command commits once:\n" + "\n".join(found)


def test_the_commit_check_finds_a_commit():
    source = "def f():\n    def g():\n        db.session.commit()\n"
    assert list(_commits(ast.parse(source))) == [("g", 3)]


def test_no_file_is_over_500_lines():
    long = []
    for path in _python_files():
        relative = path.relative_to(ROOT).as_posix()
        lines = len(path.read_text().splitlines())
        if lines > MAX_LINES and relative not in LONG_FILES_ALLOWED:
            long.append(f"{relative}: {lines} lines")
    assert not long, f"Split these by concern (at most {MAX_LINES} lines):\n" + "\n".join(long)
