"""The self-assessment pages through HTTP: start a round, assess, give a view, sign off,
download the meeting pack; and the network return in the open-data API (ETag, 304, Atom)."""

from __future__ import annotations

import io
import json
from datetime import date
from xml.etree import ElementTree

import jsonschema
import pytest
from docx import Document as WordDocument

from kil_consult.extensions import db
from kil_consult.network import services as network
from kil_consult.network.models import AssessmentRound, RoundState

from . import world as network_world


@pytest.fixture
def world(db):
    return network_world.build()


def _assess(client, round_id: int, number: int, level: int = 3, **extra):
    data = {
        "level": str(level),
        "next_steps": "Join up the front doors.",
        "champion": "Cllr Ann Able",
        **extra,
    }
    return client.post(f"/network/rounds/{round_id}/principles/{number}", data=data)


def test_an_admin_completes_a_round_and_downloads_the_pack(client, world, login_as):
    login_as(world.admin)
    response = client.post(
        "/network/rounds",
        data={
            "title": "Spring 2027 network meeting",
            "meeting_on": ["27", "3", "2027"],
        },
    )
    assert response.status_code == 302, response.get_data(as_text=True)[-6000:]
    round_id = int(response.headers["Location"].rsplit("/", 1)[1])
    page = client.get(f"/network/rounds/{round_id}/principles/1")
    assert page.status_code == 200 and b"Starting out" in page.data
    commitment = world.commitments[0]
    response = _assess(
        client,
        round_id,
        1,
        commitments=str(commitment.id),
        addresses=f"/ideas/{world.ideas[0].id}\n/statement",
    )
    assert response.status_code == 302, response.data
    for number in range(2, 7):
        assert _assess(client, round_id, number, level=2).status_code == 302
    page = client.get(f"/network/rounds/{round_id}").get_data(as_text=True)
    assert "Level 3: Established" in page and "First rated in this round" in page
    assert f"Commitment {commitment.number}" in page
    assert client.post(f"/network/rounds/{round_id}/sign-off").status_code == 302
    round_ = db.session.get(AssessmentRound, round_id)
    assert round_.state is RoundState.SIGNED_OFF
    word = client.get(f"/network/rounds/{round_id}/pack.docx")
    assert word.status_code == 200
    text = "\n".join(p.text for p in WordDocument(io.BytesIO(word.data)).paragraphs)
    assert "Keep it Local network meeting pack" in text
    assert "Progress on our commitments" in text and "Hub opened." in _all_text(word.data)
    pdf = client.get(f"/network/rounds/{round_id}/pack.pdf")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
    # frozen: the edit page refuses
    assert _assess(client, round_id, 1, level=4).status_code == 403


def _all_text(docx_bytes: bytes) -> str:
    document = WordDocument(io.BytesIO(docx_bytes))
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


def test_bad_input_gets_a_message_not_a_500(client, world, login_as):
    login_as(world.facilitator)
    response = client.post("/network/rounds", data={"title": "", "meeting_on": ["40", "1", "2027"]})
    assert response.status_code == 400 and b"Enter a name for the round" in response.data
    round_ = network.start_round(world.facilitator, "Spring 2027", date(2027, 3, 27))
    db.session.commit()
    response = _assess(client, round_.id, 1, level=9)
    assert response.status_code == 400 and b"Choose the level" in response.data
    response = _assess(client, round_.id, 1, addresses="https://evil.example/x")
    assert response.status_code == 400 and b"not an address on this site" in response.data
    assert _assess(client, round_.id, 7).status_code == 404
    assert client.get(f"/network/rounds/{round_.id}/pack.txt").status_code == 404


def test_residents_give_views_while_open(client, world, login_as):
    round_ = network.start_round(world.facilitator, "Spring 2027", date(2027, 3, 27))
    network_world.fill(round_, world.facilitator)
    db.session.commit()
    assert client.get(f"/network/rounds/{round_.id}").status_code == 404  # a draft
    network.open_for_views(round_)
    db.session.commit()
    login_as(world.resident)
    page = client.get(f"/network/rounds/{round_.id}")
    assert b"Do you agree with the council" in page.data
    response = client.post(f"/network/rounds/{round_.id}/views/2", data={"p2-comment": "Hm"})
    assert response.status_code == 400 and b"Choose whether you agree" in response.data
    response = client.post(
        f"/network/rounds/{round_.id}/views/2",
        data={"p2-agrees": "no", "p2-comment": "Not in my village."},
    )
    assert response.status_code == 302
    page = client.get(f"/network/rounds/{round_.id}").get_data(as_text=True)
    assert "You said you do not agree" in page


def test_the_return_is_served_with_etag_304_and_atom(client, world):
    assert client.get("/api/v1/network/returns/latest").status_code == 404
    empty = client.get("/api/v1/network/returns")
    assert empty.status_code == 200 and empty.json == {"items": []}
    round_ = network_world.signed_off_round(world)
    listing = client.get("/api/v1/network/returns")
    assert listing.status_code == 200 and listing.headers["ETag"] != empty.headers["ETag"]
    schema = client.get("/network/return.schema.json").json
    for item in listing.json["items"]:
        jsonschema.validate(item, schema)
    document = listing.json["items"][0]
    assert document["schema_version"] == "1.1" and document["equality"] is None
    assert document["council"]["name"] == "East Testshire Council"
    assert [a["level"] for a in document["self_assessment"]] == [2, 2, 3, 1, 3, 2]
    assert document["commitments"][0]["progress"][0]["text"] == "Hub opened."
    again = client.get(
        "/api/v1/network/returns", headers={"If-None-Match": listing.headers["ETag"]}
    )
    assert again.status_code == 304
    one = client.get(f"/api/v1/network/returns/{round_.id}")
    assert one.json == document == client.get("/api/v1/network/returns/latest").json
    assert client.get("/api/v1/network/returns/999").status_code == 404
    feed = client.get("/api/v1/network/returns.atom")
    assert feed.mimetype == "application/atom+xml"
    entries = ElementTree.fromstring(feed.data).findall("{http://www.w3.org/2005/Atom}entry")
    assert [e.findtext("{http://www.w3.org/2005/Atom}title") for e in entries] == [round_.title]
    assert (
        client.get(
            "/api/v1/network/returns.atom", headers={"If-None-Match": feed.headers["ETag"]}
        ).status_code
        == 304
    )


def test_the_gss_code_setting_reaches_the_return(app, client, world, monkeypatch):
    monkeypatch.setitem(app.config, "KIL_COUNCIL_GSS_CODE", "E10000011")
    network_world.signed_off_round(world)
    document = client.get("/api/v1/network/returns/latest").json
    assert document["council"]["gss_code"] == "E10000011"
    assert json.dumps(document)  # plain JSON
