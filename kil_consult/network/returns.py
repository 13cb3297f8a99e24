"""The network return: one versioned JSON document per signed-off round, for Locality's hub
and anyone else. The pydantic models below are the one description of it: the open-data API
serialises through them and the published JSON Schema (``schema()``) is generated from them, so
the document and its schema cannot drift apart.

Version 1.1 adds each commitment's indicators (baseline, target, dated readings with the number
of people a reading from a question's answers is from, and progress); a 1.0 return is still
valid. Equality figures are left out (``equality`` is always null): they join in a later minor
version.
"""

from __future__ import annotations

from datetime import date, datetime

from flask import current_app
from pydantic import BaseModel, ConfigDict, Field

from ..consultations.principles import PRINCIPLES
from ..consultations.services import current_council, current_process
from ..statements import services as statements
from ..statements.indicators import indicators_of, trend_of
from ..statements.models import CommitmentStatus
from ..statements.taking_part import taking_part
from ..timeutil import utcnow
from ..urls import base_url, external_url
from .models import AssessmentRound
from .rounds import descriptor, previous_round, view_counts

SCHEMA_VERSION = "1.1"
KIND = "keep-it-local-network-return"


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ReturnRound(_Model):
    id: int = Field(description="The round's number in the council's own site.")
    title: str = Field(description='For example "Spring 2027 network meeting".')
    meeting_on: date = Field(description="The date of the network meeting it was taken for.")
    signed_off_at: datetime = Field(description="When an admin signed the round off (UTC).")


class ReturnCouncil(_Model):
    name: str
    area: str
    gss_code: str = Field(description="The ONS GSS code of the council, e.g. E10000011.")
    base_url: str = Field(description="The address of the council's kil-consult site.")


class ReturnChampion(_Model):
    kind: str = Field(description='"cabinet" or "smt" (Senior Management Team).')
    label: str
    name: str
    role: str


class ReturnEvidence(_Model):
    kind: str = Field(description="idea, commitment, summary, statement, document or page.")
    label: str
    url: str


class ReturnViews(_Model):
    agree: int = Field(ge=0, description="Residents and organisations who agreed.")
    disagree: int = Field(ge=0, description="Residents and organisations who did not.")


class ReturnAssessment(_Model):
    principle: int = Field(ge=1, le=6)
    title: str
    level: int = Field(
        ge=1, le=4, description="1 Starting out, 2 Developing, 3 Established, 4 Leading."
    )
    level_label: str
    descriptor: str = Field(description="What the level means for this principle, as worded.")
    previous_level: int | None = Field(
        default=None, ge=1, le=4, description="The level in the council's previous round."
    )
    evidence: list[ReturnEvidence]
    next_steps: str
    champion: str = Field(description="Who owns the next steps.")
    views: ReturnViews


class ReturnUpdate(_Model):
    date: date
    status: str
    text: str


class ReturnFigure(_Model):
    date: date
    value: float


class ReturnReading(ReturnFigure):
    people: int | None = Field(
        default=None,
        ge=0,
        description="For a reading taken from the answers to a question: how many people "
        "answered (never fewer than the council's disclosure threshold).",
    )


class ReturnIndicator(_Model):
    name: str
    definition: str
    unit: str = Field(description="%, £ or a unit in words, such as transfers.")
    source: str
    frequency: str = Field(description="How often it is measured.")
    baseline: ReturnFigure
    target: ReturnFigure
    readings: list[ReturnReading] = Field(description="In date order.")
    progress: float = Field(
        description="How far the latest figure has moved from the baseline towards the target "
        "(0 at the baseline, 1 at the target, below 0 the wrong way)."
    )


class ReturnCommitment(_Model):
    number: int = Field(ge=1)
    principle: int = Field(ge=1, le=6)
    text: str
    owner: str
    due: date | None
    status: str = Field(description="not_started, in_progress, done or dropped.")
    progress: list[ReturnUpdate]
    indicators: list[ReturnIndicator] = Field(
        default_factory=list, description="Since version 1.1 (absent from a 1.0 return)."
    )


class ReturnConsultation(_Model):
    principle: int
    title: str
    people: int = Field(ge=0)
    ideas: int = Field(ge=0)
    votes: int = Field(ge=0)
    comments: int = Field(ge=0)


class ReturnParticipation(_Model):
    people: int = Field(ge=0, description="People who shared, voted or commented.")
    organisations: int = Field(ge=0, description="Organisations that shared ideas.")
    consultations: list[ReturnConsultation]


class NetworkReturn(_Model):
    """A council's Keep it Local network return for one signed-off round."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    schema_: str = Field(alias="$schema", description="The address of this document's schema.")
    schema_version: str = Field(pattern=r"^1\.\d+$")
    kind: str = Field(pattern=f"^{KIND}$")
    round: ReturnRound
    council: ReturnCouncil
    champions: list[ReturnChampion]
    self_assessment: list[ReturnAssessment] = Field(min_length=6, max_length=6)
    commitments: list[ReturnCommitment]
    participation: ReturnParticipation
    equality: None = Field(default=None, description="Not in version 1.x yet (always null).")


class ReturnSummary(_Model):
    round: ReturnRound
    url: str


class ReturnList(_Model):
    """Every signed-off return of this council, newest first, each whole."""

    items: list[NetworkReturn]


def schema() -> dict:
    """The published JSON Schema of a network return."""
    document = NetworkReturn.model_json_schema(by_alias=True)
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": external_url("network.return_schema"),
        **document,
        "title": f"Keep it Local network return, version {SCHEMA_VERSION}",
    }


def build_return(round_: AssessmentRound) -> dict:
    """The network return of a round, as plain JSON-ready data (kept whole at sign-off)."""
    council = current_council()
    previous = previous_round(round_)
    views = view_counts(round_)
    process = current_process()
    statement = statements.statement_of(process) if process else None
    version = (statement.published_version or statement.latest) if statement else None
    content = version.typed_content if version else None
    assessments = []
    for principle in PRINCIPLES:
        found = round_.assessment(principle.number)
        before = previous.assessment(principle.number) if previous else None
        words = descriptor(principle.number, found.level)
        agree, disagree = views.get(principle.number, (0, 0))
        assessments.append(
            {
                "principle": principle.number,
                "title": principle.title,
                "level": found.level,
                "level_label": words.label,
                "descriptor": words.text,
                "previous_level": before.level if before else None,
                "evidence": [
                    {"kind": e["kind"], "label": e["label"], "url": external_path(e["path"])}
                    for e in found.evidence
                ],
                "next_steps": found.next_steps,
                "champion": found.champion,
                "views": {"agree": agree, "disagree": disagree},
            }
        )
    commitments = statements.numbered_commitments(statement, content) if content else []
    measured = indicators_of([c.row.id for c in commitments if c.row])
    people = taking_part(list(process.consultations)) if process else None
    document = {
        "$schema": external_url("network.return_schema"),
        "schema_version": SCHEMA_VERSION,
        "kind": KIND,
        "round": {
            "id": round_.id,
            "title": round_.title,
            "meeting_on": round_.meeting_on.isoformat(),
            "signed_off_at": (round_.signed_off_at or utcnow()).isoformat(timespec="seconds") + "Z",
        },
        "council": {
            "name": council.name,
            "area": council.area_name,
            "gss_code": current_app.config.get("KIL_COUNCIL_GSS_CODE", ""),
            "base_url": base_url(),
        },
        "champions": [
            {"kind": c.kind, "label": c.label, "name": c.name, "role": c.role}
            for c in (content.champions if content else ())
        ],
        "self_assessment": assessments,
        "commitments": [
            {
                "number": c.number,
                "principle": c.principle,
                "text": c.text,
                "owner": c.owner,
                "due": c.due or None,
                "status": (c.row.status if c.row else CommitmentStatus.NOT_STARTED).value,
                "progress": [
                    {"date": u.happened_on.isoformat(), "status": u.status.value, "text": u.body}
                    for u in (c.row.updates if c.row else [])
                ],
                "indicators": [
                    _indicator(i) for i in (measured.get(c.row.id, []) if c.row else [])
                ],
            }
            for c in commitments
        ],
        "participation": {
            "people": people["people"] if people else 0,
            "organisations": people["organisations"] if people else 0,
            "consultations": people["consultations"] if people else [],
        },
        "equality": None,
    }
    NetworkReturn.model_validate(document)  # never publish a return that breaks its schema
    return document


def _indicator(indicator) -> dict:
    """An indicator as the return carries it."""
    return {
        "name": indicator.name,
        "definition": indicator.definition,
        "unit": indicator.unit,
        "source": indicator.source,
        "frequency": indicator.frequency.value,
        "baseline": {"date": indicator.baseline_on.isoformat(), "value": indicator.baseline_value},
        "target": {"date": indicator.target_on.isoformat(), "value": indicator.target_value},
        "readings": [
            {"date": r.taken_on.isoformat(), "value": r.value, "people": r.people}
            for r in indicator.readings
        ],
        "progress": round(trend_of(indicator).progress, 4),
    }


def external_path(path: str) -> str:
    """An address on this site, in full."""
    return base_url() + path
