"""Results reweighted to the population by age and neighbourhood (raking)."""

from __future__ import annotations

import pytest

from kil_consult.accounts.models import Role
from kil_consult.equality import census, services
from kil_consult.equality.reweighting import reweighted_results
from tests import factories


def _voters(idea, place, n, band, value):
    for _ in range(n):
        person = factories.make_user(neighbourhood_id=place.id)
        services.save_about_you(person, {"age_band": band}, consent=False)
        factories.make_vote(idea, person, value)


def test_young_people_under_represented_count_for_more(db):
    north = factories.make_neighbourhood("Northtown", population=1000)
    consultation = factories.make_consultation()
    idea = factories.make_idea(consultation, title="A skate park")
    _voters(idea, north, 10, "16_24", "agree")  # the young agree
    _voters(idea, north, 30, "65_74", "disagree")  # and are a quarter of the voters
    census.store_population("age_band", {"16_24": 500, "65_74": 500}, "test", True)
    db.session.commit()
    (row,) = reweighted_results(consultation)
    assert row.cast == pytest.approx(0.25)
    assert row.reweighted == pytest.approx(0.5)  # half the area is young


def test_weights_are_capped_and_small_groups_are_not_weighted_alone(db):
    north = factories.make_neighbourhood("Northtown", population=1000)
    consultation = factories.make_consultation()
    idea = factories.make_idea(consultation)
    _voters(idea, north, 3, "16_24", "agree")  # too few to weight on their own
    _voters(idea, north, 30, "65_74", "disagree")
    census.store_population("age_band", {"16_24": 900, "65_74": 100}, "test", True)
    db.session.commit()
    (row,) = reweighted_results(consultation)
    # the three are not weighted up to 90% of the area: they count once each
    assert row.reweighted == pytest.approx(row.cast)


def test_nothing_without_a_population_or_enough_voters(client, db, login_as):
    consultation = factories.make_consultation()
    idea = factories.make_idea(consultation)
    north = factories.make_neighbourhood("Northtown", population=None)
    _voters(idea, north, 5, "16_24", "agree")
    db.session.commit()
    assert reweighted_results(consultation) == ()
    login_as(Role.FACILITATOR)
    page = client.get(f"/consultations/{consultation.slug}/who-took-part").get_data(as_text=True)
    assert "reweighted to the population" not in page
