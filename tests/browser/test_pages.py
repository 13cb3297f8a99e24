"""The accessibility bar every page must meet, checked on every sample in ``pages.py``:

- axe-core (WCAG 2.0, 2.1 and 2.2, levels A and AA): zero violations;
- HTML_CodeSniffer (WCAG 2 AA), a second engine: zero errors, and zero warnings bar the ones
  ``helpers.HTMLCS_EXCLUSIONS`` explains;
- no sideways scrolling at 320 CSS pixels wide (WCAG 1.4.10 Reflow);
- the Nu Html Checker: zero errors (all of a group's pages in one run).
"""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from flask import Flask
from werkzeug.exceptions import HTTPException
from werkzeug.routing import RequestRedirect

from tests.browser import pages
from tests.browser.helpers import (
    sample_problems,
    sign_in,
)

pytestmark = pytest.mark.browser


def get_endpoints(app: Flask) -> set[str]:
    return {rule.endpoint for rule in app.url_map.iter_rules() if "GET" in rule.methods}


def endpoint_for(app: Flask, path: str) -> str:
    adapter = app.url_map.bind("localhost")
    parts = urlsplit(path)
    try:
        endpoint, _values = adapter.match(parts.path, method="GET")
    except (HTTPException, RequestRedirect) as exc:
        raise AssertionError(f"{path} matches no GET route: {exc}") from exc
    return endpoint


def test_every_get_route_has_a_sample(app):
    """A new page must join the accessibility checks: add a Sample to tests/browser/pages.py."""
    sampled = {sample.endpoint for sample in pages.SAMPLES}
    missing = sorted(get_endpoints(app) - sampled - set(pages.NOT_PAGES))
    assert not missing, (
        "These GET routes have no sample in tests/browser/pages.py, so nothing checks their "
        f"accessibility: {', '.join(missing)}"
    )
    stale = sorted((sampled | set(pages.NOT_PAGES)) - get_endpoints(app))
    assert not stale, f"pages.py names endpoints the app no longer has: {', '.join(stale)}"


def test_every_role_and_state_is_sampled():
    roles = {role for sample in pages.SAMPLES for role in sample.roles}
    assert roles == set(pages.ROLES)
    names = [sample.name for sample in pages.SAMPLES]
    assert len(names) == len(set(names)), "two samples share a name"


@pytest.mark.parametrize(("world_kind", "role"), pages.GROUPS, ids=lambda v: v)
def test_pages_meet_the_accessibility_bar(app, db, page, vnu_command, htmlcs, world_kind, role):
    world = pages.build_world(world_kind)
    if role != "visitor":
        sign_in(page, world.emails[role])

    def check_address(sample, path):
        assert endpoint_for(app, path) == sample.endpoint, f"{path} is not {sample}"

    samples = pages.samples_for(world_kind, role)
    problems = sample_problems(page, samples, world, role, vnu_command, check_address)
    assert not problems, f"{len(problems)} problems:\n" + "\n".join(problems)
