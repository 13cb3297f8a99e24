"""Notification settings: how often to be emailed, and which neighbourhoods to follow."""

from __future__ import annotations

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovCheckboxesInput
from wtforms import RadioField, SelectMultipleField, SubmitField

from ..forms import GovRadioInput, GovSubmitInput
from .models import Frequency


class SettingsForm(FlaskForm):
    frequency = RadioField(
        "How often should we email you about your notifications?",
        choices=[(f.value, f.label) for f in Frequency],
        widget=GovRadioInput(),
        validate_choice=False,  # validate_frequency says what to do instead
        description="Whatever you choose, your notifications are always on this site.",
    )
    neighbourhoods = SelectMultipleField(
        "Neighbourhoods you follow",
        coerce=int,
        widget=GovCheckboxesInput(),
        description="Hear about new ideas about these places.",
    )
    submit = SubmitField("Save settings", widget=GovSubmitInput())

    def validate_frequency(self, field) -> None:
        from wtforms.validators import ValidationError

        if field.data not in {f.value for f in Frequency}:
            raise ValidationError("Choose how often we should email you")


class EmptyForm(FlaskForm):
    """A button with a CSRF token (mark as read, stop following)."""
