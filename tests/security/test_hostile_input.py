"""Hostile input, sent to every route, form field and parameter: never a 500.

The routes, the people and the world come from the access matrix, so a new route is attacked
as soon as it has an expectation there. Fields are found by reading each page's forms (so a
new field is attacked too), plus the parameters the app is known to read.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qsl

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import _empty_tables

from .test_access_matrix import EXPECTATIONS, GET, POST, build_world

CALL = "window.__kilXss"
PAYLOADS = [
    f"<script>{CALL}(1)</script>",
    f'"><img src=x onerror="{CALL}(2)">',
    f"'><svg onload={CALL}(3)>",
    f"javascript:{CALL}(4)",
    f"[a link](javascript:{CALL}(5))",
    f'<a href="javascript:{CALL}(6)">click</a>',
    f'<iframe srcdoc="<script>parent.{CALL}(7)</script>"></iframe>',
    "**bold** _it_ <b>html</b> # heading\n\n> quote\n\n```\ncode\n```",
    "{{ 7*7 }} {% if 1 %}jinja{% endif %} ${7*7}",
    "' OR '1'='1' --",
    "1; DROP TABLE ideas; --",
    '") UNION SELECT password_hash, email FROM users --',
    "\u202eevil\u202c \u200f\u200e right-to-left",
    "\x00\x01\x07\x1b[31m control \x7f",
    "\U0001f600" * 500,
    "x" * 5_000,
    "-1",
    "0",
    "99999999999999999999999999",
    "1e309",
    "NaN",
    "../../../../etc/passwd",
    "%00%ff%fe",
    "",
    " ",
]
# Parameters the app reads from query strings somewhere (sort and page included).
PARAMETERS = [
    "sort",
    "page",
    "q",
    "neighbourhood",
    "cursor",
    "limit",
    "text",
    "next",
    "reply_to",
    "status",
    "kind",
    "reason",
    "consultation",
    "action",
    "actor",
    "since",
    "until",
    "theme",
    "kept",
    "format",
]
FIELD = re.compile(r'<(?:input|textarea|select)\b[^>]*\bname="([^"]+)"')
NO_BODY = {"moderation.undo_merge"}  # the button posts nothing but its CSRF token
SKIP_AS_ADMIN = {("accounts.sign_out", POST)}  # would end the session the suite uses


def _admin_client(app, world):
    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = world.sessions["admin"]
    return client


@pytest.fixture
def world(app, db):
    _empty_tables(app)
    return build_world()


def _fields(client, path: str) -> set[str]:
    response = client.get(path)
    names = (
        set(FIELD.findall(response.get_data(as_text=True))) if response.status_code < 400 else set()
    )
    response.close()
    return names - {"csrf_token"}


def _check(response, what: str) -> None:
    status = response.status_code
    response.close()
    assert status < 500, f"{what} -> {status}"


def _routes(method: str):
    return sorted(route for route in EXPECTATIONS if route[1] == method)


@pytest.mark.parametrize("route", _routes(GET), ids=lambda r: r[0])
def test_every_parameter_of_every_page_survives_hostile_values(app, world, route):
    expect = EXPECTATIONS[route]
    visitor = app.test_client()
    for expectation in (expect, *expect.variants):
        path, _, own = expectation.path(world).partition("?")
        for n, payload in enumerate(PAYLOADS):
            query = {name: payload for name in PARAMETERS}
            query.update(part.split("=", 1) for part in own.split("&") if part)
            # Staff see the most of every page; visitors get the markup payloads too.
            clients = [_admin_client(app, world)] + ([visitor] if n < 8 else [])
            for client in clients:
                _check(client.get(path, query_string=query), f"GET {path}?... {payload!r:.40}")
        # Every id in the path pushed past what a database holds.
        huge = re.sub(r"/\d+(?=/|$|\.)", "/99999999999999999999999", path)
        if huge != path:
            _check(_admin_client(app, world).get(huge), f"GET {huge}")


# Signing out is left out here (it would end the session the suite uses) and covered by the
# session tests and tests/security/test_safe_redirects.py: no skipped case in the run.
@pytest.mark.parametrize(
    "route", [r for r in _routes(POST) if r not in SKIP_AS_ADMIN], ids=lambda r: r[0]
)
def test_every_form_field_survives_hostile_values(app, world, route):
    expect = EXPECTATIONS[route]
    client = _admin_client(app, world)
    path = expect.path(world)
    fields = _fields(client, path) | {"body", "title", "name", "value", "email", "password"}
    fields |= set(PARAMETERS)
    for payload in PAYLOADS:
        form = {name: payload for name in fields}
        _check(_admin_client(app, world).post(path, data=form), f"POST {path} {payload!r:.40}")
    # The same fields sent as repeated values, and as an uploaded file.
    _check(
        _admin_client(app, world).post(path, data={name: ["1", "2", "x"] for name in fields}),
        f"POST {path} repeated",
    )


@pytest.mark.parametrize(
    "body, content_type",
    [
        (b"\xff\xfe\x00 not text", "application/x-www-form-urlencoded"),
        (b"%%%%=%%&&==", "application/x-www-form-urlencoded"),
        (b'{"broken": ', "application/json"),
        (
            b"<?xml version='1.0'?><!DOCTYPE x [<!ENTITY e SYSTEM 'file:///etc/passwd'>]><x>&e;</x>",
            "text/xml",
        ),
        (
            b'--b\r\nContent-Disposition: form-data; name="title"\r\n\r\nunterminated',
            "multipart/form-data; boundary=b",
        ),
        (b"field=value", "multipart/form-data"),
        (b"field=value", "application/octet-stream"),
        (b"field=value", ""),
    ],
    ids=[
        "bad-bytes",
        "bad-encoding",
        "bad-json",
        "xml-entity",
        "bad-multipart",
        "no-boundary",
        "octet",
        "none",
    ],
)
def test_malformed_bodies_get_a_4xx_or_are_ignored(app, world, body, content_type):
    for route in _routes(POST):
        if route in SKIP_AS_ADMIN:
            continue
        path = EXPECTATIONS[route].path(world)
        response = _admin_client(app, world).post(path, data=body, content_type=content_type)
        _check(response, f"POST {path} as {content_type or 'no type'}")


def test_an_oversized_body_is_refused_with_413_everywhere(app, world):
    limit = app.config["MAX_CONTENT_LENGTH"]
    body = b"a=" + b"x" * (limit + 10)
    for route in _routes(POST):
        if route in SKIP_AS_ADMIN or "admin" not in EXPECTATIONS[route].allowed:
            continue  # refused before the body is read
        path = EXPECTATIONS[route].path(world)
        response = _admin_client(app, world).post(
            path, data=body, content_type="application/x-www-form-urlencoded"
        )
        status = response.status_code
        response.close()
        # 413, or a view that never reads a body (a button that only redirects).
        assert status == 413 or (status in (302, 303) and route[0] in NO_BODY), (path, status)


# --- property-based: any text in any field or parameter ------------------------------------

TEXT = st.text(alphabet=st.characters(exclude_categories=("Cs",)), max_size=300) | st.sampled_from(
    PAYLOADS
)


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_fuzz_forms_and_parameters(app, world, data):
    route = data.draw(st.sampled_from(sorted(EXPECTATIONS)), label="route")
    if route in SKIP_AS_ADMIN:
        return
    path = EXPECTATIONS[route].path(world)
    names = data.draw(
        st.lists(
            st.sampled_from(PARAMETERS + ["title", "body", "email", "password", "name"]), max_size=6
        ),
        label="names",
    )
    values = {name: data.draw(TEXT, label=name) for name in names}
    client = (
        _admin_client(app, world) if data.draw(st.booleans(), label="admin") else app.test_client()
    )
    if route[1] == GET:
        path, _, own_query = path.partition("?")
        response = client.get(path, query_string={**values, **dict(parse_qsl(own_query))})
    else:
        response = client.post(path, data=values)
    _check(response, f"{route[1]} {path} {values!r:.200}")


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    sort=TEXT,
    limit=TEXT | st.integers().map(str),
    cursor=TEXT,
    neighbourhood=TEXT,
    idea=st.integers(min_value=-(2**80), max_value=2**80),
)
def test_fuzz_the_open_data_api(app, world, sort, limit, cursor, neighbourhood, idea):
    client = app.test_client()
    slug = world.open.slug
    query = {"sort": sort, "limit": limit, "cursor": cursor, "neighbourhood": neighbourhood}
    response = client.get(f"/api/v1/consultations/{slug}/ideas", query_string=query)
    assert response.status_code in (200, 400), response.status_code
    assert response.is_json
    response.close()
    response = client.get(f"/api/v1/ideas/{idea}")
    assert response.status_code in (200, 404), response.status_code
    response.close()


# --- regressions for what this suite found ---------------------------------------------------


def test_an_id_larger_than_any_database_id_is_not_found(app, world):
    client = _admin_client(app, world)
    for path in ("/ideas/9223372036854775808", "/moderation/user/99999999999999999999"):
        assert client.get(path).status_code == 404


def test_a_date_sent_as_one_value_instead_of_three_comes_back_with_a_message(app, world):
    client = _admin_client(app, world)
    response = client.post(f"/admin/consultations/{world.open.slug}", data={"opens_on": "1"})
    assert response.status_code == 400
    response = client.post(f"/admin/consultations/{world.open.slug}/offline", data={"held_on": "x"})
    assert response.status_code == 400


def test_numbers_too_large_for_an_id_in_forms_are_refused_with_a_message(app, world):
    client = _admin_client(app, world)
    huge = "99999999999999999999999999"
    response = client.post(f"/ideas/{world.idea.id}/merge", data={"target_id": huge})
    assert response.status_code == 400
    response = client.post(
        f"/consultations/{world.open.slug}/summary",
        data={"overview": "Overview", "finding-0-text": "A finding", "finding-0-ideas": huge},
    )
    assert response.status_code < 500


def test_nul_characters_are_refused_in_one_place(app, world):
    """PostgreSQL cannot hold NUL: the people search once failed with a 500 on it."""
    client = _admin_client(app, world)
    assert client.get("/admin/people", query_string={"q": "a\x00b"}).status_code == 400
    assert client.get("/consultations/x%00y").status_code == 400
    response = client.post("/account/sign-in", data={"email": "a\x00@example.org", "password": "x"})
    assert response.status_code == 400
