"""One rule for when results are public (``policy.results_public``): the consultation has
closed and its summary is published. A summary published early, with its audited reason,
makes the summary public but not the results, and the pages, the API and the open data all
follow the same rule."""

from __future__ import annotations

import csv
import io
import json
import zipfile

from kil_consult import policy
from kil_consult.accounts.models import Role
from kil_consult.analysis import results
from kil_consult.consultations.models import Stage
from kil_consult.extensions import db as _db
from kil_consult.statements import summaries
from kil_consult.timeutil import utcnow

from ..factories import make_consultation, make_user
from .test_results import two_camps


def _open_with_early_summary():
    consultation = make_consultation()
    two_camps(consultation, per_camp=6)
    facilitator = make_user(Role.FACILITATOR)
    summaries.save_draft(consultation, facilitator, "Overview", "", "", "", [])
    summaries.publish(consultation, facilitator, early_reason="Cabinet meets before closing")
    results.recompute(consultation)
    _db.session.commit()
    return consultation


def _everywhere(client, slug: str) -> dict:
    """What a visitor gets from the results page, the API and the open data."""
    page = client.get(f"/consultations/{slug}/results").get_data(as_text=True)
    api = client.get(f"/api/v1/consultations/{slug}/results")
    archive = zipfile.ZipFile(io.BytesIO(client.get(f"/consultations/{slug}/open-data.zip").data))
    rows = list(csv.reader(io.StringIO(archive.read("results.csv").decode("utf-8-sig"))))
    about = json.loads(archive.read("README.json"))
    document = json.loads(client.get(f"/consultations/{slug}/open-data.json").data)
    return {
        "page": "What every group agrees with" in page or "results-pending" not in page,
        "api": api.status_code == 200,
        "csv": len(rows) > 1,
        "json": len(document["results"]) > 0,
        "readme": about["results_public"],
    }


def test_an_early_summary_does_not_make_results_public_anywhere(client, council, db):
    consultation = _open_with_early_summary()
    assert results.results_published(consultation)  # the summary is out...
    assert not policy.results_public(consultation)  # ...the results are not
    assert _everywhere(client, consultation.slug) == dict.fromkeys(
        ("page", "api", "csv", "json", "readme"), False
    )
    assert client.get(f"/api/v1/consultations/{consultation.slug}/summary").status_code == 200


def test_once_closed_the_results_are_public_everywhere(client, council, db):
    consultation = _open_with_early_summary()
    consultation.stage, consultation.closed_at = Stage.CLOSED, utcnow()
    _db.session.commit()
    assert policy.results_public(consultation)
    assert _everywhere(client, consultation.slug) == dict.fromkeys(
        ("page", "api", "csv", "json", "readme"), True
    )


def test_closed_without_a_summary_keeps_them_back_everywhere(client, council, db):
    consultation = make_consultation()
    two_camps(consultation, per_camp=6)
    results.recompute(consultation)
    consultation.stage, consultation.closed_at = Stage.CLOSED, utcnow()
    _db.session.commit()
    assert not policy.results_public(consultation)
    assert _everywhere(client, consultation.slug) == dict.fromkeys(
        ("page", "api", "csv", "json", "readme"), False
    )


def test_staff_read_results_on_the_pages_before_they_are_public(client, council, db, login_as):
    consultation = _open_with_early_summary()
    login_as(Role.FACILITATOR)
    page = client.get(f"/consultations/{consultation.slug}/results").get_data(as_text=True)
    assert "results-pending" not in page and "Who took part" in page
