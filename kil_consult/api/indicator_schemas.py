"""The API's shapes of a commitment's indicators (baseline, target, readings, progress),
part of each commitment in ``schemas.CommitmentOut``."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import Field

from .schemas import ResponseModel


class IndicatorPoint(ResponseModel):
    """One dated figure of an indicator."""

    date: date
    value: float
    note: str = ""


class IndicatorOut(ResponseModel):
    """A measure of a commitment: its baseline, its target, and the readings since."""

    id: int
    name: str
    definition: str
    unit: str = Field(description="For example %, £, people.")
    source: str = Field(description="Where the figures come from.")
    frequency: Literal["monthly", "quarterly", "twice_yearly", "yearly"]
    baseline: IndicatorPoint
    target: IndicatorPoint
    readings: list[IndicatorPoint] = Field(description="Oldest first.")
    progress: float = Field(
        description="How far the latest figure has moved from the baseline towards the "
        "target: 0 at the baseline, 1 at the target (below 0 if it moved away)."
    )
