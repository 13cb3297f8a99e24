"""Issue 17 in Chromium, as a resident on a phone meets it: voting through ten ideas one at a
time with the keyboard and without JavaScript, finding an idea by a word in it, and agreeing
with a similar idea instead of repeating it."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import func, select

from kil_consult.consultations.models import Stage
from kil_consult.ideas.models import Vote
from tests import factories
from tests.browser.helpers import sign_in

pytestmark = pytest.mark.browser
PHONE = {"width": 375, "height": 740}


@pytest.fixture
def consultation(db):
    factories.make_council()
    consultation = factories.make_process(stage=Stage.OPEN).consultations[0]
    for n in range(12):
        factories.make_idea(consultation, title=f"Idea number {n + 1}", body=f"Reason {n + 1}.")
    db.session.commit()
    return consultation


@pytest.mark.parametrize("js", [True, False], ids=["with JavaScript", "without JavaScript"])
def test_vote_through_ten_ideas_with_the_keyboard(new_page, db, consultation, js):
    resident = factories.make_user(display_name="Kim")
    db.session.commit()
    page = new_page(js=js)
    sign_in(page, resident.email)
    page.set_viewport_size(PHONE)
    page.goto(f"/consultations/{consultation.slug}")
    page.get_by_role("link", name="Vote on the ideas one at a time").click()
    expect(page.get_by_text("You have voted on 0 of 12 ideas shared by others.")).to_be_visible()
    answers = ["Agree", "Disagree", "Pass", "Skip for now"] * 3
    for n, answer in enumerate(answers[:10]):
        title = page.locator("legend h2").inner_text()
        button = page.get_by_role("button", name=answer, exact=True)
        button.focus()
        with page.expect_navigation():
            page.keyboard.press("Enter")
        if answer == "Skip for now":
            expect(page.get_by_text(f"Skipped: {title}.")).to_be_visible()
        else:
            expect(page.get_by_text(f"Your vote on “{title}” is recorded")).to_be_visible()
        assert page.locator("legend h2").inner_text() != title, n
    # ten answers, two of them skips: eight votes recorded
    expect(page.get_by_text("You have voted on 8 of 12 ideas shared by others.")).to_be_visible()
    db.session.expire_all()
    count = db.session.scalar(select(func.count(Vote.id)).where(Vote.user_id == resident.id))
    assert count == 8
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= PHONE["width"]


def test_find_an_idea_by_a_word_in_it(new_page, db, consultation):
    factories.make_idea(
        consultation, title="Bring back the mobile library", body="A van for the villages."
    )
    db.session.commit()
    page = new_page(viewport=PHONE)
    page.goto("/")
    page.get_by_role("button", name="Menu").click()  # the phone's menu
    page.get_by_role("link", name="Search", exact=True).click()
    page.get_by_label("Search ideas and comments").fill("villages")
    page.get_by_label("Search ideas and comments").press("Enter")
    expect(page.get_by_text("1 idea matches")).to_be_visible()
    page.get_by_role("link", name="Bring back the mobile library").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Bring back the mobile library")


def test_agree_with_a_similar_idea_instead(page, db, consultation):
    existing = factories.make_idea(
        consultation,
        title="Open the library on Sundays",
        body="A Sunday opening at the central library would let families use it.",
    )
    resident = factories.make_user()
    db.session.commit()
    sign_in(page, resident.email)
    page.goto(f"/consultations/{consultation.slug}/ideas/new")
    page.get_by_label("Title of your idea").fill("Sunday opening for the library")
    region = page.locator("[data-similar-region]")
    agree = region.get_by_role("button", name=re.compile("^Agree with Open the library on Sundays"))
    expect(agree).to_be_visible()
    agree.click()
    expect(page.get_by_text("Your vote is recorded: agree.")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text("Open the library on Sundays")
    db.session.refresh(existing)
    assert existing.agree_count == 1
