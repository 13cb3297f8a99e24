"""Version 1.1 of the network return: each commitment's indicators with their readings, the
people a reading from a question's answers is from, and progress; a 1.0 return stays valid."""

from __future__ import annotations

from datetime import date

import jsonschema
import pytest

from kil_consult.extensions import db
from kil_consult.network.returns import NetworkReturn, build_return
from kil_consult.questions import services as questions
from kil_consult.questions.models import QuestionKind
from kil_consult.statements import indicators, pulse
from kil_consult.statements.models import Frequency
from tests import factories

from . import world as network_world


@pytest.fixture
def world(db):
    return network_world.build()


def test_the_return_carries_each_commitments_indicators(client, world):
    commitment = world.commitments[0].row
    indicator = indicators.add_indicator(
        commitment,
        world.admin,
        name="Residents who feel the council listens",
        definition="Share answering very or fairly well.",
        unit="%",
        baseline_value=40.0,
        baseline_on=date(2026, 4, 1),
        target_value=60.0,
        target_on=date(2029, 3, 31),
        source="Quarterly pulse",
        frequency=Frequency.QUARTERLY,
    )
    indicators.add_reading(indicator, world.admin, date(2026, 7, 1), 45.0)
    scale = questions.add_question(
        world.statement.process.consultations[0], QuestionKind.SCALE, "Listen?", scale="well"
    )
    for n in range(20):
        questions.answer_question(factories.make_user(), scale, 0 if n < 10 else 3)
    pulse.link_question(indicator, world.admin, scale, [0, 1])
    pulse.take_reading(indicator, world.admin, threshold=10)
    db.session.commit()
    round_ = network_world.signed_off_round(world)
    document = round_.return_document or build_return(round_)
    assert document["schema_version"] == "1.1"
    jsonschema.validate(document, client.get("/network/return.schema.json").json)
    [shown] = document["commitments"][0]["indicators"]
    assert shown["name"] == "Residents who feel the council listens"
    assert shown["baseline"] == {"date": "2026-04-01", "value": 40.0}
    assert shown["target"] == {"date": "2029-03-31", "value": 60.0}
    assert [(r["date"], r["value"], r["people"]) for r in shown["readings"]][0] == (
        "2026-07-01",
        45.0,
        None,
    )
    assert shown["readings"][-1]["value"] == 50.0 and shown["readings"][-1]["people"] == 20
    assert shown["progress"] == pytest.approx(0.5)
    assert all(c["indicators"] == [] for c in document["commitments"][1:])


def test_a_version_1_0_return_without_indicators_is_still_valid(world):
    round_ = network_world.signed_off_round(world)
    document = dict(round_.return_document or build_return(round_), schema_version="1.0")
    document["commitments"] = [
        {k: v for k, v in c.items() if k != "indicators"} for c in document["commitments"]
    ]
    NetworkReturn.model_validate(document)
