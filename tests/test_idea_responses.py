"""The council's official response to an idea, told to its supporters, and staff notes."""

from __future__ import annotations

from kil_consult.audit import AuditEvent
from kil_consult.extensions import db as _db
from kil_consult.ideas.models import IdeaResponse, ResponseStatus, StaffNote, Visibility

from .factories import make_consultation, make_idea, make_user, make_vote


def test_a_response_is_public_and_its_supporters_are_emailed(
    client, council, db, login_as, mailbox
):
    consultation = make_consultation()
    author = make_user(email="author@example.org")
    idea = make_idea(consultation, author, title="Benches on the seafront")
    make_vote(idea, make_user(email="agreed@example.org"), "agree")
    make_vote(idea, make_user(email="disagreed@example.org"), "disagree")
    make_vote(idea, make_user(email="unconfirmed@example.org", confirmed=False), "agree")
    db.session.commit()
    login_as("facilitator")

    form = client.get(f"/ideas/{idea.id}/response").get_data(as_text=True)
    assert "2 people (the author and those who agreed) will be emailed" in form
    empty = client.post(f"/ideas/{idea.id}/response", data={"reason": "Because"})
    assert empty.status_code == 400 and "Choose the council" in empty.get_data(as_text=True)
    assert "Because" in empty.get_data(as_text=True)  # what was typed is kept

    answer = {"status": "taken_forward", "reason": "In the 2027 seafront plan."}
    done = client.post(f"/ideas/{idea.id}/response", data=answer)
    assert done.status_code == 302 and done.headers["Location"].endswith("#council-response")
    assert "has responded to your idea" in mailbox.wait_for("author@example.org").subject
    assert "In the 2027 seafront plan." in mailbox.wait_for("agreed@example.org").body
    assert not mailbox.to("disagreed@example.org")
    assert not mailbox.to("unconfirmed@example.org")

    again = client.post(f"/ideas/{idea.id}/response", data=answer)
    assert again.status_code == 400 and "already the response" in again.get_data(as_text=True)
    assert _db.session.query(IdeaResponse).count() == 1

    client.get("/account/sign-out")
    page = client.get(f"/ideas/{idea.id}").get_data(as_text=True)
    assert "The council’s response" in page and "Taken forward" in page
    assert "In the 2027 seafront plan." in page
    assert _db.session.query(AuditEvent).filter_by(action="idea.respond").count() == 1


def test_a_changed_response_keeps_the_history(client, council, db, login_as):
    idea = make_idea(make_consultation())
    db.session.commit()
    login_as("admin")
    client.post(
        f"/ideas/{idea.id}/response", data={"status": "being_considered", "reason": "Costing it."}
    )
    client.post(
        f"/ideas/{idea.id}/response",
        data={"status": "not_taken_forward", "reason": "No budget this year."},
    )
    page = client.get(f"/ideas/{idea.id}").get_data(as_text=True)
    assert "Not taken forward" in page and "Costing it." not in page
    history = client.get(f"/ideas/{idea.id}/response").get_data(as_text=True)
    assert "Costing it." in history and "No budget this year." in history
    statuses = [r.status for r in _db.session.query(IdeaResponse).order_by(IdeaResponse.id)]
    assert statuses == [ResponseStatus.BEING_CONSIDERED, ResponseStatus.NOT_TAKEN_FORWARD]


def test_no_response_to_an_idea_that_is_not_published(client, council, db, login_as):
    idea = make_idea(make_consultation(), visibility=Visibility.HIDDEN)
    db.session.commit()
    login_as("facilitator")
    assert client.get(f"/ideas/{idea.id}/response").status_code == 403


def test_staff_notes_are_for_staff_only(client, council, db, login_as):
    idea = make_idea(make_consultation())
    db.session.commit()
    login_as("facilitator")
    assert client.post(f"/ideas/{idea.id}/staff-notes", data={"body": " "}).status_code == 400
    client.post(f"/ideas/{idea.id}/staff-notes", data={"body": "Call the ward councillor."})
    assert "Call the ward councillor." in client.get(f"/ideas/{idea.id}/staff-notes").get_data(
        as_text=True
    )
    assert "Staff notes (1)" in client.get(f"/ideas/{idea.id}").get_data(as_text=True)
    assert _db.session.query(StaffNote).count() == 1

    login_as("resident")
    assert client.get(f"/ideas/{idea.id}/staff-notes").status_code == 403
    assert "Call the ward councillor." not in client.get(f"/ideas/{idea.id}").get_data(as_text=True)
