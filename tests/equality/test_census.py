"""The admin's uploads: Census 2021 tables as Nomis gives them, ward populations and the
postcode-to-ward lookup, each checked whole, with a clear message and a 400 when it is wrong."""

from __future__ import annotations

import io
import re

import pytest
from sqlalchemy import select

from kil_consult.accounts.models import Role
from kil_consult.equality import census
from kil_consult.equality.models import PopulationFigure, PostcodeWard
from kil_consult.equality.population import population_of
from tests import factories

TABLE_VIEW = b"""\
"Title","TS021 - Ethnic group"
"Units","Persons"
"Ethnic group","East Sussex"
"Total: All usual residents","545,847"
"Asian, Asian British or Asian Welsh","12,300"
"Asian, Asian British or Asian Welsh: Indian","3,100"
"Black, Black British, Black Welsh, Caribbean or African","5,000"
"Mixed or Multiple ethnic groups","11,500"
"White","513,047"
"Other ethnic group","4,000"
"""

BULK = (
    b"date,geography,geography code,Disability: Total: All usual residents,"
    b"Disability: Disabled under the Equality Act: Day-to-day activities limited a lot,"
    b"Disability: Disabled under the Equality Act: Day-to-day activities limited a little,"
    b"Disability: Not disabled under the Equality Act: Has long term physical or mental health "
    b"condition but day-to-day activities are not limited,"
    b"Disability: Not disabled under the Equality Act: No long term physical or mental health "
    b"conditions\n"
    b"2021,East Sussex,E10000011,545847,50000,70000,40000,385847\n"
)

AGE = b"""Age,East Sussex
Aged 4 years and under,25000
Aged 5 to 9 years,27000
Aged 10 to 14 years,28000
Aged 15 to 19 years,25000
Aged 20 to 24 years,22000
Aged 25 to 34 years,55000
Aged 35 to 44 years,60000
Aged 45 to 54 years,75000
Aged 55 to 64 years,80000
Aged 65 to 74 years,72000
Aged 75 to 84 years,50000
Aged 85 years and over,20000
"""


def test_a_nomis_table_view_is_read_without_double_counting_detail_rows(db):
    people, _notes = census.read_census("ethnic_group", TABLE_VIEW)
    assert people == {"asian": 12300, "black": 5000, "mixed": 11500, "white": 513047, "other": 4000}


def test_a_nomis_bulk_file_is_read_and_groups_are_combined(db):
    people, _notes = census.read_census("disability", BULK)
    assert people == {"limited_a_lot": 50000, "limited_a_little": 70000, "not_disabled": 425847}


def test_age_columns_across_two_bands_are_shared_by_years(db):
    people, notes = census.read_census("age_band", AGE)
    assert people["16_24"] == 20000 + 22000  # four fifths of 15 to 19, and 20 to 24
    assert people["75_over"] == 70000
    assert notes == ["Aged 15 to 19 years shared by years"]


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("ethnic_group", b"", "The selected file is empty"),
        ("ethnic_group", b"Sex,Area\nFemale,100\nMale,90\n", "has no figure for"),
        ("sex", b"nothing,here\n", "has no figures"),
        ("nonsense", TABLE_VIEW, "Choose which characteristic"),
        (
            "sex",
            b"date,geography,Sex: Female,Sex: Male\n2021,A,1,2\n2021,B,3,4\n",
            "figures for 2 areas",
        ),
    ],
)
def test_a_wrong_table_is_refused_with_what_to_fix(db, name, data, message):
    with pytest.raises(census.UploadError, match=message):
        census.read_census(name, data)


def _post(client, path, which, data, **fields):
    page = client.get(path).get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page)[1]
    form = {"csrf_token": token, "which": which, f"{which}-table": (io.BytesIO(data), "t.csv")}
    form.update({f"{which}-{k}": v for k, v in fields.items()})
    return client.post(path, data=form, content_type="multipart/form-data")


PATH = "/admin/who-took-part/population"


def test_an_admin_uploads_a_census_table(client, db, login_as):
    login_as(Role.ADMIN)
    response = _post(client, PATH, "census", TABLE_VIEW, characteristic="ethnic_group")
    assert response.status_code == 302
    population = population_of("ethnic_group")
    assert population.people["white"] == 513047 and not population.illustrative
    assert "TS021" in population.source
    again = _post(client, PATH, "census", b"Sex,Area\nFemale,1\n", characteristic="ethnic_group")
    assert again.status_code == 400
    assert "has no figure for" in again.get_data(as_text=True)
    assert population_of("ethnic_group").people["white"] == 513047  # nothing half replaced


def test_ward_populations_set_the_neighbourhoods(client, db, login_as):
    north = factories.make_neighbourhood("Northtown", population=None)
    factories.make_neighbourhood("Southville", population=None)
    login_as(Role.ADMIN)
    response = _post(client, PATH, "wards", b"Ward,Usual residents\nNorthtown,1234\nElsewhere,9\n")
    assert response.status_code == 302
    db.session.refresh(north)
    assert north.population == 1234
    bad = _post(client, PATH, "wards", b"Ward,People\nNowhere,5\n")
    assert bad.status_code == 400 and "No row names one of" in bad.get_data(as_text=True)


def test_the_postcode_lookup_is_replaced_whole(client, db, login_as):
    login_as(Role.ADMIN)
    good = (
        b"pcds,osward,wd22nm,imd decile\nTN34 1AB,E05011570,Castle,3\nBN7 2AA,E05011600,Lewes,8\n"
    )
    assert _post(client, PATH, "postcodes", good).status_code == 302
    assert db.session.get(PostcodeWard, "BN72AA").deprivation_decile == 8
    bad = _post(client, PATH, "postcodes", b"pcds,osward\nNOT A CODE,E05011570\n")
    assert bad.status_code == 400 and "is not a postcode" in bad.get_data(as_text=True)
    assert (
        _post(client, PATH, "postcodes", b"pcds,osward,decile\nTN34 1AB,E1,11\n").status_code == 400
    )
    assert len(db.session.scalars(select(PostcodeWard)).all()) == 2


def test_only_an_admin_uploads(client, db, login_as):
    login_as(Role.FACILITATOR)
    assert client.get(PATH).status_code == 403
    assert db.session.scalar(select(PopulationFigure)) is None


def test_wards_make_up_neighbourhoods_and_postcodes_place_people(client, db, login_as):
    from kil_consult.equality import figures, services
    from kil_consult.ideas.participation import note_participant

    north = factories.make_neighbourhood("Northtown", population=500)
    factories.make_neighbourhood("Southville", population=500)
    db.session.add(PostcodeWard(postcode="TN341AB", ward_code="E05011570", ward_name="Castle"))
    login_as(Role.ADMIN)
    sheet = b"WD22CD,WD22NM,Neighbourhood\nE05011570,Castle,northtown\nE05011571,Ore,Southville\n"
    response = _post(client, PATH, "ward_map", sheet)
    assert response.status_code == 302
    bad = _post(client, PATH, "ward_map", b"WD22CD,Neighbourhood\nE05011570,Atlantis\n")
    assert bad.status_code == 400 and "“Atlantis” is not one of" in bad.get_data(as_text=True)
    process = factories.make_process()
    for _ in range(12):  # people who chose no neighbourhood but gave a postcode in Castle ward
        person = factories.make_user()
        note_participant(process.consultations[0].id, person.id)
        services.save_about_you(person, {"age_band": "25_34"}, consent=False, postcode="TN34 1AB")
    db.session.commit()
    shown = figures.who_took_part(list(process.consultations))
    place = next(c for c in shown.characteristics if c.name == "neighbourhood")
    assert {r.code: r.people for r in place.rows}[str(north.id)] == 12
