"""Open data for issue 6: the statement (current and each public version) and its
commitments with their progress."""

from __future__ import annotations

from jsonschema import validate

from kil_consult.exports.statement import schema
from kil_consult.statements import services
from kil_consult.timeutil import utcnow
from tests.statements import world as world_module


def test_statement_is_404_until_public(client, db):
    world_module.build()
    assert client.get("/api/v1/statement").status_code == 404
    assert client.get("/api/v1/commitments").status_code == 404


def test_published_statement_versions_and_commitments(client, db):
    world = world_module.build()
    statement = services.start_from_summaries(world.process, world.facilitator)
    draft_reason = "Champions named"
    content = dict(statement.latest.content)
    content["champions"] = [{"kind": "cabinet", "name": "Cllr Ann", "role": "Cabinet Member"}]
    services.save_version(statement, world.facilitator, content, draft_reason)
    services.record_decision(statement, world.admin, "Cabinet", utcnow().date(), "Minute 7")
    services.add_signatory(statement, world.admin, "Cllr Lee", "Leader", utcnow().date())
    services.publish(statement, world.admin, override="Owners and dates follow in the next version")
    commitment = next(iter(services.commitments_by_id(statement).values()))
    services.add_progress(
        commitment, world.admin, services.CommitmentStatus.IN_PROGRESS, utcnow().date(), "Begun."
    )
    # A later draft stays private until it is opened for comment or published.
    later = dict(content, preamble=content["preamble"] + " Revised.")
    services.save_version(statement, world.facilitator, later, "SECRET-DRAFT-REASON")
    db.session.commit()

    current = client.get("/api/v1/statement").json
    assert current["version"] == 2
    validate(current["statement"], schema())
    assert current["statement"]["status"] == "published"
    assert current["statement"]["signatories"][0]["name"] == "Cllr Lee"

    versions = client.get("/api/v1/statement/versions")
    assert [v["number"] for v in versions.json["items"]] == [1, 2]
    assert versions.json["current"] == 2
    assert "SECRET-DRAFT-REASON" not in versions.get_data(as_text=True)
    assert client.get("/api/v1/statement/versions/1").json["version"] == 1
    assert client.get("/api/v1/statement/versions/3").status_code == 404

    items = client.get("/api/v1/commitments").json["items"]
    assert items and items[0]["number"] == 1
    progressed = [c for c in items if c["status"] == "in_progress"]
    assert progressed and progressed[0]["progress"][0]["text"] == "Begun."
    assert all("@" not in str(c) for c in items)
