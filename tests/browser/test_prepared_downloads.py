"""The page a person waits on for a large download, in each state, in a real browser: the
accessibility bar (axe, HTML_CodeSniffer, reflow at 320 px, Nu), "Check again" without
script, the page following the real state by itself with script, and screenshots at phone
and desktop width (in the test's temporary folder)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser import pages
from tests.browser.helpers import axe_violations, htmlcs_problems, reflow_problem, vnu_errors

pytestmark = pytest.mark.browser

STATES = ("queued", "running", "ready", "failed")


def test_the_download_page_meets_the_bar_in_every_state(
    app, db, new_page, vnu_command, htmlcs, tmp_path
):
    world = pages.build_world("full")
    documents, problems = {}, []
    for width in (375, 1280):
        page = new_page(viewport={"width": width, "height": 900})
        for state in STATES:
            response = page.goto(f"/downloads/download-{state}")
            assert response.status == 200
            documents[f"{state} at {width}"] = response.text()
            problems.extend(f"{state}: {line}" for line in axe_violations(page))
            problems.extend(f"{state}: {line}" for line in htmlcs_problems(page))
            if reflow := reflow_problem(page):
                problems.append(f"{state}: {reflow}")
            page.screenshot(path=str(tmp_path / f"download-{state}-{width}.png"), full_page=True)
    # With JavaScript off nothing reloads by itself (a time limit the person cannot control,
    # WCAG 2.2.1): "Check again" shows the new state, then the link once it is ready.
    page = new_page(js=False)
    page.goto("/downloads/download-running")
    assert page.locator('meta[http-equiv="refresh"]').count() == 0
    page.get_by_role("link", name="Check again").click()
    expect(page.get_by_text("about 40% done")).to_be_visible()
    page.goto("/downloads/download-ready")
    expect(page.get_by_role("link", name=f"Download open-data-{world.busy}.zip")).to_be_visible()
    for label, errors in vnu_errors(vnu_command, documents).items():
        problems.extend(f"{label}: {error}" for error in errors)
    assert not problems, "\n".join(problems)
    print(f"screenshots in {tmp_path}")


def test_with_script_the_page_follows_the_download_until_it_is_ready(app, db, page):
    pages.build_world("full")
    from kil_consult.exports.models import DownloadState, PreparedDownload
    from kil_consult.extensions import db as _db
    from kil_consult.timeutil import utcnow

    page.goto("/downloads/download-queued")
    expect(page.get_by_text("Waiting to start")).to_be_visible()
    row = _db.session.scalar(
        _db.select(PreparedDownload).where(PreparedDownload.token == "download-queued")
    )
    row.state, row.started_at, row.progress = DownloadState.RUNNING, utcnow(), 30
    _db.session.commit()
    page.get_by_text("about 30% done").wait_for(timeout=15_000)
    row.state, row.finished_at, row.content, row.size = DownloadState.READY, utcnow(), b"PK", 2
    _db.session.commit()
    page.get_by_role("link", name="Download").wait_for(timeout=15_000)
    expect(page.get_by_role("heading", name="Your download is ready")).to_be_visible()
