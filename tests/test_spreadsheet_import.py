"""Paper responses imported from a spreadsheet: checked row by row, then all or nothing."""

from __future__ import annotations

import io
import re

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select

from kil_consult.audit import AuditEvent
from kil_consult.extensions import db as _db
from kil_consult.ideas.models import Idea, Source

from .factories import make_consultation, make_neighbourhood


@pytest.fixture
def event_url(client, council, db, login_as):
    consultation = make_consultation()
    make_neighbourhood("Hastings")
    db.session.commit()
    login_as("facilitator")
    response = client.post(
        f"/admin/consultations/{consultation.slug}/offline",
        data={"kind": "paper", "name": "Library box", "held_on": ["2", "3", "2026"]},
    )
    return response.headers["Location"]


def _upload(client, event_url, content: bytes, name: str = "responses.csv"):
    return client.post(
        f"{event_url}/import",
        data={"spreadsheet": (io.BytesIO(content), name)},
        content_type="multipart/form-data",
    )


def _payload(page: str) -> str:
    return re.search(r'name="payload" value="([^"]+)"', page).group(1)


def _ideas() -> int:
    return _db.session.scalar(select(func.count()).select_from(Idea)) or 0


def test_a_csv_is_checked_then_imported_in_one_go(client, event_url):
    csv = (
        b"Idea title,What they said,Name,Area\n"
        b"Benches on the front,Somewhere to sit,Walker,hastings\n"
        b"\n"
        b'Bus to the hospital,"An early bus,\nbefore 7",,\n'
    )
    preview = _upload(client, event_url, csv)
    page = preview.get_data(as_text=True)
    assert preview.status_code == 200 and "2 ideas ready to import" in page
    assert _ideas() == 0  # nothing yet
    done = client.post(f"{event_url}/import/confirm", data={"payload": _payload(page)})
    assert done.status_code == 302
    ideas = _db.session.scalars(select(Idea).order_by(Idea.id)).all()
    assert [i.title for i in ideas] == ["Benches on the front", "Bus to the hospital"]
    assert ideas[0].neighbourhood.name == "Hastings" and ideas[0].contributor_name == "Walker"
    assert ideas[1].body == "An early bus,\nbefore 7"
    assert all(i.source is Source.PAPER for i in ideas)
    assert (
        _db.session.scalar(select(func.count()).where(AuditEvent.action == "offline.import")) == 1
    )
    # the same check cannot be imported twice by mistake... it can, but it is the same file;
    # a tampered check is refused
    tampered = _payload(page)[:-3] + "abc"
    refused = client.post(f"{event_url}/import/confirm", data={"payload": tampered})
    assert refused.status_code == 302 and _ideas() == 2


def test_rows_with_mistakes_import_nothing(client, event_url):
    csv = (
        "Title,Idea,Area\n"
        "Good one,Fine,\n"
        ",No title here,\n"
        f"{'x' * 121},Too long a title,\n"
        "Wrong place,Somewhere,Atlantis\n"
    ).encode()
    preview = _upload(client, event_url, csv)
    page = preview.get_data(as_text=True)
    assert preview.status_code == 400 and "3 of 4 rows need correcting" in page
    assert "Enter a title" in page and "120 characters or fewer" in page
    assert "“Atlantis” is not one of the council" in page
    assert 'name="payload"' not in page and _ideas() == 0


def test_an_excel_workbook_imports_too(client, event_url):
    book = Workbook()
    sheet = book.active
    sheet.append(["Title", "Description"])
    sheet.append(["Community fridge", "At the church hall"])
    sheet.append([2027, "A number as a title is text"])
    data = io.BytesIO()
    book.save(data)
    page = _upload(client, event_url, data.getvalue(), "responses.xlsx").get_data(as_text=True)
    assert "2 ideas ready to import" in page
    client.post(f"{event_url}/import/confirm", data={"payload": _payload(page)})
    assert _ideas() == 2


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (b"", "empty.csv", "The selected file is empty"),
        (b"Title,Idea\n", "header-only.csv", "no ideas under its first row"),
        (b"Name,Colour\nA,B\n", "wrong.csv", "must have a Title column"),
        (b"PK\x03\x04not really a zip", "broken.xlsx", "not an Excel workbook"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "picture.png", "must be a CSV file"),
        (b"Title,Idea\n\x00\x01,\x02\n", "binary.csv", "not a CSV file"),
    ],
)
def test_files_that_are_not_spreadsheets_of_ideas_are_refused(
    client, event_url, content, name, message
):
    response = _upload(client, event_url, content, name)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert _ideas() == 0


def test_no_file_chosen(client, event_url):
    response = client.post(f"{event_url}/import", data={}, content_type="multipart/form-data")
    assert response.status_code == 400
    assert "Choose a CSV or Excel file" in response.get_data(as_text=True)


def test_residents_cannot_import(client, event_url, login_as):
    login_as("resident")
    assert _upload(client, event_url, b"Title,Idea\nA,B\n").status_code == 403
