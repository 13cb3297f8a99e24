"""The statement's typed content and the services that change it: each change is a version,
champions come from CHAMPION_KINDS, and a refused change leaves nothing behind."""

from __future__ import annotations

from datetime import date

import pytest

from kil_consult.extensions import db as _db
from kil_consult.statements import services
from kil_consult.statements.content import CHAMPION_KINDS, Champion, StatementContent
from kil_consult.statements.models import Commitment, StatementError
from tests import factories

from . import world as world_module


@pytest.fixture
def world(db):
    return world_module.build()


def _start(world):
    statement = services.start_from_summaries(world.process, world.facilitator)
    factories.db.session.commit()
    return statement


def test_content_reads_and_writes_the_stored_json_unchanged(world, db):
    statement = _start(world)
    stored = statement.latest.content
    content = StatementContent.from_dict(stored)
    assert content.to_dict() == stored
    assert [c.kind for c in content.champions] == [kind for kind, _label in CHAMPION_KINDS]
    assert content.commitment_number(content.commitments[1].id) == 2


def test_save_commitment_adds_then_changes_one_in_its_place(world, db):
    statement = _start(world)
    first = statement.latest.typed_content.commitments[0]
    version = services.save_commitment(
        statement,
        world.facilitator,
        None,
        principle=3,
        text="We will buy locally.",
        owner="Procurement",
        due=date(2028, 3, 27),
        ideas=[world.ideas[0].id],
        reason="Added one",
    )
    added = version.typed_content.commitments[-1]
    assert (added.text, added.due, added.ideas) == (
        "We will buy locally.",
        "2028-03-27",
        (world.ideas[0].id,),
    )
    assert _db.session.get(Commitment, added.id) is not None
    version = services.save_commitment(
        statement,
        world.facilitator,
        first.id,
        principle=1,
        text="Changed words",
        owner="",
        due=None,
        ideas=[],
        reason="Reworded",
    )
    assert version.typed_content.commitments[0].text == "Changed words"
    assert version.number == 3


def test_remove_commitment_and_a_missing_one(world, db):
    statement = _start(world)
    first = statement.latest.typed_content.commitments[0]
    version = services.remove_commitment(statement, world.facilitator, first.id, "Merged")
    assert version.typed_content.commitment(first.id) is None
    with pytest.raises(StatementError):
        services.remove_commitment(statement, world.facilitator, first.id, "Again")


def test_revise_text_and_save_champion(world, db):
    statement = _start(world)
    content = statement.latest.typed_content
    version = services.revise_text(
        statement,
        world.facilitator,
        "New title",
        content.preamble,
        {1: "Principle one means this."},
        [Champion("cabinet", "Cllr Ann", "Cabinet Member")],
        "Retitled",
    )
    revised = version.typed_content
    assert revised.title == "New title" and revised.sections[0].body == "Principle one means this."
    assert revised.sections[1].body == ""
    assert revised.commitments == content.commitments
    assert revised.champion("cabinet").name == "Cllr Ann" and revised.champion("smt").name == ""
    version = services.save_champion(
        statement, world.facilitator, "smt", "Bob", "Director", "Named the SMT champion"
    )
    assert version.typed_content.champion("cabinet").name == "Cllr Ann"
    assert version.typed_content.champion("smt").role == "Director"
    with pytest.raises(StatementError):
        services.save_champion(statement, world.facilitator, "mayor", "X", "Y", "Not a kind")


def test_a_refused_new_commitment_leaves_no_row(client, login_as, world, db):
    statement = _start(world)
    rows = _db.session.query(Commitment).count()
    login_as(world.facilitator)
    response = client.post(
        "/admin/statement/commitments/new",
        data={"principle": "1", "text": "x", "ideas": str(world.hidden.id), "reason": "y"},
    )
    assert response.status_code == 400 and "which a moderator has hidden" in response.get_data(
        as_text=True
    )
    _db.session.expire_all()
    assert _db.session.query(Commitment).count() == rows
    assert statement.latest.number == 1


def test_no_route_builds_or_splices_the_content(app):
    import inspect

    from kil_consult.statements import commitment_views, routes

    for module in (routes, commitment_views):
        source = inspect.getsource(module)
        assert 'content["' not in source and '"cabinet"' not in source and '"smt"' not in source
        assert "save_version" not in source
