"""``next=`` only ever redirects to a path on this site: a line break or another control
character in it (which cannot go into a ``Location`` header) sends people to the default page
instead of answering 500 after the action was done."""

from __future__ import annotations

import pytest

from kil_consult.urls import is_safe_next

from .. import factories

HOSTILE = [
    "/consultations/x\nSet-Cookie: a=b",
    "/consultations/x\r\n",
    "/a\tb",
    "/a\x7fb",
    "/a\x85b",
    "/a\u2028b",
]


@pytest.mark.parametrize("target", HOSTILE)
def test_a_path_with_a_control_character_is_not_safe(target):
    assert not is_safe_next(target)


def test_local_paths_stay_safe():
    assert is_safe_next("/consultations/principle-1?sort=agreed#idea-3")
    assert not is_safe_next("//example.org/")


@pytest.mark.parametrize("target", HOSTILE[:2])
def test_a_line_break_in_next_after_a_vote_redirects_to_the_idea(
    client, council, db, login_as, target
):
    idea = factories.make_idea()
    db.session.commit()
    login_as("resident")
    response = client.post(f"/ideas/{idea.id}/vote", data={"value": "agree", "next": target})
    assert response.status_code == 303
    assert response.location.endswith(f"/ideas/{idea.id}")


@pytest.mark.parametrize("target", HOSTILE[:2])
def test_a_line_break_in_next_after_signing_out_redirects_home(client, council, login_as, target):
    login_as("resident")
    for response in (
        client.post("/account/sign-out", data={"next": target}),
        client.post("/account/sign-out", query_string={"next": target}),
    ):
        assert response.status_code == 302
        assert "\n" not in response.location and response.location.endswith("/")
