"""Schemathesis reads the app's own OpenAPI document and throws generated requests, valid and
invalid, at every operation on seeded data: no answer may be a server error, use a status the
document does not list, or break the document's schemas.

(Schemathesis' own pytest integration does not yet run under pytest 9, so each operation's
cases are drawn here with its Hypothesis strategy.)
"""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    missing_required_header,
    negative_data_rejection,
    positive_data_acceptance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
    unsupported_method,
)

from kil_consult.api.openapi import _path_and_parameters
from kil_consult.api.routes import ENDPOINTS

from .conftest import seed

# Every check schemathesis has that judges one answer (as `st run --checks all` does).
CHECKS = [
    schemathesis.checks.not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    response_headers_conformance,
    positive_data_acceptance,
    negative_data_rejection,
    missing_required_header,
    unsupported_method,
]
# Valid requests for every operation; invalid ones for each operation that takes parameters.
CASES = [
    pytest.param(path, mode, id=f"{path}-{mode.value}")
    for endpoint in ENDPOINTS
    for path, parameters in [_path_and_parameters(endpoint.rule)]
    for mode in GenerationMode
    if mode is GenerationMode.POSITIVE or parameters or endpoint.query.model_fields
]


@pytest.fixture
def api_schema(app, db, monkeypatch):
    monkeypatch.setitem(app.config, "KIL_API_RATE_LIMIT", "100000 per minute")
    seed(db)
    return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)


@pytest.mark.parametrize("path,mode", CASES)
def test_api_answers_as_its_openapi_document_says(api_schema, path, mode):
    operation = api_schema[path]["GET"]
    statuses = []

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(
        max_examples=40,
        deadline=None,
        database=None,
        derandomize=True,  # the same cases on every run: the suite never passes by luck
        suppress_health_check=list(HealthCheck),
    )
    def check(case):
        response = case.call_and_validate(checks=CHECKS)
        statuses.append(response.status_code)

    check()
    assert statuses  # cases were drawn and sent
    if mode is GenerationMode.POSITIVE and "{" not in path:
        assert 200 in statuses
    # Generated slugs, ids and version numbers rarely exist: the operations with path
    # parameters are checked on seeded ones in test_answers_about_real_things_match_the_document.


def test_answers_about_real_things_match_the_document(api_schema, db):
    """Generated slugs and ids rarely exist: check each operation on seeded ones too."""
    from kil_consult.consultations.models import Consultation, Stage
    from kil_consult.ideas.models import Idea, Visibility
    from kil_consult.timeutil import utcnow

    first = db.session.query(Consultation).order_by(Consultation.id).first()
    # Closed, so its results are public (its summary is published): every operation answers.
    first.stage, first.closed_at = Stage.CLOSED, utcnow()
    db.session.commit()
    slug = first.slug
    idea = db.session.query(Idea).filter(Idea.visibility == Visibility.PUBLISHED).first()
    from kil_consult.network.rounds import signed_off_rounds

    values = {"slug": slug, "idea_id": idea.id, "number": 1, "round_id": signed_off_rounds()[0].id}
    ideas_path = "/api/v1/consultations/{slug}/ideas"
    for path in api_schema.raw_schema["paths"]:
        needed = {name: values[name] for name in values if "{" + name + "}" in path}
        query = {"q": "idea"} if path.endswith("/search") else None  # the words are required
        case = api_schema[path]["GET"].Case(path_parameters=needed, query=query)
        response = case.call_and_validate(checks=CHECKS)
        assert response.status_code == 200, (path, response.text)
    cursor, pages = None, 0
    while True:
        query = {"sort": "divisive", "limit": 5, **({"cursor": cursor} if cursor else {})}
        case = api_schema[ideas_path]["GET"].Case(path_parameters={"slug": slug}, query=query)
        response = case.call_and_validate(checks=CHECKS)
        pages += 1
        cursor = response.json()["next_cursor"]
        if cursor is None:
            break
    assert pages == 3
