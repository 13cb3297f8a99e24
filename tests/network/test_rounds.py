"""The self-assessment's rules: rounds, levels, evidence, comparison, views and sign-off."""

from __future__ import annotations

from datetime import date

import pytest

from kil_consult import policy
from kil_consult.extensions import db
from kil_consult.network import rounds
from kil_consult.network import services as network
from kil_consult.network.levels import default_descriptor
from kil_consult.network.models import NetworkError, RoundState
from kil_consult.network.returns import NetworkReturn
from tests import factories

from . import world as network_world


@pytest.fixture
def world(db):
    return network_world.build()


def test_default_descriptors_come_from_each_principles_own_aim():
    words = default_descriptor(3, 4)
    assert words.label == "Leading"
    assert "local people and businesses" in words.text
    assert default_descriptor(1, 1).label == "Starting out"


def test_an_admin_rewords_a_level_and_every_round_reads_it(world):
    network.save_descriptors(
        2, [("Not yet", "a"), ("Some places", "b"), ("Most places", "c"), ("Everywhere", "d")]
    )
    assert rounds.descriptor(2, 3).label == "Most places"
    assert rounds.descriptor(1, 3).label == "Established"  # other principles keep defaults
    with pytest.raises(NetworkError):
        network.save_descriptors(2, [("Only one", "a")])


def test_a_round_needs_every_level_before_sign_off_and_is_frozen_after(world):
    round_ = network.start_round(
        world.facilitator, "Spring 2027 network meeting", date(2027, 3, 27)
    )
    network_world.fill(round_, world.facilitator, levels=(2, 2, 3))
    with pytest.raises(NetworkError, match="missing: 4, 5, 6"):
        network.sign_off(round_, world.admin)
    network_world.fill(round_, world.facilitator)
    document = network.sign_off(round_, world.admin)
    assert round_.state is RoundState.SIGNED_OFF and round_.signed_off_by == world.admin
    NetworkReturn.model_validate(document)
    with pytest.raises(NetworkError, match="signed off"):
        network.save_assessment(
            round_,
            world.admin,
            1,
            level=4,
            commitments=[],
            addresses=[],
            next_steps="x",
            champion="y",
        )
    assert not policy.allowed("network.assess", world.admin, round_)
    assert not policy.allowed("network.sign_off", world.admin, round_)


def test_round_names_are_unique(world):
    network.start_round(world.facilitator, "Spring 2027", date(2027, 3, 27))
    with pytest.raises(NetworkError, match="already a round"):
        network.start_round(world.facilitator, "Spring 2027", date(2027, 4, 1))


def test_evidence_must_be_a_page_of_this_site(world):
    round_ = network.start_round(world.facilitator, "Spring 2027", date(2027, 3, 27))
    idea = world.ideas[0]

    def save(*addresses):
        return network.save_assessment(
            round_,
            world.facilitator,
            1,
            level=2,
            commitments=world.commitments[:1],
            addresses=list(addresses),
            next_steps="More.",
            champion="Ann",
        )

    found = save(f"/ideas/{idea.id}", "http://localhost/statement", f"/ideas/{idea.id}")
    kinds = [e["kind"] for e in found.evidence]
    assert kinds == ["commitment", "idea", "statement"]
    assert found.evidence[1]["label"] == f"Idea {idea.id}: {idea.title}"
    for bad, message in [
        ("https://elsewhere.example/ideas/1", "not an address on this site"),
        ("/no/such/page", "not a page of this site"),
        (f"/ideas/{world.hidden.id}", "no published idea"),
        ("javascript:alert(1)", "not an address on this site"),
    ]:
        with pytest.raises(NetworkError, match=message):
            save(bad)


def test_a_new_round_is_compared_with_the_previous_signed_off_one(world):
    first = network_world.signed_off_round(world, levels=(2, 2, 3, 1, 3, 2))
    second = network.start_round(world.facilitator, "Spring 2027", date(2027, 3, 27))
    # champions and next steps carry forward; levels are rated afresh
    assert second.assessment(1).champion == "Cllr Ann Able" and second.assessment(1).level is None
    network_world.fill(second, world.facilitator, levels=(3, 2, 2, 1, 3, 2))
    previous, moves = rounds.comparison(second)
    assert previous == first
    assert [m.change for m in moves] == ["up", "same", "down", "same", "same", "same"]
    assert moves[0].words == "Moved up from level 2"
    network.sign_off(second, world.admin)
    assert second.return_document["self_assessment"][0]["previous_level"] == 2


def test_views_are_taken_only_while_open_and_replace_the_persons_own(world):
    round_ = network.start_round(world.facilitator, "Spring 2027", date(2027, 3, 27))
    network_world.fill(round_, world.facilitator)
    assert not policy.allowed("network.give_view", world.resident, round_)
    with pytest.raises(NetworkError, match="not taking views"):
        network.record_view(round_, world.resident, 1, True, "")
    network.open_for_views(round_)
    assert policy.allowed("network.give_view", world.resident, round_)
    assert not policy.allowed("network.give_view", factories.make_user(confirmed=False), round_)
    network.record_view(round_, world.resident, 1, True, "Yes")
    network.record_view(round_, world.resident, 1, False, "On second thoughts, no")
    network.record_view(round_, world.volunteer, 1, False, "", world.larder)
    assert rounds.view_counts(round_) == {1: (0, 2)}
    with pytest.raises(NetworkError):
        network.open_for_views(round_)
    network.sign_off(round_, world.admin)
    assert round_.return_document["self_assessment"][0]["views"] == {"agree": 0, "disagree": 2}
    with pytest.raises(NetworkError):
        network.record_view(round_, world.resident, 2, True, "")


def test_who_may_do_what(world):
    round_ = network.start_round(world.facilitator, "Spring 2027", date(2027, 3, 27))
    resident, facilitator, admin = world.resident, world.facilitator, world.admin
    assert not policy.allowed("round.view", resident, round_)  # a draft is staff-only
    assert policy.allowed("round.view", facilitator, round_)
    assert policy.allowed("network.assess", facilitator, round_)
    assert not policy.allowed("network.sign_off", facilitator, round_)
    assert policy.allowed("network.sign_off", admin, round_)
    assert not policy.allowed("network.open_for_views", facilitator, round_)
    assert not policy.allowed("network.edit_levels", facilitator)
    assert policy.allowed("network.edit_levels", admin)
    network.open_for_views(round_)
    assert policy.allowed("round.view", None, round_)


def test_a_signed_off_round_keeps_the_words_it_was_signed_off_with(client, world):
    round_ = network_world.signed_off_round(world, levels=(3, 3, 3, 3, 3, 3))
    network.save_descriptors(
        1, [("A", "a"), ("B", "b"), ("Now reworded", "New words for level 3"), ("D", "d")]
    )
    db.session.commit()
    page = client.get(f"/network/rounds/{round_.id}").get_data(as_text=True)
    assert "Level 3: Established" in page and "Now reworded" not in page
    assert round_.return_document["self_assessment"][0]["level_label"] == "Established"
