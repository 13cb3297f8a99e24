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
    sample_problems,
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

    def check_address(sample, path):
        assert endpoint_for(app, path) == sample.endpoint, f"{sample.name} [{role}]"

    return sample_problems(page, samples, world, role, vnu_command, check_address)


@pytest.mark.parametrize(("world_kind", "role"), GROUPS, ids=lambda v: v)
def test_network_pages_meet_the_accessibility_bar(
    app, db, page, vnu_command, htmlcs, world_kind, role
):
    world = pages.build_world(world_kind)
    samples = [s for s in NETWORK if s.world == world_kind and role in s.roles]
    problems = check_samples(app, page, vnu_command, samples, world, role)
    assert not problems, f"{len(problems)} problems:\n" + "\n".join(problems)


# --- the hub's pages, served by an app in hub mode ------------------------------------------

HUB_PAGES = [
    ("hub, member councils", "/hub/"),
    ("hub, principles side by side", "/hub/principles"),
    ("hub, a council's timeline", "/hub/members/1"),
    ("hub, peer pairs and award nominations", "/hub/peers"),
]


@pytest.fixture
def hub_server(app, db, tmp_path):
    """A hub (KIL_MODE=hub) on its own database and port, holding two councils' returns (made
    by the council app of the suite) and a third council that is down."""
    import threading

    from flask_migrate import upgrade
    from werkzeug.serving import make_server

    from kil_consult import create_app
    from kil_consult.accounts.models import Role
    from kil_consult.extensions import db as database
    from kil_consult.network.hub_models import HarvestedReturn, HarvestStatus, MemberCouncil
    from tests import factories
    from tests.network import world as network_world

    world = network_world.build()
    documents = []
    for name, levels in (("North", (4, 3, 2, 1, 3, 2)), ("South", (1, 2, 4, 3, 2, 1))):
        round_ = network_world.signed_off_round(world, f"{name} round", levels)
        document = dict(round_.return_document)
        document["council"] = dict(document["council"], name=f"{name}shire Council")
        documents.append(document)
    hub_app = create_app(
        {
            "TESTING": True,
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/hub.sqlite3",
            "SECRET_KEY": "test-secret-key-that-is-long-enough-hub",
            "KIL_MODE": "hub",
            "KIL_COUNCIL_NAME": "Keep it Local Network",
            "KIL_JOBS_IMMEDIATE": True,
            "KIL_CACHE": False,
            "RATELIMIT_ENABLED": False,
        }
    )
    with hub_app.app_context():
        upgrade()
        admin = factories.make_user(Role.ADMIN, display_name="Lou Locality")
        for number, document in enumerate(documents, start=1):
            member = MemberCouncil(
                base_url=f"https://council-{number}.example",
                name=document["council"]["name"],
                gss_code=f"E1000000{number}",
                status=HarvestStatus.CHANGED,
            )
            database.session.add(member)
            database.session.flush()
            database.session.add(
                HarvestedReturn(
                    member_id=member.id,
                    round_id=document["round"]["id"],
                    round_title=document["round"]["title"],
                    meeting_on=document["round"]["meeting_on"],
                    document=document,
                )
            )
        database.session.add(
            MemberCouncil(
                base_url="https://down.example",
                status=HarvestStatus.INVALID,
                problem="Return 1, at self_assessment/0/level: 9 is greater than the maximum of 4",
            )
        )
        database.session.commit()
        email = admin.email
    server = make_server("127.0.0.1", 0, hub_app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.port}", email
    server.shutdown()
    thread.join(timeout=5)
    server.server_close()
    with hub_app.app_context():
        database.session.remove()
        database.engine.dispose()


@pytest.mark.parametrize("role", ["visitor", "admin"])
def test_hub_pages_meet_the_accessibility_bar(browser, hub_server, vnu_command, htmlcs, role):
    base, email = hub_server
    context = browser.new_context(
        base_url=base, locale="en-GB", viewport={"width": 1280, "height": 900}
    )
    page = context.new_page()
    if role == "admin":
        sign_in(page, email)
    documents, problems = {}, []
    for name, path in HUB_PAGES:
        response = page.goto(path)
        label = f"{name} [{role}]"
        if response.status != 200:
            problems.append(f"{label}: status {response.status}")
        documents[label] = response.text()
        problems += [f"{label}: {line}" for line in axe_violations(page)]
        problems += [f"{label}: {line}" for line in htmlcs_problems(page)]
        reflow = reflow_problem(page)
        if reflow:
            problems.append(f"{label}: {reflow}")
        if SHOTS:
            for width in (375, 1280):
                page.set_viewport_size({"width": width, "height": 900})
                shot = f"{name}-{role}-{width}.png".replace(" ", "_").replace(",", "")
                page.screenshot(path=str(Path(SHOTS) / shot), full_page=True)
            page.set_viewport_size({"width": 1280, "height": 900})
    for label, errors in vnu_errors(vnu_command, documents).items():
        problems += [f"{label}: {error}" for error in errors]
    context.close()
    assert not problems, f"{len(problems)} problems:\n" + "\n".join(problems)
