"""Chart labels keep their size (issue 21): on a screen 320 pixels wide every word and figure
of every chart on a web page is at least as big as the page's body text, stays on the screen,
and grows when only the text is made bigger (the root font size doubled, as a browser's text
size setting does). A label drawn in a scaled SVG fails both: it shrinks with the chart, and
the chart's scale does not follow the text size.

The charts' pages also meet the accessibility bar here (axe, HTML_CodeSniffer, reflow, the Nu
checker), so they can be checked on their own; test_pages.py runs the whole registry.
Set KIL_SCREENSHOTS to a folder to save each chart at 375 and 1280 pixels wide."""

from __future__ import annotations

import os

import pytest
from sqlalchemy import select

from kil_consult.consultations.models import Consultation
from kil_consult.extensions import db as _db
from tests import factories
from tests.browser import pages
from tests.browser.helpers import (
    sample_problems,
    sign_in,
)

pytestmark = pytest.mark.browser
NARROW = {"width": 320, "height": 740}
SHOTS = os.environ.get("KIL_SCREENSHOTS", "")

# Every chart of the web pages, by the id of its title.
CHARTS = {
    "votes over time": "chart-days-title",
    "neighbourhoods' shares": "chart-places-title",
    "opinion groups": "chart-groups-title",
    "a question's answers": "q1-chart-title",
    "participation map": "map-title",
    "a characteristic's shares": "chart-age_band-title",
    "an indicator's trend": "chart-indicator-{indicator}-title",
}

# Each chart's words and figures as drawn: the font size on screen (for SVG text, its font
# size times the SVG's scale), where it starts and ends, and the body text's size.
MEASURE = """() => {
  const body = parseFloat(getComputedStyle(document.querySelector('p.govuk-body')).fontSize);
  const labels = [];
  for (const chart of document.querySelectorAll('.app-chart')) {
    const title = chart.querySelector('[id$="-title"]');
    const walker = document.createTreeWalker(chart, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const el = node.parentElement;
      if (!node.textContent.trim() || el.closest('title, desc, [hidden]')) continue;
      const range = document.createRange();
      range.selectNodeContents(node);
      const box = range.getBoundingClientRect();
      if (box.width <= 1 || box.height <= 1) continue;  // not drawn (visually hidden)
      let size = parseFloat(getComputedStyle(el).fontSize);
      if (el instanceof SVGElement) {
        const m = el.getScreenCTM();
        size *= Math.hypot(m.a, m.b);
      }
      labels.push({chart: title ? title.id : '?', text: node.textContent.trim(), size,
                   left: box.left, right: box.right});
    }
  }
  return {body, width: document.documentElement.clientWidth, labels};
}"""


def _camps(slug: str) -> None:
    """Two camps of twelve who disagree on four ideas, so the consultation has an opinion map."""
    consultation = _db.session.scalar(select(Consultation).where(Consultation.slug == slug))
    ideas = [factories.make_idea(consultation, title=f"Divided idea {n}") for n in range(4)]
    for person in range(24):
        voter = factories.make_user()
        for n, idea in enumerate(ideas):
            factories.make_vote(idea, voter, "agree" if (n < 2) == (person < 12) else "disagree")
    _db.session.commit()


@pytest.fixture
def world(db):
    world = pages.build_world("full")
    _camps(world.empty)
    return world


def _chart_pages(world) -> list[str]:
    return [
        f"/consultations/{world.busy}/results",
        f"/consultations/{world.empty}/results",
        f"/consultations/{world.busy}/who-took-part",
        "/statement/progress",
        f"/admin/indicators/{world.indicator}/readings",
    ]


def test_chart_labels_keep_their_size_and_grow_with_the_text(new_page, world):
    page = new_page()
    sign_in(page, world.emails["facilitator"])
    page.set_viewport_size(NARROW)
    seen, problems = set(), []
    for path in _chart_pages(world):
        page.goto(path)
        normal = page.evaluate(MEASURE)
        page.evaluate("() => { document.documentElement.style.fontSize = '200%'; }")
        bigger = page.evaluate(MEASURE)
        page.evaluate("() => { document.documentElement.style.fontSize = ''; }")
        assert normal["labels"], f"{path}: no chart labels"
        assert len(bigger["labels"]) == len(normal["labels"]), path
        seen |= {label["chart"] for label in normal["labels"]}
        for small, big in zip(normal["labels"], bigger["labels"], strict=True):
            where = f"{path} {small['chart']} {small['text']!r}"
            if small["size"] < normal["body"] - 0.01:
                problems.append(f"{where}: {small['size']:.1f}px, body text {normal['body']}px")
            if big["size"] < 1.9 * small["size"]:
                problems.append(f"{where}: {small['size']:.1f}px -> {big['size']:.1f}px at 200%")
            for label, found in ((small, normal), (big, bigger)):
                if label["left"] < -0.5 or label["right"] > found["width"] + 0.5:
                    problems.append(
                        f"{where}: off the screen ({label['left']:.0f} to "
                        f"{label['right']:.0f}) at {found['body']}px text"
                    )
    assert not problems, "\n".join(problems)
    expected = {name: title.format(indicator=world.indicator) for name, title in CHARTS.items()}
    missing = [name for name, title in expected.items() if title not in seen]
    assert not missing, f"charts not seen: {missing}"


def _screenshots(page, name: str) -> None:
    """Each chart of the page at 375 and 1280 pixels wide, and at 375 with the text doubled."""
    name = name.replace(" ", "_").replace(",", "").replace("'", "")
    for width, text in ((375, ""), (375, "200%"), (1280, "")):
        page.set_viewport_size({"width": width, "height": 900})
        page.evaluate("(size) => { document.documentElement.style.fontSize = size; }", text)
        for n, chart in enumerate(page.locator(".app-chart").all()):
            zoom = "-text200" if text else ""
            chart.screenshot(path=os.path.join(SHOTS, f"{name}-{width}{zoom}-chart{n}.png"))
    page.evaluate("() => { document.documentElement.style.fontSize = ''; }")
    page.set_viewport_size({"width": 1024, "height": 768})


CHART_ENDPOINTS = {"analysis.results", "statements.progress", "indicators.readings"}
MINE = [s for s in pages.SAMPLES if s.endpoint in CHART_ENDPOINTS]


@pytest.mark.parametrize("role", sorted({r for s in MINE for r in s.roles}))
def test_chart_pages_meet_the_bar(db, new_page, vnu_command, htmlcs, role):
    world = pages.build_world("full")
    _camps(world.empty)
    page = new_page()
    if role != "visitor":
        sign_in(page, world.emails[role])
    samples = [s for s in MINE if role in s.roles]
    if role in pages.STAFF:
        samples.append(
            pages.Sample(
                "results with opinion groups",
                "analysis.results",
                lambda w: f"/consultations/{w.empty}/results",
            )
        )
    problems = sample_problems(page, samples, world, role, vnu_command, screenshots=_screenshots)
    assert not problems, f"{len(problems)} problems:\n" + "\n".join(problems)
