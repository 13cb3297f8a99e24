"""Search of ideas and comments (issue 17 item 2): by their words, ranked, with filters; the
same answers on SQLite (FTS5, kept in step by triggers) and PostgreSQL (full-text search)."""

from __future__ import annotations

import pytest

from kil_consult.consultations.models import Stage
from kil_consult.ideas.models import Source
from kil_consult.ideas.search import IdeaSearch, search, search_terms
from tests import factories


@pytest.fixture
def world(db):
    factories.make_council()
    process = factories.make_process(stage=Stage.OPEN)
    first, second, draft = (
        process.consultations[0],
        process.consultations[1],
        process.consultations[3],
    )
    draft.stage = Stage.DRAFT
    north = factories.make_neighbourhood("Northtown")
    larder = factories.make_organisation(name="Northtown Larder")
    me = factories.make_user(display_name="Searcher")
    ideas = {
        "title": factories.make_idea(
            first,
            title="Open the library on Sundays",
            body="Families would use it.",
            neighbourhood=north,
        ),
        "body": factories.make_idea(
            first, title="Warm spaces", body="Libraries could be warm spaces in winter."
        ),
        "other": factories.make_idea(
            second, title="Potholes", body="Fix the potholes.", organisation_id=larder.id
        ),
        "hidden": factories.make_idea(
            first, title="Library rant", body="Rude words.", visibility="hidden"
        ),
        "draft": factories.make_idea(draft, title="Library in a draft", body="Not public."),
        "event": factories.make_idea(
            second, title="Mobile library van", body="For villages.", source=Source.EVENT
        ),
    }
    factories.make_vote(ideas["event"], me, "agree")
    comment = factories.make_comment(ideas["other"], body="The library car park has potholes too.")
    factories.db.session.commit()
    return dict(ideas=ideas, comment=comment, north=north, larder=larder, me=me, first=first)


def _titles(results):
    return [idea.title for idea in results.ideas]


def test_words_are_found_ranked_title_first_stems_matched(world):
    results = search(IdeaSearch("library"))
    # "library" matches "Libraries" (the same stem); a title match ranks above a body match;
    # hidden ideas and ideas of draft consultations are never found
    assert set(_titles(results)) == {
        "Open the library on Sundays",
        "Warm spaces",
        "Mobile library van",
    }
    assert _titles(results).index("Warm spaces") == 2
    assert results.total == 3
    assert [c.body for c in results.comments] == ["The library car park has potholes too."]
    assert search(IdeaSearch("library sundays")).total == 1  # every word must match
    assert search(IdeaSearch("the and of")).total == 0  # only common words: nothing
    assert search(IdeaSearch("")).ideas == []


def test_filters(world):
    w = world
    assert _titles(search(IdeaSearch("library", neighbourhood_id=w["north"].id))) == [
        "Open the library on Sundays"
    ]
    assert _titles(search(IdeaSearch("library", source=Source.EVENT))) == ["Mobile library van"]
    assert _titles(search(IdeaSearch("library", consultation_ids=[w["first"].id]))) == [
        "Open the library on Sundays",
        "Warm spaces",
    ]
    assert "Mobile library van" not in _titles(search(IdeaSearch("library", not_voted_by=w["me"])))
    by_larder = search(IdeaSearch("potholes", organisation_id=w["larder"].id))
    assert _titles(by_larder) == ["Potholes"] and by_larder.comments == []


def test_changes_are_searchable_at_once(world, db):
    idea = world["ideas"]["body"]
    idea.title = "Heated reading rooms"
    idea.body = "Somewhere warm to read."
    db.session.commit()
    assert _titles(search(IdeaSearch("heated"))) == ["Heated reading rooms"]
    assert "Heated reading rooms" not in _titles(search(IdeaSearch("libraries winter")))
    db.session.delete(idea)
    db.session.commit()
    assert search(IdeaSearch("heated")).total == 0


def test_hostile_text_is_only_words():
    assert search_terms('"library" OR NOT (x*) NEAR/3 -- ;DROP TABLE ideas') == [
        "library",
        "x",
        "near",
        "3",
        "drop",
        "table",
        "ideas",
    ]
    assert search_terms("a" * 500) == []


# --- the page -------------------------------------------------------------------------------


def test_search_page_finds_by_a_word_with_filters(client, world, login_as):
    page = client.get("/search").get_data(as_text=True)
    assert "Search ideas and comments" in page and "ideas match" not in page
    page = client.get("/search?q=library").get_data(as_text=True)
    assert "3 ideas match" in page and "Open the library on Sundays" in page
    assert "The library car park has potholes too." in page
    assert "Library rant" not in page and "Library in a draft" not in page
    north = world["north"].id
    page = client.get(f"/search?q=library&neighbourhood={north}").get_data(as_text=True)
    assert "1 idea matches" in page
    page = client.get("/search?q=library&source=event").get_data(as_text=True)
    assert "Mobile library van" in page and "Warm spaces" not in page
    page = client.get(f"/search?q=library&consultation={world['first'].slug}").get_data(
        as_text=True
    )
    assert "2 ideas match" in page
    # "not voted on yet" is for people signed in
    login_as(world["me"])
    page = client.get("/search?q=library&not_voted=y").get_data(as_text=True)
    assert "2 ideas match" in page and "Mobile library van" not in page
    page = client.get("/search?q=zebra").get_data(as_text=True)
    assert "No ideas match “zebra”" in page


def test_search_page_theme_filter(client, world, db):
    from kil_consult.analysis import theme_services

    theme = theme_services.create_theme(world["first"], "Libraries")
    theme_services.tag_ideas(theme, [world["ideas"]["body"].id])
    db.session.commit()
    page = client.get(f"/search?q=library&theme={theme.id}").get_data(as_text=True)
    assert "1 idea matches" in page and "Warm spaces" in page


@pytest.mark.parametrize(
    "query",
    [
        "neighbourhood=999",
        "neighbourhood=abc",
        "theme=12345",
        "organisation=x",
        "source=carrier-pigeon",
        "consultation=nowhere",
        "q=" + "x" * 500,
    ],
)
def test_bad_search_parameters_get_a_400_with_a_message(client, world, query):
    response = client.get(
        f"/search?{query}" if query.startswith("q=") else f"/search?q=library&{query}"
    )
    assert response.status_code == 400
    assert "There is a problem" in response.get_data(as_text=True)


def test_odd_parameters_do_not_break_paging(client, world, db):
    for n in range(25):
        factories.make_idea(world["first"], title=f"Library idea {n}")
    db.session.commit()
    response = client.get("/search?q=library&endpoint=x&_anchor=y&page=2")
    assert response.status_code == 200
    assert "Pages of results" in response.get_data(as_text=True)
    for page in ("0", "-4", "abc", "99999999999"):  # out of range: the nearest page
        assert client.get(f"/search?q=library&page={page}").status_code == 200


# --- the open-data API ----------------------------------------------------------------------


def test_api_search(client, world, db):
    answer = client.get("/api/v1/search?q=library").json
    assert [i["title"] for i in answer["items"]][-1] == "Warm spaces" and answer["total"] == 3
    assert answer["comments"][0]["body"] == "The library car park has potholes too."
    assert answer["comments"][0]["author"].startswith("participant-")
    assert "Searcher" not in str(answer)
    north = world["north"].slug
    assert client.get(f"/api/v1/search?q=library&neighbourhood={north}").json["total"] == 1
    assert client.get("/api/v1/search?q=library&source=event").json["total"] == 1
    larder = world["larder"].slug
    assert client.get(f"/api/v1/search?q=potholes&organisation={larder}").json["total"] == 1
    first = world["first"].slug
    assert client.get(f"/api/v1/search?q=library&consultation={first}").json["total"] == 2
    paged = client.get("/api/v1/search?q=library&limit=2").json
    assert paged["links"]["next"].endswith("page=2") or "page=2" in paged["links"]["next"]
    second = client.get(paged["links"]["next"]).json
    assert second["page"] == 2 and len(second["items"]) == 1 and second["links"]["next"] is None
    for bad, status in (
        ("", 400),
        ("&organisation=nobody", 404),
        ("&neighbourhood=nowhere", 404),
        ("&theme=999", 404),
        ("&source=pigeon", 400),
        ("&page=0", 400),
        ("&not_voted=y", 400),
    ):
        url = "/api/v1/search" + (f"?q=library{bad}" if bad else "")
        assert client.get(url).status_code == status, bad
