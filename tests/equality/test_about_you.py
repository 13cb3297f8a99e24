"""A person's own "About you" answers: optional, consent for special category data, change or
delete at any time, in "download your data", gone with the account."""

from __future__ import annotations

import json
import re

from sqlalchemy import select

from kil_consult.equality.models import AboutYou, PostcodeWard
from kil_consult.personal_data import services as personal_data
from tests import factories

ANSWERS = {
    "age_band": "25_34",
    "sex": "female",
    "ethnic_group": "asian_1",
    "religion": "muslim",
    "carer": "no",
}


def _csrf(client, path="/account/about-you") -> str:
    page = client.get(path).get_data(as_text=True)
    return re.search(r'name="csrf_token" value="([^"]+)"', page)[1]


def _stored(db, user):
    return db.session.scalar(select(AboutYou).where(AboutYou.user_id == user.id))


def test_visitors_are_asked_to_sign_in(client, db):
    response = client.get("/account/about-you")
    assert response.status_code == 302 and "/account/sign-in" in response.location


def test_the_page_explains_why_and_who_sees_the_answers(client, login_as):
    login_as()
    page = client.get("/account/about-you").get_data(as_text=True)
    assert "Nobody sees your answers" in page
    assert "Prefer not to say" in page
    assert "What is your ethnic group?" in page
    assert client.get("/account").get_data(as_text=True).count("/account/about-you") == 1


def test_answers_are_saved_with_consent(client, db, login_as):
    user = login_as()
    response = client.post(
        "/account/about-you", data={**ANSWERS, "consent": "y", "csrf_token": _csrf(client)}
    )
    assert response.status_code == 302
    stored = _stored(db, user)
    assert stored.ethnic_group == "asian_1" and stored.consented_at is not None
    page = client.get("/account/about-you").get_data(as_text=True)
    assert re.search(r'value="asian_1"\s+checked|checked[^>]*value="asian_1"', page)


def test_special_category_answers_need_explicit_consent(client, db, login_as):
    user = login_as()
    response = client.post("/account/about-you", data={**ANSWERS, "csrf_token": _csrf(client)})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Tick the box to agree" in page and "ethnic group, religion" in page
    assert 'value="25_34" checked' in page or "checked" in page  # the form comes back filled
    assert _stored(db, user) is None


def test_prefer_not_to_say_and_plain_answers_need_no_consent(client, db, login_as):
    user = login_as()
    response = client.post(
        "/account/about-you",
        data={"age_band": "65_74", "ethnic_group": "prefer_not", "csrf_token": _csrf(client)},
    )
    assert response.status_code == 302
    stored = _stored(db, user)
    assert stored.ethnic_group == "prefer_not" and stored.consented_at is None


def test_an_answer_that_is_not_offered_is_refused(client, db, login_as):
    login_as()
    response = client.post("/account/about-you", data={"sex": "robot", "csrf_token": _csrf(client)})
    assert response.status_code == 400
    assert "Not a valid choice" in response.get_data(as_text=True)


def test_a_postcode_is_kept_only_as_its_ward(client, db, login_as):
    db.session.add(
        PostcodeWard(
            postcode="TN341AB", ward_code="E05011570", ward_name="Castle", deprivation_decile=3
        )
    )
    user = login_as()
    response = client.post(
        "/account/about-you",
        data={"age_band": "16_24", "postcode": "tn34 1ab", "csrf_token": _csrf(client)},
    )
    assert response.status_code == 302
    stored = _stored(db, user)
    assert (stored.ward_code, stored.deprivation_decile) == ("E05011570", 3)
    columns = [c.name for c in AboutYou.__table__.columns]
    assert not [c for c in columns if "postcode" in c]
    bad = client.post(
        "/account/about-you", data={"postcode": "ZZ 999", "csrf_token": _csrf(client)}
    )
    assert bad.status_code == 400 and "Enter a real postcode" in bad.get_data(as_text=True)


def test_answers_can_be_deleted(client, db, login_as):
    user = login_as()
    client.post("/account/about-you", data={**ANSWERS, "consent": "y", "csrf_token": _csrf(client)})
    response = client.post("/account/about-you/delete", data={"csrf_token": _csrf(client)})
    assert response.status_code == 302
    assert _stored(db, user) is None


def test_answers_are_in_download_your_data(db):
    from kil_consult.equality import services

    user = factories.make_user()
    services.save_about_you(user, ANSWERS, consent=True)
    data = personal_data.export_data(user)
    assert data["about_you"]["answers"]["What is your religion?"] == "Muslim"
    json.dumps(data)


def test_answers_go_with_the_account_either_way(db):
    from kil_consult.equality import services

    for keep in (True, False):
        user = factories.make_user()
        services.save_about_you(user, ANSWERS, consent=True)
        personal_data.erase_account(user, keep_contributions=keep)
        db.session.flush()
        assert db.session.scalar(select(AboutYou)) is None
