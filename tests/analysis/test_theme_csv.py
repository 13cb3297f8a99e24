"""Draft theme names stay with the staff: once results are public, ``themes.csv`` lists only
the accepted themes (the ones the results page shows) to everyone but facilitators and admins."""

from __future__ import annotations

from datetime import timedelta

import pytest

from kil_consult.accounts.models import Role
from kil_consult.analysis.models import Theme, ThemeStatus
from kil_consult.consultations.models import Stage
from kil_consult.extensions import db as _db
from kil_consult.statements import summaries as services
from kil_consult.timeutil import utcnow

from ..factories import make_consultation, make_idea, make_user


@pytest.fixture
def published(council):
    consultation = make_consultation(stage=Stage.CLOSED, closes_at=utcnow() - timedelta(days=1))
    make_idea(consultation)
    _db.session.add_all(
        [
            Theme(
                consultation_id=consultation.id, name="Agreed buses", status=ThemeStatus.ACCEPTED
            ),
            Theme(consultation_id=consultation.id, name="Draft name staff chose"),
        ]
    )
    staff = make_user(Role.FACILITATOR)
    services.save_draft(consultation, staff, "Overview", "", "", "", [])
    services.publish(consultation, staff)
    _db.session.commit()
    return consultation


@pytest.mark.parametrize("role", [None, Role.RESIDENT])
def test_the_public_themes_csv_lists_only_accepted_themes(client, login_as, published, role):
    if role:
        login_as(role)
    response = client.get(f"/consultations/{published.slug}/results/themes.csv")
    assert response.status_code == 200
    text = response.get_data(as_text=True)
    assert "Agreed buses" in text
    assert "Draft name staff chose" not in text and "uggested" not in text


@pytest.mark.parametrize("role", [Role.FACILITATOR, Role.ADMIN])
def test_staff_download_every_theme(client, login_as, published, role):
    login_as(role)
    text = client.get(f"/consultations/{published.slug}/results/themes.csv").get_data(as_text=True)
    assert "Agreed buses" in text and "Draft name staff chose" in text
