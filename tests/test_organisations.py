"""VCS organisations: registration, verification, membership, public pages, audit log."""

from __future__ import annotations

import re

import pytest
from flask_login import AnonymousUserMixin
from sqlalchemy import select

from kil_consult import policy
from kil_consult.accounts.models import Role
from kil_consult.audit import AuditEvent
from kil_consult.consultations.models import Stage
from kil_consult.ideas.models import Visibility
from kil_consult.organisations import membership as memberships
from kil_consult.organisations import services
from kil_consult.organisations.models import (
    Membership,
    MembershipStatus,
    Organisation,
    OrganisationStatus,
)

from .factories import (
    make_comment,
    make_consultation,
    make_idea,
    make_membership,
    make_neighbourhood,
    make_organisation,
    make_user,
)


def registration(**changes) -> dict:
    data = {
        "name": "Ore Valley Food Bank",
        "description": "We run a food bank and a warm space in Ore.",
        "website": "https://orevalley.example.org",
        "registration_number": "1123456",
    }
    data.update(changes)
    return data


def audit_actions(db, organisation_id: int) -> list[str]:
    return list(
        db.session.scalars(
            select(AuditEvent.action)
            .where(AuditEvent.item_type == "organisation", AuditEvent.item_id == organisation_id)
            .order_by(AuditEvent.id)
        )
    )


def membership(db, organisation, user) -> Membership | None:
    db.session.expire_all()
    return services.membership_of(user, organisation)


# --- registering ---------------------------------------------------------------------------


def test_a_resident_registers_an_organisation_that_waits_for_checks(client, council, db, login_as):
    place = make_neighbourhood("Ore")
    other = make_neighbourhood("Hollington")
    resident = login_as(Role.RESIDENT)
    assert client.get("/organisations/register").status_code == 200

    response = client.post(
        "/organisations/register", data=registration(neighbourhood_ids=[place.id])
    )

    assert response.status_code == 303
    organisation = db.session.scalar(select(Organisation))
    assert response.headers["Location"].endswith(f"/organisations/{organisation.slug}")
    assert organisation.slug == "ore-valley-food-bank"
    assert organisation.status is OrganisationStatus.PENDING
    assert organisation.requested_by_id == resident.id
    assert organisation.neighbourhoods == [place] and other not in organisation.neighbourhoods
    first = membership(db, organisation, resident)
    assert first.status is MembershipStatus.ACTIVE and first.joined_at is not None
    assert services.organisations_user_can_speak_for(resident) == []
    assert not policy.allowed("organisation.act", resident, organisation)
    assert audit_actions(db, organisation.id) == ["organisation.register"]
    page = client.get(f"/organisations/{organisation.slug}").get_data(as_text=True)
    assert "Waiting for checks" in page and "We will check Ore Valley Food Bank" in page


def test_a_duplicate_name_is_refused_whatever_its_case(client, council, db, login_as):
    make_organisation(name="Ore Valley Food Bank")
    login_as(Role.RESIDENT)

    response = client.post(
        "/organisations/register", data=registration(name="  ore VALLEY food bank ")
    )

    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "is already registered" in page and "ask to join from its page" in page
    assert "We run a food bank and a warm space in Ore." in page  # nothing typed is lost
    assert db.session.query(Organisation).count() == 1


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"name": ""}, "Enter the name of the organisation"),
        ({"description": " "}, "Describe what the organisation does"),
        ({"website": "orevalley.example.org"}, "starts with https:// or http://"),
        ({"website": "javascript:alert(1)"}, "starts with https:// or http://"),
        ({"registration_number": "1" * 41}, "40 characters or fewer"),
    ],
)
def test_registration_mistakes_get_clear_messages(client, council, db, login_as, changes, message):
    login_as(Role.RESIDENT)
    response = client.post("/organisations/register", data=registration(**changes))
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert db.session.query(Organisation).count() == 0


def test_website_is_optional_and_neighbourhoods_are_needed_when_there_are_some(
    client, council, db, login_as
):
    place = make_neighbourhood("Ore")
    login_as(Role.RESIDENT)
    response = client.post("/organisations/register", data=registration(website=""))
    assert response.status_code == 400
    assert "Select the neighbourhoods the organisation serves" in response.get_data(as_text=True)
    response = client.post(
        "/organisations/register", data=registration(website="", neighbourhood_ids=[place.id])
    )
    assert response.status_code == 303
    assert db.session.scalar(select(Organisation.website)) == ""


def test_only_confirmed_people_register(client, council, db, login_as):
    response = client.get("/organisations/register")
    assert response.status_code == 302 and "/account/sign-in" in response.headers["Location"]
    login_as(Role.RESIDENT, confirmed=False)
    response = client.post("/organisations/register", data=registration())
    assert response.status_code == 403
    assert "Confirm your email address" in response.get_data(as_text=True)


def test_registration_is_rate_limited_per_account(client, council, db, login_as):
    login_as(Role.RESIDENT)
    for _ in range(5):
        assert client.post("/organisations/register", data={}).status_code == 400
    assert client.post("/organisations/register", data={}).status_code == 429
    login_as(Role.RESIDENT)  # another account is not held back
    assert client.post("/organisations/register", data={}).status_code == 400


def test_a_name_that_is_a_page_gets_another_address(db):
    assert services.slug_for("Register") == "register-2"
    assert services.slug_for("Café & Co.") == "cafe-co"


# --- verifying and declining ---------------------------------------------------------------


def test_staff_see_organisations_waiting_and_residents_do_not(client, council, db, login_as):
    make_organisation(OrganisationStatus.PENDING, name="Waiting Group")
    make_organisation(OrganisationStatus.VERIFIED, name="Checked Group")
    login_as(Role.RESIDENT)
    assert client.get("/admin/organisations").status_code == 403
    login_as(Role.FACILITATOR)
    page = client.get("/admin/organisations").get_data(as_text=True)
    assert "Waiting for checks (1)" in page and "Waiting Group" in page
    assert "Verified (1)" in page and "Checked Group" in page
    assert "Check community organisations" in client.get("/admin/").get_data(as_text=True)


def test_staff_verify_an_organisation_and_its_requester_is_emailed(
    client, council, db, login_as, mailbox
):
    requester = make_user(email="helen@example.org")
    organisation = make_organisation(
        OrganisationStatus.PENDING, members=[requester], requested_by=requester
    )
    staff = login_as(Role.FACILITATOR)
    assert client.get(f"/admin/organisations/{organisation.slug}").status_code == 200

    response = client.post(
        f"/admin/organisations/{organisation.slug}", data={"decision": "verify", "reason": ""}
    )

    assert response.status_code == 303
    db.session.expire_all()
    assert organisation.status is OrganisationStatus.VERIFIED
    assert organisation.decided_by_id == staff.id and organisation.decided_at is not None
    email = mailbox.wait_for("helen@example.org")
    assert email.subject == f"{organisation.name} has been verified"
    assert email.link(f"/organisations/{organisation.slug}")
    assert services.organisations_user_can_speak_for(requester) == [organisation]
    assert policy.allowed("organisation.act", requester, organisation)
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "organisation.verify"))
    assert event.actor_id == staff.id and event.item_id == organisation.id
    assert event.before["status"] == "pending" and event.after["status"] == "verified"


def test_declining_needs_a_reason_which_is_emailed(client, council, db, login_as, mailbox):
    requester = make_user(email="sam@example.org")
    organisation = make_organisation(
        OrganisationStatus.PENDING, members=[requester], requested_by=requester
    )
    login_as(Role.ADMIN)
    path = f"/admin/organisations/{organisation.slug}"

    response = client.post(path, data={"decision": "decline", "reason": "  "})
    assert response.status_code == 400
    assert "Enter the reason for declining" in response.get_data(as_text=True)
    response = client.post(path, data={})
    assert "Select whether to verify or decline" in response.get_data(as_text=True)

    reason = "We could not find this group on the Charity Commission register."
    response = client.post(path, data={"decision": "decline", "reason": reason})

    assert response.status_code == 303
    db.session.expire_all()
    assert organisation.status is OrganisationStatus.DECLINED
    assert organisation.decision_reason == reason
    email = mailbox.wait_for("sam@example.org")
    assert "declined" in email.subject and reason in email.body
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "organisation.decline"))
    assert event.note == reason and event.after["status"] == "declined"
    assert not policy.allowed("organisation.act", requester, organisation)


def test_deciding_the_same_thing_twice_is_refused(client, council, db, login_as):
    organisation = make_organisation(OrganisationStatus.VERIFIED)
    login_as(Role.FACILITATOR)
    response = client.post(f"/admin/organisations/{organisation.slug}", data={"decision": "verify"})
    assert response.status_code == 400
    assert "already verified" in response.get_data(as_text=True)


def test_residents_cannot_verify(client, council, db, login_as):
    organisation = make_organisation(OrganisationStatus.PENDING)
    login_as(Role.RESIDENT)
    response = client.post(f"/admin/organisations/{organisation.slug}", data={"decision": "verify"})
    assert response.status_code == 403
    db.session.expire_all()
    assert organisation.status is OrganisationStatus.PENDING


# --- invitations ---------------------------------------------------------------------------


def test_a_member_invites_someone_who_accepts(client, council, db, login_as, mailbox):
    member = make_user()
    invitee = make_user(email="jo@example.org")
    organisation = make_organisation(members=[member])
    login_as(member)
    assert client.get(f"/organisations/{organisation.slug}/members").status_code == 200

    response = client.post(
        f"/organisations/{organisation.slug}/members/invite", data={"email": " JO@example.org "}
    )

    assert response.status_code == 303
    invitation = membership(db, organisation, invitee)
    assert invitation.status is MembershipStatus.INVITED
    assert invitation.invited_by_id == member.id
    email = mailbox.wait_for("jo@example.org")
    assert email.link("/account/organisations")
    assert organisation.name in email.subject

    login_as(invitee)
    page = client.get("/account/organisations").get_data(as_text=True)
    assert "You have been invited to join" in page and organisation.name in page
    response = client.post(f"/account/organisations/invitations/{invitation.id}/accept")
    assert response.status_code == 303
    assert membership(db, organisation, invitee).status is MembershipStatus.ACTIVE
    assert services.organisations_user_can_speak_for(invitee) == [organisation]
    assert audit_actions(db, organisation.id) == ["membership.invite", "membership.accept"]


def test_an_invitee_declines(client, council, db, login_as):
    organisation = make_organisation(members=[make_user()])
    invitee = make_user()
    invitation = make_membership(organisation, invitee, MembershipStatus.INVITED)
    db.session.commit()
    login_as(invitee)
    page = client.get(f"/organisations/{organisation.slug}").get_data(as_text=True)
    assert "Accept invitation" in page and "Decline invitation" in page

    response = client.post(f"/account/organisations/invitations/{invitation.id}/decline")

    assert response.status_code == 303
    assert membership(db, organisation, invitee) is None
    assert audit_actions(db, organisation.id) == ["membership.decline"]


def test_nobody_else_answers_an_invitation(client, council, db, login_as):
    organisation = make_organisation()
    invitation = make_membership(organisation, make_user(), MembershipStatus.INVITED)
    db.session.commit()
    login_as(Role.ADMIN)
    response = client.post(f"/account/organisations/invitations/{invitation.id}/accept")
    assert response.status_code == 403
    db.session.expire_all()
    assert invitation.status is MembershipStatus.INVITED


def test_inviting_answers_the_same_whether_or_not_the_address_has_an_account(
    client, council, db, login_as, mailbox
):
    member = make_user()
    make_user(email="known@example.org")
    organisation = make_organisation(members=[member])
    login_as(member)
    path = f"/organisations/{organisation.slug}/members/invite"

    known = client.post(path, data={"email": "known@example.org"}, follow_redirects=True)
    unknown = client.post(path, data={"email": "nobody@example.org"}, follow_redirects=True)

    def message(response, address):
        page = response.get_data(as_text=True).replace(address, "ADDRESS")
        return re.sub(r'nonce="[^"]+"', "", page)

    assert message(known, "known@example.org") == message(unknown, "nobody@example.org")
    mailbox.wait_for("known@example.org")
    assert mailbox.to("nobody@example.org") == []
    assert db.session.query(Membership).count() == 2


def test_inviting_someone_who_asked_to_join_makes_them_a_member(client, council, db, login_as):
    member = make_user()
    asker = make_user()
    organisation = make_organisation(members=[member])
    make_membership(organisation, asker, MembershipStatus.REQUESTED)
    db.session.commit()
    login_as(member)
    client.post(f"/organisations/{organisation.slug}/members/invite", data={"email": asker.email})
    assert membership(db, organisation, asker).status is MembershipStatus.ACTIVE


def test_an_invitation_email_must_look_like_one(client, council, db, login_as):
    member = make_user()
    organisation = make_organisation(members=[member])
    login_as(member)
    response = client.post(
        f"/organisations/{organisation.slug}/members/invite", data={"email": "not an email"}
    )
    assert response.status_code == 400
    assert "Enter an email address in the correct format" in response.get_data(as_text=True)


def test_invitations_are_rate_limited_per_account(client, council, db, login_as):
    member = make_user()
    organisation = make_organisation(members=[member])
    login_as(member)
    path = f"/organisations/{organisation.slug}/members/invite"
    for n in range(20):
        client.post(path, data={"email": f"someone{n}@example.org"})
    assert client.post(path, data={"email": "one-more@example.org"}).status_code == 429


# --- asking to join ------------------------------------------------------------------------


def test_a_resident_asks_to_join_and_a_member_approves(client, council, db, login_as, mailbox):
    member = make_user(email="member@example.org")
    asker = make_user(email="asker@example.org")
    organisation = make_organisation(members=[member])
    login_as(asker)
    assert "Ask to join" in client.get(f"/organisations/{organisation.slug}").get_data(as_text=True)

    response = client.post(f"/organisations/{organisation.slug}/join")

    assert response.status_code == 303
    request = membership(db, organisation, asker)
    assert request.status is MembershipStatus.REQUESTED
    email = mailbox.wait_for("member@example.org")
    assert email.link(f"/organisations/{organisation.slug}/members")
    assert not policy.allowed("organisation.act", asker, organisation)

    login_as(member)
    page = client.get(f"/organisations/{organisation.slug}/members").get_data(as_text=True)
    assert "Requests to join" in page and asker.display_name in page
    response = client.post(f"/organisations/{organisation.slug}/members/{request.id}/approve")

    assert response.status_code == 303
    approved = membership(db, organisation, asker)
    assert approved.status is MembershipStatus.ACTIVE and approved.approved_by_id == member.id
    assert "approved" in mailbox.wait_for("asker@example.org").body
    assert audit_actions(db, organisation.id) == ["membership.request", "membership.approve"]


def test_a_member_refuses_a_request(client, council, db, login_as, mailbox):
    member = make_user()
    asker = make_user(email="refused@example.org")
    organisation = make_organisation(members=[member])
    request = make_membership(organisation, asker, MembershipStatus.REQUESTED)
    db.session.commit()
    login_as(member)

    response = client.post(f"/organisations/{organisation.slug}/members/{request.id}/refuse")

    assert response.status_code == 303
    assert membership(db, organisation, asker) is None
    assert "refused" in mailbox.wait_for("refused@example.org").body
    assert audit_actions(db, organisation.id) == ["membership.refuse"]


def test_asking_to_join_when_invited_accepts_the_invitation(db):
    organisation = make_organisation(members=[make_user()])
    invitee = make_user()
    make_membership(organisation, invitee, MembershipStatus.INVITED)
    memberships.request_to_join(organisation, invitee)
    assert membership(db, organisation, invitee).status is MembershipStatus.ACTIVE


def test_nobody_asks_to_join_an_unverified_organisation(client, council, db, login_as):
    organisation = make_organisation(OrganisationStatus.PENDING, members=[make_user()])
    login_as(Role.FACILITATOR)
    assert client.post(f"/organisations/{organisation.slug}/join").status_code == 403
    assert db.session.query(Membership).count() == 1


def test_non_members_cannot_manage_members(client, council, db, login_as):
    member = make_user()
    organisation = make_organisation(members=[member])
    request = make_membership(organisation, make_user(), MembershipStatus.REQUESTED)
    db.session.commit()
    slug = organisation.slug
    for person in (Role.RESIDENT, Role.FACILITATOR):
        login_as(person)
        assert client.get(f"/organisations/{slug}/members").status_code == 403
        assert (
            client.post(
                f"/organisations/{slug}/members/invite", data={"email": "a@b.org"}
            ).status_code
            == 403
        )
        assert client.post(f"/organisations/{slug}/members/{request.id}/approve").status_code == 403
    db.session.expire_all()
    assert request.status is MembershipStatus.REQUESTED
    client.post("/account/sign-out")
    response = client.get(f"/organisations/{slug}/members")
    assert response.status_code == 302 and "/account/sign-in" in response.headers["Location"]


def test_a_member_cannot_answer_requests_to_another_organisation(client, council, db, login_as):
    member = make_user()
    mine = make_organisation(members=[member])
    theirs = make_organisation(members=[make_user()])
    request = make_membership(theirs, make_user(), MembershipStatus.REQUESTED)
    db.session.commit()
    login_as(member)
    response = client.post(f"/organisations/{mine.slug}/members/{request.id}/approve")
    assert response.status_code == 404
    db.session.expire_all()
    assert request.status is MembershipStatus.REQUESTED


def test_members_of_a_declined_organisation_cannot_invite(client, council, db, login_as):
    member = make_user()
    organisation = make_organisation(OrganisationStatus.DECLINED, members=[member])
    login_as(member)
    response = client.post(
        f"/organisations/{organisation.slug}/members/invite", data={"email": "x@example.org"}
    )
    assert response.status_code == 403


# --- leaving -------------------------------------------------------------------------------


def test_the_last_member_of_a_verified_organisation_cannot_leave(client, council, db, login_as):
    member = make_user()
    organisation = make_organisation(members=[member])
    login_as(member)
    response = client.post(f"/organisations/{organisation.slug}/leave", follow_redirects=True)
    assert "You are the only member" in response.get_data(as_text=True)
    assert membership(db, organisation, member).status is MembershipStatus.ACTIVE


def test_a_member_leaves_when_others_remain(client, council, db, login_as):
    member, colleague = make_user(), make_user()
    organisation = make_organisation(members=[member, colleague])
    login_as(member)
    response = client.post(f"/organisations/{organisation.slug}/leave")
    assert response.status_code == 303 and response.headers["Location"].endswith(
        "/account/organisations"
    )
    assert membership(db, organisation, member) is None
    assert services.organisations_user_can_speak_for(member) == []
    assert audit_actions(db, organisation.id) == ["membership.leave"]


def test_the_last_member_may_leave_a_declined_organisation(db):
    member = make_user()
    organisation = make_organisation(OrganisationStatus.DECLINED, members=[member])
    memberships.leave(organisation, member)
    assert services.membership_of(member, organisation) is None


# --- pages ---------------------------------------------------------------------------------


@pytest.mark.parametrize("status", [OrganisationStatus.PENDING, OrganisationStatus.DECLINED])
def test_an_unverified_organisation_is_hidden_from_the_public(
    client, council, db, login_as, status
):
    member = make_user()
    organisation = make_organisation(status, members=[member], decision_reason="Not local")
    path = f"/organisations/{organisation.slug}"
    db.session.commit()
    assert client.get(path).status_code == 404
    assert organisation.name not in client.get("/organisations").get_data(as_text=True)
    login_as(Role.RESIDENT)
    assert client.get(path).status_code == 404
    login_as(Role.FACILITATOR)
    assert client.get(path).status_code == 200
    login_as(member)
    page = client.get(path).get_data(as_text=True)
    assert organisation.status.label in page
    assert ("Not local" in page) is (status is OrganisationStatus.DECLINED)


def test_an_unknown_organisation_is_not_found(client, council):
    assert client.get("/organisations/no-such-group").status_code == 404


def test_the_public_list_shows_verified_organisations(client, council, db):
    place = make_neighbourhood("Ore")
    make_organisation(name="Zebra Crossing Trust", neighbourhoods=[place])
    make_organisation(name="Allotment Friends")
    make_organisation(OrganisationStatus.PENDING, name="Not Yet Checked")
    db.session.commit()
    page = client.get("/organisations").get_data(as_text=True)
    assert page.index("Allotment Friends") < page.index("Zebra Crossing Trust")
    assert "Not Yet Checked" not in page and "Serves Ore" in page


def test_the_public_page_lists_only_published_contributions(client, council, db):
    place = make_neighbourhood("Ore")
    organisation = make_organisation(
        website="https://orevalley.example.org", neighbourhoods=[place]
    )
    author = make_user()
    consultation = make_consultation(Stage.OPEN)
    draft = make_consultation(Stage.DRAFT)
    shown = make_idea(consultation, author, title="Shown idea", organisation_id=organisation.id)
    make_idea(consultation, author, title="Personal idea")
    for visibility in (Visibility.PENDING, Visibility.HIDDEN, Visibility.MERGED):
        make_idea(
            consultation,
            author,
            title=f"A {visibility.value} idea",
            organisation_id=organisation.id,
            visibility=visibility,
        )
    make_idea(draft, author, title="Idea in a draft", organisation_id=organisation.id)
    comment = make_comment(shown, author, "Our members would volunteer for this.")
    comment.organisation_id = organisation.id
    hidden = make_comment(shown, author, "A hidden comment.")
    hidden.organisation_id, hidden.visibility = organisation.id, Visibility.HIDDEN
    hidden_idea = make_idea(consultation, author, visibility=Visibility.HIDDEN)
    orphan = make_comment(hidden_idea, author, "A comment on a hidden idea.")
    orphan.organisation_id = organisation.id
    db.session.commit()

    page = client.get(f"/organisations/{organisation.slug}").get_data(as_text=True)

    assert "Shown idea" in page and "Our members would volunteer for this." in page
    assert f"/ideas/{shown.id}#comment-{comment.id}" in page
    for absent in ("Personal idea", "pending idea", "hidden idea", "merged idea", "draft"):
        assert absent not in page
    assert "A hidden comment." not in page and "A comment on a hidden idea." not in page
    assert 'href="https://orevalley.example.org" rel="nofollow noopener noreferrer ugc"' in page
    assert organisation.description in page and "Ore" in page


def test_your_organisations_page_lists_memberships(client, council, db, login_as):
    person = make_user()
    make_organisation(name="Verified Group", members=[person])
    pending = make_organisation(OrganisationStatus.PENDING, name="Pending Group")
    make_membership(pending, person)
    asked = make_organisation(name="Asked Group")
    make_membership(asked, person, MembershipStatus.REQUESTED)
    login_as(person)
    page = client.get("/account/organisations").get_data(as_text=True)
    assert "Verified Group" in page and "you can post on its behalf" in page
    assert "Pending Group" in page and "waiting for checks" in page
    assert "Asked Group" in page and "You asked to join" in page
    account = client.get("/account").get_data(as_text=True)
    assert "/account/organisations" in account and "/organisations/register" in account


# --- what the idea and comment forms use --------------------------------------------------


def test_people_speak_only_for_verified_organisations_they_actively_belong_to(db):
    person = make_user()
    verified = make_organisation(name="B group", members=[person])
    also = make_organisation(name="a group", members=[person])
    make_organisation(OrganisationStatus.PENDING, members=[person])
    make_organisation(OrganisationStatus.DECLINED, members=[person])
    make_membership(make_organisation(), person, MembershipStatus.INVITED)
    make_membership(make_organisation(), person, MembershipStatus.REQUESTED)
    assert services.organisations_user_can_speak_for(person) == [also, verified]
    assert services.organisations_user_can_speak_for(AnonymousUserMixin()) == []
    unconfirmed = make_user(confirmed=False)
    make_membership(verified, unconfirmed)
    assert services.organisations_user_can_speak_for(unconfirmed) == []
    assert not policy.allowed("organisation.act", unconfirmed, verified)
