"""Forms of indicators: an admin defines one (or adopts one from the starter library), and
staff enter dated readings. Shapes only: the services check dates against each other."""

from __future__ import annotations

import math

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovCheckboxesInput
from wtforms import FloatField, HiddenField, RadioField, SelectMultipleField, SubmitField
from wtforms.validators import InputRequired, NumberRange, ValidationError

from ..forms import GovRadioInput, GovSubmitInput, GovTextInput
from .forms import _area, _date, _text
from .indicator_library import LibraryIndicator
from .indicators import FIELDS
from .models import Frequency, Indicator

LARGEST = 1e12


def _finite(form, field):
    if field.data is not None and not math.isfinite(field.data):
        raise ValidationError("Enter a number, such as 42 or 12.5")


def _number(label: str, required: str, description: str = "") -> FloatField:
    return FloatField(
        label,
        description=description,
        widget=GovTextInput(),
        validators=[
            InputRequired(message=required),
            _finite,
            NumberRange(-LARGEST, LARGEST, message="Enter a smaller number"),
        ],
        render_kw={"params": {"classes": "govuk-input--width-10", "inputmode": "decimal"}},
    )


class IndicatorForm(FlaskForm):
    name = _text("Name", 160, "Enter the indicator's name")
    definition = _area(
        "Definition",
        3000,
        "Say what is counted",
        "What is counted and how, so that every reading means the same thing.",
    )
    unit = _text(
        "Unit",
        40,
        "Enter the unit",
        "For example %, £, people or transfers.",
    )
    baseline_value = _number("Baseline value", "Enter the baseline value", "Where it starts.")
    baseline_on = _date("Baseline date", "Enter the date of the baseline")
    target_value = _number("Target value", "Enter the target value")
    target_on = _date("Target date", "Enter the date the target is for")
    source = _text("Source", 300, "Say where the figures come from")
    frequency = RadioField(
        "How often it is measured",
        choices=[(f.value, f.label) for f in Frequency],
        validators=[InputRequired(message="Choose how often it is measured")],
        widget=GovRadioInput(),
    )
    library_key = HiddenField()
    submit = SubmitField("Save indicator", widget=GovSubmitInput())

    def values(self) -> dict:
        """The form's data as the service takes it."""
        return {
            "name": self.name.data,
            "definition": self.definition.data or "",
            "unit": self.unit.data,
            "baseline_value": self.baseline_value.data,
            "baseline_on": self.baseline_on.data,
            "target_value": self.target_value.data,
            "target_on": self.target_on.data,
            "source": self.source.data or "",
            "frequency": Frequency(self.frequency.data),
            "library_key": self.library_key.data or "",
        }

    def fill(self, indicator: Indicator) -> None:
        for name in FIELDS:
            value = getattr(indicator, name)
            self[name].data = value.value if isinstance(value, Frequency) else value

    def adopt(self, item: LibraryIndicator) -> None:
        """Start from a starter-library indicator (the admin adapts it before saving)."""
        self.name.data, self.definition.data = item.name, item.definition
        self.unit.data, self.source.data = item.unit, item.source
        self.frequency.data, self.library_key.data = item.frequency.value, item.key


class ReadingForm(FlaskForm):
    taken_on = _date("Date of the reading", "Enter the date of the reading")
    value = _number("Value", "Enter the value")
    note = _text("Note (optional)", 300, description="For example, where this figure came from.")
    submit = SubmitField("Add reading", widget=GovSubmitInput())


class ConfirmForm(FlaskForm):
    """A button that only needs its CSRF token."""


class PulseForm(FlaskForm):
    """The answers of the chosen question that a reading counts (the question is in the URL)."""

    answers = SelectMultipleField(
        "Which answers should a reading count?",
        coerce=int,
        widget=GovCheckboxesInput(),
        validators=[InputRequired(message="Select the answers to count")],
    )
    submit = SubmitField("Link the question", widget=GovSubmitInput())
