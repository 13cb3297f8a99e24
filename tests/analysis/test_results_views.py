"""The results page's two views, the bar and verdicts it states, results kept back while a
consultation is open, and ``kil analyse SLUG --json`` (issue 14)."""

from __future__ import annotations

import json
import random

from kil_consult.accounts.models import Role
from kil_consult.analysis import results
from kil_consult.analysis.tasks import fresh_results
from kil_consult.audit.models import AuditEvent
from kil_consult.consultations.models import Stage
from kil_consult.extensions import db as _db
from kil_consult.statements import summaries

from ..factories import make_consultation, make_idea, make_user, make_vote
from .test_results import two_camps

TECHNICAL = ("Wilson interval", "k-means", "silhouette", "principal component")


def _publish(consultation, author):
    summaries.save_draft(consultation, author, "What people said.", "", "", "", [])
    summaries.publish(consultation, author)
    _db.session.commit()


def test_staff_see_division_split_and_consensus_with_its_bar(client, council, db, login_as):
    consultation = make_consultation()
    divided, common = two_camps(consultation)
    login_as(Role.FACILITATOR)
    page = client.get(f"/consultations/{consultation.slug}/results").get_data(as_text=True)
    shown = fresh_results(consultation)
    assert shown.separation.distinct and shown.has_groups
    # Every shared idea passes the bar, and only they do; the page says how many.
    assert {item.idea.id for item in shown.consensus} == {i.id for i in common}
    assert f"3 of the {len(divided) + 3} ideas pass that bar" in page
    # What divides opinion compares the groups: the divided ideas, not the shared ones.
    assert {d.idea.id for d in shown.division} == {i.id for i in divided}
    divides = page.split('id="divides"')[1].split('id="split"')[0]
    assert "compares the opinion groups" in divides
    assert all(i.title in divides for i in divided)
    assert "everyone together, whatever their group" in page
    # Representative ideas name their direction and their numbers in words.
    assert "of this group agree, against" in page or "of this group disagree, against" in page
    assert "silhouette" in page  # staff get the method with its figures


def test_residents_read_plain_english_once_closed_and_published(client, council, db, login_as):
    consultation = make_consultation()
    two_camps(consultation)
    staff = make_user(role=Role.FACILITATOR)
    consultation.stage = Stage.CLOSED
    _publish(consultation, staff)
    fresh_results(consultation)
    login_as(Role.RESIDENT)
    page = client.get(f"/consultations/{consultation.slug}/results").get_data(as_text=True)
    assert 'id="divides-list"' in page and 'id="consensus-list"' in page
    assert "How these results are worked out" in page
    assert "of this group" in page
    for word in TECHNICAL:
        assert word.lower() not in page.lower(), word
    assert 'id="consensus-table"' not in page


def test_no_structure_shows_no_groups(client, council, db, login_as):
    consultation = make_consultation()
    ideas = [make_idea(consultation, title=f"Idea {n}") for n in range(12)]
    rng = random.Random(3)
    for _ in range(60):
        voter = make_user()
        for idea in ideas:
            make_vote(idea, voter, rng.choice(["agree", "disagree"]))
    _db.session.commit()
    login_as(Role.FACILITATOR)
    page = client.get(f"/consultations/{consultation.slug}/results").get_data(as_text=True)
    shown = fresh_results(consultation)
    assert not shown.separation.distinct and not shown.division
    assert 'id="no-groups"' in page and "People do not fall into distinct groups" in page
    assert "Group B" not in page


def test_a_summary_of_an_open_consultation_is_refused_unless_the_reason_is_given(
    client, council, db, login_as
):
    consultation = make_consultation()
    two_camps(consultation, per_camp=6)
    staff = login_as(Role.FACILITATOR)
    summaries.save_draft(consultation, staff, "Early findings.", "", "", "", [])
    _db.session.commit()
    url = f"/consultations/{consultation.slug}/summary/publish"
    response = client.post(url, data={}, follow_redirects=True)
    assert "This consultation is still open" in response.get_data(as_text=True)
    assert not results.results_published(consultation)
    client.post(url, data={"early_reason": "Cabinet meets before the close"})
    assert results.results_published(consultation)
    event = _db.session.query(AuditEvent).filter_by(action="summary.publish_early").one()
    assert event.note == "Cabinet meets before the close"
    # Still open: residents do not see the results yet.
    login_as(Role.RESIDENT)
    page = client.get(f"/consultations/{consultation.slug}/results").get_data(as_text=True)
    assert 'id="results-pending"' in page


def test_kil_analyse_slug_json_prints_the_results_the_pages_read(app, council, db):
    consultation = make_consultation()
    divided, common = two_camps(consultation)
    out = app.test_cli_runner().invoke(args=["kil", "analyse", consultation.slug, "--json"])
    assert out.exit_code == 0, out.output
    data = json.loads(out.output)
    shown = results.current_results(consultation)
    assert data["consultation"] == consultation.slug
    assert [c["idea"]["id"] for c in data["consensus"]] == [c.idea.id for c in shown.consensus]
    assert [d["idea"]["id"] for d in data["division"]] == [d.idea.id for d in shown.division]
    assert data["separation"]["distinct"] is True
    assert [g["size"] for g in data["groups"]] == [12, 12]
    missing = app.test_cli_runner().invoke(args=["kil", "analyse", "nope", "--json"])
    assert missing.exit_code != 0 and "No open or closed consultation" in missing.output


def test_letters_stay_with_their_people_between_recomputations(council, db):
    consultation = make_consultation()
    divided, _ = two_camps(consultation)
    results.recompute(consultation)
    payload = results.cached_result(consultation).payload
    assert payload["base"]  # the clustering the next computation starts from

    def group_a_agrees() -> list[int]:
        shown = results.current_results(consultation)
        return [next(c.agree for c in shown.idea(i.id).groups if c.label == "A") for i in divided]

    first = group_a_agrees()
    make_vote(divided[0], make_user(), "pass")
    _db.session.flush()
    results.recompute(consultation)
    assert group_a_agrees() == first
