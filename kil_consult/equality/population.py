"""The population to compare with: Census 2021 tables for the council's area, one per
characteristic, as an admin uploads them (or the demo's illustrative profile), and the
neighbourhoods' populations the council has set.

Reading only; uploads are read and checked in ``census``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select

from ..consultations.services import neighbourhoods
from ..extensions import db
from .models import PopulationFigure

NEIGHBOURHOOD = "neighbourhood"


@dataclass(frozen=True)
class Population:
    """How many people of the area are in each group of one characteristic."""

    people: dict[str, int] = field(default_factory=dict)
    source: str = ""
    illustrative: bool = False

    @property
    def known(self) -> bool:
        return sum(self.people.values()) > 0

    @property
    def total(self) -> int:
        return sum(self.people.values())

    def share(self, group: str) -> float | None:
        """The group's share of the population (None when the population is not known)."""
        if not self.known or group not in self.people:
            return None
        return self.people[group] / self.total


def population_of(characteristic: str) -> Population:
    """The area's population by group for one characteristic; empty if none was uploaded.
    Neighbourhoods take the populations set on them (all of them, or none is known)."""
    if characteristic == NEIGHBOURHOOD:
        places = neighbourhoods()
        if not places or any(not p.population for p in places):
            return Population()
        return Population(
            {str(p.id): int(p.population) for p in places},
            "Neighbourhood populations set by the council",
        )
    rows = db.session.scalars(
        select(PopulationFigure).where(PopulationFigure.characteristic == characteristic)
    ).all()
    if not rows:
        return Population()
    return Population(
        {row.group: row.people for row in rows},
        rows[0].source,
        any(row.illustrative for row in rows),
    )
