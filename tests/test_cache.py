"""The shared page cache, in Redis and in the local file store: visitors get cached pages
until something they show changes."""

from __future__ import annotations

import pytest

from kil_consult.ideas.models import VoteValue
from kil_consult.ideas.votes import cast_vote

from . import factories
from .test_rate_limits import REDIS, redis_is_up


@pytest.fixture(autouse=True)
def _redis_is_required():
    """Fail, never skip, without Redis: `make test` starts one (.ci/ensure-tools)."""
    if not redis_is_up():
        pytest.fail(f"Redis is not answering on {REDIS[0]}:{REDIS[1]} (run `make tools`)")


def stored(cache, key: str) -> bool:
    return cache.store.get_many([key])[0] is not None


def test_a_vote_shows_at_once_on_the_cached_page(client, db, council, cache):
    idea = factories.make_idea(title="A bus for the villages")
    db.session.commit()
    path = f"/consultations/{idea.consultation.slug}"
    first = client.get(path)
    assert client.get(path).data.count(b'data-count="agree">0<') == 1
    assert stored(cache, "kil:page:" + path + "?")
    cast_vote(idea, factories.make_user(), VoteValue.AGREE)
    db.session.commit()
    assert b'data-count="agree">1<' in client.get(path).data
    assert first.status_code == 200


def test_each_cached_page_gets_its_own_nonce(client, db, council, cache):
    idea = factories.make_idea()
    db.session.commit()
    one, two = client.get(f"/ideas/{idea.id}"), client.get(f"/ideas/{idea.id}")
    for response in (one, two):
        nonce = response.headers["Content-Security-Policy"].split("'nonce-")[1].split("'")[0]
        assert f'nonce="{nonce}"'.encode() in response.data
    assert one.headers["Content-Security-Policy"] != two.headers["Content-Security-Policy"]


def test_signed_in_people_never_get_a_visitor_page(client, db, council, cache, login_as):
    idea = factories.make_idea()
    db.session.commit()
    path = f"/ideas/{idea.id}"
    client.get(path)
    user = login_as()
    assert user.display_name.encode() in client.get(path).data


def test_a_sign_in_leaves_the_cache_alone(client, db, council, cache, login_as):
    factories.make_idea()
    user = factories.make_user()
    db.session.commit()
    before = cache.store.get_many(["kil:v:g"])
    login_as(user)
    assert cache.store.get_many(["kil:v:g"]) == before
