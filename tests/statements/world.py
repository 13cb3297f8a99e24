"""A process with closed consultations, ideas, votes and published summaries to draft from."""

from __future__ import annotations

from types import SimpleNamespace

from kil_consult.accounts.models import Role
from kil_consult.consultations.models import Stage
from kil_consult.extensions import db
from kil_consult.statements import summaries as summary_services
from tests import factories


def build(summaries: int = 2) -> SimpleNamespace:
    factories.make_council("East Testshire Council")
    process = factories.make_process(stage=Stage.CLOSED)
    facilitator = factories.make_user(Role.FACILITATOR, display_name="Fay")
    admin = factories.make_user(Role.ADMIN, display_name="Ada")
    resident = factories.make_user(display_name="Rita")
    volunteer = factories.make_user(display_name="Val")
    larder = factories.make_organisation(name="Testshire Larder", members=[volunteer])
    ideas = []
    for consultation in process.consultations[:summaries]:
        first = factories.make_idea(
            consultation, title=f"Hub for principle {consultation.principle_number}"
        )
        second = factories.make_idea(consultation, title="Local buying", organisation_id=larder.id)
        for voter in (resident, volunteer, facilitator):
            factories.make_vote(first, voter, "agree")
        factories.make_vote(second, resident, "disagree")
        ideas += [first, second]
        summary_services.save_draft(
            consultation,
            facilitator,
            "We asked.",
            "",
            f"We will open a hub for principle {consultation.principle_number}.",
            "",
            [summary_services.FindingDraft("People want a **hub**.", [first.id, second.id])],
        )
        summary_services.publish(consultation, facilitator, early_reason="Test data")
    hidden = factories.make_idea(process.consultations[0], title="Hidden one", visibility="hidden")
    db.session.commit()
    return SimpleNamespace(
        process=process,
        facilitator=facilitator,
        admin=admin,
        resident=resident,
        volunteer=volunteer,
        larder=larder,
        ideas=ideas,
        hidden=hidden,
    )


def finish_commitment(statement, person, commitment, *, due, ideas, reason="Finished"):
    """Give a commitment started from a summary its owner, date and evidence, keeping its
    principle and words (what a facilitator does before agreement)."""
    from kil_consult.statements import services

    return services.save_commitment(
        statement,
        person,
        commitment.id,
        principle=commitment.principle,
        text=commitment.text,
        owner="Communities team",
        due=due,
        ideas=ideas,
        reason=reason,
    )
