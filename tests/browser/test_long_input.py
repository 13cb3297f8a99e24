"""No input can break the layout (issue 17): a resident posts a title that is one 120-character
word, a pasted URL and a long name through the real forms, and the list, idea, search and
activity pages still do not scroll sideways at 320 CSS pixels."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from kil_consult.consultations.models import Stage
from tests import factories
from tests.browser.helpers import reflow_problem, sign_in

pytestmark = pytest.mark.browser

LONG_WORD = "Pedestrianisation" * 7 + "X"  # 120 characters, no space to break at
URL = "https://www.example.gov.uk/services/transport/" + "a-very-long-path-segment-" * 6 + "end"


def test_long_words_and_urls_wrap_on_every_page_residents_post_to(page, db):
    factories.make_council()
    consultation = factories.make_process(stage=Stage.OPEN).consultations[0]
    # The longest name the sign-up form takes (60 characters), with no space in it.
    resident = factories.make_user(display_name=("Bartholomew" * 6)[:60])
    db.session.commit()
    assert len(LONG_WORD) == 120

    sign_in(page, resident.email)
    page.goto(f"/consultations/{consultation.slug}/ideas/new")
    page.get_by_label("Title of your idea").fill(LONG_WORD)
    page.get_by_label("Describe your idea").fill(f"See {URL} and {LONG_WORD} for cobbled lanes")
    page.get_by_role("button", name="Share your idea").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(LONG_WORD)
    page.get_by_label("Add a comment").fill(f"{LONG_WORD} {URL}")
    page.get_by_role("button", name="Post comment").click()
    expect(page.get_by_text("Your comment has been posted.")).to_be_visible()
    idea_path = page.url

    for path in (
        idea_path,
        f"/consultations/{consultation.slug}",
        "/search?q=cobbled",  # a word of the description (PostgreSQL keeps a URL whole)
        "/account/activity",
    ):
        page.goto(path)
        expect(page.get_by_text(LONG_WORD).first).to_be_visible()
        assert reflow_problem(page) is None, f"{path}: {reflow_problem(page)}"
        # user text says which way it runs (right-to-left names and ideas lay out right)
        assert page.locator("[dir=auto]").count() > 0, path
