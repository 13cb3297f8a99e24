"""Browser fixtures: the app served on a free loopback port, one Chromium per session and one
fresh page per test.

The live server is the session ``app`` from ``tests/conftest.py``, so it shares the test
database (emptied before every test by the autouse ``db`` fixture) and the real SMTP server
(``mailbox``). While a browser test runs, the app's ``KIL_BASE_URL`` points at the live server
(so links in emails work) and CSRF protection is on (real forms carry their tokens).

When Chromium (or Java and the Nu Html Checker, or HTML_CodeSniffer) cannot be found, the
tests that need them fail, saying what to install: a check that was not run must never look
like one that passed. ``make test`` runs ``.ci/ensure-tools`` first, which installs them (as
root) or stops.
"""

from __future__ import annotations

import os
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from werkzeug.serving import make_server

PROJECT_ROOT = Path(__file__).resolve().parents[2]
VNU_JAR = PROJECT_ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
DESKTOP = {"width": 1024, "height": 768}

MISSING_MARK = "[browser checks not run]"


def find_chromium() -> str | None:
    """Debian's Chromium (or the one KIL_CHROMIUM names); Playwright's download is not used."""
    configured = os.environ.get("KIL_CHROMIUM")
    if configured:
        return configured if Path(configured).exists() else None
    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"):
        found = shutil.which(name)
        if found:
            return found
    return None


def find_vnu() -> list[str] | None:
    """The command that runs the Nu Html Checker, or None without Java or the jar."""
    java = shutil.which("java")
    if java is None or not VNU_JAR.exists():
        return None
    return [java, "-jar", str(VNU_JAR)]


def missing(tool: str, how_to_fix: str) -> None:
    """Fail (never skip) the tests that need a tool this machine does not have."""
    pytest.fail(
        f"{MISSING_MARK} {tool} not found: {how_to_fix} (or run `make test`, whose "
        ".ci/ensure-tools installs it as root)",
        pytrace=False,
    )


def pytest_collection_modifyitems(config, items):
    browser_dir = Path(__file__).parent
    for item in items:
        if browser_dir in item.path.parents:
            item.add_marker(pytest.mark.browser)


# --- the live server ---------------------------------------------------------------------


@pytest.fixture(scope="session")
def _server(app) -> Iterator[str]:
    server = make_server("127.0.0.1", 0, app, threaded=True)  # port 0: no race for a port
    port = server.port
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{port}"
    server.shutdown()
    thread.join(timeout=5)
    server.server_close()


@pytest.fixture
def live_server(app, _server) -> Iterator[str]:
    """The app's address, with email links pointing at it and CSRF protection on."""
    saved = {key: app.config.get(key) for key in ("KIL_BASE_URL", "WTF_CSRF_ENABLED")}
    app.config.update(KIL_BASE_URL=_server, WTF_CSRF_ENABLED=True)
    yield _server
    app.config.update(saved)


# --- the browser -------------------------------------------------------------------------


@pytest.fixture(scope="session")
def _playwright():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        yield playwright


@pytest.fixture(scope="session")
def browser(_playwright):
    executable = find_chromium()
    if executable is None:
        missing("Chromium", "install Debian's `chromium` package or set KIL_CHROMIUM")
    browser = _playwright.chromium.launch(
        executable_path=executable, headless=True, args=CHROMIUM_ARGS
    )
    yield browser
    browser.close()


@pytest.fixture
def new_page(browser, live_server):
    """Open more pages, each in its own context (its own cookies): ``new_page(js=False)``."""
    contexts = []

    def open_page(js: bool = True, viewport: dict | None = None):
        context = browser.new_context(
            base_url=live_server,
            java_script_enabled=js,
            viewport=viewport or DESKTOP,
            locale="en-GB",
            timezone_id="Europe/London",
        )
        context.set_default_timeout(10_000)
        contexts.append(context)
        page = context.new_page()
        page.on("pageerror", lambda error: page_errors.append(str(error)))
        return page

    page_errors: list[str] = []
    yield open_page
    for context in contexts:
        context.close()
    assert not page_errors, f"JavaScript errors in the page: {page_errors}"


@pytest.fixture
def page(new_page):
    """A fresh page (JavaScript on, desktop size) for this test."""
    return new_page()


@pytest.fixture(scope="session")
def htmlcs() -> None:
    """HTML_CodeSniffer's script, from the pinned npm package (put in pages by helpers)."""
    from tests.browser.helpers import HTMLCS_JS

    if not HTMLCS_JS.exists():
        missing("HTML_CodeSniffer", "run `npm ci` for node_modules/html_codesniffer")


@pytest.fixture(scope="session")
def vnu_command() -> list[str]:
    command = find_vnu()
    if command is None:
        missing(
            "Java or the Nu Html Checker",
            "install Java (`default-jre-headless`) and run `npm ci` for node_modules/vnu-jar",
        )
    return command
