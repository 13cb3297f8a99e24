"""The API gives each commitment's indicators: baseline, target, readings and progress, and
the answer matches the OpenAPI document."""

from __future__ import annotations

from datetime import date

from kil_consult.api.schemas import CommitmentList
from kil_consult.statements import indicators, services
from kil_consult.statements.models import Frequency
from kil_consult.timeutil import utcnow
from tests.statements import world as world_module


def test_commitments_carry_their_indicators(client, db):
    world = world_module.build()
    statement = services.start_from_summaries(world.process, world.facilitator)
    services.record_decision(statement, world.admin, "Cabinet", utcnow().date(), "Minute 7")
    services.add_signatory(statement, world.admin, "Cllr Lee", "Leader", utcnow().date())
    services.publish(statement, world.admin, override="Owners follow")
    commitment = next(iter(services.commitments_by_id(statement).values()))
    indicator = indicators.add_indicator(
        commitment,
        world.admin,
        name="Community asset transfers completed",
        unit="transfers",
        baseline_value=2.0,
        baseline_on=date(2026, 1, 1),
        target_value=10.0,
        target_on=date(2028, 12, 31),
        frequency=Frequency.YEARLY,
    )
    indicators.add_reading(indicator, world.admin, date(2026, 6, 1), 4.0)
    indicators.add_reading(indicator, world.admin, date(2026, 11, 1), 6.0)
    db.session.commit()
    answer = client.get("/api/v1/commitments")
    assert answer.status_code == 200
    CommitmentList.model_validate(answer.json)  # the documented shape, exactly
    found = [i for c in answer.json["items"] for i in c["indicators"]]
    assert len(found) == 1
    assert found[0]["baseline"] == {"date": "2026-01-01", "value": 2.0, "note": ""}
    assert [r["value"] for r in found[0]["readings"]] == [4.0, 6.0]
    assert found[0]["progress"] == 0.5 and found[0]["frequency"] == "yearly"
    document = client.get("/api/v1/openapi.json").json
    assert "IndicatorOut" in document["components"]["schemas"]
