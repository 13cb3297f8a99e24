"""Two council sites and one network hub on loopback, with real HTTP between them: the hub
harvests both, an unchanged council answers 304, a changed return is picked up, a return that
breaks the schema is reported with why, and a council that is down is tried again later."""

from __future__ import annotations

import json
import socket
import threading
from contextlib import contextmanager
from datetime import date, timedelta

import pytest
from flask_migrate import upgrade
from werkzeug.serving import make_server

from kil_consult import create_app
from kil_consult.accounts.models import Role
from kil_consult.extensions import db
from kil_consult.network import hub, tasks
from kil_consult.network import services as network
from kil_consult.network.hub_models import HarvestStatus, MemberCouncil
from kil_consult.network.models import AssessmentRound
from kil_consult.timeutil import utcnow
from tests import factories


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _make_app(tmp_path, name: str, port: int, **config):
    app = create_app(
        {
            "TESTING": True,
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / name}.sqlite3",
            "SECRET_KEY": f"test-secret-key-that-is-long-enough-{name}",
            "KIL_BASE_URL": f"http://127.0.0.1:{port}",
            "KIL_BASE_URL_SET": True,
            "KIL_JOBS_IMMEDIATE": True,
            "KIL_CACHE": False,
            "KIL_CACHE_PATH": str(tmp_path / f"{name}-cache.sqlite3"),
            "WTF_CSRF_ENABLED": False,
            "RATELIMIT_ENABLED": False,
            **config,
        }
    )
    with app.app_context():
        upgrade()
    return app


class Recorder:
    """WSGI middleware that notes each answer's status, so the test sees the 304s; with
    ``broken`` set it answers the returns with that body instead (a council whose software
    publishes returns that do not fit the schema)."""

    def __init__(self, app):
        self.app, self.statuses, self.broken = app, [], None

    def __call__(self, environ, start_response):
        if self.broken is not None and environ["PATH_INFO"] == hub.RETURNS_PATH:
            body = json.dumps(self.broken).encode()
            start_response("200 OK", [("Content-Type", "application/json"), ("ETag", '"b"')])
            return [body]

        def start(status, headers, exc_info=None):
            self.statuses.append((environ.get("HTTP_IF_NONE_MATCH", ""), int(status[:3])))
            return start_response(status, headers, exc_info)

        return self.app(environ, start)


@contextmanager
def serving(app, port: int):
    recorder = Recorder(app)
    server = make_server("127.0.0.1", port, recorder, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield recorder
    finally:
        server.shutdown()
        thread.join(timeout=5)
        server.server_close()


def _council(app, name: str, gss: str, levels) -> None:
    with app.app_context():
        app.config["KIL_COUNCIL_GSS_CODE"] = gss
        factories.make_council(name)
        admin = factories.make_user(Role.ADMIN)
        _round(admin, "Autumn 2026 network meeting", date(2026, 10, 1), levels)
        db.session.commit()


def _round(admin, title, when, levels) -> AssessmentRound:
    round_ = network.start_round(admin, title, when)
    for number, level in enumerate(levels, start=1):
        network.save_assessment(
            round_,
            admin,
            number,
            level=level,
            commitments=[],
            addresses=["/statement"],
            next_steps=f"Work on principle {number}.",
            champion="The champion",
        )
    network.sign_off(round_, admin)
    return round_


@pytest.fixture
def network_of(tmp_path):
    ports = {name: _free_port() for name in ("north", "south", "later", "hub")}
    north = _make_app(tmp_path, "north", ports["north"])
    south = _make_app(tmp_path, "south", ports["south"])
    hub_app = _make_app(
        tmp_path, "hub", ports["hub"], KIL_MODE="hub", KIL_COUNCIL_NAME="Keep it Local Network"
    )
    _council(north, "Northshire Council", "E10000001", (4, 3, 2, 1, 3, 2))
    _council(south, "Southshire Council", "E10000002", (1, 2, 4, 3, 2, 1))
    with hub_app.app_context():
        for name in ("north", "south", "later"):
            hub.register(f"http://127.0.0.1:{ports[name]}/")
        db.session.commit()
    yield north, south, hub_app, ports
    for app in (north, south, hub_app):
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


def _members(hub_app) -> dict[str, MemberCouncil]:
    return {m.base_url.rsplit(":", 1)[1]: m for m in hub.members()}


def test_the_hub_harvests_two_councils_over_http(network_of):
    north, south, hub_app, ports = network_of
    with (
        serving(north, ports["north"]) as north_log,
        serving(south, ports["south"]) as south_log,
    ):
        with hub_app.app_context():
            # 1. The first harvest: both councils taken in, the third cannot be reached.
            assert tasks.harvest_members() == {"changed": 2, "down": 1}
            members = _members(hub_app)
            first = members[str(ports["north"])]
            assert first.name == "Northshire Council" and first.gss_code == "E10000001"
            assert first.etag and first.latest.level(1) == 4
            later = members[str(ports["later"])]
            assert later.status is HarvestStatus.DOWN and later.failures == 1
            assert "No answer" in later.problem
            assert later.next_try_at - later.last_tried_at == timedelta(minutes=5)
            db.session.commit()

            # 2. Nothing changed: the north council answers 304 to the ETag the hub sent.
            assert tasks.harvest_members(everyone=True)["unchanged"] == 2
            assert north_log.statuses[-1] == (first.etag, 304)
            assert _members(hub_app)[str(ports["later"])].failures == 2  # retried, still down

            # The hub's pages show both councils side by side per principle.
            client = hub_app.test_client()
            assert client.get("/").headers["Location"].endswith("/hub/")
            page = client.get("/hub/principles").get_data(as_text=True)
            assert page.count("Northshire Council") == 7 and page.count("Southshire Council") == 7
            assert "4, Leading" in page and "Could not be reached" in client.get("/hub/").text
            peers = client.get("/hub/peers").get_data(as_text=True)
            assert "<strong>Northshire Council</strong> (level 4) with" in peers
            assert client.get(f"/hub/members/{first.id}").status_code == 200
            assert client.get("/hub/members/999").status_code == 404
            pack = client.get("/hub/pack.docx")
            assert pack.status_code == 200 and pack.data[:2] == b"PK"
            assert client.get("/hub/pack.pdf").data.startswith(b"%PDF")
            listing = client.get("/hub/returns.json").json["members"]
            assert {m["name"] for m in listing if m["latest_return"]} == {
                "Northshire Council",
                "Southshire Council",
            }

        # 3. The north council signs off a new round: the hub picks the change up.
        with north.app_context():
            admin = factories.make_user(Role.ADMIN)
            _round(admin, "Spring 2027 network meeting", date(2027, 3, 27), (4, 4, 3, 2, 3, 2))
            db.session.commit()
        # 4. The south council's site starts publishing a broken return (a level of 9).
        with south.app_context():
            broken = dict(db.session.get(AssessmentRound, 1).return_document)
        broken["self_assessment"] = [dict(item, level=9) for item in broken["self_assessment"]]
        south_log.broken = {"items": [broken]}
        with hub_app.app_context():
            counts = tasks.harvest_members(everyone=True)
            assert counts == {"changed": 1, "invalid": 1, "down": 1}
            members = _members(hub_app)
            north_member = members[str(ports["north"])]
            assert [r.round_title for r in north_member.returns] == [
                "Autumn 2026 network meeting",
                "Spring 2027 network meeting",
            ]
            assert north_member.latest.document["self_assessment"][1]["previous_level"] == 3
            south_member = members[str(ports["south"])]
            assert south_member.status is HarvestStatus.INVALID
            assert "self_assessment/0/level" in south_member.problem
            assert "9 is greater than the maximum of 4" in south_member.problem
            assert south_member.latest.level(1) == 1  # the valid return taken earlier is kept
            client = hub_app.test_client()
            assert "Returns do not fit the schema" in client.get("/hub/").text
            timeline = client.get(f"/hub/members/{north_member.id}").get_data(as_text=True)
            assert timeline.index("Spring 2027") < timeline.index("Autumn 2026")
            db.session.commit()

    # 5. The council that was down comes up: its retry, once due, takes its return in.
    later_app = _make_app(network_of_tmp(north), "later", ports["later"])
    _council(later_app, "Latershire Council", "E10000003", (2, 2, 2, 2, 2, 2))
    with serving(later_app, ports["later"]):
        with hub_app.app_context():
            member = _members(hub_app)[str(ports["later"])]
            assert hub.due_members(utcnow()) == []  # not due yet: it waits before a retry
            counts = tasks.harvest_members(now=member.next_try_at)
            assert counts == {"changed": 1}
            member = _members(hub_app)[str(ports["later"])]
            assert member.status is HarvestStatus.CHANGED and member.failures == 0
            assert member.name == "Latershire Council"
            tasks.harvest_due()  # the worker's scheduled job runs the same harvest
    with later_app.app_context():
        db.session.remove()
        db.engine.dispose()


def network_of_tmp(app):
    """The folder the test's databases are in (from one app's database address)."""
    from pathlib import Path

    return Path(app.config["SQLALCHEMY_DATABASE_URI"].removeprefix("sqlite:///")).parent
