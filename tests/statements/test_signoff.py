"""Sign-off that holds: the agreed version's evidence frozen (page and every export unchanged
after a cited idea is hidden), moderators warned, drafting never stuck on a hidden citation,
the checks before agreement, the date and review guard rails, and commitments managed from the
statement's page."""

from __future__ import annotations

import io
import re
import zipfile
from datetime import timedelta

import pytest

from kil_consult.accounts.models import Role
from kil_consult.audit import AuditEvent
from kil_consult.extensions import db as _db
from kil_consult.ideas.models import Idea, Visibility
from kil_consult.moderation import services as moderation
from kil_consult.statements import services
from kil_consult.statements.models import StatementError, StatementVersion
from kil_consult.timeutil import to_local, utcnow
from tests import factories
from tests.documents import pdf_text

from . import world as world_module

OVERRIDE = "Owners and dates follow in the next version"


@pytest.fixture
def world(db):
    return world_module.build()


def _today():
    return to_local(utcnow()).date()


def _publish(world):
    statement = services.start_from_summaries(world.process, world.facilitator)
    services.record_decision(statement, world.admin, "Cabinet", _today(), "Minute 42")
    services.add_signatory(statement, world.admin, "Cllr Lee Leader", "Leader", _today())
    services.publish(statement, world.admin, override=OVERRIDE)
    _db.session.commit()
    return statement


def _docx_text(data: bytes) -> bytes:
    with zipfile.ZipFile(io.BytesIO(data)) as docx:
        return docx.read("word/document.xml")


def _everything(client, number: int, tmp_path) -> dict:
    """The agreed version's public page, version page and every download, as text, read by
    someone not signed in (each page's script nonce set aside)."""
    client = client.application.test_client()
    found = {}
    for path in ("/statement", f"/statement/versions/{number}"):
        response = client.get(path)
        assert response.status_code == 200
        found[path] = re.sub(r'nonce="[^"]+"', "", response.get_data(as_text=True))
    for kind in ("md", "html", "json", "docx", "pdf"):
        response = client.get(f"/statement/download/{kind}?version={number}")
        assert response.status_code == 200, kind
        if kind == "docx":
            found[kind] = _docx_text(response.data)
        elif kind == "pdf":
            found[kind] = pdf_text(response.data)
        else:
            found[kind] = response.get_data(as_text=True)
    return found


def test_hiding_a_cited_idea_after_publication_changes_nothing_the_council_agreed(
    client, login_as, world, db, tmp_path
):
    statement = _publish(world)
    cited = world.ideas[0]
    number = statement.published_number
    before = _everything(client, number, tmp_path)
    assert cited.title in before["/statement"] and cited.title in before["md"]
    assert cited.title in before["pdf"] and cited.title.encode() in before["docx"]
    assert '"evidence_frozen_at": null' not in before["json"]
    moderation.ensure_default_hide_reasons()
    reason = moderation.hide_reasons()[0]
    db.session.commit()
    # The moderator is warned, with what the agreed statement keeps showing.
    login_as(world.facilitator)
    page = client.get(f"/moderation/idea/{cited.id}/hide").get_data(as_text=True)
    assert "The agreed statement cites this idea." in page
    assert f"The published statement (version {number}) cites it in commitment 1" in page
    assert f'keep showing “<span class="app-user-text">{cited.title}</span>”' in page
    assert "with 3 agree, 0 disagree and 0 pass, as when the council agreed it" in page
    response = client.post(
        f"/moderation/idea/{cited.id}/hide", data={"reason_id": reason.id, "note": ""}
    )
    assert response.status_code == 302
    assert _db.session.get(Idea, cited.id).visibility is Visibility.HIDDEN
    # New votes elsewhere change the live counts, not the frozen ones.
    factories.make_vote(world.ideas[1], factories.make_user(), "agree")
    db.session.commit()
    client.post("/account/sign-out")
    after = _everything(client, number, tmp_path)
    for key, text in before.items():
        assert after[key] == text, key


def test_merge_page_warns_and_a_merged_idea_says_where_it_went(client, login_as, world, db):
    statement = _publish(world)
    duplicate, target = world.ideas[0], world.ideas[1]
    login_as(world.facilitator)
    page = client.get(f"/ideas/{duplicate.id}/merge").get_data(as_text=True)
    assert "The agreed statement cites this idea." in page and "Merging it does not" in page
    moderation.merge(duplicate, target, world.facilitator)
    db.session.commit()
    # The published version keeps the idea as agreed; a new citation is refused with where
    # it went.
    assert services.version_evidence(statement.published_version).ideas[duplicate.id].agree == 3
    commitment_id = statement.latest.typed_content.commitments[1].id
    response = client.post(
        f"/admin/statement/commitments/{commitment_id}",
        data={"principle": "2", "text": "x", "ideas": str(duplicate.id), "reason": "y"},
    )
    text = response.get_data(as_text=True)
    assert response.status_code == 400
    assert f"merged into idea {target.id}" in text and f"cite idea {target.id} instead" in text


def test_drafting_is_not_stuck_on_a_citation_hidden_since(client, login_as, world, db):
    statement = services.start_from_summaries(world.process, world.facilitator)
    db.session.commit()
    first = statement.latest.typed_content.commitments[0]
    hidden = world.ideas[0]
    moderation.hide(hidden, world.facilitator, "Off topic", "")
    db.session.commit()
    login_as(world.facilitator)
    response = client.post(
        f"/admin/statement/commitments/{first.id}",
        data={
            "principle": "1",
            "text": "We will open a hub in every town.",
            "owner": "Communities team",
            "ideas": ", ".join(map(str, first.ideas)),
            "reason": "Clearer wording",
        },
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    manage = client.get("/admin/statement").get_data(as_text=True)
    assert f"Commitment 1 cites idea {hidden.id}, which a moderator has hidden." in manage
    # Citing it anew in another commitment is refused.
    second = statement.latest.typed_content.commitments[1]
    response = client.post(
        f"/admin/statement/commitments/{second.id}",
        data={"principle": "2", "text": "x", "ideas": str(hidden.id), "reason": "y"},
    )
    assert response.status_code == 400 and "which a moderator has hidden" in response.get_data(
        as_text=True
    )


def test_checks_before_agreement(client, login_as, world, db):
    statement = services.start_from_summaries(world.process, world.facilitator)
    unvoted = factories.make_idea(world.process.consultations[1], title="Nobody voted")
    db.session.commit()
    content = statement.latest.typed_content
    first, second = content.commitments
    world_module.finish_commitment(
        statement,
        world.facilitator,
        first,
        due=_today() + timedelta(days=100),
        ideas=[world.ideas[0].id],
        reason="Owner and date",
    )
    services.save_commitment(
        statement,
        world.facilitator,
        second.id,
        principle=2,
        text=second.text,
        owner="",
        due=None,
        ideas=[world.ideas[1].id, unvoted.id],
        reason="Cite more",
    )
    db.session.commit()
    messages = [w.message for w in services.warnings_for(statement.latest)]
    assert messages == [
        "Commitment 2 has no owner.",
        "Commitment 2 has no target date.",
        f"Commitment 2 is under principle 2 but cites idea {world.ideas[1].id} from principle 1 "
        f"(“{world.process.consultations[0].title}”).",
        f"Commitment 2 cites idea {unvoted.id}, which nobody has voted on.",
    ]
    login_as(world.admin)
    page = client.get("/admin/statement").get_data(as_text=True)
    assert "4 warnings" in page and "Commitment 2 has no owner." in page


def test_date_guard_rails(world, db):
    statement = services.start_from_summaries(world.process, world.facilitator)
    tomorrow = _today() + timedelta(days=1)
    with pytest.raises(StatementError, match="cannot be in the future"):
        services.record_decision(statement, world.admin, "Cabinet", tomorrow, "")
    statement = services.current_statement()
    services.record_decision(statement, world.admin, "Cabinet", _today(), "")
    with pytest.raises(StatementError, match="cannot be in the future"):
        services.add_signatory(statement, world.admin, "A", "Leader", tomorrow)
    with pytest.raises(StatementError, match="before the decision"):
        services.add_signatory(statement, world.admin, "A", "Leader", _today() - timedelta(days=1))


def test_publication_without_warnings_needs_no_override(world, db):
    statement = services.start_from_summaries(world.process, world.facilitator)
    for commitment in statement.latest.typed_content.commitments:
        world_module.finish_commitment(
            statement,
            world.facilitator,
            commitment,
            due=_today() + timedelta(days=90),
            ideas=[world.ideas[2 * (commitment.principle - 1)].id],
        )
    assert services.warnings_for(statement.latest) == []
    services.record_decision(statement, world.admin, "Cabinet", _today(), "")
    services.add_signatory(statement, world.admin, "A", "Leader", _today())
    services.publish(statement, world.admin)
    assert statement.published_number == statement.latest.number
    assert db.session.query(AuditEvent).filter_by(action="statement.publish_override").count() == 0


def test_a_refused_publication_changes_nothing(world, db):
    statement = services.start_from_summaries(world.process, world.facilitator)
    services.record_decision(statement, world.admin, "Cabinet", _today(), "")
    services.add_signatory(statement, world.admin, "A", "Leader", _today())
    with pytest.raises(StatementError, match="warnings to resolve"):
        services.publish(statement, world.admin, override="  ")
    assert statement.published_number is None


def test_commitments_are_changed_and_moved_from_the_statement_page(client, login_as, world, db):
    statement = services.start_from_summaries(world.process, world.facilitator)
    db.session.commit()
    first, second = statement.latest.typed_content.commitments
    login_as(world.facilitator)
    page = client.get("/admin/statement").get_data(as_text=True)
    assert f'href="/admin/statement/commitments/{first.id}"' in page
    assert "Change or remove" in page and "Move down" in page
    response = client.post(
        f"/admin/statement/commitments/{first.id}/move", data={"direction": "down"}
    )
    assert response.status_code == 302
    assert [c.id for c in statement.latest.typed_content.commitments] == [second.id, first.id]
    assert statement.latest.reason == "Commitment 1 moved to number 2."
    versions = _db.session.query(StatementVersion).count()
    refused = client.post(
        f"/admin/statement/commitments/{second.id}/move", data={"direction": "up"}
    )
    assert refused.status_code == 302
    assert _db.session.query(StatementVersion).count() == versions
    assert "cannot move further up" in client.get("/admin/statement").get_data(as_text=True)
    assert (
        client.post(
            f"/admin/statement/commitments/{first.id}/move", data={"direction": "sideways"}
        ).status_code
        == 400
    )


def test_only_an_admin_closes_the_review(client, login_as, world, db):
    statement = services.start_from_summaries(world.process, world.facilitator)
    services.open_review(statement, world.admin, utcnow() + timedelta(days=5))
    db.session.commit()
    login_as(factories.make_user(Role.FACILITATOR))
    assert client.post("/admin/statement/review/close").status_code == 403
    assert services.current_statement().is_reviewing()
