"""The "Who took part" pages (issue 18) in a real browser: every sample of the area meets the
accessibility bar (axe, HTML_CodeSniffer, reflow, the Nu checker), a resident answers "About
you" and later deletes it, and a facilitator enters a workshop response with its answers.

The whole registry runs in test_pages.py; this file runs only this area's samples, so that the
area can be checked on its own (``pytest tests/browser/test_who_took_part.py``)."""

from __future__ import annotations

import os

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from kil_consult.equality.models import AboutYou
from tests.browser import pages
from tests.browser.helpers import (
    axe_violations,
    htmlcs_problems,
    reflow_problem,
    sample_problems,
    sign_in,
    vnu_errors,
)

pytestmark = pytest.mark.browser

MINE = [s for s in pages.SAMPLES if s.endpoint.startswith("equality.")]
SHOTS = os.environ.get("KIL_SCREENSHOTS", "")  # a folder: save each sample at 375 and 1280 px


@pytest.mark.parametrize("role", sorted({r for s in MINE for r in s.roles}))
def test_who_took_part_pages_meet_the_bar(db, new_page, vnu_command, htmlcs, role):
    world = pages.build_world("full")
    page = new_page()
    if role != "visitor":
        sign_in(page, world.emails[role])
    samples = [s for s in MINE if role in s.roles]
    problems = sample_problems(page, samples, world, role, vnu_command)
    assert not problems, f"{len(problems)} problems:\n" + "\n".join(problems)


def test_a_resident_answers_about_you_and_later_deletes_it(db, page):
    world = pages.build_world("empty")
    sign_in(page, world.emails["resident"])
    page.goto("/account")
    page.get_by_role("link", name="About you (optional)").click()
    page.get_by_label("35 to 44").check()
    page.get_by_label("Black: African").check()
    page.get_by_role("button", name="Save your answers").click()
    expect(page.locator("body")).to_contain_text("Tick the box to agree")
    assert page.get_by_label("Black: African").is_checked()  # nothing is lost
    page.get_by_label("I agree that the council may keep").check()
    page.get_by_role("button", name="Save your answers").click()
    expect(page.locator("body")).to_contain_text("Your answers are saved")
    db.session.remove()
    assert db.session.scalar(select(AboutYou.ethnic_group)) == "black_1"
    page.goto("/account/about-you")
    page.get_by_role("button", name="Delete your answers").click()
    expect(page.locator("body")).to_contain_text("answers are deleted")
    db.session.remove()
    assert db.session.scalar(select(AboutYou)) is None


def test_a_facilitator_enters_a_workshop_response_with_its_answers(db, page):
    world = pages.build_world("full")
    sign_in(page, world.emails["facilitator"])
    page.goto(f"/admin/offline/{world.event}")
    page.get_by_role("link", name="Add a response with the person").click()
    page.get_by_label("Title of the idea").fill("A bench by the library")
    page.get_by_label("What the person said").fill("Somewhere to sit on the way home.")
    page.get_by_label("75 or over").check()
    page.get_by_label("Christian").check()
    page.get_by_label("The person agreed on the form").check()
    page.get_by_role("button", name="Add the response").click()
    expect(page.locator("body")).to_contain_text("Response added: A bench by the library")
    db.session.remove()
    stored = db.session.scalar(select(AboutYou).where(AboutYou.event_id == world.event))
    assert (stored.age_band, stored.religion, stored.source.value) == (
        "75_over",
        "christian",
        "event",
    )


def test_the_reweighted_results_meet_the_bar(db, new_page, vnu_command, htmlcs):
    """The reweighted results need voters who answered "About you": added here, not in the
    shared world, so that no other page's figures change."""
    from kil_consult.consultations.services import consultation_by_slug, neighbourhoods
    from kil_consult.equality import services
    from kil_consult.ideas.models import Idea
    from tests import factories

    world = pages.build_world("full")
    busy = consultation_by_slug(world.busy)
    idea = db.session.get(Idea, world.plain_idea)
    places = neighbourhoods()
    for n in range(40):
        person = factories.make_user(neighbourhood_id=places[n % 2].id)
        services.save_about_you(person, {"age_band": ("25_34", "65_74")[n % 2]}, consent=False)
        factories.make_vote(idea, person, ("agree", "disagree", "agree")[n % 3])
    db.session.commit()
    page = new_page()
    sign_in(page, world.emails["facilitator"])
    response = page.goto(f"/consultations/{busy.slug}/who-took-part")
    assert "Results as cast and reweighted" in page.content()
    problems = axe_violations(page) + htmlcs_problems(page)
    if reflow := reflow_problem(page):
        problems.append(reflow)
    problems += [
        e for errors in vnu_errors(vnu_command, {"page": response.text()}).values() for e in errors
    ]
    if SHOTS:
        page.set_viewport_size({"width": 375, "height": 900})
        page.screenshot(path=os.path.join(SHOTS, "reweighted-375.png"), full_page=True)
    assert not problems, "\n".join(problems)
