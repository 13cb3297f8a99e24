"""The starter library of indicators: for each Keep it Local principle, a few measures a
council can adopt as they are, or adapt, onto a commitment. Each has a definition saying what
is counted, so two councils reporting it mean the same thing. The list draws on the six
principles and on measures councils already use (community asset transfers, the share of spend
with local organisations, residents' sense of influence, as in the Framework for Measuring
Community Spirit)."""

from __future__ import annotations

from dataclasses import dataclass

from .models import Frequency


@dataclass(frozen=True)
class LibraryIndicator:
    """A starter indicator: its key, principle, name, definition, unit, usual source and how
    often it is usually measured."""

    key: str
    principle: int
    name: str
    definition: str
    unit: str
    source: str
    frequency: Frequency


LIBRARY: tuple[LibraryIndicator, ...] = (
    LibraryIndicator(
        "joint-cases",
        1,
        "Cases handled by a joint team across services",
        "The number of people or families supported in the period by a team that brings "
        "together at least two public bodies (for example council and NHS) and a community "
        "organisation, counted once each.",
        "people",
        "Case management records of the joint teams",
        Frequency.QUARTERLY,
    ),
    LibraryIndicator(
        "told-story-once",
        1,
        "Residents who had to tell their story only once",
        "Of residents who asked a public service for help in the last year, the share who say "
        "they did not have to repeat their story to another service. From a repeated question.",
        "%",
        "Resident survey (a repeated question in the consultation)",
        Frequency.YEARLY,
    ),
    LibraryIndicator(
        "neighbourhood-hubs",
        2,
        "Neighbourhoods with a community hub offering joined-up help",
        "The number of the area's neighbourhoods with at least one place, run with a "
        "community organisation, where people can get advice and help from several services.",
        "neighbourhoods",
        "Council locality team",
        Frequency.TWICE_YEARLY,
    ),
    LibraryIndicator(
        "local-spend",
        3,
        "Share of council spend with local organisations",
        "Council spend on goods, services and works with suppliers whose registered or main "
        "trading address is in the area, as a share of all such spend in the period (excluding "
        "spend between public bodies).",
        "%",
        "Council finance system (procurement spend analysis)",
        Frequency.QUARTERLY,
    ),
    LibraryIndicator(
        "local-jobs",
        3,
        "Council contracts with local employment commitments",
        "The number of council contracts above the procurement threshold let in the period "
        "that include a commitment to employ or train local people.",
        "contracts",
        "Procurement team contract register",
        Frequency.YEARLY,
    ),
    LibraryIndicator(
        "prevention-spend",
        4,
        "Share of spend on prevention and early help",
        "Spend on services that help people before they reach statutory thresholds (early "
        "help, social prescribing, advice), as a share of the relevant directorates' budget.",
        "%",
        "Council finance system",
        Frequency.YEARLY,
    ),
    LibraryIndicator(
        "asset-transfers",
        5,
        "Community asset transfers completed",
        "The number of buildings or pieces of land whose ownership or long lease (25 years or "
        "more) passed from the council to a community organisation in the period.",
        "transfers",
        "Council property and estates team",
        Frequency.YEARLY,
    ),
    LibraryIndicator(
        "grant-funding",
        5,
        "Funding to local organisations through simple grants",
        "The total the council gave local voluntary and community organisations in the period "
        "as grants (not contracts), in pounds.",
        "£",
        "Council grants register",
        Frequency.YEARLY,
    ),
    LibraryIndicator(
        "influence-decisions",
        5,
        "Residents who feel they can influence decisions affecting their local area",
        "The share of residents who agree or strongly agree that they can influence decisions "
        "affecting their local area. From a repeated question (or the council's residents' "
        "survey).",
        "%",
        "Resident survey (a repeated question in the consultation)",
        Frequency.YEARLY,
    ),
    LibraryIndicator(
        "small-provider-contracts",
        6,
        "Contracts won by small local providers",
        "Of the council's contracts let in the period, the share won by local organisations "
        "with fewer than 50 staff, including voluntary and community organisations.",
        "%",
        "Procurement team contract register",
        Frequency.YEARLY,
    ),
    LibraryIndicator(
        "co-designed-contracts",
        6,
        "Services commissioned with local organisations",
        "The number of services commissioned in the period whose specification was designed "
        "with local organisations and people who use the service.",
        "services",
        "Commissioning team",
        Frequency.YEARLY,
    ),
)

BY_KEY = {item.key: item for item in LIBRARY}


def library_for(principle: int | None = None) -> tuple[LibraryIndicator, ...]:
    """The starter indicators, all or of one principle, in principle order."""
    return tuple(i for i in LIBRARY if principle is None or i.principle == principle)
