"""Consultation forms: an admin edits the wording and the dates."""

from __future__ import annotations

import re
from datetime import datetime, time

from flask_wtf import FlaskForm
from wtforms import DateField, RadioField, StringField, SubmitField
from wtforms.validators import InputRequired, Optional, ValidationError

from ..forms import (
    GovDateInput,
    GovRadioInput,
    GovSubmitInput,
    GovTextInput,
    clean_text,
    text_area,
    text_input,
)
from ..timeutil import from_local, to_local
from .models import ModerationMode

_TIME = re.compile(r"^\s*(\d{1,2})(?:[:.](\d{2}))?\s*(am|pm)?\s*$", re.IGNORECASE)


def parse_time(text: str) -> time:
    """Read '17:00', '5pm', '5:30pm' or '9.15' as a time of day."""
    match = _TIME.match(text or "")
    if not match:
        raise ValueError(text)
    hour, minute, meridiem = int(match[1]), int(match[2] or 0), (match[3] or "").lower()
    if meridiem:
        if not 1 <= hour <= 12:
            raise ValueError(text)
        hour = hour % 12 + (12 if meridiem == "pm" else 0)
    return time(hour, minute)


def _time_field(label: str) -> StringField:
    return StringField(
        label,
        description="For example, 9:00 or 17:00",
        widget=GovTextInput(),
        filters=[clean_text],
        validators=[Optional()],
        render_kw={"params": {"classes": "govuk-input--width-5"}},
    )


class ConsultationForm(FlaskForm):
    title = text_input("Title", noun="Title", max_length=160, required="Enter a title")
    question = text_area(
        "Question for residents",
        noun="Question",
        max_length=400,
        required="Enter the question for residents",
        rows=3,
    )
    explanation = text_area(
        "What this principle means, in plain English",
        noun="Explanation",
        max_length=3000,
        required="Enter an explanation of the principle",
        rows=6,
    )
    next_steps = text_area(
        "What happens next",
        noun="What happens next",
        max_length=3000,
        description="Tell people what the council will do with what they say, and when.",
        rows=4,
    )
    opens_on = DateField(
        "Opening date",
        format="%d %m %Y",
        widget=GovDateInput(),
        validators=[Optional()],
    )
    opens_time = _time_field("Opening time")
    closes_on = DateField(
        "Closing date",
        format="%d %m %Y",
        widget=GovDateInput(),
        validators=[InputRequired(message="Enter a closing date")],
    )
    closes_time = _time_field("Closing time")
    moderation = RadioField(
        "Moderation",
        choices=[(m.value, m.label) for m in ModerationMode],
        default=ModerationMode.POST.value,
        widget=GovRadioInput(),
    )
    submit = SubmitField("Save changes", widget=GovSubmitInput())

    def __init__(self, *args, consultation=None, **kwargs):
        super().__init__(*args, **kwargs)
        self._consultation = consultation
        if consultation is not None and not self.is_submitted():
            for name in ("title", "question", "explanation", "next_steps"):
                getattr(self, name).data = getattr(consultation, name)
            self.moderation.data = consultation.moderation.value
            self._fill_datetime(consultation.opens_at, self.opens_on, self.opens_time)
            self._fill_datetime(consultation.closes_at, self.closes_on, self.closes_time)

    @staticmethod
    def _fill_datetime(value, date_field, time_field) -> None:
        local = to_local(value)
        if local is not None:
            date_field.data = local.date()
            time_field.data = local.strftime("%H:%M")

    def process_formdata_errors(self):
        """WTForms' message for a bad date is generic; say what to fix."""
        for field, label in ((self.opens_on, "Opening date"), (self.closes_on, "Closing date")):
            if field.errors and "Not a valid date value." in field.errors:
                field.errors = [f"{label} must be a real date, like 27 3 2027"]

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        self.process_formdata_errors()
        return ok

    def validate_opens_time(self, field):
        self._check_time(field, "Opening time")

    def validate_closes_time(self, field):
        self._check_time(field, "Closing time")

    @staticmethod
    def _check_time(field, label):
        if field.data:
            try:
                parse_time(field.data)
            except ValueError as exc:
                raise ValidationError(f"{label} must be a time, like 9:00 or 17:00") from exc

    def validate_closes_on(self, field):
        if field.data and self.opens_on.data and field.data < self.opens_on.data:
            raise ValidationError("Closing date must be the same as or after the opening date")

    def _combine(self, date_field, time_field, default: time) -> datetime | None:
        if date_field.data is None:
            return None
        moment = parse_time(time_field.data) if time_field.data else default
        return from_local(datetime.combine(date_field.data, moment))

    def _kept(self, name: str, typed: datetime | None) -> datetime | None:
        """The stored time when the form shows it unchanged. The form shows times to the
        minute, but opening or closing now stores the exact moment: without this, saving
        the form unchanged would move the time by some seconds and log a change."""
        stored = getattr(self._consultation, name, None)
        if stored is not None and typed == stored.replace(second=0, microsecond=0):
            return stored
        return typed

    def changes(self) -> dict:
        """The cleaned values, with dates turned into stored (UTC) times."""
        opens_at = self._combine(self.opens_on, self.opens_time, time(9, 0))
        closes_at = self._combine(self.closes_on, self.closes_time, time(23, 59))
        return {
            "title": self.title.data,
            "question": self.question.data,
            "explanation": self.explanation.data,
            "next_steps": self.next_steps.data or "",
            "opens_at": self._kept("opens_at", opens_at),
            "closes_at": self._kept("closes_at", closes_at),
            "moderation": ModerationMode(self.moderation.data or ModerationMode.POST.value),
        }


class StageForm(FlaskForm):
    """The open or close button (CSRF only)."""
