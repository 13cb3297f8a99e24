"""Workshop and paper responses with their "About you" answers: the facilitator's form and the
spreadsheet import."""

from __future__ import annotations

import io
import re

from sqlalchemy import select

from kil_consult.accounts.models import Role
from kil_consult.equality.models import AboutYou
from kil_consult.ideas.models import Idea, Source
from tests import factories

from .helpers import event


def _csrf(client, path) -> str:
    page = client.get(path).get_data(as_text=True)
    return re.search(r'name="csrf_token" value="([^"]+)"', page)[1]


def _event(db):
    consultation = factories.make_consultation()
    workshop = event(consultation, Source.EVENT)
    db.session.commit()
    return workshop


def test_a_facilitator_enters_a_response_with_its_answers(client, db, login_as):
    workshop = _event(db)
    login_as(Role.FACILITATOR)
    path = f"/admin/offline/{workshop.id}/response"
    response = client.post(
        path,
        data={
            "csrf_token": _csrf(client, path),
            "title": "A bench by the library",
            "body": "Somewhere to sit.",
            "age_band": "75_over",
            "religion": "jewish",
            "consent": "y",
        },
    )
    assert response.status_code == 302
    stored = db.session.scalar(select(AboutYou))
    idea = db.session.scalar(select(Idea))
    assert (stored.source, stored.user_id) == (Source.EVENT, None)
    assert not hasattr(stored, "idea_id") and idea.title == "A bench by the library"  # no link
    assert stored.religion == "jewish" and stored.consented_at is not None


def test_a_response_without_consent_keeps_nothing(client, db, login_as):
    workshop = _event(db)
    login_as(Role.FACILITATOR)
    path = f"/admin/offline/{workshop.id}/response"
    response = client.post(
        path,
        data={
            "csrf_token": _csrf(client, path),
            "title": "Benches",
            "body": "More.",
            "ethnic_group": "black_0",
        },
    )
    assert response.status_code == 400
    assert "Tick the box" in response.get_data(as_text=True)
    assert db.session.scalar(select(Idea)) is None  # nothing half done
    assert db.session.scalar(select(AboutYou)) is None


SHEET = (
    "Title,Idea,Age,Ethnic group,Religion,Consent,Postcode\n"
    "Benches,More benches,65 to 74,Indian,Hindu,Yes,\n"
    "Buses,Later buses,16-24,,Prefer not to say,,\n"
    "Library,Open on Sundays,,,,,\n"
)


def _import(client, workshop, sheet: str):
    path = f"/admin/offline/{workshop.id}/import"
    return client.post(
        path,
        data={
            "csrf_token": _csrf(client, path),
            "spreadsheet": (io.BytesIO(sheet.encode()), "r.csv"),
        },
        content_type="multipart/form-data",
    )


def test_the_spreadsheet_import_reads_about_you_columns(client, db, login_as):
    workshop = _event(db)
    login_as(Role.FACILITATOR)
    preview = _import(client, workshop, SHEET)
    assert preview.status_code == 200
    page = preview.get_data(as_text=True)
    assert "About you (optional)" in page
    payload = re.search(r'name="payload" value="([^"]+)"', page)[1]
    token = re.search(r'name="csrf_token" value="([^"]+)"', page)[1]
    done = client.post(
        f"/admin/offline/{workshop.id}/import/confirm",
        data={"csrf_token": token, "payload": payload},
    )
    assert done.status_code == 302
    rows = db.session.scalars(select(AboutYou).order_by(AboutYou.id)).all()
    assert [(r.age_band, r.ethnic_group, r.religion) for r in rows] == [
        ("65_74", "asian_0", "hindu"),
        ("16_24", None, "prefer_not"),
    ]  # the third row gave no answers, so nothing is kept for it
    assert len(db.session.scalars(select(Idea)).all()) == 3


def test_about_you_mistakes_are_shown_on_their_rows(client, db, login_as):
    workshop = _event(db)
    login_as(Role.FACILITATOR)
    sheet = "Title,Idea,Age,Religion\nBenches,More benches,ninety,Hindu\n"
    response = _import(client, workshop, sheet)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Age: “ninety” is not one of the answers" in page
    sheet = "Title,Idea,Religion\nBenches,More benches,Hindu\n"
    page = _import(client, workshop, sheet).get_data(as_text=True)
    assert "Put Yes in the Consent column" in page
