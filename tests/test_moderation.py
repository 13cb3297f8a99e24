"""Reports, the moderation queue, hide / publish / restore, merging, offline contributions,
similar ideas and the audit log."""

from __future__ import annotations

import pytest
from markupsafe import escape
from sqlalchemy import func, select

from kil_consult.audit import AuditEvent
from kil_consult.consultations.models import ModerationMode, Stage
from kil_consult.extensions import db as _db
from kil_consult.ideas import services as idea_services
from kil_consult.ideas.models import Comment, Idea, Source, Visibility, Vote, VoteValue
from kil_consult.ideas.similar import forget_indexes, similar_ideas
from kil_consult.moderation import queue as moderation_queue
from kil_consult.moderation import services
from kil_consult.moderation.models import HideReason, Report, ReportReason

from .factories import make_comment, make_consultation, make_idea, make_user, make_vote


@pytest.fixture
def reasons(db):
    services.ensure_default_hide_reasons()
    db.session.commit()
    return services.hide_reasons()


def test_reports_of_one_item_gather_into_one_entry(client, council, db, login_as):
    idea = make_idea()
    others = [make_user() for _ in range(2)]
    db.session.commit()
    reporter = login_as("resident")
    for reason in ("spam", "abusive"):  # the same person reporting twice updates their report
        response = client.post(f"/report/idea/{idea.id}", data={"reason": reason, "note": "x"})
        assert response.status_code == 302
    for person in others:
        services.report(person, ReportReason.OFF_TOPIC, idea=idea)
    db.session.commit()
    assert _db.session.scalar(select(func.count(Report.id))) == 3
    entries = moderation_queue.queue("reported").entries
    assert len(entries) == 1
    assert entries[0].report_count == 3
    assert set(entries[0].reasons) == {"Abusive or offensive", "Off topic"}
    assert _db.session.scalars(select(Report).where(Report.reporter_id == reporter.id)).one()


def test_report_needs_a_reason_and_a_confirmed_account(client, council, db, login_as):
    idea = make_idea()
    db.session.commit()
    assert client.get(f"/report/idea/{idea.id}").status_code == 302  # sign in first
    login_as("resident")
    response = client.post(f"/report/idea/{idea.id}", data={"reason": ""})
    assert response.status_code == 400
    assert "Choose why you are reporting this" in response.get_data(as_text=True)
    assert client.post("/report/idea/999999", data={"reason": "spam"}).status_code == 404


def test_hide_leaves_a_public_note_and_emails_the_author(
    client, council, db, login_as, mailbox, reasons
):
    author = make_user(email="author@example.org")
    idea = make_idea(title="Rude idea", author=author)
    services.report(make_user(), ReportReason.ABUSIVE, idea=idea)
    db.session.commit()
    login_as("facilitator")
    reason = reasons[2]
    response = client.post(
        f"/moderation/idea/{idea.id}/hide", data={"reason_id": reason.id, "note": "Be kind"}
    )
    assert response.status_code == 302
    _db.session.refresh(idea)
    assert idea.visibility is Visibility.HIDDEN
    assert moderation_queue.queue("reported").entries == []  # reports are dealt with
    email = mailbox.wait_for("author@example.org")
    assert reason.public_text in email.body and "Be kind" in email.body
    client.post("/account/sign-out")
    listing = client.get(f"/consultations/{idea.consultation.slug}").get_data(as_text=True)
    assert "Hidden by a moderator:" in listing and str(escape(reason.public_text)) in listing
    assert "Rude idea" not in listing
    page = client.get(f"/ideas/{idea.id}").get_data(as_text=True)
    assert "Hidden by a moderator:" in page and idea.body not in page
    events = _db.session.scalars(select(AuditEvent).where(AuditEvent.action == "item.hide")).all()
    assert len(events) == 1 and events[0].before["visibility"] == "published"


def test_restore_and_hidden_comment_note(client, council, db, login_as, mailbox, reasons):
    idea = make_idea()
    comment = make_comment(idea, body="A nasty remark")
    db.session.commit()
    moderator = make_user("facilitator")
    services.hide(comment, moderator, reasons[0].public_text)
    db.session.commit()
    _db.session.refresh(idea)
    assert idea.comment_count == 0
    page = client.get(f"/ideas/{idea.id}").get_data(as_text=True)
    assert "A nasty remark" not in page and str(escape(reasons[0].public_text)) in page
    services.restore(comment, moderator)
    db.session.commit()
    _db.session.refresh(idea)
    assert idea.comment_count == 1
    assert "A nasty remark" in client.get(f"/ideas/{idea.id}").get_data(as_text=True)


def test_pre_moderation_holds_ideas_until_published(client, council, db, login_as, mailbox):
    consultation = make_consultation(moderation=ModerationMode.PRE)
    db.session.commit()
    author = login_as("resident")
    client.post(
        f"/consultations/{consultation.slug}/ideas/new",
        data={"title": "Held idea", "body": "Wait for it"},
    )
    idea = _db.session.scalars(select(Idea)).one()
    assert idea.visibility is Visibility.PENDING
    assert client.get(f"/ideas/{idea.id}").status_code == 200  # the author sees it
    client.post("/account/sign-out")
    assert client.get(f"/ideas/{idea.id}").status_code == 404
    assert "Held idea" not in client.get(f"/consultations/{consultation.slug}").get_data(
        as_text=True
    )
    login_as("facilitator")
    waiting = moderation_queue.queue("waiting").entries
    assert [e.item.id for e in waiting] == [idea.id]
    client.post(f"/moderation/idea/{idea.id}", data={"action": "publish"})
    _db.session.refresh(idea)
    assert idea.visibility is Visibility.PUBLISHED
    assert "published" in mailbox.wait_for(author.email).body


def test_bulk_actions(client, council, db, login_as, reasons):
    ideas = [make_idea() for _ in range(3)]
    comment = make_comment(ideas[0])
    for item in ideas[:2]:
        services.report(make_user(), ReportReason.SPAM, idea=item)
    services.report(make_user(), ReportReason.SPAM, comment=comment)
    db.session.commit()
    login_as("facilitator")
    keys = [f"idea:{ideas[0].id}", f"comment:{comment.id}", "idea:999999"]
    response = client.post(
        "/moderation/bulk",
        data={"items": keys, "action": "hide", "reason_id": reasons[3].id, "note": ""},
    )
    assert response.status_code == 302
    _db.session.expire_all()
    assert _db.session.get(Idea, ideas[0].id).visibility is Visibility.HIDDEN
    assert _db.session.get(Comment, comment.id).visibility is Visibility.HIDDEN
    client.post("/moderation/bulk", data={"items": [f"idea:{ideas[1].id}"], "action": "dismiss"})
    assert moderation_queue.queue("reported").entries == []
    assert _db.session.get(Idea, ideas[1].id).visibility is Visibility.PUBLISHED
    no_reason = client.post(
        "/moderation/bulk", data={"items": [f"idea:{ideas[2].id}"], "action": "hide"}
    )
    assert no_reason.status_code == 400  # the queue again, with the error beside the reason
    page = no_reason.get_data(as_text=True)
    assert "Choose a reason for hiding the selected items" in page
    assert _db.session.get(Idea, ideas[2].id).visibility is Visibility.PUBLISHED


def test_queue_filters_and_staff_only(client, council, db, login_as):
    idea = make_idea()
    services.report(make_user(), ReportReason.SPAM, idea=idea)
    db.session.commit()
    login_as("resident")
    assert client.get("/moderation").status_code == 403
    client.post("/account/sign-out")
    login_as("facilitator")
    page = client.get("/moderation?tab=reported&kind=idea&reason=spam&sort=most_reported")
    assert page.status_code == 200 and idea.title in page.get_data(as_text=True)
    assert idea.title not in client.get("/moderation?reason=abusive").get_data(as_text=True)
    assert client.get("/moderation?tab=nonsense").status_code == 400


def _votes(idea):
    return dict(
        _db.session.execute(select(Vote.user_id, Vote.value).where(Vote.idea_id == idea.id))
        .tuples()
        .all()
    )


def test_merge_moves_votes_without_counting_anyone_twice_and_can_be_undone(
    client, council, db, login_as, mailbox
):
    consultation = make_consultation()
    source, target = make_idea(consultation), make_idea(consultation)
    only_source, both, only_target = (
        make_user(email="a@example.org"),
        make_user(email="b@example.org"),
        make_user(),
    )
    make_vote(source, only_source, "agree")
    make_vote(source, both, "disagree")
    make_vote(target, both, "agree")
    make_vote(target, only_target, "pass")
    make_comment(source, body="Still readable")
    db.session.commit()
    login_as("facilitator")
    response = client.post(f"/ideas/{source.id}/merge", data={"target_id": target.id})
    assert response.status_code == 302
    _db.session.expire_all()
    target = _db.session.get(Idea, target.id)
    source = _db.session.get(Idea, source.id)
    assert source.visibility is Visibility.MERGED and source.merged_into_id == target.id
    assert _votes(target) == {
        only_source.id: VoteValue.AGREE,
        both.id: VoteValue.AGREE,
        only_target.id: VoteValue.PASS,
    }
    assert (target.agree_count, target.disagree_count, target.pass_count) == (2, 0, 1)
    assert source.vote_count == 0 and _votes(source) == {}
    assert "merged" in mailbox.wait_for("a@example.org").body
    page = client.get(f"/ideas/{source.id}").get_data(as_text=True)
    assert "Still readable" in page and "was merged into" in page

    merge = idea_services.latest_merge(source)
    client.post(f"/merges/{merge.id}/undo")
    _db.session.expire_all()
    source, target = _db.session.get(Idea, source.id), _db.session.get(Idea, target.id)
    assert source.visibility is Visibility.PUBLISHED
    assert _votes(source) == {only_source.id: VoteValue.AGREE, both.id: VoteValue.DISAGREE}
    assert _votes(target) == {both.id: VoteValue.AGREE, only_target.id: VoteValue.PASS}
    assert (source.agree_count, source.disagree_count) == (1, 1)
    assert (target.agree_count, target.pass_count) == (1, 1)


def test_merge_refuses_nonsense(client, council, db, login_as):
    idea = make_idea()
    other_consultation_idea = make_idea()
    db.session.commit()
    login_as("facilitator")
    for target, message in [
        (idea.id, "different idea"),
        (other_consultation_idea.id, "within one consultation"),
        (999999, "no idea with that number"),
    ]:
        response = client.post(f"/ideas/{idea.id}/merge", data={"target_id": target})
        assert response.status_code == 400
        assert message in response.get_data(as_text=True)


def test_offline_event_and_its_ideas(client, council, db, login_as):
    consultation = make_consultation()
    db.session.commit()
    login_as("facilitator")
    response = client.post(
        f"/admin/consultations/{consultation.slug}/offline",
        data={
            "kind": "event",
            "name": "Library drop-in",
            "held_on": ["2", "3", "2026"],
            "place": "Hastings library",
            "attendees": "24",
        },
    )
    assert response.status_code == 302
    event_url = response.headers["Location"]
    for n in range(3):
        client.post(
            event_url,
            data={
                "title": f"Workshop idea {n}",
                "body": "Said at the table",
                "contributor_name": "Parent",
            },
        )
    ideas = _db.session.scalars(select(Idea).where(Idea.source == Source.EVENT)).all()
    assert len(ideas) == 3 and all(i.event.attendees == 24 for i in ideas)
    page = client.get(f"/consultations/{consultation.slug}").get_data(as_text=True)
    assert "Community event at Library drop-in, from Parent" in page
    future = client.post(
        f"/admin/consultations/{consultation.slug}/offline",
        data={"kind": "paper", "name": "Later", "held_on": ["1", "1", "2099"]},
    )
    assert future.status_code == 400 and "today or in the past" in future.get_data(as_text=True)
    actions = set(_db.session.scalars(select(AuditEvent.action)))
    assert {"offline.record_event", "offline.enter_idea"} <= actions


def test_residents_cannot_record_offline_ideas(client, council, db, login_as):
    consultation = make_consultation()
    db.session.commit()
    login_as("resident")
    url = f"/admin/consultations/{consultation.slug}/offline"
    assert client.get(url).status_code == 403


def test_similar_ideas_found_and_shown_before_saving(client, council, db, login_as):
    forget_indexes()
    consultation = make_consultation()
    make_idea(
        consultation,
        title="Keep the library open on Sundays",
        body="Libraries are warm places for families at weekends.",
    )
    make_idea(consultation, title="Fix potholes", body="Roads in Rye are dangerous.")
    db.session.commit()
    found = similar_ideas(consultation, "Open libraries at the weekend, Sunday opening")
    assert [m.idea.title for m in found][:1] == ["Keep the library open on Sundays"]
    assert (
        client.get(f"/consultations/{consultation.slug}/similar-ideas?text=library+sunday").json[
            "ideas"
        ][0]["title"]
        == "Keep the library open on Sundays"
    )
    login_as("resident")
    data = {"title": "Sunday library opening", "body": "Open the library on Sundays please"}
    first = client.post(f"/consultations/{consultation.slug}/ideas/new", data=data)
    assert first.status_code == 200 and "Is your idea already here?" in first.get_data(as_text=True)
    assert _db.session.scalar(select(func.count(Idea.id))) == 2
    second = client.post(
        f"/consultations/{consultation.slug}/ideas/new", data={**data, "confirm_new": "1"}
    )
    assert second.status_code == 302
    assert _db.session.scalar(select(func.count(Idea.id))) == 3
    # New ideas join the index without a rebuild.
    assert similar_ideas(consultation, "Sunday library opening")[0].idea.title in {
        "Sunday library opening",
        "Keep the library open on Sundays",
    }


def test_audit_log_page_and_csv(client, council, db, login_as, reasons):
    consultation = make_consultation(stage=Stage.DRAFT)
    idea = make_idea()
    db.session.commit()
    admin = login_as("admin")
    services.hide(idea, admin, '=HYPERLINK("http://evil")', "note")
    db.session.commit()
    client.post(f"/admin/people/{make_user().id}/role", data={"role": "facilitator"})
    client.post(f"/admin/consultations/{consultation.slug}/open")
    page = client.get("/admin/audit").get_data(as_text=True)
    assert "Hidden" in page and "Role changed" in page and "Consultation opened" in page
    filtered = client.get("/admin/audit?action=user.change_role").get_data(as_text=True)
    cell = '<td class="govuk-table__cell">{}</td>'
    assert cell.format("Role changed") in filtered
    assert cell.format("Consultation opened") not in filtered
    csv_text = client.get("/admin/audit.csv").get_data(as_text=True)
    assert csv_text.startswith("\ufeffid,when_utc")
    assert "'{\"" not in csv_text and "=HYPERLINK" in csv_text  # inside JSON, quoted safely
    client.post("/account/sign-out")
    login_as("facilitator")
    assert client.get("/admin/audit").status_code == 403


def test_hide_reason_templates_are_editable(client, council, db, login_as, reasons):
    login_as("facilitator")
    response = client.post(
        f"/moderation/reasons/{reasons[0].id}",
        data={
            "title": "Not on topic",
            "public_text": "It strayed from the question.",
            "active": "y",
        },
    )
    assert response.status_code == 302
    assert _db.session.get(HideReason, reasons[0].id).public_text == "It strayed from the question."
    clash = client.post(
        "/moderation/reasons/new", data={"title": "not on topic", "public_text": "x", "active": "y"}
    )
    assert clash.status_code == 400 and "already a reason" in clash.get_data(as_text=True)


def test_open_data_last_modified_moves_when_something_is_hidden(client, council, db, reasons):
    from datetime import timedelta

    idea = make_idea()
    two_days_ago = idea.created_at - timedelta(days=2)
    idea.created_at = two_days_ago
    idea.consultation.opens_at = two_days_ago - timedelta(days=1)
    idea.consultation.updated_at = two_days_ago
    db.session.commit()
    url = f"/api/v1/consultations/{idea.consultation.slug}/ideas"
    before = client.get(url).headers["Last-Modified"]
    assert client.get(url, headers={"If-Modified-Since": before}).status_code == 304
    services.hide(idea, make_user("facilitator"), reasons[0].public_text)
    db.session.commit()
    after = client.get(url, headers={"If-Modified-Since": before})
    assert after.status_code == 200
    assert idea.title not in after.get_data(as_text=True)


def test_queue_shows_likely_duplicates(client, council, db, login_as):
    consultation = make_consultation()
    reported = make_idea(consultation, title="Open the library on Sundays", body="Sunday library.")
    make_idea(consultation, title="Sunday opening for libraries", body="Libraries on Sundays.")
    make_idea(consultation, title="Fix potholes in Rye", body="Roads are dangerous.")
    services.report(make_user(), ReportReason.DUPLICATE, idea=reported)
    db.session.commit()
    login_as("facilitator")
    page = client.get("/moderation").get_data(as_text=True)
    assert "Likely duplicates:" in page and "Sunday opening for libraries" in page
    assert "Fix potholes in Rye" not in page


def test_the_queue_pages_through_every_item_and_counts_them_all(client, council, db, login_as):
    """A long queue shows 50 at a time with the exact total; nothing beyond 200 is dropped."""
    consultation = make_consultation(moderation=ModerationMode.PRE)
    author = make_user()
    ideas = [make_idea(consultation, author, visibility=Visibility.PENDING) for _ in range(230)]
    db.session.commit()
    login_as("facilitator")
    first = client.get("/moderation?tab=waiting&sort=oldest").get_data(as_text=True)
    assert "230 items: waiting for approval, page 1 of 5" in first
    assert f'value="idea:{ideas[0].id}"' in first and f'value="idea:{ideas[50].id}"' not in first
    assert "Select all 230 items that match" in first
    last = client.get("/moderation?tab=waiting&sort=oldest&page=5").get_data(as_text=True)
    assert f'value="idea:{ideas[229].id}"' in last and f'value="idea:{ideas[199].id}"' not in last
    assert "page=4" in last  # the previous page, with the filters kept
    past_the_end = client.get("/moderation?tab=waiting&sort=oldest&page=99")
    assert past_the_end.status_code == 200 and "page 5 of 5" in past_the_end.get_data(as_text=True)
    assert client.get("/moderation?tab=waiting&page=0").status_code == 400


def test_select_all_matching_acts_on_every_page_of_the_filters(client, council, db, login_as):
    consultation = make_consultation(moderation=ModerationMode.PRE)
    other = make_consultation(moderation=ModerationMode.PRE)
    author = make_user()
    ideas = [make_idea(consultation, author, visibility=Visibility.PENDING) for _ in range(70)]
    elsewhere = make_idea(other, author, visibility=Visibility.PENDING)
    db.session.commit()
    login_as("facilitator")
    sent_from = f"/moderation?tab=waiting&consultation={consultation.slug}&page=2"
    response = client.post(
        "/moderation/bulk",
        data={"items": [], "all_matching": "y", "action": "publish", "next": sent_from},
    )
    assert response.status_code == 302
    _db.session.expire_all()
    assert all(_db.session.get(Idea, i.id).visibility is Visibility.PUBLISHED for i in ideas)
    assert _db.session.get(Idea, elsewhere.id).visibility is Visibility.PENDING  # not matched
    nothing = client.post(
        "/moderation/bulk", data={"items": [], "action": "publish", "next": sent_from}
    )
    assert nothing.status_code == 400 and "Select at least one item" in nothing.get_data(
        as_text=True
    )
