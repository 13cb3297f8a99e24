"""The layers of `kil_consult/`: who may import whom (README, "How the code is laid out").

Every module is parsed with `ast`, imports inside functions included, and each import is checked
against one table: a module may import its own layer and the layers below it, never a higher one,
and no two packages may import each other, directly or round a longer loop.
"""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "kil_consult"

# From the bottom. A name is a package or a module directly under kil_consult/; "kil_consult"
# itself is the app factory (kil_consult/__init__.py).
LAYERS: list[tuple[str, ...]] = [
    # 0. core: knows no area
    (
        "extensions",
        "config",
        "audit",
        "markdown",
        "markdown_lang",
        "urls",
        "timeutil",
        "forms",
        "jobs",
        "cache",
        "cache_store",
        "page_shells",
        "downloads",
        "errors",
        "security",
        "notifications",
        "disclosure",
    ),
    # 1. beside core: every permission rule; reads models (see POLICY_MAY_READ), calls no service
    ("policy",),
    # 2.-10. the areas: a consultation, the people taking part, the organisations they speak
    # for, what they follow and are told, their ideas, what moderators do with them, the
    # analysis, the statement
    ("consultations",),
    ("accounts",),
    ("organisations",),
    ("following",),
    ("ideas",),
    ("moderation", "questions"),
    ("analysis",),
    ("equality",),
    ("statements",),
    # 10. what reads every area: exports, the API, a person's data, and pages composed from
    # several areas (home, a consultation with its ideas, an organisation, the staff home)
    ("exports", "api", "network", "personal_data", "pages"),
    # 11. what puts the app together: create_app, the CLI, demo and load data, backups
    ("kil_consult", "cli", "demo", "loadgen", "backup"),
]

LAYER = {name: number for number, names in enumerate(LAYERS) for name in names}

# policy.py sits low but reads the facts on every area's models (never a service).
POLICY_MAY_READ = "models"

# Temporary, explicit exceptions: (importing module, imported module) -> why. Each names what
# removes it; delete the entry when that change is merged. Keep this short.
ALLOWED: dict[tuple[str, str], str] = {}


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _imports(path: Path) -> list[tuple[int, str]]:
    """(line, module) for every kil_consult module `path` imports when it runs.

    Imports under ``if TYPE_CHECKING:`` never run (they name a class for annotations only, and
    the ORM links models by name), so they are not counted.
    """
    module = _module_name(path)
    package = module.split(".") if path.name == "__init__.py" else module.split(".")[:-1]
    tree = ast.parse(path.read_text(), filename=str(path))
    skipped: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and _is_type_checking(node.test):
            skipped.update(id(child) for stmt in node.body for child in ast.walk(stmt))
    found = []
    for node in ast.walk(tree):
        if id(node) in skipped:
            continue
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            for alias in node.names:  # `from . import policy` imports the module kil_consult.policy
                candidate = ROOT.joinpath(*target.split("."), alias.name)
                if candidate.is_dir() or candidate.with_suffix(".py").exists():
                    found.append((node.lineno, f"{target}.{alias.name}"))
                else:
                    found.append((node.lineno, target))
    return [(line, name) for line, name in found if name.split(".")[0] == "kil_consult"]


def _unit(module: str) -> str:
    """The table's name for a module: its package under kil_consult/, or itself."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else parts[0]


def _graph() -> dict[str, list[tuple[int, str]]]:
    return {
        _module_name(path): _imports(path)
        for path in sorted(PACKAGE.rglob("*.py"))
        if "__pycache__" not in path.parts
    }


def _allowed(importer: str, imported: str) -> bool:
    if (importer, imported) in ALLOWED:
        return True
    if _unit(importer) == "policy" and imported.split(".")[-1] == POLICY_MAY_READ:
        return LAYER.get(_unit(imported), 0) > LAYER["policy"]
    return False


def test_every_package_and_module_has_a_layer():
    missing = sorted({_unit(module) for module in _graph()} - set(LAYER))
    assert not missing, f"Give these a place in LAYERS (and the README): {missing}"


def test_no_module_imports_a_higher_layer():
    wrong = []
    for importer, imports in _graph().items():
        for line, imported in imports:
            low, high = _unit(imported), _unit(importer)
            if LAYER.get(low, -1) > LAYER.get(high, -1) and not _allowed(importer, imported):
                wrong.append(f"{importer}:{line} imports {imported} ({low} is above {high})")
    assert not wrong, "Imports against the layers:\n" + "\n".join(wrong)


def test_policy_reads_models_only():
    wrong = [
        f"{module}:{line} imports {imported}"
        for module, imports in _graph().items()
        if _unit(module) == "policy"
        for line, imported in imports
        if LAYER[_unit(imported)] > LAYER["policy"]
        and imported.split(".")[-1] != POLICY_MAY_READ
        and not _allowed(module, imported)
    ]
    assert not wrong, "policy.py may read models, never a service:\n" + "\n".join(wrong)


def test_no_cycle_between_packages():
    edges: dict[str, set[str]] = defaultdict(set)
    for importer, imports in _graph().items():
        for _line, imported in imports:
            a, b = _unit(importer), _unit(imported)
            # policy's reads of models are by design (it sits low and reads every area's facts)
            if a != b and not _allowed(importer, imported) and a != "policy":
                edges[a].add(b)
    cycles = _cycles(edges)
    assert not cycles, "Packages that import each other: " + "; ".join(
        " -> ".join(cycle) for cycle in cycles
    )


def _cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Each strongly connected group of more than one package (Tarjan), as a list of names."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(edges.get(node, ())):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            group = []
            while True:
                item = stack.pop()
                on_stack.discard(item)
                group.append(item)
                if item == node:
                    break
            if len(group) > 1:
                groups.append(sorted(group))

    for node in sorted(edges):
        if node not in index:
            visit(node)
    return groups


def test_the_readme_gives_the_same_order():
    readme = (ROOT / "README.md").read_text()
    section = readme.split("## How the code is laid out", 1)[1]
    for names in LAYERS:
        for name in names:
            assert f"`{name}`" in section, f"README's layout section does not name `{name}`"


# Blueprint methods that change the whole app, not the blueprint's own pages.
APP_WIDE = {
    "app_template_filter",
    "app_template_global",
    "app_template_test",
    "app_context_processor",
}
APP_WIDE_ALLOWED: set[tuple[str, str]] = set()


def test_template_filters_and_globals_are_registered_in_create_app():
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        relative = path.relative_to(ROOT).as_posix()
        for node in ast.walk(ast.parse(path.read_text(), filename=relative)):
            if (
                isinstance(node, ast.Attribute)
                and node.attr in APP_WIDE
                and (relative, node.attr) not in APP_WIDE_ALLOWED
            ):
                found.append(f"{relative}:{node.lineno} {node.attr}")
    assert not found, "Register these in create_app, not on a blueprint:\n" + "\n".join(found)


def test_only_create_app_imports_a_routes_module():
    """Importing a blueprint must not be how something else gets registered or shared."""
    allowed = {
        # The summary views add their URLs to the statements blueprint (one area, two files).
        ("kil_consult.statements.summary_routes", "kil_consult.statements.routes"),
        # The search operation adds its URL to the open-data blueprint (one area, two files).
        ("kil_consult.api.search_routes", "kil_consult.api.routes"),
        # The follow buttons add their URLs to the pages blueprint (likewise).
        ("kil_consult.pages.follow", "kil_consult.pages.routes"),
        # The network returns add their URLs to the open-data blueprint (likewise).
        ("kil_consult.api.network_routes", "kil_consult.api.routes"),
        # Changing what one wrote, and workshop votes, add their URLs to the ideas blueprint.
        ("kil_consult.ideas.edit_routes", "kil_consult.ideas.routes"),
        ("kil_consult.ideas.workshop_routes", "kil_consult.ideas.routes"),
    }
    found = [
        f"{importer}:{line} imports {imported}"
        for importer, imports in _graph().items()
        for line, imported in imports
        if imported.endswith(".routes")
        and importer != "kil_consult"
        and (importer, imported) not in allowed
    ]
    assert not found, "Only create_app imports routes modules:\n" + "\n".join(found)
