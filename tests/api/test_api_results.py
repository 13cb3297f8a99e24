"""Open data for issues 4 and 5: ideas filtered by source, author type and theme; a
consultation's themes, its published summary and its published results."""

from __future__ import annotations

from kil_consult.analysis.models import Theme, ThemeIdea, ThemeStatus
from kil_consult.consultations.models import Stage
from kil_consult.ideas.models import Source
from kil_consult.statements import summaries
from kil_consult.timeutil import utcnow

from ..factories import (
    make_consultation,
    make_council,
    make_idea,
    make_organisation,
    make_user,
    make_vote,
)


def _world(db):
    make_council()
    consultation = make_consultation()
    member = make_user()
    larder = make_organisation(name="Rye Larder", slug="rye-larder", members=[member])
    own = make_idea(consultation, title="A resident's idea")
    org = make_idea(consultation, member, title="The larder's idea", organisation=larder)
    paper = make_idea(consultation, title="From a paper form", source=Source.PAPER)
    for idea in (own, org, paper):
        make_vote(idea, value="agree")
    make_vote(org, value="disagree")
    theme = Theme(consultation_id=consultation.id, name="Food", status=ThemeStatus.ACCEPTED)
    suggested = Theme(consultation_id=consultation.id, name="Maybe", status=ThemeStatus.SUGGESTED)
    db.session.add_all([theme, suggested])
    db.session.flush()
    db.session.add(ThemeIdea(theme_id=theme.id, idea_id=org.id))
    db.session.commit()
    return consultation, own, org, paper, theme, suggested


def _titles(client, url):
    response = client.get(url)
    assert response.status_code == 200, response.json
    return [item["title"] for item in response.json["items"]]


def test_ideas_show_their_source_and_organisation_and_filter_by_them(client, db):
    consultation, own, org, paper, theme, suggested = _world(db)
    base = f"/api/v1/consultations/{consultation.slug}/ideas"
    items = {item["id"]: item for item in client.get(base).json["items"]}
    assert items[paper.id]["source"] == "paper" and items[own.id]["source"] == "online"
    assert items[org.id]["organisation"]["name"] == "Rye Larder"
    assert items[own.id]["organisation"] is None
    assert _titles(client, base + "?source=paper") == ["From a paper form"]
    assert _titles(client, base + "?author_type=organisation") == ["The larder's idea"]
    assert set(_titles(client, base + "?author_type=resident")) == {
        "A resident's idea",
        "From a paper form",
    }
    assert _titles(client, base + f"?theme={theme.id}") == ["The larder's idea"]
    for bad in ("source=fax", "author_type=robot", "theme=0"):
        answer = client.get(f"{base}?{bad}")
        assert answer.status_code == 400, bad
        assert answer.json["message"]
    unknown = client.get(f"{base}?theme={suggested.id}")  # well formed, but no accepted theme
    assert unknown.status_code == 404 and unknown.json["message"]


def test_a_filtered_walk_keeps_its_filters_in_the_cursor(client, db):
    consultation, *_ = _world(db)
    base = f"/api/v1/consultations/{consultation.slug}/ideas?author_type=resident&limit=1"
    first = client.get(base).json
    assert first["author_type"] == "resident" and first["next_cursor"]
    second = client.get(first["links"]["next"].split("localhost", 1)[-1]).json
    assert first["items"][0]["id"] != second["items"][0]["id"]
    assert second["next_cursor"] is None
    moved = client.get(
        f"/api/v1/consultations/{consultation.slug}/ideas?author_type=organisation&limit=1"
        f"&cursor={first['next_cursor']}"
    )
    assert moved.status_code == 404


def test_themes_list_only_accepted_ones_with_counts(client, db):
    consultation, *_rest, theme, _suggested = _world(db)
    answer = client.get(f"/api/v1/consultations/{consultation.slug}/themes").json
    assert [(t["id"], t["name"], t["ideas"]) for t in answer["items"]] == [(theme.id, "Food", 1)]


def test_summary_and_results_are_404_until_published_then_public(client, db):
    consultation, own, org, paper, _theme, _ = _world(db)
    summary_url = f"/api/v1/consultations/{consultation.slug}/summary"
    results_url = f"/api/v1/consultations/{consultation.slug}/results"
    facilitator = make_user("facilitator")
    summaries.save_draft(
        consultation,
        facilitator,
        "People want food help.",
        "Food",
        "DRAFT-DECISION",
        "",
        [summaries.FindingDraft("Larders matter", [org.id])],
    )
    db.session.commit()
    assert client.get(summary_url).status_code == 404
    assert client.get(results_url).status_code == 404
    summaries.publish(consultation, facilitator, early_reason="Test data")
    db.session.commit()
    summary = client.get(summary_url).json
    assert summary["version"] == 1 and summary["findings"] == [
        {"text": "Larders matter", "ideas": [org.id]}
    ]
    # Published early, while people can still vote: the results stay back, as on the pages.
    assert client.get(results_url).status_code == 404
    consultation.stage, consultation.closed_at = Stage.CLOSED, utcnow()
    db.session.commit()
    results = client.get(results_url).json
    assert results["participation"]["ideas_by_author_type"] == {"resident": 2, "organisation": 1}
    assert results["participation"]["ideas_by_source"]["paper"] == 1
    assert {row["idea"] for row in results["most_supported"]} == {own.id, org.id, paper.id}
    # Two agree votes with none against rank above one for and one against.
    assert results["most_supported"][-1]["idea"] == org.id
    assert "@" not in client.get(results_url).get_data(as_text=True)
