"""Making "About you" answers for tests: online people who took part, and offline responses."""

from __future__ import annotations

from datetime import date

from kil_consult.equality import services
from kil_consult.extensions import db
from kil_consult.ideas import offline
from kil_consult.ideas.models import Source
from kil_consult.ideas.participation import note_participant
from tests import factories


def online(consultations, n: int, **answers):
    """``n`` people who took part in each of ``consultations`` and answered ``answers``."""
    people = []
    for _ in range(n):
        user = factories.make_user()
        for consultation in consultations:
            note_participant(consultation.id, user.id)
        services.save_about_you(user, answers, consent=True)
        people.append(user)
    db.session.flush()
    return people


def event(consultation, kind: Source = Source.EVENT, recorder=None):
    recorder = recorder or factories.make_user("facilitator")
    return offline.record_event(consultation, recorder, kind, "Hastings workshop", date(2027, 3, 3))


def offline_responses(the_event, n: int, **answers):
    facilitator = factories.make_user("facilitator")
    for _ in range(n):
        services.record_response(the_event, facilitator, answers, consent=True)
    db.session.flush()
