"""The "Who took part" pages: who may read them, and the suppressed figures they show."""

from __future__ import annotations

from kil_consult.accounts.models import Role
from kil_consult.consultations.models import Stage
from kil_consult.equality import census
from kil_consult.statements import summaries
from kil_consult.timeutil import utcnow
from tests import factories

from .helpers import event, offline_responses, online


def _world(db):
    factories.make_council()
    process = factories.make_process()
    first, second = process.consultations[0], process.consultations[1]
    online([first, second], 30, age_band="25_34", sex="female", ethnic_group="white_0")
    online([first], 12, age_band="35_44", sex="male", ethnic_group="white_0")
    online([second], 3, age_band="35_44", sex="male", ethnic_group="asian_0")
    offline_responses(event(first), 11, age_band="65_74", sex="female")
    census.store_population(
        "age_band",
        {
            "16_24": 100,
            "25_34": 150,
            "35_44": 150,
            "45_54": 150,
            "55_64": 150,
            "65_74": 150,
            "75_over": 150,
        },
        census.ILLUSTRATIVE,
        True,
    )
    db.session.commit()
    return process, first


def _publish_results(db, consultation):
    facilitator = factories.make_user(Role.FACILITATOR)
    summaries.save_draft(consultation, facilitator, "Overview", "", "", "", [])
    consultation.stage, consultation.closed_at = Stage.CLOSED, utcnow()
    summaries.publish(consultation, facilitator)
    db.session.commit()


def test_staff_read_who_took_part_before_the_results_are_public(client, db, login_as):
    process, first = _world(db)
    assert "published with its results" in client.get(
        f"/consultations/{first.slug}/who-took-part"
    ).get_data(as_text=True)
    login_as(Role.FACILITATOR)
    page = client.get(f"/consultations/{first.slug}/who-took-part").get_data(as_text=True)
    # 56 answered in the process and 3 of them only elsewhere: the total here is not shown
    assert "Everyone who answered this question" in page and "Not shown" in page
    assert ">53<" not in page
    assert "No representativeness score" in page  # it would need the hidden total
    assert "illustrative" in page
    assert "Community event" in page  # by source


def test_the_public_read_it_once_the_results_are_public(client, db):
    process, first = _world(db)
    _publish_results(db, first)
    page = client.get(f"/consultations/{first.slug}/who-took-part").get_data(as_text=True)
    assert "What the people who took part said about themselves" in page and "Not shown" in page
    # the whole process waits for every consultation's results
    assert "every consultation" in client.get("/who-took-part").get_data(as_text=True)


def test_the_whole_process_page(client, db, login_as):
    _world(db)
    login_as(Role.ADMIN)
    page = client.get("/who-took-part").get_data(as_text=True)
    assert ">56<" in page
    assert "Who is missing" in page and "Representativeness score:" in page
    assert "16 to 24" in page


def test_a_draft_consultation_is_not_found(client, db):
    process, first = _world(db)
    first.stage = Stage.DRAFT
    db.session.commit()
    assert client.get(f"/consultations/{first.slug}/who-took-part").status_code == 404


def test_the_consultation_report_shows_the_same_suppressed_figures(client, db, login_as):
    from kil_consult.exports.blocks import Table
    from kil_consult.exports.report import report_document

    process, first = _world(db)
    document = report_document(first, staff=True)
    tables = {b.caption: b for b in document.blocks if isinstance(b, Table)}
    from kil_consult.equality.figures import who_took_part

    page = who_took_part([first], list(process.consultations), first.title)
    shown = next(c for c in page.characteristics if c.name == "age_band")
    rows = {row[0]: row[1] for row in tables["Age"].rows}
    assert rows == {
        **{r.label: "Not shown" if r.people is None else str(r.people) for r in shown.rows},
        "Everyone who answered": "Not shown" if shown.answered is None else str(shown.answered),
    }
    assert rows["35 to 44"] == "Not shown"  # 15 in the process, 12 here
    assert any("illustrative" in getattr(b, "text", "") for b in document.blocks)
    login_as(Role.FACILITATOR)
    word = client.get(f"/consultations/{first.slug}/report.docx")
    assert word.status_code == 200


def test_the_statement_has_the_whole_process_figures_in_who_took_part(db):
    import jsonschema

    from kil_consult.exports.blocks import Heading, Table
    from kil_consult.exports.statement import schema, statement_data, statement_document
    from kil_consult.statements.services import start_from_summaries

    process, _first = _world(db)
    statement = start_from_summaries(process, factories.make_user(Role.FACILITATOR))
    data = statement_data(statement, statement.latest)
    jsonschema.validate(data, schema())
    about = data["taking_part"]["about_you"]
    age = next(c for c in about["characteristics"] if c["name"] == "age_band")
    assert {g["code"]: g["people"] for g in age["groups"]}["35_44"] == 15  # the whole process
    document = statement_document(data)
    assert any(isinstance(b, Heading) and "About you" in b.text for b in document.blocks)
    assert "Age" in [b.caption for b in document.blocks if isinstance(b, Table)]


def test_the_equality_impact_assessment_downloads(client, db, login_as):
    from kil_consult.exports.blocks import Table
    from kil_consult.exports.impact_assessment import impact_assessment_document

    process, _first = _world(db)
    document = impact_assessment_document(process)
    scores = next(
        b for b in document.blocks if isinstance(b, Table) and "by consultation" in b.caption
    )
    assert len(scores.header) == 2 + len(process.consultations) and len(scores.rows) == 9
    assert client.get("/who-took-part/impact-assessment.docx").status_code == 302  # sign in
    login_as(Role.ADMIN)
    for kind in ("docx", "pdf"):
        response = client.get(f"/who-took-part/impact-assessment.{kind}")
        assert response.status_code == 200 and len(response.data) > 1000
    assert client.get("/who-took-part/impact-assessment.odt").status_code == 404
