"""Answers to "About you" never leave the service per person: not in open data, not in the
API, not in the consultation report; only the suppressed counts of the "Who took part" page."""

from __future__ import annotations

import io
import zipfile

from kil_consult.accounts.models import Role
from kil_consult.api.routes import ENDPOINTS
from kil_consult.equality import services
from kil_consult.ideas.participation import note_participant
from tests import factories

# Answers no other part of the app has words for.
ANSWERS = {"ethnic_group": "asian_2", "religion": "buddhist", "sexual_orientation": "bisexual"}
TELLTALES = ("asian_2", "Bangladeshi", "buddhist", "Buddhist", "bisexual", "Bisexual", "about_you")


def test_open_data_and_the_api_hold_no_about_you_answers(client, db, login_as):
    factories.make_council()
    consultation = factories.make_consultation()
    idea = factories.make_idea(consultation)
    person = idea.author
    note_participant(consultation.id, person.id)
    services.save_about_you(person, ANSWERS, consent=True)
    db.session.commit()
    login_as(Role.ADMIN)  # staff see the most
    bodies = []
    for kind in ("json", "zip"):
        response = client.get(f"/consultations/{consultation.slug}/open-data.{kind}")
        assert response.status_code == 200
        if kind == "zip":
            with zipfile.ZipFile(io.BytesIO(response.data)) as archive:
                bodies += [archive.read(name).decode() for name in archive.namelist()]
        else:
            bodies.append(response.get_data(as_text=True))
    for endpoint in ENDPOINTS:
        path = (
            endpoint.rule.replace("<slug>", consultation.slug)
            .replace("<int:idea_id>", str(idea.id))
            .replace("<int:number>", "1")
        )
        bodies.append(client.get(path).get_data(as_text=True))
    for body in bodies:
        assert not [word for word in TELLTALES if word in body]
