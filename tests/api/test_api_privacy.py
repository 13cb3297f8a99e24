"""Hidden and waiting content, drafts and personal data never appear in any answer."""

from __future__ import annotations

import json
from urllib.parse import quote

from kil_consult.api.routes import ENDPOINTS

from .conftest import DRAFT_MARK, HIDDEN_MARK, PENDING_MARK, SECRET_EMAIL, SECRET_NAME


def every_answer(client, seeded) -> dict[str, str]:
    """Every API address with the seeded data filled in, each page of every list, as text."""
    values = {
        "slug": [c.slug for c in (seeded.consultation, seeded.closed, seeded.draft)],
        "idea_id": [i.id for i in seeded.published]
        + [seeded.hidden_idea.id, seeded.pending_idea.id, seeded.draft_idea.id],
    }
    urls = ["/api/v1/", "/api/v1/openapi.json"]
    for endpoint in ENDPOINTS:
        rule = endpoint.rule
        if "<slug>" in rule:
            urls += [rule.replace("<slug>", slug) for slug in values["slug"]]
        elif "<int:idea_id>" in rule:
            urls += [rule.replace("<int:idea_id>", str(i)) for i in values["idea_id"]]
        elif rule.endswith("/search"):  # search for the very words that must not appear
            words = (HIDDEN_MARK, PENDING_MARK, DRAFT_MARK, SECRET_NAME, "idea", "comment")
            urls += [f"{rule}?q={quote(word)}" for word in words]
        elif "<int:number>" in rule:
            urls += [rule.replace("<int:number>", str(n)) for n in (1, 2, 99)]
        else:
            urls.append(rule)
    answers = {}
    while urls:
        url = urls.pop()
        response = client.get(url)
        assert response.status_code in (200, 404), (url, response.status_code)
        answers[url] = response.get_data(as_text=True)
        if response.is_json and (response.json or {}).get("links", {}).get("next"):
            urls.append(response.json["links"]["next"])
    return answers


def test_no_answer_shows_hidden_waiting_or_draft_content_or_personal_data(client, seeded):
    answers = every_answer(client, seeded)
    assert len(answers) > 20
    person = seeded.person
    forbidden = [
        HIDDEN_MARK,
        PENDING_MARK,
        DRAFT_MARK,
        SECRET_EMAIL,
        SECRET_NAME,
        "private.example",
        "Leakmore",
        person.password_hash,
        "password",
        "@example.org",  # every other factory-made person's email
    ]
    for url, text in answers.items():
        if "/search?" in url:  # leave out the words searched for, repeated in the answer
            found = json.loads(text)
            text = json.dumps([found["items"], found["comments"]])
            if "MUST-NOT-APPEAR" in url or "Leakmore" in url:
                assert found["total"] == found["comments_total"] == 0, url
        for needle in forbidden:
            assert needle not in text, f"{needle!r} appears in {url}"
    ideas = answers[f"/api/v1/consultations/{seeded.consultation.slug}/ideas"]
    assert "Published idea" in ideas  # the walk did read real content
    assert "Published idea" in answers["/api/v1/search?q=idea"]  # so did the search


def test_every_endpoint_is_listed_and_the_openapi_document_covers_it(client):
    document = client.get("/api/v1/openapi.json").json
    assert document["openapi"] == "3.1.0"
    paths = set(document["paths"])
    assert {
        "/api/v1/process",
        "/api/v1/consultations",
        "/api/v1/consultations/{slug}",
        "/api/v1/consultations/{slug}/ideas",
        "/api/v1/ideas/{idea_id}",
        "/api/v1/neighbourhoods",
        "/api/v1/consultations/{slug}/themes",
        "/api/v1/consultations/{slug}/summary",
        "/api/v1/consultations/{slug}/results",
        "/api/v1/statement",
        "/api/v1/statement/versions",
        "/api/v1/statement/versions/{number}",
        "/api/v1/commitments",
        "/api/v1/search",
        "/api/v1/network/returns",
        "/api/v1/network/returns/latest",
        "/api/v1/network/returns/{round_id}",
    } == paths
    ideas = document["paths"]["/api/v1/consultations/{slug}/ideas"]["get"]
    params = {p["name"]: p for p in ideas["parameters"]}
    assert params["sort"]["schema"]["enum"] == ["newest", "agreed", "discussed", "divisive"]
    assert params["limit"]["schema"]["maximum"] == 100
    for schema in document["components"]["schemas"].values():
        assert schema.get("additionalProperties") is False
