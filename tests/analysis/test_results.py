"""Results, themes, summaries and "you said, we did" through the pages and services."""

from __future__ import annotations

import re
from datetime import timedelta

from kil_consult.accounts.models import Role
from kil_consult.analysis import participation, ranking, results, theme_services
from kil_consult.analysis.models import AnalysisResult, Summary, Theme, ThemeStatus
from kil_consult.analysis.tasks import fresh_results
from kil_consult.consultations.models import Stage
from kil_consult.extensions import db as _db
from kil_consult.ideas.models import Visibility
from kil_consult.markdown import render_markdown
from kil_consult.statements import summaries
from kil_consult.timeutil import utcnow

from ..factories import make_consultation, make_idea, make_neighbourhood, make_user, make_vote


def two_camps(consultation, per_camp=12, split=4, shared=3):
    """Two camps who disagree on ``2 * split`` ideas and all agree with ``shared`` ideas."""
    north = make_neighbourhood("Northtown", population=3000)
    south = make_neighbourhood("Southville", population=1000)
    divided = [make_idea(consultation, title=f"Divided idea {n}") for n in range(2 * split)]
    common = [make_idea(consultation, title=f"Shared idea {n}") for n in range(shared)]
    for person in range(2 * per_camp):
        camp = person < per_camp
        voter = make_user(neighbourhood=north if camp else south)
        for n, idea in enumerate(divided):
            first_half = n < split
            make_vote(idea, voter, "agree" if first_half == camp else "disagree")
        for idea in common:
            make_vote(idea, voter, "agree")
    _db.session.commit()
    return divided, common


def test_results_find_two_groups_and_the_shared_ideas_as_consensus(client, council, db, login_as):
    consultation = make_consultation()
    divided, common = two_camps(consultation)
    login_as(Role.FACILITATOR)
    response = client.get(f"/consultations/{consultation.slug}/results")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    payload = results.cached_result(consultation).payload
    assert [g["size"] for g in payload["groups"]] == [12, 12]
    assert {item["idea_id"] for item in payload["consensus"][:3]} == {i.id for i in common}
    assert "Group A" in page and "Group B" in page
    consensus_section = page.split('id="consensus"')[1]
    assert all(i.title in consensus_section for i in common)
    assert "Computed at" in page
    # Neighbourhood shares beside population shares: 12 of 24 people, 3000 of 4000 residents.
    assert "50%" in page and "75%" in page


def test_results_are_cached_until_votes_change(client, council, db, login_as):
    consultation = make_consultation()
    divided, _common = two_camps(consultation, per_camp=8)
    first = fresh_results(consultation)
    computed_at = results.cached_result(consultation).computed_at
    again = fresh_results(consultation)
    assert again.current and results.cached_result(consultation).computed_at == computed_at
    make_vote(divided[0], make_user(), "pass")
    _db.session.commit()
    assert results.fingerprint(consultation) != results.cached_result(consultation).fingerprint
    fresh = fresh_results(consultation)
    assert fresh.current
    assert fresh.participation.votes == first.participation.votes + 1


def test_a_large_consultation_shows_the_old_result_and_recomputes_in_the_background(
    app, client, council, db, login_as
):
    consultation = make_consultation()
    divided, _ = two_camps(consultation, per_camp=8)
    results.recompute(consultation)
    make_vote(divided[0], make_user(), "pass")
    _db.session.commit()
    app.config["KIL_ANALYSIS_INLINE_VOTES"] = 5
    try:
        stale = fresh_results(consultation)
        assert stale.large and not stale.current and stale.available
        # The command brings it up to date.
        from click.testing import CliRunner  # noqa: F401  (the CLI runner below uses it)

        result = app.test_cli_runner().invoke(args=["kil", "analyse", "--slug", consultation.slug])
        assert "recomputed" in result.output, result.output
        _db.session.expire_all()
        assert fresh_results(consultation).current
    finally:
        app.config["KIL_ANALYSIS_INLINE_VOTES"] = 100_000


def test_hidden_ideas_are_left_out_of_the_lists_but_keep_their_column(client, council, db):
    consultation = make_consultation()
    divided, common = two_camps(consultation, per_camp=8)
    common[0].visibility = Visibility.HIDDEN
    _db.session.commit()
    fresh_results(consultation)
    payload = results.cached_result(consultation).payload
    assert common[0].id in payload["components"]["idea_ids"]
    assert common[0].id not in payload["group_counts"]["idea_ids"]
    assert common[0].id not in {i["idea_id"] for i in payload["consensus"]}
    assert common[0].id not in {r.id for r in ranking.idea_rows(consultation)}


def test_results_are_for_staff_until_the_summary_is_published(client, council, db, login_as):
    consultation = make_consultation()
    _db.session.commit()
    url = f"/consultations/{consultation.slug}/results"
    page = client.get(url)
    assert page.status_code == 200 and "after the consultation closes" in page.get_data(True)
    login_as(Role.RESIDENT)
    page = client.get(url).get_data(as_text=True)
    assert 'id="results-pending"' in page and "Group A" not in page
    assert client.get(url + "/ranked.csv").status_code == 404


def test_every_table_downloads_as_csv(client, council, db, login_as):
    consultation = make_consultation()
    two_camps(consultation, per_camp=8)
    login_as(Role.FACILITATOR)
    page = client.get(f"/consultations/{consultation.slug}/results").get_data(as_text=True)
    links = set(re.findall(r'href="([^"]+\.csv)"', page))
    assert len(links) >= 9
    for link in links:
        response = client.get(link)
        assert response.status_code == 200, link
        assert response.mimetype == "text/csv"
        assert response.get_data(as_text=True).lstrip("\ufeff").count("\n") >= 2, link
    ranked = client.get(f"/consultations/{consultation.slug}/results/ranked.csv")
    header = ranked.get_data(as_text=True).splitlines()[0]
    assert "group A agree" in header


def test_csv_cells_cannot_run_as_formulas(client, council, db, login_as):
    consultation = make_consultation()
    make_idea(consultation, title='=HYPERLINK("http://x")')
    _db.session.commit()
    login_as(Role.FACILITATOR)
    text = client.get(f"/consultations/{consultation.slug}/results/ranked.csv").get_data(
        as_text=True
    )
    assert "'=HYPERLINK" in text


def test_suggest_accept_rename_merge_discard_and_tag_themes(client, council, db, login_as):
    consultation = make_consultation()
    topics = {
        "bus": "Buses to the villages: more bus routes and later bus stops service",
        "library": "Libraries: longer library opening hours and library books",
        "youth": "Youth clubs: youth workers and clubs for young people",
    }
    ideas = {
        key: [make_idea(consultation, title=f"{key} {n}", body=text) for n in range(4)]
        for key, text in topics.items()
    }
    _db.session.commit()
    login_as(Role.FACILITATOR)
    slug = consultation.slug
    assert client.post(f"/consultations/{slug}/themes/suggest").status_code == 302
    themes = _db.session.query(Theme).all()
    assert len(themes) == 3 and all(t.status is ThemeStatus.SUGGESTED for t in themes)
    bus = next(t for t in themes if "bus" in t.name.lower())
    assert set(theme_services.theme_idea_ids(bus)) == {i.id for i in ideas["bus"]}
    page = client.get(f"/consultations/{slug}/themes").get_data(as_text=True)
    assert bus.name in page

    client.post(f"/consultations/{slug}/themes/{bus.id}/accept")
    client.post(
        f"/consultations/{slug}/themes/{bus.id}/rename", data={f"rename-{bus.id}-name": "Transport"}
    )
    _db.session.expire_all()
    assert (bus.status, bus.name) == (ThemeStatus.ACCEPTED, "Transport")

    library = next(t for t in themes if "librar" in t.name.lower())
    youth = next(t for t in themes if t.id not in (bus.id, library.id))
    client.post(
        f"/consultations/{slug}/themes/{library.id}/merge",
        data={f"theme-{library.id}-target": bus.id},
    )
    _db.session.expire_all()
    assert _db.session.get(Theme, library.id) is None
    assert len(theme_services.theme_idea_ids(bus)) == 8
    client.post(f"/consultations/{slug}/themes/{youth.id}/discard")
    assert _db.session.get(Theme, youth.id) is None

    response = client.post(f"/consultations/{slug}/themes/new", data={"name": "Young people"})
    assert response.status_code == 302
    manual = _db.session.query(Theme).filter_by(name="Young people").one()
    assert manual.is_manual and manual.status is ThemeStatus.ACCEPTED
    first, *rest = ideas["youth"]
    response = client.post(
        f"/consultations/{slug}/themes/tag",
        data={
            "theme": manual.id,
            "idea": [str(first.id)],
            "numbers": f"{rest[0].id}-{rest[-1].id}",
        },
    )
    assert response.status_code == 302
    assert set(theme_services.theme_idea_ids(manual)) == {i.id for i in ideas["youth"]}


def test_tagging_refuses_unknown_ideas_with_a_message(client, council, db, login_as):
    consultation = make_consultation()
    theme = theme_services.create_theme(consultation, "Transport")
    _db.session.commit()
    login_as(Role.FACILITATOR)
    response = client.post(
        f"/consultations/{consultation.slug}/themes/tag",
        data={"theme": theme.id, "numbers": "99999"},
    )
    assert response.status_code == 400
    assert "99999 is not a published idea" in response.get_data(as_text=True)
    response = client.post(
        f"/consultations/{consultation.slug}/themes/tag",
        data={"theme": theme.id, "numbers": "twelve"},
    )
    assert response.status_code == 400
    assert "Enter idea numbers" in response.get_data(as_text=True)


def summary_data(**overrides):
    data = {
        "overview": "We asked about **local suppliers**.",
        "themes": "* Buses\n* Libraries",
        "decision": "",
        "connection": "",
    }
    data.update(overrides)
    return data


def test_summary_drafts_are_versioned_sanitised_and_cite_ideas(client, council, db, login_as):
    consultation = make_consultation()
    _divided, common = two_camps(consultation, per_camp=8)
    login_as(Role.FACILITATOR)
    url = f"/consultations/{consultation.slug}/summary"
    response = client.post(
        url,
        data=summary_data(
            overview="Hello <script>alert(1)</script> [x](javascript:alert(1)) **bold**",
            finding_1_text="Everyone wants the shared ideas.",
            finding_1_ideas=f"{common[0].id}, {common[1].id}",
        ),
    )
    assert response.status_code == 302
    client.post(url, data=summary_data(finding_1_text="Second draft", finding_1_ideas=""))
    summary = _db.session.query(Summary).one()
    assert [v.number for v in summary.versions] == [1, 2]
    first = summary.versions[0]
    assert [c.idea_id for c in first.findings[0].citations] == [common[0].id, common[1].id]
    page = client.get(f"{url}/versions/1").get_data(as_text=True)
    assert "<script>alert" not in page and 'href="javascript' not in page
    assert "<strong>bold</strong>" in page
    assert common[0].title in page and "group A 100% agree" in page
    assert "Version 2" in client.get(f"{url}/versions").get_data(as_text=True)
    # The form comes back filled with the latest version.
    assert "Second draft" in client.get(url).get_data(as_text=True)


def test_a_finding_citing_an_unknown_idea_is_refused_and_nothing_is_lost(
    client, council, db, login_as
):
    consultation = make_consultation()
    _db.session.commit()
    login_as(Role.FACILITATOR)
    response = client.post(
        f"/consultations/{consultation.slug}/summary",
        data=summary_data(finding_1_text="Text I typed", finding_1_ideas="424242"),
    )
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "not a published idea" in page and "Text I typed" in page
    assert _db.session.query(Summary).count() == 0


def test_publishing_makes_results_public_and_emails_who_asked(
    client, council, db, login_as, mailbox
):
    consultation = make_consultation(stage=Stage.CLOSED, closes_at=utcnow() - timedelta(days=1))
    _divided, common = two_camps(consultation, per_camp=8)
    resident = login_as(Role.RESIDENT)
    show = f"/consultations/{consultation.slug}"
    assert "Email me when the council publishes" in client.get(show).get_data(as_text=True)
    assert client.post(f"{show}/updates", data={"action": "start"}).status_code == 302
    assert "We will email you" in client.get(show).get_data(as_text=True)
    client.post("/account/sign-out")

    login_as(Role.FACILITATOR)
    client.post(
        f"{show}/summary",
        data=summary_data(
            decision="We will **buy local** first.",
            connection="Because you said so.",
            finding_1_text="People want local suppliers.",
            finding_1_ideas=str(common[0].id),
        ),
    )
    response = client.post(f"{show}/summary/publish")
    assert response.status_code == 302
    email = mailbox.wait_for(resident.email)
    assert consultation.title in email.subject and f"{show}#you-said-we-did" in email.body
    client.post(f"{show}/summary/publish")  # publishing again sends nothing more
    assert len(mailbox.to(resident.email)) == 1
    client.post("/account/sign-out")

    page = client.get(show).get_data(as_text=True)
    assert "You said, we did" in page and "People want local suppliers." in page
    assert "<strong>buy local</strong>" in page and "The council responded on" in page
    results = client.get(f"{show}/results")
    assert results.status_code == 200
    text = results.get_data(as_text=True)
    assert "Summary" in text and "Recompute now" not in text


def test_response_is_shown_overdue_when_missed(client, council, db):
    consultation = make_consultation(stage=Stage.CLOSED, closes_at=utcnow() - timedelta(weeks=13))
    _db.session.commit()
    page = client.get(f"/consultations/{consultation.slug}").get_data(as_text=True)
    assert "Overdue" in page and "was due by" in page
    recent = make_consultation(stage=Stage.CLOSED, closes_at=utcnow() - timedelta(weeks=1))
    _db.session.commit()
    page = client.get(f"/consultations/{recent.slug}").get_data(as_text=True)
    assert "Overdue" not in page and "The council will respond by" in page


def test_response_due_weeks_is_a_setting(app, db):
    consultation = make_consultation(closes_at=utcnow())
    app.config["KIL_RESPONSE_DUE_WEEKS"] = 4
    try:
        due = summaries.response_due(consultation)
        assert (due - consultation.closes_at.date()).days in (27, 28, 29)
    finally:
        app.config["KIL_RESPONSE_DUE_WEEKS"] = 12


def test_participation_counts_residents_organisations_and_offline(client, council, db):
    from kil_consult.ideas.models import Source
    from kil_consult.organisations.models import Organisation, OrganisationStatus

    consultation = make_consultation()
    organisation = Organisation(
        name="Hastings Food Bank", slug="hfb", description="x", status=OrganisationStatus.VERIFIED
    )
    _db.session.add(organisation)
    _db.session.flush()
    make_idea(consultation, organisation_id=organisation.id)
    paper = make_idea(consultation, source=Source.PAPER)
    make_idea(consultation)
    make_vote(paper, make_user(), "agree")
    _db.session.commit()
    part = participation.participation(consultation)
    assert part["by_who"]["organisations"][0] == 1 and part["by_who"]["residents"][0] == 2
    assert part["by_source"]["paper"] == [1, 1] and part["by_source"]["online"][0] == 2
    assert part["organisations"] == 1 and part["people"] == 4
    assert sum(day[3] for day in part["days"]) == 1


def test_markdown_is_rendered_then_sanitised():
    html = str(render_markdown("# Title\n\n<img src=x onerror=alert(1)>\n\n[a](https://e.org)"))
    assert "<h3" in html and "<h1" not in html
    assert "<img" not in html and "&lt;img" in html  # shown as text, never as markup
    assert 'href="https://e.org"' in html and "govuk-link" in html


def test_idea_numbers_are_read_generously():
    assert ranking.parse_idea_numbers("12, #15 40 - 42;7") == [12, 15, 40, 41, 42, 7]


def test_cached_result_row_is_one_per_consultation(db):
    consultation = make_consultation()
    results.recompute(consultation)
    results.recompute(consultation)
    assert _db.session.query(AnalysisResult).count() == 1


def test_another_app_made_in_the_process_does_not_take_over_the_queue(
    client, council, db, login_as
):
    """The job queue follows the app that queues a job, not the last app made in a process
    (a second app with its own queue settings once left every later test without results)."""
    from kil_consult import create_app

    create_app(
        {"SQLALCHEMY_DATABASE_URI": "sqlite://", "TESTING": True}
    )  # a queued, not immediate, app
    consultation = make_consultation()
    two_camps(consultation)
    login_as(Role.FACILITATOR)
    assert client.get(f"/consultations/{consultation.slug}/results").status_code == 200
    assert results.cached_result(consultation) is not None
