"""What the open-data API says: the same counts and orders as the site, keyset pages that give
each idea once, comments with replies, and participants only as pseudonyms."""

from __future__ import annotations

import secrets
from datetime import timedelta

import pytest

from kil_consult.accounts.pseudonyms import pseudonym_of_author
from kil_consult.ideas.counts import counts_for
from kil_consult.ideas.models import Visibility
from kil_consult.ideas.services import SORTS, list_ideas
from kil_consult.timeutil import utcnow

from ..factories import make_idea, make_vote
from .conftest import seed


def walk(client, url: str) -> list[dict]:
    """Every page from ``url`` on, following links.next; each page's JSON."""
    pages = []
    while url:
        response = client.get(url)
        assert response.status_code == 200, response.json
        pages.append(response.json)
        url = response.json["links"]["next"]
        if url:
            assert response.headers["Link"] == f'<{url}>; rel="next"'
    return pages


def test_process_and_consultations_show_the_sites_counts(client, seeded):
    process = client.get("/api/v1/process").json
    assert process["slug"] == seeded.process.slug
    slugs = [c["slug"] for c in process["consultations"]]
    assert seeded.draft.slug not in slugs and seeded.consultation.slug in slugs
    counts = counts_for([seeded.consultation.id])[seeded.consultation.id]
    first = process["consultations"][0]
    assert first["counts"] == vars(counts)
    assert first["counts"]["ideas"] == len(seeded.published)
    assert (first["stage"], first["accepting"]) == ("open", True)
    closed = client.get(f"/api/v1/consultations/{seeded.closed.slug}").json
    assert (closed["stage"], closed["stage_label"], closed["accepting"]) == (
        "closed",
        "Closed",
        False,
    )
    listed = client.get("/api/v1/consultations").json["items"]
    assert [c["slug"] for c in listed] == slugs
    page = client.get(f"/consultations/{seeded.consultation.slug}").get_data(as_text=True)
    people = "person" if counts.participants == 1 else "people"
    assert f"{counts.ideas} shared, {counts.participants} {people} taking part" in page


@pytest.mark.parametrize("sort", list(SORTS))
def test_walking_every_page_gives_each_idea_once_in_the_sites_order(client, db, seeded, sort):
    url = f"/api/v1/consultations/{seeded.consultation.slug}/ideas?sort={sort}&limit=5"
    pages = walk(client, url)
    assert len(pages) == 3 and [len(p["items"]) for p in pages] == [5, 5, 2]
    assert {p["total"] for p in pages} == {len(seeded.published)}
    ids = [item["id"] for p in pages for item in p["items"]]
    site = list_ideas(seeded.consultation, sort=sort, per_page=100).items
    assert ids == [idea.id for idea in site if idea.visibility is Visibility.PUBLISHED]
    assert pages[-1]["next_cursor"] is None and pages[-1]["links"]["next"] is None


def test_ideas_arriving_between_pages_are_not_repeated_or_skipped(client, db, seeded):
    url = f"/api/v1/consultations/{seeded.consultation.slug}/ideas?sort=newest&limit=4"
    first = client.get(url).json
    make_idea(seeded.consultation, title="Arrived while paging", created_at=utcnow())
    db.session.commit()
    rest = walk(client, first["links"]["next"])
    ids = [i["id"] for i in first["items"]] + [i["id"] for p in rest for i in p["items"]]
    assert sorted(ids) == sorted(idea.id for idea in seeded.published)
    assert len(ids) == len(set(ids))


def test_votes_changing_the_order_between_pages_do_not_break_the_walk(client, db, seeded):
    url = f"/api/v1/consultations/{seeded.consultation.slug}/ideas?sort=agreed&limit=6"
    first = client.get(url).json
    # An idea on the second page now leapfrogs onto the first: the walk carries on after
    # the last idea seen, so it is not shown twice.
    second_ids = [i["id"] for i in client.get(first["links"]["next"]).json["items"]]
    climber = next(i for i in seeded.published if i.id == second_ids[-1])
    for _ in range(6):
        make_vote(climber, value="agree")
    db.session.commit()
    rest = walk(client, first["links"]["next"])
    ids = [i["id"] for i in first["items"]] + [i["id"] for p in rest for i in p["items"]]
    assert len(ids) == len(set(ids))


def test_neighbourhood_filter(client, seeded):
    hastings = seeded.places[0]
    pages = walk(
        client,
        f"/api/v1/consultations/{seeded.consultation.slug}/ideas?neighbourhood={hastings.slug}&limit=2",
    )
    items = [i for p in pages for i in p["items"]]
    expected = {i.id for i in seeded.published if i.neighbourhood_id == hastings.id}
    assert {i["id"] for i in items} == expected and pages[0]["total"] == len(expected)
    assert all(i["neighbourhood"]["slug"] == hastings.slug for i in items)
    assert all("neighbourhood=hastings" in p["links"]["self"] for p in pages)
    places = client.get("/api/v1/neighbourhoods").json["items"]
    assert [p["slug"] for p in places] == ["hastings", "lewes"]


def test_an_idea_with_counts_comments_and_replies(client, seeded):
    idea = seeded.published[4]
    body = client.get(f"/api/v1/ideas/{idea.id}").json
    assert body["counts"] == {
        "agree": idea.agree_count,
        "disagree": idea.disagree_count,
        "pass": idea.pass_count,
        "votes": idea.vote_count,
        "comments": idea.comment_count,
    }
    assert body["counts"]["votes"] == 4
    (thread,) = body["comments"]
    assert thread["body"] == "Comment on idea 4"
    assert [r["body"] for r in thread["replies"]] == ["Reply on idea 4"]
    assert thread["replies"][0]["parent_id"] == thread["id"]
    assert body["links"]["html"].endswith(f"/ideas/{idea.id}")


def test_authors_appear_as_stable_pseudonyms(client, app, seeded, monkeypatch):
    person = seeded.person
    first = seeded.published[0]
    expected = pseudonym_of_author(first)
    assert expected.startswith("participant-")
    with monkeypatch.context() as patch:
        patch.setitem(app.config, "KIL_PSEUDONYM_KEY", secrets.token_hex(32))
        assert pseudonym_of_author(first) != expected  # keyed with the pseudonym key
    with monkeypatch.context() as patch:
        patch.setitem(app.config, "SECRET_KEY", secrets.token_hex(32))
        assert pseudonym_of_author(first) == expected  # and not with the session key
    body = client.get(f"/api/v1/ideas/{first.id}").json
    assert body["author"] == expected
    assert body["comments"][0]["author"] == expected
    assert client.get(f"/api/v1/ideas/{first.id}").json["author"] == expected
    others = {pseudonym_of_author(i) for i in seeded.published if i.author_id != person.id}
    assert expected not in others and len(others) > 1


def test_drafts_hidden_and_waiting_ideas_are_not_found(client, seeded):
    for idea in (seeded.hidden_idea, seeded.pending_idea, seeded.draft_idea):
        response = client.get(f"/api/v1/ideas/{idea.id}")
        assert response.status_code == 404 and response.json["status"] == 404
    response = client.get(f"/api/v1/consultations/{seeded.draft.slug}/ideas")
    assert response.status_code == 404
    assert "no published consultation" in response.json["message"]


def test_staff_get_the_same_public_answer(client, login_as, seeded):
    before = client.get(f"/api/v1/consultations/{seeded.consultation.slug}/ideas?limit=100")
    login_as("admin")
    after = client.get(f"/api/v1/consultations/{seeded.consultation.slug}/ideas?limit=100")
    assert after.json == before.json
    assert client.get(f"/api/v1/ideas/{seeded.hidden_idea.id}").status_code == 404
    assert client.get(f"/api/v1/consultations/{seeded.draft.slug}").status_code == 404


def test_consultation_after_its_closing_time_reads_closed(client, db, seeded):
    seeded.consultation.closes_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    body = client.get(f"/api/v1/consultations/{seeded.consultation.slug}").json
    assert (body["stage"], body["accepting"]) == ("closed", False)


def test_no_process_yet(client, db):
    assert client.get("/api/v1/process").status_code == 404
    assert client.get("/api/v1/consultations").json == {"items": []}
    assert client.get("/api/v1/").status_code == 200


def test_a_short_list_is_one_page(client, db):
    seeded = seed(db, ideas=3)
    body = client.get(f"/api/v1/consultations/{seeded.consultation.slug}/ideas").json
    assert body["total"] == 3 and body["next_cursor"] is None and body["limit"] == 20
