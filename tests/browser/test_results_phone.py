"""The results page on a phone (issue 14 point 6): idea titles wrap between words, not every
few letters. (Chart labels, at least the body text's size, are measured for every chart in
test_chart_labels.py.)"""

from __future__ import annotations

import pytest

from tests.browser import pages
from tests.browser.helpers import sign_in

pytestmark = pytest.mark.browser
NARROW = {"width": 320, "height": 740}


@pytest.fixture
def world(db):
    return pages.build_world("full")


def _measure(page) -> dict:
    return page.evaluate(
        """() => ({
          titles: [...document.querySelectorAll('table th[scope=row] a')].map((a) => {
            const words = a.textContent.trim().split(/\\s+/);
            const longest = Math.max(...words.map((w) => w.length));
            return {text: a.textContent, width: a.closest('th').getBoundingClientRect().width,
                    longest};
          }),
        })"""
    )


@pytest.mark.parametrize("who", ["facilitator", "visitor"])
def test_results_read_at_phone_width(new_page, world, who):
    page = new_page()
    if who != "visitor":
        sign_in(page, world.emails[who])
    page.set_viewport_size(NARROW)
    page.goto(f"/consultations/{world.closed}/results")
    found = _measure(page)
    for title in found["titles"]:
        # Wide enough for words to stay whole: at least ten characters of 16 px text.
        assert title["width"] >= 100, title
