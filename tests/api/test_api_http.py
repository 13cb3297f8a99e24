"""HTTP done properly: caching with 304, CORS, JSON errors with clear messages, rate limits."""

from __future__ import annotations

import pytest
from werkzeug.http import http_date

from kil_consult.timeutil import utcnow

from ..factories import make_vote


def ideas_url(seeded, query: str = "") -> str:
    return f"/api/v1/consultations/{seeded.consultation.slug}/ideas{query}"


@pytest.mark.parametrize(
    "path", ["/api/v1/process", "/api/v1/consultations", "/api/v1/neighbourhoods"]
)
def test_answers_are_cacheable_and_readable_from_any_site(client, seeded, path):
    response = client.get(path, headers={"Origin": "https://newsroom.example"})
    assert response.status_code == 200 and response.mimetype == "application/json"
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert "ETag" in response.headers["Access-Control-Expose-Headers"]
    assert response.headers["Cache-Control"] in ("public, max-age=60", "max-age=60, public")
    assert response.headers["ETag"].startswith('"')
    assert "Content-Security-Policy" in response.headers  # the site's headers still apply


def test_preflight_allows_conditional_gets(client, seeded):
    response = client.options(
        ideas_url(seeded),
        headers={
            "Origin": "https://dashboard.example",
            "Access-Control-Request-Method": "GET",
            "Access-Control-Request-Headers": "If-None-Match",
        },
    )
    assert response.status_code == 200
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert "GET" in response.headers["Access-Control-Allow-Methods"]
    assert "If-None-Match" in response.headers["Access-Control-Allow-Headers"]


def test_etag_gives_304_until_something_changes(client, db, seeded):
    first = client.get(ideas_url(seeded))
    etag = first.headers["ETag"]
    again = client.get(ideas_url(seeded), headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.data == b""
    assert again.headers["ETag"] == etag
    make_vote(seeded.published[0], value="agree")
    db.session.commit()
    changed = client.get(ideas_url(seeded), headers={"If-None-Match": etag})
    assert changed.status_code == 200 and changed.headers["ETag"] != etag


def test_last_modified_gives_304_until_something_changes(client, db, seeded):
    url = f"/api/v1/ideas/{seeded.published[1].id}"
    first = client.get(url)
    stamp = first.headers["Last-Modified"]
    assert client.get(url, headers={"If-Modified-Since": stamp}).status_code == 304
    later = http_date(utcnow().timestamp() + 3600)
    assert client.get(url, headers={"If-Modified-Since": later}).status_code == 304
    earlier = http_date(utcnow().timestamp() - 30 * 86400)
    assert client.get(url, headers={"If-Modified-Since": earlier}).status_code == 200


def test_a_new_vote_moves_last_modified_on(client, db, seeded):
    url = f"/api/v1/consultations/{seeded.consultation.slug}"
    before = client.get(url).last_modified
    make_vote(seeded.published[0], value="disagree")
    db.session.commit()
    after = client.get(url).last_modified
    assert after >= before


@pytest.mark.parametrize(
    "query,message",
    [
        ("?sort=popular", "sort must be one of: newest, agreed, discussed, divisive"),
        ("?limit=0", "limit must be a whole number from 1 to 100"),
        ("?limit=101", "limit must be a whole number from 1 to 100"),
        ("?limit=ten", "limit must be a whole number from 1 to 100"),
        ("?cursor=not-a-cursor", "The cursor is not valid"),
        ("?neighborhood=hastings", "Unknown parameter 'neighborhood'"),
        ("?sort=newest&sort=agreed", "Give the parameter 'sort' only once"),
        ("?neighbourhood=Not%20A%20Slug", "neighbourhood must be a neighbourhood's slug"),
    ],
)
def test_bad_parameters_get_400_with_a_clear_message(client, seeded, query, message):
    response = client.get(ideas_url(seeded, query))
    assert response.status_code == 400 and response.mimetype == "application/json"
    assert message in response.json["message"]
    assert response.json["status"] == 400 and response.json["error"]
    assert response.headers["Access-Control-Allow-Origin"] == "*"


def test_a_well_formed_filter_or_cursor_naming_nothing_is_not_found(client, seeded):
    """What the document allows is never refused as malformed: an unknown neighbourhood, or a
    cursor of the documented form that this list never gave out, is a 404."""
    for query, message in [
        ("?neighbourhood=atlantis", "There is no neighbourhood 'atlantis'"),
        ("?cursor=0.0", "The cursor is not valid"),
        ("?cursor=.eJyLNtQZhYMIxgIAfSxJNQ.GmuZSQotT1L-wZ2H", "The cursor is not valid"),
    ]:
        response = client.get(ideas_url(seeded, query))
        assert response.status_code == 404 and message in response.json["message"], query


def test_a_cursor_works_only_for_its_own_list(client, seeded):
    cursor = client.get(ideas_url(seeded, "?limit=2&sort=agreed")).json["next_cursor"]
    other_sort = client.get(ideas_url(seeded, f"?limit=2&sort=newest&cursor={cursor}"))
    assert other_sort.status_code == 404
    assert "made for sort=agreed" in other_sort.json["message"]
    other_filter = client.get(
        ideas_url(seeded, f"?limit=2&sort=agreed&neighbourhood=lewes&cursor={cursor}")
    )
    assert other_filter.status_code == 404 and "same filters" in other_filter.json["message"]
    other_place = client.get(
        f"/api/v1/consultations/{seeded.closed.slug}/ideas?limit=2&sort=agreed&cursor={cursor}"
    )
    assert other_place.status_code == 404
    tampered = cursor[:-3] + ("AAA" if not cursor.endswith("AAA") else "BBB")
    response = client.get(ideas_url(seeded, f"?limit=2&sort=agreed&cursor={tampered}"))
    assert response.status_code == 404


def test_endpoints_without_parameters_refuse_unknown_ones(client, seeded):
    response = client.get("/api/v1/process?page=2")
    assert response.status_code == 400
    assert response.json["message"] == "Unknown parameter 'page'. This address takes none."


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/consultations/no-such-consultation",
        "/api/v1/consultations/no-such-consultation/ideas",
        "/api/v1/ideas/999999",
        "/api/v1/ideas/99999999999999999999999",
        "/api/v1/no-such-thing",
    ],
)
def test_unknown_things_get_404_json(client, seeded, path):
    response = client.get(path)
    assert response.status_code == 404 and response.mimetype == "application/json"
    assert response.json["status"] == 404 and response.json["message"]


def test_rate_limit_answers_429_with_retry_after(app, client, seeded, monkeypatch):
    monkeypatch.setitem(app.config, "KIL_API_RATE_LIMIT", "3 per minute")
    statuses = [client.get("/api/v1/neighbourhoods").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    response = client.get("/api/v1/neighbourhoods")
    assert response.status_code == 429 and response.mimetype == "application/json"
    assert int(response.headers["Retry-After"]) > 0
    assert "Retry-After" in response.json["message"]
    assert response.headers["Access-Control-Allow-Origin"] == "*"


def test_the_api_page_for_people(client, seeded):
    response = client.get("/api")
    assert response.status_code in (301, 308)
    response = client.get("/api/v1/")
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and response.mimetype == "text/html"
    assert '<h1 class="govuk-heading-xl">Open data API</h1>' in page
    assert f"curl 'http://localhost/api/v1/consultations/{seeded.consultation.slug}/ideas" in page
    assert f"curl http://localhost/api/v1/ideas/{seeded.published[0].id}" in page
    assert "/api/v1/openapi.json" in page
    for summary in ("A consultation&#39;s ideas, page by page", "One idea with its comments"):
        assert summary in page
