"""Indicators on the statement's commitments: define one (or adopt one from the starter
library), enter dated readings, and read each indicator's trend against its target as a value
that the progress page, the progress report and the API all show. Services flush only."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from .. import audit
from ..extensions import db
from ..timeutil import to_local, utcnow
from .models import Commitment, Frequency, Indicator, IndicatorReading, StatementError

FIELDS = (
    "name",
    "definition",
    "unit",
    "baseline_value",
    "baseline_on",
    "target_value",
    "target_on",
    "source",
    "frequency",
    "library_key",
)


def _check(values: dict) -> None:
    if values["target_on"] <= values["baseline_on"]:
        raise StatementError("The target date must be after the baseline date.")
    if values["target_value"] == values["baseline_value"]:
        raise StatementError("The target must differ from the baseline.")


def add_indicator(commitment: Commitment, actor, **values) -> Indicator:
    """Give a commitment an indicator: the target must differ from the baseline and fall
    after it. Audited."""
    _check(values)
    indicator = Indicator(
        commitment=commitment, **{k: values.get(k) for k in FIELDS if k in values}
    )
    db.session.add(indicator)
    db.session.flush()
    audit.record(actor, "indicator.add", commitment, note=indicator.name[:300])
    return indicator


def change_indicator(indicator: Indicator, actor, **values) -> Indicator:
    """Change an indicator's definition, baseline or target (readings stay). Audited with
    what it was before."""
    _check(values)
    before = {k: getattr(indicator, k) for k in ("baseline_value", "target_value")}
    for key in FIELDS:
        if key in values:
            setattr(indicator, key, values[key])
    db.session.flush()
    audit.record(
        actor,
        "indicator.change",
        indicator.commitment,
        before=before,
        after={k: getattr(indicator, k) for k in before},
        note=indicator.name[:300],
    )
    return indicator


def remove_indicator(indicator: Indicator, actor) -> None:
    """Remove an indicator and its readings. Audited."""
    audit.record(actor, "indicator.remove", indicator.commitment, note=indicator.name[:300])
    db.session.delete(indicator)
    db.session.flush()


def add_reading(
    indicator: Indicator, actor, taken_on: date, value: float, note: str = ""
) -> IndicatorReading:
    """Enter a dated reading: not before the baseline, not in the future, one per date."""
    if taken_on < indicator.baseline_on:
        raise StatementError("A reading cannot be dated before the baseline.")
    if taken_on > to_local(utcnow()).date():
        raise StatementError("A reading cannot be dated in the future.")
    if any(r.taken_on == taken_on for r in indicator.readings):
        raise StatementError("There is already a reading for that date: remove it first.")
    reading = IndicatorReading(
        indicator=indicator,
        taken_on=taken_on,
        value=value,
        note=note.strip(),
        entered_by_id=getattr(actor, "id", None),
    )
    db.session.add(reading)
    db.session.flush()
    return reading


def remove_reading(reading: IndicatorReading) -> None:
    """Take back a reading entered by mistake."""
    indicator = reading.indicator
    indicator.readings.remove(reading)
    db.session.flush()


def indicators_of(commitment_ids: list[int]) -> dict[int, list[Indicator]]:
    """The indicators of these commitments, by commitment id, in the order they were added."""
    found: dict[int, list[Indicator]] = {cid: [] for cid in commitment_ids}
    if not commitment_ids:
        return found
    for indicator in db.session.scalars(
        select(Indicator).where(Indicator.commitment_id.in_(commitment_ids)).order_by(Indicator.id)
    ):
        found[indicator.commitment_id].append(indicator)
    return found


# --- the trend, as a value ----------------------------------------------------------------


@dataclass(frozen=True)
class Point:
    """One dated figure: the baseline, a reading, or the target."""

    on: date
    value: float
    kind: str  # "baseline", "reading" or "target"
    note: str = ""


@dataclass(frozen=True)
class Trend:
    """An indicator's figures over time against its target, for every place that shows it."""

    id: int
    commitment_id: int
    name: str
    definition: str
    unit: str
    source: str
    frequency: Frequency
    baseline: Point
    target: Point
    readings: tuple[Point, ...]

    @property
    def latest(self) -> Point:
        return self.readings[-1] if self.readings else self.baseline

    @property
    def progress(self) -> float:
        """How far the latest figure has moved from the baseline towards the target (0 at
        the baseline, 1 at the target; below 0 if it moved the wrong way)."""
        span = self.target.value - self.baseline.value
        return (self.latest.value - self.baseline.value) / span

    @property
    def met(self) -> bool:
        return self.progress >= 1

    @property
    def points(self) -> tuple[Point, ...]:
        """Baseline then readings: the line the chart draws."""
        return (self.baseline, *self.readings)

    @property
    def table(self) -> tuple[Point, ...]:
        """Every figure for the table beside the chart: baseline, readings, then target."""
        return (*self.points, self.target)

    def figure(self, value: float) -> str:
        """A value with its unit, as people write it (45%, £12,000, 3 transfers)."""
        number = f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"
        if self.unit == "%":
            return f"{number}%"
        if self.unit == "£":
            return f"£{number}"
        return f"{number} {self.unit}".strip()


def trend_of(indicator: Indicator) -> Trend:
    """The indicator's trend value (baseline, readings in date order, target)."""
    return Trend(
        id=indicator.id,
        commitment_id=indicator.commitment_id,
        name=indicator.name,
        definition=indicator.definition,
        unit=indicator.unit,
        source=indicator.source,
        frequency=indicator.frequency,
        baseline=Point(indicator.baseline_on, indicator.baseline_value, "baseline"),
        target=Point(indicator.target_on, indicator.target_value, "target"),
        readings=tuple(
            Point(r.taken_on, r.value, "reading", r.note)
            for r in sorted(indicator.readings, key=lambda r: (r.taken_on, r.id or 0))
        ),
    )


def trends_by_commitment(commitment_ids: list[int]) -> dict[int, list[Trend]]:
    """Every indicator's trend, by commitment id."""
    return {
        cid: [trend_of(i) for i in indicators]
        for cid, indicators in indicators_of(commitment_ids).items()
    }
