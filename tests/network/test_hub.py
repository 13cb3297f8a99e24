"""The hub's rules without a network: the register's addresses, what makes a council's answer
invalid, the retry back-off, peer pairs, and the admin's pages in hub mode."""

from __future__ import annotations

from datetime import timedelta

import pytest

from kil_consult import create_app
from kil_consult.accounts.models import Role
from kil_consult.extensions import db
from kil_consult.network import hub, hub_views
from kil_consult.network.hub_models import HarvestedReturn, HarvestStatus, MemberCouncil
from kil_consult.network.models import NetworkError
from kil_consult.timeutil import utcnow
from tests import factories

from . import world as network_world


def test_base_addresses_are_normalised_and_checked(db):
    assert hub.normalise_base_url(" HTTPS://Kil.Example.gov.uk/ ") == "https://kil.example.gov.uk"
    assert hub.normalise_base_url("http://127.0.0.1:5000/kil/") == "http://127.0.0.1:5000/kil"
    for bad in ("ftp://x.example", "kil.example.gov.uk", "https://x.example/?a=1", "javascript:1"):
        with pytest.raises(NetworkError):
            hub.normalise_base_url(bad)
    hub.register("https://kil.example.gov.uk")
    with pytest.raises(NetworkError, match="already a member"):
        hub.register("https://kil.example.gov.uk/")


def test_what_makes_an_answer_invalid(db):
    world = network_world.build()
    document = network_world.signed_off_round(world).return_document
    assert hub.problems_with({"items": [document]}) == []
    assert hub.problems_with([document]) == ['The answer is not a list of returns (no "items").']
    future = dict(document, schema_version="2.0")
    assert "schema version 2.0 is not 1.x" in hub.problems_with({"items": [future]})[0]
    missing = {k: v for k, v in document.items() if k != "council"}
    assert "'council' is a required property" in hub.problems_with({"items": [missing]})[0]


def test_a_council_that_is_down_waits_longer_each_time(db):
    member = hub.register("http://127.0.0.1:9")  # the discard port: nothing answers
    now = utcnow()
    waits = []
    for _ in range(8):
        result = hub.harvest(member, now)
        assert result.status is HarvestStatus.DOWN
        waits.append(member.next_try_at - now)
    assert waits[:4] == [timedelta(minutes=m) for m in (5, 10, 20, 40)]
    assert waits[-1] == timedelta(hours=6)  # never longer than that
    assert hub.due_members(now) == [] and hub.due_members(now + timedelta(hours=6)) == [member]


def _member(name: str, levels) -> MemberCouncil:
    member = MemberCouncil(base_url=f"https://{name.lower()}.example", name=name)
    db.session.add(member)
    db.session.flush()
    document = {
        "self_assessment": [{"principle": n, "level": lvl} for n, lvl in enumerate(levels, 1)],
        "commitments": [{"status": "done", "text": f"{name} did it", "principle": 1}],
    }
    db.session.add(
        HarvestedReturn(
            member_id=member.id,
            round_id=1,
            round_title="Spring",
            meeting_on="2027-03-27",
            document=document,
        )
    )
    db.session.flush()
    db.session.refresh(member)
    return member


def test_peer_pairs_put_the_strongest_beside_the_lowest(db):
    a = _member("Alpha", (4, 1, 2, 2, 2, 2))
    b = _member("Beta", (3, 4, 2, 2, 2, 2))
    c = _member("Gamma", (1, 2, 2, 2, 2, 2))
    pairs = hub_views.peer_pairs([a, b, c])
    first = [
        (p.strong.member.name, p.improving.member.name) for p in pairs if p.principle.number == 1
    ]
    assert first == [("Alpha", "Gamma")]  # Beta (3) has no one left to pair with on it
    second = [
        (p.strong.member.name, p.improving.member.name) for p in pairs if p.principle.number == 2
    ]
    assert second == [("Beta", "Alpha")]
    assert all(p.strong.member is not p.improving.member for p in pairs)
    assert {m.name for m, _c in hub_views.nominations([a, b, c])} == {"Alpha", "Beta", "Gamma"}


@pytest.fixture
def hub_client(tmp_path):
    from flask_migrate import upgrade

    app = create_app(
        {
            "TESTING": True,
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/hub.sqlite3",
            "SECRET_KEY": "test-secret-key-that-is-long-enough-hub",
            "KIL_MODE": "hub",
            "KIL_JOBS_IMMEDIATE": True,
            "KIL_CACHE": False,
            "WTF_CSRF_ENABLED": False,
            "RATELIMIT_ENABLED": False,
        }
    )
    with app.app_context():
        upgrade()
        yield app.test_client()
        db.session.remove()
        db.engine.dispose()


def _sign_in(client, role):
    user = factories.make_user(role)
    db.session.commit()
    client.post("/account/sign-in", data={"email": user.email, "password": factories.PASSWORD})


def test_only_an_admin_adds_members_or_harvests(hub_client):
    assert hub_client.get("/hub/").status_code == 200
    response = hub_client.post("/hub/members", data={"base_url": "https://a.example"})
    assert "/account/sign-in" in response.headers["Location"]
    _sign_in(hub_client, Role.FACILITATOR)
    assert (
        hub_client.post("/hub/members", data={"base_url": "https://a.example"}).status_code == 403
    )
    assert hub_client.post("/hub/harvest").status_code == 403


def test_an_admin_registers_a_council_and_bad_addresses_are_explained(hub_client):
    _sign_in(hub_client, Role.ADMIN)
    response = hub_client.post("/hub/members", data={"base_url": "not an address"})
    assert response.status_code == 400 and b"Enter the address of the council" in response.data
    response = hub_client.post("/hub/members", data={"base_url": "http://127.0.0.1:9/"})
    assert response.status_code == 302
    assert (
        hub_client.post("/hub/members", data={"base_url": "http://127.0.0.1:9"}).status_code == 400
    )
    assert hub_client.post("/hub/harvest").status_code == 302  # runs at once in tests
    # The harvest committed in its own session, as a worker's would. This client shares the
    # fixture's app context, and so one session, across requests: members that session loaded
    # before would be shown as they were for as long as the garbage collector keeps them (it
    # failed once in a long serial run). End it as a request's teardown does in production.
    db.session.remove()
    page = hub_client.get("/hub/").get_data(as_text=True)
    assert "Could not be reached" in page and "No answer from http://127.0.0.1:9" in page


def test_hub_pages_are_not_served_by_a_council_site(client):
    assert client.get("/hub/").status_code == 404


# Every route of the hub, for a visitor, a facilitator and an admin (the hub's access matrix:
# its routes exist only in hub mode, so tests/security/test_access_matrix.py does not see them).
HUB_EXPECTATIONS = {
    ("hub.index", "GET"): ("/hub/", {"visitor", "facilitator", "admin"}),
    ("hub.principles", "GET"): ("/hub/principles", {"visitor", "facilitator", "admin"}),
    ("hub.peers", "GET"): ("/hub/peers", {"visitor", "facilitator", "admin"}),
    ("hub.member", "GET"): ("/hub/members/1", {"visitor", "facilitator", "admin"}),
    ("hub.pack", "GET"): ("/hub/pack.docx", {"visitor", "facilitator", "admin"}),
    ("hub.returns_json", "GET"): ("/hub/returns.json", {"visitor", "facilitator", "admin"}),
    ("hub.add_member", "POST"): ("/hub/members", {"admin"}),
    ("hub.harvest_now", "POST"): ("/hub/harvest", {"admin"}),
}


def test_every_hub_route_has_an_expectation_and_meets_it(hub_client):
    app = hub_client.application
    routes = {
        (rule.endpoint, method)
        for rule in app.url_map.iter_rules()
        if rule.endpoint.startswith("hub.")
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }
    assert routes == set(HUB_EXPECTATIONS)
    db.session.add(MemberCouncil(base_url="http://127.0.0.1:9"))
    db.session.commit()
    for role in ("visitor", "facilitator", "admin"):
        client = app.test_client()
        if role != "visitor":
            _sign_in(client, Role(role))
        for (endpoint, method), (path, allowed) in HUB_EXPECTATIONS.items():
            response = client.open(path, method=method, data={"base_url": ""})
            if role in allowed:
                assert response.status_code in (200, 302, 400), (role, endpoint)
                assert "/account/sign-in" not in response.headers.get("Location", "")
            elif role == "visitor":
                assert "/account/sign-in" in response.headers["Location"], endpoint
            else:
                assert response.status_code == 403, (role, endpoint)
