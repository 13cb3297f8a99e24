"""The question and indicator pages in a real browser: the accessibility bar of
``test_pages.py`` on every
sample of the questions' pages (and the pages that show questions), and a resident's journey
through the questions with JavaScript off."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser import pages
from tests.browser.helpers import (
    sample_problems,
    sign_in,
)

pytestmark = pytest.mark.browser

SHOWN_ON = {"analysis.results", "pages.consultation", "ideas.event", "statements.progress"}


def _ours(role: str) -> list[pages.Sample]:
    return [
        s
        for s in pages.samples_for("full", role)
        if s.endpoint.startswith(("questions.", "indicators.")) or s.endpoint in SHOWN_ON
    ]


@pytest.mark.parametrize("role", ["visitor", "resident", "facilitator", "admin"])
def test_question_pages_meet_the_accessibility_bar(new_page, db, vnu_command, htmlcs, role):
    world = pages.build_world("full")
    page = new_page()
    if role != "visitor":
        sign_in(page, world.emails[role])
    problems = sample_problems(page, _ours(role), world, role, vnu_command)
    assert not problems, "\n".join(problems)


def test_a_resident_answers_without_javascript(new_page, db):
    world = pages.build_world("full")
    page = new_page(js=False)
    sign_in(page, world.emails["resident"])
    page.goto(f"/consultations/{world.busy}")
    page.get_by_role("link", name="Carry on answering").click()
    page.get_by_role("button", name="Save and continue").click()
    expect(page.get_by_role("alert").filter(has_text="Select an answer")).to_be_visible()
    page.get_by_label("Word of mouth").check()
    page.get_by_role("button", name="Save and continue").click()
    page.get_by_label("Fairly well").check()
    page.get_by_role("button", name="Save and continue").click()
    expect(page.get_by_role("heading", name="Check your answers")).to_be_visible()
    expect(page.get_by_text("Word of mouth")).to_be_visible()
    page.get_by_role("link", name="Change How well").click()
    page.get_by_label("Very well").check()
    page.get_by_role("button", name="Save and check your answers").click()
    expect(page.get_by_text("Very well", exact=True)).to_be_visible()
