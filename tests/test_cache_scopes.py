"""Scoped caching: a vote empties its idea's and its consultation's entries and nothing else
(visitors' pages; signed-in shells that fill their tallies keep theirs, tests/test_page_shells.py);
cached idea cards show each person their own vote and carry nothing of anyone's (Redis and the
local file store, on SQLite and PostgreSQL)."""

from __future__ import annotations

import re

from flask import Flask, g

from kil_consult.cache import PAGE_PREFIX, content_cache
from kil_consult.ideas.cards import _content_key
from kil_consult.ideas.models import VoteValue
from kil_consult.ideas.votes import cast_vote

from . import factories
from .test_cache import _redis_is_required  # noqa: F401 - a fixture: Redis must answer


def current(app: Flask, path: str) -> bool:
    """Whether the visitor page at ``path`` is cached and still current (read afresh)."""
    with app.test_request_context():
        return content_cache().get(PAGE_PREFIX + path + "?") is not None


def card_stored(app: Flask, idea) -> bool:
    with app.test_request_context():
        cache = content_cache()
        version = cache.versions(["g"])["g"]
        return cache.store.get_many([_content_key(idea, version)])[0] is not None


def sign_in(app: Flask, user):
    client = app.test_client()
    response = client.post(
        "/account/sign-in", data={"email": user.email, "password": factories.PASSWORD}
    )
    assert response.status_code == 302
    return client


def page_for(client, path: str) -> str:
    """The page as this client's person sees it (the test's app context outlives requests, so
    Flask-Login's user and the CSRF token kept on ``g`` are dropped first)."""
    g.pop("_login_user", None)
    g.pop("csrf_token", None)  # Flask-WTF keeps the token there too
    return client.get(path).data.decode()


def test_a_vote_on_one_idea_leaves_other_ideas_and_consultations_cached(
    app, client, db, council, cache
):
    first = factories.make_consultation()
    idea_a = factories.make_idea(consultation=first, title="A bus for the villages")
    idea_b = factories.make_idea(consultation=first, title="A library van")
    other = factories.make_consultation()
    idea_c = factories.make_idea(consultation=other, title="Allotments by the river")
    db.session.commit()
    pages = {
        "a": f"/ideas/{idea_a.id}",
        "b": f"/ideas/{idea_b.id}",
        "first": f"/consultations/{first.slug}",
        "other": f"/consultations/{other.slug}",
    }
    for path in pages.values():
        assert client.get(path).status_code == 200
    assert [path for path in pages.values() if not current(app, path)] == []
    assert card_stored(app, idea_a) and card_stored(app, idea_b) and card_stored(app, idea_c)

    cast_vote(idea_a, factories.make_user(), VoteValue.AGREE)
    db.session.commit()

    assert not current(app, pages["a"]) and not current(app, pages["first"])
    assert current(app, pages["b"]) and current(app, pages["other"])
    # the cards hold no counts (put in as each page is made): all three are kept
    assert card_stored(app, idea_a) and card_stored(app, idea_b) and card_stored(app, idea_c)
    assert b'data-count="agree">1<' in client.get(pages["a"]).data
    listing = client.get(pages["first"]).data.decode()
    card_a = listing.split(f'id="idea-{idea_a.id}"')[1].split("</ul>")[0]
    assert 'data-count="agree">1<' in card_a


def test_a_public_name_change_empties_every_card(app, client, db, council, cache):
    idea = factories.make_idea(title="A bus for the villages")
    db.session.commit()
    client.get(f"/consultations/{idea.consultation.slug}")
    assert card_stored(app, idea)
    idea.author.display_name = "Renamed Resident"
    db.session.commit()
    assert not card_stored(app, idea)
    assert b"Renamed Resident" in client.get(f"/consultations/{idea.consultation.slug}").data


def test_each_person_sees_their_own_vote_on_a_cached_card(app, db, council, cache):
    idea = factories.make_idea(title="A bus for the villages")
    voter, other = factories.make_user(display_name="Vera Voter"), factories.make_user()
    cast_vote(idea, voter, VoteValue.DISAGREE)
    db.session.commit()
    path = f"/consultations/{idea.consultation.slug}"
    voter_client, other_client = sign_in(app, voter), sign_in(app, other)

    mine = page_for(voter_client, path)
    assert "Vera Voter" in mine
    assert card_stored(app, idea)
    theirs = page_for(other_client, path)  # the same card, from the cache
    assert "Vera Voter" not in theirs

    def card(html: str) -> str:
        return html.split(f'id="idea-{idea.id}"')[1].split("</form>")[0]

    assert 'value="disagree"' in card(mine) and "(your vote)" in card(mine)
    assert "You voted disagree." in card(mine)
    pressed = re.search(r'value="disagree"\s+class="[^"]*"\s+aria-pressed="(\w+)"', card(mine))
    assert pressed and pressed.group(1) == "true"
    assert "(your vote)" not in card(theirs) and "You voted" not in card(theirs)
    assert 'aria-pressed="true"' not in card(theirs)

    tokens = {
        name: re.search(r'name="csrf_token" value="([^"]+)"', card(html)).group(1)
        for name, html in (("mine", mine), ("theirs", theirs))
    }
    assert tokens["mine"] != tokens["theirs"]  # each person's own token, not a cached one
    with app.test_request_context():
        cache = content_cache()
        stored = cache.store.get_many([_content_key(idea, cache.versions(["g"])["g"])])[0]
    fragment = bytes(stored).decode()
    for private in ("csrf_token", tokens["mine"], tokens["theirs"], "You voted", "your vote"):
        assert private not in fragment
    assert "A bus for the villages" in fragment


def test_a_visitor_gets_the_cached_card_without_vote_buttons(app, client, db, council, cache):
    idea = factories.make_idea(title="A bus for the villages")
    voter = factories.make_user()
    db.session.commit()
    path = f"/consultations/{idea.consultation.slug}"
    assert "csrf_token" in page_for(sign_in(app, voter), path)
    visitor = page_for(client, path)
    assert "A bus for the villages" in visitor and "csrf_token" not in visitor
