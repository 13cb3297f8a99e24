"""Changing what one wrote, in Chromium (issue 17 item 4): the accessibility bar on the new
pages (a filtered run of ``test_pages``' checks on just their samples, and on the pages whose
styles changed with them), and a resident editing then withdrawing an idea at 375 px with the
keyboard."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests import factories
from tests.browser import pages
from tests.browser.helpers import (
    sample_problems,
    sign_in,
)

pytestmark = pytest.mark.browser

NEW = {
    "change your idea",
    "change your idea with mistakes",
    "withdraw your idea",
    "every version of an idea",
    "change your comment",
    "withdraw your comment",
    "every version of a comment",
    "change your email",
    "change your email with mistakes",
    "change your email, link broken",
    # restyled with them: following, notifications, import, the council's response
    "idea with comments",
    "notifications",
    "notification settings",
    "import ideas, ready to import",
    "give the council's response",
    # facilitators and workshop votes (issue 15)
    "facilitators of a consultation",
    "facilitators, one assigned",
    "workshop votes",
    "workshop votes with mistakes",
    "workshop votes recorded",
    "manage consultations",
}


def _groups() -> list[tuple[str, str]]:
    return sorted({(s.world, r) for s in pages.SAMPLES if s.name in NEW for r in s.roles})


@pytest.mark.parametrize(("world_kind", "role"), _groups(), ids=lambda v: v)
def test_new_pages_meet_the_accessibility_bar(app, db, page, vnu_command, htmlcs, world_kind, role):
    world = pages.build_world(world_kind)
    if role != "visitor":
        sign_in(page, world.emails[role])
    samples = [s for s in pages.samples_for(world_kind, role) if s.name in NEW]
    problems = sample_problems(page, samples, world, role, vnu_command)
    assert not problems, f"{len(problems)} problems:\n" + "\n".join(problems)


def test_a_resident_edits_then_withdraws_an_idea_on_a_phone(app, db, new_page):
    factories.make_council()
    consultation = factories.make_consultation()
    resident = factories.make_user(display_name="Rita")
    idea = factories.make_idea(consultation, resident, title="Bench by the pond", body="A bench.")
    factories.make_vote(idea)
    db.session.commit()
    page = new_page(viewport={"width": 1024, "height": 800})
    sign_in(page, resident.email)
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(f"/ideas/{idea.id}")
    page.get_by_role("link", name="Change your idea").click()
    expect(page.get_by_text("1 person has voted on your idea already")).to_be_visible()
    page.get_by_label("Title of your idea").fill("Two benches by the pond")
    page.get_by_label("Describe your idea").fill("Two benches, facing the water.")
    page.get_by_role("button", name="Save your changes").press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Two benches by the pond")
    expect(page.get_by_text(re.compile(r"\(edited \d+ \w+ \d{4}\)")).first).to_be_visible()
    expect(page.get_by_text("after 1 vote")).to_be_visible()
    page.get_by_role("link", name="Withdraw your idea").click()
    page.get_by_role("button", name="Withdraw my idea").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Withdrawn idea")
    expect(page.get_by_text("Withdrawn by the person who shared it")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
