"""No one learns whether an email address has an account, or whose, by probing: the members
page of an organisation looks the same whether or not an invited address has an account, and
the report page of a person who never posted anything public is not found, like an unknown id."""

from __future__ import annotations

import re

import pytest

from kil_consult.ideas.models import Visibility
from kil_consult.organisations.models import OrganisationStatus

from .. import factories


def _page(response, *replace: str) -> str:
    page = response.get_data(as_text=True)
    for n, text in enumerate(replace):
        page = page.replace(text, f"TEXT{n}")
    page = re.sub(r'nonce="[^"]+"', "", page)
    return re.sub(r'name="csrf_token" value="[^"]+"', "", page)


@pytest.mark.parametrize("status", [OrganisationStatus.PENDING, OrganisationStatus.VERIFIED])
def test_the_members_page_is_the_same_whether_or_not_an_invitee_has_an_account(
    client, council, db, login_as, status
):
    member = factories.make_user(display_name="Inviting Member")
    factories.make_user(email="known@example.org", display_name="Secret Name")
    first = factories.make_organisation(status=status, members=[member], name="First group")
    second = factories.make_organisation(status=status, members=[member], name="Second group")
    db.session.commit()
    login_as(member)
    pages = []
    for organisation, address in ((first, "known@example.org"), (second, "no@example.org")):
        path = f"/organisations/{organisation.slug}/members"
        client.post(f"{path}/invite", data={"email": address})
        pages.append((client.get(path), organisation, address))
    (known, _, _), (unknown, _, _) = pages
    assert known.status_code == unknown.status_code == 200
    assert "Secret Name" not in known.get_data(as_text=True)
    assert len({_page(page, org.name, org.slug, address) for page, org, address in pages}) == 1


def test_an_invitee_who_accepts_is_listed_as_a_member(client, app, council, db, login_as):
    member = factories.make_user()
    invitee = factories.make_user(email="joins@example.org", display_name="Joining Person")
    organisation = factories.make_organisation(members=[member])
    db.session.commit()
    login_as(member)
    client.post(
        f"/organisations/{organisation.slug}/members/invite", data={"email": "joins@example.org"}
    )
    from kil_consult.organisations.models import Membership

    invitation = db.session.query(Membership).filter_by(user_id=invitee.id).one()
    other = app.test_client()
    response = other.post(
        "/account/sign-in", data={"email": invitee.email, "password": factories.PASSWORD}
    )
    assert response.status_code == 302
    other.post(f"/account/organisations/invitations/{invitation.id}/accept")
    page = client.get(f"/organisations/{organisation.slug}/members").get_data(as_text=True)
    assert "Joining Person" in page


def test_the_report_page_of_someone_who_never_posted_is_not_found(client, council, db, login_as):
    silent = factories.make_user(display_name="Silent Resident")
    waiting = factories.make_user(display_name="Waiting Author")
    factories.make_idea(author=waiting, visibility=Visibility.PENDING)
    poster = factories.make_user(display_name="Public Poster")
    factories.make_idea(author=poster)
    commenter = factories.make_user(display_name="Public Commenter")
    factories.make_comment(factories.make_idea(), commenter)
    db.session.commit()
    login_as("resident")

    unknown = client.get("/report/user/999999")
    assert unknown.status_code == 404
    for person in (silent, waiting):
        response = client.get(f"/report/user/{person.id}")
        assert response.status_code == 404
        assert person.display_name not in response.get_data(as_text=True)
        assert _page(response) == _page(unknown)
        assert client.post(f"/report/user/{person.id}", data={"reason": "spam"}).status_code == 404
    for person in (poster, commenter):
        response = client.get(f"/report/user/{person.id}")
        assert response.status_code == 200 and person.display_name in response.get_data(
            as_text=True
        )
