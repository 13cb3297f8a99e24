"""Indicators on commitments: the rules on baselines, targets and readings, the trend value
and its chart, the starter library, and the pages (progress page included)."""

from __future__ import annotations

import os
import re
from datetime import date, timedelta
from pathlib import Path

import pytest

from kil_consult import policy
from kil_consult.accounts.models import Role
from kil_consult.audit.models import AuditEvent
from kil_consult.statements import indicators, services
from kil_consult.statements.indicator_chart import trend_chart
from kil_consult.statements.indicator_library import BY_KEY, LIBRARY
from kil_consult.statements.models import Frequency, Indicator, StatementError
from kil_consult.timeutil import utcnow
from tests import factories

from . import world as statement_world

BASE = {
    "name": "Share of council spend with local organisations",
    "definition": "Spend with local suppliers as a share of all spend.",
    "unit": "%",
    "baseline_value": 18.0,
    "baseline_on": date(2026, 4, 1),
    "target_value": 30.0,
    "target_on": date(2029, 3, 31),
    "source": "Finance system",
    "frequency": Frequency.QUARTERLY,
}


@pytest.fixture
def commitment(db):
    w = statement_world.build()
    statement = services.start_from_summaries(w.process, w.facilitator)
    db.session.commit()
    found = next(iter(services.commitments_by_id(statement).values()))
    found.world = w
    return found


def test_the_target_must_differ_and_come_after_the_baseline(commitment):
    admin = commitment.world.admin
    with pytest.raises(StatementError, match="after the baseline"):
        indicators.add_indicator(commitment, admin, **(BASE | {"target_on": date(2026, 1, 1)}))
    with pytest.raises(StatementError, match="differ"):
        indicators.add_indicator(commitment, admin, **(BASE | {"target_value": 18.0}))
    indicator = indicators.add_indicator(commitment, admin, **BASE)
    assert indicator.higher_is_better
    assert "indicator.add" in {e.action for e in AuditEvent.query.all()}


def test_readings_are_dated_between_the_baseline_and_today_once_each(commitment):
    admin = commitment.world.admin
    indicator = indicators.add_indicator(commitment, admin, **BASE)
    with pytest.raises(StatementError, match="before the baseline"):
        indicators.add_reading(indicator, admin, date(2026, 3, 1), 20)
    with pytest.raises(StatementError, match="future"):
        indicators.add_reading(indicator, admin, utcnow().date() + timedelta(days=3), 20)
    indicators.add_reading(indicator, admin, date(2026, 7, 1), 21)
    with pytest.raises(StatementError, match="already a reading"):
        indicators.add_reading(indicator, admin, date(2026, 7, 1), 22)


def test_the_trend_measures_progress_towards_the_target(commitment):
    admin = commitment.world.admin
    indicator = indicators.add_indicator(commitment, admin, **BASE)
    indicators.add_reading(indicator, admin, date(2026, 10, 1), 24.0)
    indicators.add_reading(indicator, admin, date(2026, 7, 1), 21.0)
    trend = indicators.trend_of(indicator)
    assert [p.value for p in trend.points] == [18.0, 21.0, 24.0]  # in date order
    assert trend.progress == pytest.approx(0.5) and not trend.met
    assert trend.figure(24.0) == "24%"
    chart = trend_chart(trend)
    assert len(chart.dots) == 3 and chart.line.count(",") == 3
    assert "latest reading 24% on 01 October 2026" in chart.description
    assert "target 30% by 31 March 2029" in chart.description
    # the line goes up as the figures do (SVG y grows downwards)
    ys = [float(d.y) for d in chart.dots]
    assert ys == sorted(ys, reverse=True)


def test_a_falling_target_counts_progress_the_other_way(commitment):
    admin = commitment.world.admin
    values = BASE | {"baseline_value": 40.0, "target_value": 20.0, "unit": "days"}
    indicator = indicators.add_indicator(commitment, admin, **values)
    indicators.add_reading(indicator, admin, date(2026, 7, 1), 30.0)
    trend = indicators.trend_of(indicator)
    assert not indicator.higher_is_better and trend.progress == pytest.approx(0.5)
    assert trend.figure(30.0) == "30 days"


def test_the_starter_library_covers_every_principle_with_definitions():
    assert {item.principle for item in LIBRARY} == {1, 2, 3, 4, 5, 6}
    assert all(len(item.definition) > 60 for item in LIBRARY)
    assert {"local-spend", "asset-transfers", "influence-decisions"} <= set(BY_KEY)


def test_who_may_manage_indicators_and_enter_readings(commitment):
    resident = factories.make_user()
    facilitator = factories.make_user(Role.FACILITATOR)
    admin = factories.make_user(Role.ADMIN)
    assert policy.allowed("indicator.manage", admin, commitment)
    assert not policy.allowed("indicator.manage", facilitator, commitment)
    assert policy.allowed("indicator.record", facilitator, commitment)
    assert not policy.allowed("indicator.record", resident, commitment)


# --- pages --------------------------------------------------------------------------------


def _date_fields(name: str, value: date) -> dict:
    return {name: [str(value.day), str(value.month), str(value.year)]}


def _form(**changes) -> dict:
    data = {k: v for k, v in BASE.items() if k not in ("baseline_on", "target_on")}
    data["frequency"] = BASE["frequency"].value
    data |= _date_fields("baseline_on", BASE["baseline_on"])
    data |= _date_fields("target_on", BASE["target_on"])
    return data | changes


def test_an_admin_adopts_a_library_indicator_and_adds_readings(client, login_as, commitment, db):
    login_as(commitment.world.admin)
    page = f"/admin/statement/commitments/{commitment.id}/indicators/new"
    listing = client.get(page)
    assert listing.status_code == 200 and b"Start from the starter library" in listing.data
    adopted = client.get(page + "?from=asset-transfers")
    assert b"Community asset transfers completed" in adopted.data
    bad = client.post(page, data=_form(target_value="lots"))
    assert bad.status_code == 400 and b"govuk-error-summary" in bad.data
    bad = client.post(page, data=_form(**_date_fields("target_on", date(2025, 1, 1))))
    assert bad.status_code == 400 and b"after the baseline" in bad.data, re.findall(
        rb"govuk-error-summary__list(.*?)</ul", bad.data, re.S
    )
    ok = client.post(page, data=_form(library_key="local-spend"))
    assert ok.status_code == 302
    indicator = db.session.query(Indicator).one()
    assert indicator.library_key == "local-spend"
    readings = f"/admin/indicators/{indicator.id}/readings"
    for when, value in ((date(2026, 7, 1), "21"), (date(2026, 10, 1), "24.5")):
        response = client.post(readings, data={"value": value} | _date_fields("taken_on", when))
        assert response.status_code == 302
    page = client.get(readings)
    assert page.status_code == 200 and b"24.5%" in page.data


def test_the_progress_page_charts_each_indicator_with_a_table(client, login_as, commitment, db):
    admin = commitment.world.admin
    indicator = indicators.add_indicator(commitment, admin, **BASE)
    indicators.add_reading(indicator, admin, date(2026, 7, 1), 21.0)
    indicators.add_reading(indicator, admin, date(2026, 10, 1), 24.0)
    db.session.commit()
    login_as(commitment.world.facilitator)
    page = client.get("/statement/progress")
    assert page.status_code == 200
    assert b"<svg" in page.data and b"trend against target" in page.data
    assert b"every figure" in page.data and b"50% of the way" in page.data
    assert b"Add a reading" in page.data


def test_the_library_page_is_public(client, db):
    page = client.get("/statement/indicators/library")
    assert page.status_code == 200 and b"Community asset transfers completed" in page.data


def test_the_progress_report_charts_each_indicator_in_word_and_pdf(commitment, db, tmp_path):
    """The chart (a picture with alternative text in Word, SVG in the PDF) and the table with
    every figure beside it. KIL_REPORT_DIR keeps the files to look at."""
    import io

    from docx import Document as read_docx
    from pypdf import PdfReader

    from kil_consult.exports.docx import write_docx
    from kil_consult.exports.html import write_pdf
    from kil_consult.exports.statement import progress_document

    admin = commitment.world.admin
    indicator = indicators.add_indicator(commitment, admin, **BASE)
    indicators.add_reading(indicator, admin, date(2026, 7, 1), 21.0)
    indicators.add_reading(indicator, admin, date(2026, 10, 1), 24.0)
    db.session.commit()
    document = progress_document(commitment.statement)
    word = read_docx(io.BytesIO(write_docx(document)))
    assert len(word.inline_shapes) == 1
    described = [p.get("descr") for p in word.element.body.iter("{*}docPr") if p.get("descr")]
    assert described and "target 30% by 31 March 2029" in described[0]
    texts = [cell.text for table in word.tables for row in table.rows for cell in row.cells]
    assert "24%" in texts and "30%" in texts and "18%" in texts
    pdf = write_pdf(document)
    keep = Path(os.environ.get("KIL_REPORT_DIR") or tmp_path)
    (keep / "progress.pdf").write_bytes(pdf)
    (keep / "progress.docx").write_bytes(write_docx(document))
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert "Share of council spend with local organisations" in text
    assert "Target 30%" in text  # the chart's own label, drawn in the PDF
