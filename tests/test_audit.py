"""The audit log: one label for every action recorded anywhere, record() deriving the item
from the object, nothing logged when nothing changed, items shown by name with links, times
in the council's zone to the minute, and the CSV downloaded through a real server."""

from __future__ import annotations

import ast
import csv
import http.cookiejar
import io
import re
import threading
import urllib.parse
import urllib.request
from datetime import timedelta
from html.parser import HTMLParser
from pathlib import Path

import pytest
from sqlalchemy import select
from werkzeug.serving import make_server

from kil_consult import audit
from kil_consult.audit import ACTIONS, AuditEvent, action_label
from kil_consult.audit.actions import RENAMED
from kil_consult.consultations.models import Stage
from kil_consult.moderation import services as moderation
from kil_consult.timeutil import format_datetime, utcnow

from .factories import PASSWORD, make_comment, make_consultation, make_idea, make_user

PACKAGE = Path(__file__).resolve().parent.parent / "kil_consult"
ACTION_NAME = re.compile(r"^[a-z]+(_[a-z]+)*\.[a-z]+(_[a-z]+)*$")


# --- the layer ------------------------------------------------------------------------------

CORE = {"extensions", "config", "timeutil", "forms", "urls", "markdown"}


def test_the_audit_package_imports_no_area():
    for path in (PACKAGE / "audit").glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and node.level == 2:
                module = (node.module or "").split(".")[0]
                assert module in CORE, f"{path.name} imports kil_consult.{module}"
            elif isinstance(node, ast.ImportFrom) and node.level == 0:
                assert not (node.module or "").startswith("kil_consult"), path.name
            elif isinstance(node, ast.Import):
                assert not any(a.name.startswith("kil_consult") for a in node.names), path.name


# --- the label table -------------------------------------------------------------------------


def _name(func: ast.expr) -> str:
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return ""


def _strings(node: ast.expr) -> list[str] | None:
    """The action names an argument can be: a literal, or either side of ``a if x else b``."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.IfExp):
        body, orelse = _strings(node.body), _strings(node.orelse)
        return None if body is None or orelse is None else body + orelse
    return None


def recorded_actions() -> tuple[set[str], list[str]]:
    """Every action passed to ``record(...)`` in the source, following helpers that pass
    their own ``action`` parameter on (``_audit(moderator, "item.hide", ...)``), and the
    calls whose action cannot be read from the source."""
    trees = {path: ast.parse(path.read_text(), str(path)) for path in PACKAGE.rglob("*.py")}
    forwarding = {"record": 1}  # function name -> position of its action argument
    changed = True
    while changed:  # a helper that passes its parameter to record() forwards it, and so on
        changed = False
        for tree in trees.values():
            for func in ast.walk(tree):
                if not isinstance(func, ast.FunctionDef) or func.name in forwarding:
                    continue
                params = [a.arg for a in func.args.args]
                for call in ast.walk(func):
                    if not isinstance(call, ast.Call) or _name(call.func) not in forwarding:
                        continue
                    position = forwarding[_name(call.func)]
                    if len(call.args) > position and isinstance(call.args[position], ast.Name):
                        if call.args[position].id in params:
                            forwarding[func.name] = params.index(call.args[position].id)
                            changed = True
    found, unreadable = set(), []
    for path, tree in trees.items():
        for call in ast.walk(tree):
            if not isinstance(call, ast.Call) or _name(call.func) not in forwarding:
                continue
            position = forwarding[_name(call.func)]
            if len(call.args) <= position:
                continue
            names = _strings(call.args[position])
            if names is None:
                enclosing_param = isinstance(call.args[position], ast.Name)
                if not enclosing_param:
                    unreadable.append(f"{path.name}:{call.lineno}")
                continue
            found.update(names)
    return found, unreadable


def test_every_recorded_action_has_a_label():
    found, unreadable = recorded_actions()
    assert not unreadable, f"action names must be literals so they can be checked: {unreadable}"
    assert len(found) >= 25, found  # the scan sees the calls in every area
    assert {"consultation.edit", "item.hide", "membership.leave", "account.erase"} <= found
    missing = sorted(found - set(ACTIONS))
    assert not missing, f"actions recorded without a label in audit.ACTIONS: {missing}"


def test_action_names_take_the_noun_verb_form_of_policy():
    found, _ = recorded_actions()
    for action in set(ACTIONS) | found:
        assert ACTION_NAME.match(action), action
    assert not found & set(RENAMED), "an old action name is still recorded"
    assert set(RENAMED.values()) <= set(ACTIONS)
    assert all(label and label[0].isupper() for label in ACTIONS.values())
    assert action_label("statement.open_review") == "Statement opened for comment"


def test_an_unlabelled_action_warns(db):
    idea = make_idea()
    with pytest.warns(UserWarning, match="no label"):
        audit.record(None, "idea.sing", idea)


# --- record() ------------------------------------------------------------------------------


def test_record_derives_the_item_from_the_object(db):
    consultation = make_consultation(title="Green spaces")
    idea = make_idea(consultation, title="More benches")
    comment = make_comment(idea, body="Yes please")
    actor = make_user("facilitator")
    on_consultation = audit.record(actor, "consultation.edit", consultation, after={"x": 1})
    on_comment = audit.record(actor, "item.hide", comment, before={"v": 1}, after={"v": 2})
    db.session.flush()
    assert (on_consultation.item_type, on_consultation.item_id) == (
        "consultation",
        consultation.id,
    )
    assert on_consultation.consultation_id == consultation.id
    assert on_consultation.item_label == "Green spaces"
    assert (on_comment.item_type, on_comment.item_id) == ("comment", comment.id)
    assert on_comment.consultation_id == consultation.id
    assert on_comment.item_label == ""  # what residents wrote is not copied into the log
    with pytest.raises(TypeError):
        audit.record(actor, "item.hide", idea, {"v": 1}, {"v": 2})  # keywords after the object


# --- nothing logged when nothing changed ---------------------------------------------------


def test_nothing_changed_records_nothing(db):
    idea = make_idea()
    assert audit.record(None, "item.hide", idea, before={"a": 1}, after={"a": 1}) is None
    reason = moderation.save_hide_reason(None, "Spam", "Advertising", True, None)
    db.session.commit()
    moderation.save_hide_reason(reason, "Spam", "Advertising", True, None)  # unchanged
    db.session.commit()
    events = db.session.scalars(select(AuditEvent.action)).all()
    assert events == ["hide_reason.edit"]


class _FormValues(HTMLParser):
    """The values a browser would send back for a form's fields, as the page shows them."""

    def __init__(self):
        super().__init__()
        self.values: dict[str, list[str]] = {}
        self._textarea: str | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        name = attrs.get("name")
        if tag == "input" and name and attrs.get("type") not in ("submit", "hidden"):
            if attrs.get("type") in ("radio", "checkbox") and "checked" not in attrs:
                return
            self.values.setdefault(name, []).append(attrs.get("value") or "")
        elif tag == "textarea" and name:
            self._textarea = name
            self.values[name] = [""]

    def handle_data(self, data):
        if self._textarea:
            self.values[self._textarea][0] += data

    def handle_endtag(self, tag):
        if tag == "textarea" and self._textarea:
            self.values[self._textarea][0] = self.values[self._textarea][0].lstrip("\n")
            self._textarea = None


def test_saving_the_consultation_form_unchanged_logs_nothing(client, council, db, login_as):
    # Opening now stores the opening time to the microsecond; the form shows it to the
    # minute, so saving the form unchanged used to log an opens_at change.
    consultation = make_consultation(stage=Stage.DRAFT, opens_at=None)
    consultation.closes_at = utcnow().replace(microsecond=0) + timedelta(days=30, seconds=17)
    db.session.commit()
    login_as("admin")
    url = f"/admin/consultations/{consultation.slug}"
    assert client.post(f"{url}/open").status_code == 302
    stored = (consultation.opens_at, consultation.closes_at)
    assert stored[0].second or stored[0].microsecond  # the case that used to go wrong
    parser = _FormValues()
    parser.feed(client.get(url).get_data(as_text=True))
    assert "opens_on" in parser.values and "title" in parser.values
    response = client.post(url, data=parser.values)
    assert response.status_code == 302
    db.session.refresh(consultation)
    assert (consultation.opens_at, consultation.closes_at) == stored
    actions = db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)).all()
    assert actions == ["consultation.open"]
    # A real change is still logged, with only what changed.
    changed = {**parser.values, "question": ["A new question?"]}
    assert client.post(url, data=changed).status_code == 302
    event = db.session.scalars(select(AuditEvent).order_by(AuditEvent.id.desc())).first()
    assert event.action == "consultation.edit" and set(event.after) == {"question"}


# --- names, links and times on the page ----------------------------------------------------


def test_the_page_names_items_with_links_and_local_times(client, council, db, login_as, app):
    consultation = make_consultation(title="Whole system thinking")
    idea = make_idea(consultation, title="A bus to the hospital")
    person = make_user(display_name="Priya Shah")
    db.session.commit()
    admin = login_as("admin")
    moderation.hide(idea, admin, "Off topic", "")
    db.session.commit()
    client.post(f"/admin/people/{person.id}/role", data={"role": "facilitator"})
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "item.hide")).one()
    event.created_at = event.created_at.replace(month=7, day=1, hour=16, minute=5, second=42)
    db.session.commit()
    page = client.get("/admin/audit").get_data(as_text=True)
    assert f'<a class="govuk-link" href="/ideas/{idea.id}">A bus to the hospital</a>' in page
    assert f'href="/consultations/{consultation.slug}">Whole system thinking</a>' in page
    assert ">Priya Shah</a>" in page
    assert "user " + str(person.id) not in page and "consultation 1" not in page
    # 16:05 UTC on 1 July is 5:05pm in London (BST), to the minute.
    assert "5:05pm on 1 July" in page and ":42" not in page
    assert 'datetime="' + str(event.created_at.year) + '-07-01T17:05+01:00"' in page
    assert "Role changed" in page and "Hidden" in page
    cell = '<td class="govuk-table__cell">Role changed</td>'
    by_person = client.get(f"/admin/audit?who={admin.display_name[:5]}").get_data(as_text=True)
    assert cell in by_person
    assert cell not in client.get("/admin/audit?who=nobody-here").get_data(as_text=True)


def test_an_item_that_is_gone_keeps_its_name_only_if_it_is_not_personal(
    client, council, db, login_as
):
    consultation = make_consultation(title="Strong communities")
    idea = make_idea(consultation, title="A secret about my neighbour")
    actor = make_user("admin")
    audit.record(actor, "consultation.edit", consultation, after={"title": "Strong communities"})
    audit.record(actor, "item.hide", idea, before={"v": 1}, after={"v": 2})
    db.session.commit()
    idea_id = idea.id
    db.session.delete(idea)
    db.session.commit()
    login_as(actor)
    page = client.get("/admin/audit").get_data(as_text=True)
    assert f"Idea {idea_id}" in page and "A secret about my neighbour" not in page
    assert "Strong communities" in page


# --- the CSV through a real server ---------------------------------------------------------


@pytest.fixture
def server(app):
    """The app served by a real WSGI server in a thread (the response streams after the
    view returns, as in production)."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=5)
    server.server_close()


def test_the_csv_downloads_through_a_real_server(server, council, db):
    consultation = make_consultation(title="Whole system thinking")
    idea = make_idea(consultation, title="Community larder")
    admin = make_user("admin", display_name="Ada Admin")
    db.session.commit()
    moderation.hide(idea, admin, '=HYPERLINK("http://evil")', "duplicate")
    db.session.commit()
    event = db.session.scalars(select(AuditEvent)).one()

    opener = urllib.request.build_opener(
        urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
    )
    form = urllib.parse.urlencode({"email": admin.email, "password": PASSWORD}).encode()
    opener.open(f"{server}/account/sign-in", data=form, timeout=30)
    with opener.open(f"{server}/admin/audit.csv?action=item.hide", timeout=30) as response:
        assert response.status == 200
        assert response.headers["Content-Type"].startswith("text/csv")
        body = response.read().decode("utf-8")
    assert body.startswith("\ufeffid,when_utc")
    rows = list(csv.DictReader(io.StringIO(body.lstrip("\ufeff"))))
    assert len(rows) == 1
    row = rows[0]
    assert row["id"] == str(event.id)
    assert row["when_utc"] == event.created_at.replace(microsecond=0).isoformat() + "Z"
    assert row["when"] == format_datetime(event.created_at)  # the council's time, to the minute
    assert row["who"] == "Ada Admin"
    assert (row["action"], row["what"]) == ("item.hide", "Hidden")
    assert (row["item_type"], row["item_id"], row["item"]) == ("idea", str(idea.id), idea.title)
    assert row["consultation"] == "Whole system thinking"
    assert "=HYPERLINK" in row["after"] and row["note"] == "duplicate"
