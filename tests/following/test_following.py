"""Following and notifications, through the pages and real email (aiosmtpd): follow an idea,
be emailed when someone replies, unsubscribe in one click; visibility, digests and notices."""

from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import select

from kil_consult.consultations.models import ModerationMode, Stage
from kil_consult.extensions import db as _db
from kil_consult.following import services, tasks
from kil_consult.following.models import (
    Follow,
    FollowKind,
    Frequency,
    Notification,
    NotificationKind,
)
from kil_consult.ideas.models import Visibility
from kil_consult.moderation import services as moderation
from kil_consult.timeutil import utcnow
from tests.factories import make_comment, make_consultation, make_idea, make_user


def _notifications(user) -> list[Notification]:
    _db.session.expire_all()
    return list(
        _db.session.scalars(
            select(Notification).where(Notification.user_id == user.id).order_by(Notification.id)
        )
    )


def test_a_follower_is_emailed_about_a_reply_and_unsubscribes_in_one_click(
    app, client, council, db, login_as, mailbox
):
    idea = make_idea(title="Lighting in the park")
    resident = make_user(email="rita@example.org", display_name="Rita")
    db.session.commit()
    login_as(resident)
    page = client.get(f"/ideas/{idea.id}").get_data(as_text=True)
    assert f'action="/follow/idea/{idea.id}"' in page
    response = client.post(f"/follow/idea/{idea.id}", data={"next": f"/ideas/{idea.id}"})
    assert response.status_code == 302 and response.location.endswith(f"/ideas/{idea.id}")
    page = client.get(f"/ideas/{idea.id}").get_data(as_text=True)
    assert "Stop following" in page
    client.post("/account/sign-out")

    login_as(make_user(display_name="Sam Someone"))
    assert (
        client.post(f"/ideas/{idea.id}/comments", data={"body": "Good idea, and cheap to do"})
    ).status_code == 302
    client.post("/account/sign-out")

    email = mailbox.wait_for("rita@example.org")
    assert email.subject == "A new comment on an idea you follow"
    assert "Sam Someone commented on \u201cLighting in the park\u201d" in email.body
    assert f"/ideas/{idea.id}#comment-" in email.body
    unsubscribe = email.link("/notifications/unsubscribe/")
    assert email.headers["List-Unsubscribe"] == f"<{unsubscribe}>"
    assert email.headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"

    # The mail provider's one-click POST: no session, no CSRF token, only the signed token.
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        anonymous = app.test_client()
        path = unsubscribe.removeprefix("http://localhost")
        assert anonymous.post(path, data={"List-Unsubscribe": "One-Click"}).status_code == 200
        assert anonymous.post(path[:-3] + "xyz", data={}).status_code == 404  # tampered
    finally:
        app.config["WTF_CSRF_ENABLED"] = False
    assert services.frequency_of(resident) is Frequency.NEVER

    mailbox.clear()
    make_comment(idea, make_user(), "Another comment")
    db.session.commit()
    assert len(_notifications(resident)) == 2  # still on the site...
    assert mailbox.to("rita@example.org") == []  # ...but no longer emailed


def test_the_unsubscribe_page_asks_before_it_stops_the_emails(client, council, db):
    person = make_user()
    db.session.commit()
    path = f"/notifications/unsubscribe/{services.unsubscribe_token(person)}"
    page = client.get(path)
    assert page.status_code == 200 and "Stop the emails" in page.get_data(as_text=True)
    assert services.frequency_of(person) is Frequency.AT_ONCE
    done = client.post(path)
    assert done.status_code == 200 and "no more notification emails" in done.get_data(as_text=True)
    assert services.frequency_of(person) is Frequency.NEVER
    assert client.get("/notifications/unsubscribe/not-a-token").status_code == 404


def test_replies_and_comments_reach_authors_without_following(db, council, mailbox):
    author = make_user(display_name="Ali")
    commenter = make_user(display_name="Cat")
    replier = make_user(display_name="Rob")
    idea = make_idea(author=author, title="Benches")
    top = make_comment(idea, commenter, "Where?")
    make_comment(idea, replier, "By the bus stop", parent=top)
    make_comment(idea, author, "Thanks both")  # the author is never told about their own
    db.session.commit()
    assert [(n.kind, n.text) for n in _notifications(commenter)] == [
        (NotificationKind.REPLY, "Rob replied to your comment on \u201cBenches\u201d"),
    ]
    assert [n.text for n in _notifications(author)] == [
        "Cat commented on \u201cBenches\u201d",
        "Rob commented on \u201cBenches\u201d",
    ]
    assert _notifications(replier) == []  # the author's later comment is not a reply to Rob


def test_waiting_comments_are_announced_only_once_published_and_hiding_takes_them_back(
    db, council, mailbox
):
    consultation = make_consultation(moderation=ModerationMode.PRE)
    author = make_user()
    follower = make_user()
    idea = make_idea(consultation, author)
    services.follow(follower, FollowKind.IDEA, idea, label=idea.title)
    waiting = make_comment(idea, make_user(), "Waiting for a moderator")
    db.session.commit()
    assert waiting.visibility is Visibility.PENDING
    assert _notifications(follower) == [] and _notifications(author) == []

    facilitator = make_user("facilitator")
    moderation.publish(waiting, facilitator)
    db.session.commit()
    assert [n.comment_id for n in _notifications(follower)] == [waiting.id]

    moderation.hide(waiting, facilitator, "Off topic")
    db.session.commit()
    assert _notifications(follower) == [] and _notifications(author) == []
    told = _notifications(waiting.author)
    assert [n.kind for n in told] == [NotificationKind.HIDDEN]
    assert told[0].emailed_at is not None  # the moderation email already told them


def test_following_a_waiting_or_hidden_idea_is_refused(client, council, db, login_as):
    waiting = make_idea(visibility=Visibility.PENDING)
    db.session.commit()
    login_as("resident")
    assert client.post(f"/follow/idea/{waiting.id}").status_code == 404
    draft = make_consultation(stage=Stage.DRAFT)
    db.session.commit()
    assert client.post(f"/follow/consultation/{draft.slug}").status_code == 404
    assert _db.session.scalar(select(Follow)) is None


def test_new_ideas_reach_followers_of_the_consultation_and_the_neighbourhood(db, council):
    from tests.factories import make_neighbourhood

    consultation = make_consultation()
    north = make_neighbourhood("Northtown")
    by_place, by_consultation = make_user(), make_user()
    services.set_neighbourhoods(by_place, [north.id])
    services.follow(by_consultation, FollowKind.CONSULTATION, consultation)
    from kil_consult.ideas.services import submit_idea

    submit_idea(consultation, make_user(), "A market", "On Saturdays", neighbourhood_id=north.id)
    submit_idea(consultation, make_user(), "Elsewhere", "Not in Northtown")
    db.session.commit()
    assert [n.text for n in _notifications(by_place)] == [
        f"A new idea about Northtown in {consultation.title}: \u201cA market\u201d"
    ]
    assert len(_notifications(by_consultation)) == 2


def test_the_notifications_page_counts_unread_and_marks_them_read(client, council, db, login_as):
    person = login_as("resident")
    idea = make_idea(author=person, title="Trees")
    make_comment(idea, make_user(display_name="Una"), "Yes please")
    db.session.commit()
    home = client.get("/").get_data(as_text=True)
    assert re.search(r'Notifications <span class="app-unread-count">1</span>', home)
    page = client.get("/notifications").get_data(as_text=True)
    assert "Una commented on \u201cTrees\u201d" in page and "Mark all as read" in page
    assert client.post("/notifications/read").status_code == 302
    assert "app-unread-count" not in client.get("/").get_data(as_text=True)
    assert client.get("/notifications?page=5").status_code == 404


def test_the_settings_page_sets_frequency_neighbourhoods_and_stops_follows(
    client, council, db, login_as
):
    from tests.factories import make_neighbourhood

    north = make_neighbourhood("Northtown")
    person = login_as("resident")
    idea = make_idea(title="Allotments")
    services.follow(person, FollowKind.IDEA, idea, label="\u201cAllotments\u201d")
    db.session.commit()
    page = client.get("/notifications/settings").get_data(as_text=True)
    assert "Allotments" in page and "Northtown" in page
    response = client.post(
        "/notifications/settings", data={"frequency": "weekly", "neighbourhoods": [north.id]}
    )
    assert response.status_code == 302
    assert services.frequency_of(person) is Frequency.WEEKLY
    assert services.following_keys(person) == {f"idea:{idea.id}", f"neighbourhood:{north.id}"}
    bad = client.post("/notifications/settings", data={"frequency": "hourly"})
    assert bad.status_code == 400 and "Choose how often" in bad.get_data(as_text=True)
    client.post("/notifications/following/stop", data={"target": f"idea:{idea.id}"})
    assert services.following_keys(person) == {f"neighbourhood:{north.id}"}


def test_the_daily_digest_gathers_what_was_not_read_and_goes_once(db, council, mailbox):
    person = make_user(email="dee@example.org")
    services.set_frequency(person, Frequency.DAILY)
    weekly = make_user(email="wes@example.org")
    services.set_frequency(weekly, Frequency.WEEKLY)
    first, second = (
        make_idea(author=person, title="First"),
        make_idea(author=person, title="Second"),
    )
    make_comment(first, make_user(display_name="Ann"), "One")
    make_comment(second, make_user(display_name="Bob"), "Two")
    make_comment(make_idea(author=weekly), make_user(), "Three")
    db.session.commit()
    assert mailbox.messages == []  # nobody chose "at once"

    assert tasks.daily_digest.call_local() == 1  # the job the worker runs at 07:00
    email = mailbox.wait_for("dee@example.org")
    assert email.subject == "Your daily update: 2 new notifications"
    assert "Ann commented on \u201cFirst\u201d" in email.body
    assert "Bob commented on \u201cSecond\u201d" in email.body
    assert email.headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert tasks.daily_digest.call_local() == 0  # each notification is emailed once
    assert mailbox.to("wes@example.org") == []
    assert tasks.weekly_digest.call_local() == 1
    assert "Your weekly update: 1 new notification" == mailbox.wait_for("wes@example.org").subject


def test_followers_hear_when_a_consultation_opens_and_before_it_closes(db, council):
    now = utcnow()
    consultation = make_consultation(
        opens_at=now + timedelta(days=1), closes_at=now + timedelta(days=10)
    )
    early = make_user()
    services.follow(early, FollowKind.CONSULTATION, consultation)
    db.session.commit()
    assert services.announce_consultations(now) == 0  # not open yet
    assert services.announce_consultations(now + timedelta(days=2)) == 1
    assert [n.kind for n in _notifications(early)] == [NotificationKind.CONSULTATION_OPEN]
    assert services.announce_consultations(now + timedelta(days=3)) == 0  # once
    assert services.announce_consultations(now + timedelta(days=8)) == 1
    assert [n.kind for n in _notifications(early)][-1] is NotificationKind.CONSULTATION_CLOSING
    assert services.announce_consultations(now + timedelta(days=9)) == 0
    db.session.commit()
    assert tasks.consultation_notices.call_local() == 0  # the job the worker runs


def test_download_your_data_holds_follows_and_notifications_and_erasure_removes_them(db, council):
    from kil_consult.personal_data.services import erase_account, export_data

    person = make_user()
    idea = make_idea(author=person, title="Ferry")
    services.follow(person, FollowKind.STATEMENT, label="the Keep it Local statement")
    services.set_frequency(person, Frequency.WEEKLY)
    make_comment(idea, make_user(display_name="Quinn"), "Agreed")
    db.session.commit()
    data = export_data(person)
    assert data["following"][0]["what"] == "the Keep it Local statement"
    assert data["notification_email_frequency"] == "weekly"
    assert [n["kind"] for n in data["notifications"]] == ["comment"]
    erase_account(person, keep_contributions=True)
    db.session.commit()
    assert _db.session.scalars(select(Follow)).all() == []
    assert _notifications(person) == []
    assert services.frequency_of(person) is Frequency.AT_ONCE  # no setting row left


def test_follows_and_unread_are_read_together_and_agree_with_each_alone(db, council):
    """The header's one statement gives what the two separate reads give (and nothing to a
    visitor)."""
    person = make_user()
    idea = make_idea(author=person, title="Benches")
    services.follow(person, FollowKind.IDEA, idea, label="\u201cBenches\u201d")
    make_comment(idea, make_user(display_name="Ola"), "Near the park")
    make_comment(idea, make_user(display_name="Pip"), "And the library")
    db.session.commit()
    keys, unread = services.follows_and_unread(person)
    assert keys == services.following_keys(person) and f"idea:{idea.id}" in keys
    assert unread == services.unread_count(person) == 2
    assert services.follows_and_unread(None) == (set(), 0)
    lonely = make_user()
    db.session.commit()
    assert services.follows_and_unread(lonely) == (set(), 0)
