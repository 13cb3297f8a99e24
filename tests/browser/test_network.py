"""The network pages (issue 19) against the accessibility bar of ``test_pages.py`` (axe,
HTML_CodeSniffer, reflow at 320 px, the Nu checker), run on their own; and a phone-sized
and a desktop-sized screenshot of each when ``KIL_SCREENSHOTS`` names a folder."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.browser import pages
from tests.browser.helpers import (
    axe_violations,
    htmlcs_problems,
    reflow_problem,
    sign_in,
    vnu_errors,
)
from tests.browser.test_pages import endpoint_for

pytestmark = pytest.mark.browser

NETWORK = [s for s in pages.SAMPLES if s.endpoint.startswith("network.")]
GROUPS = sorted({(s.world, role) for s in NETWORK for role in s.roles})
SHOTS = os.environ.get("KIL_SCREENSHOTS", "")


def check_samples(app, page, vnu_command, samples, world, role) -> list[str]:
    """Visit each sample and collect what the checkers find."""
    if role != "visitor":
        sign_in(page, world.emails[role])
    documents, problems, last = {}, [], {}

    def remember(response):
        if response.request.is_navigation_request() and response.frame == page.main_frame:
            last["response"] = response

    page.on("response", remember)
    for sample in samples:
        label = f"{sample.name} [{role}]"
        path = sample.path(world)
        assert endpoint_for(app, path) == sample.endpoint, label
        page.goto(path)
        if sample.act:
            sample.act(page, world)
        response = last["response"]
        if response.status != sample.status:
            problems.append(f"{label}: status {response.status}, expected {sample.status}")
        documents[label] = response.text()
        problems += [f"{label}: {line}" for line in axe_violations(page)]
        problems += [f"{label}: {line}" for line in htmlcs_problems(page)]
        reflow = reflow_problem(page)
        if reflow:
            problems.append(f"{label}: {reflow}")
        if SHOTS:
            for width in (375, 1280):
                page.set_viewport_size({"width": width, "height": 900})
                name = f"{sample.name}-{role}-{width}.png".replace(" ", "_").replace(",", "")
                page.screenshot(path=str(Path(SHOTS) / name), full_page=True)
            page.set_viewport_size({"width": 1280, "height": 900})
    for label, errors in vnu_errors(vnu_command, documents).items():
        problems += [f"{label}: {error}" for error in errors]
    return problems


@pytest.mark.parametrize(("world_kind", "role"), GROUPS, ids=lambda v: v)
def test_network_pages_meet_the_accessibility_bar(
    app, db, page, vnu_command, htmlcs, world_kind, role
):
    world = pages.build_world(world_kind)
    samples = [s for s in NETWORK if s.world == world_kind and role in s.roles]
    problems = check_samples(app, page, vnu_command, samples, world, role)
    assert not problems, f"{len(problems)} problems:\n" + "\n".join(problems)
