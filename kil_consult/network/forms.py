"""Forms of the network pages: shape only (the services check against the database)."""

from __future__ import annotations

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovCheckboxesInput
from wtforms import RadioField, SelectField, SelectMultipleField, SubmitField
from wtforms.validators import InputRequired, Optional, ValidationError

from ..forms import (
    GovDateInput,
    GovRadioInput,
    GovSelect,
    GovSubmitInput,
    optional_int,
    text_area,
    text_input,
)
from ..statements.forms import GovDateField
from .levels import LEVELS


class RoundForm(FlaskForm):
    """A new round: its name and the date of the network meeting it is for."""

    title = text_input(
        "Name of the round",
        noun="The name",
        max_length=120,
        required="Enter a name for the round",
        description="For example, Spring 2027 network meeting",
    )
    meeting_on = GovDateField(
        "Date of the network meeting",
        description="For example, 27 3 2027",
        format="%d %m %Y",
        widget=GovDateInput(),
    )
    submit = SubmitField("Start the round", widget=GovSubmitInput())

    def validate_meeting_on(self, field) -> None:
        # Checked here, not with InputRequired: that would put ``required`` on the date's <div>.
        if field.data is None and not field.errors:
            raise ValidationError("Enter the date of the network meeting")


def _commitment_id(value):
    return optional_int(value)


class AssessmentForm(FlaskForm):
    """Where the council stands on one principle: level, evidence, next steps, champion."""

    level = RadioField(
        "Where are we now?",
        coerce=optional_int,
        validate_choice=False,  # validate_level says what to do instead
        widget=GovRadioInput(),
        validators=[InputRequired(message="Choose the level that best describes the council")],
    )
    commitments = SelectMultipleField(
        "Commitments that show it",
        coerce=_commitment_id,
        widget=GovCheckboxesInput(),
        validators=[Optional()],
    )
    addresses = text_area(
        "Other evidence on this site (optional)",
        noun="The evidence",
        max_length=4000,
        description="One address a line: an idea, a summary, the statement or a report, like "
        "/ideas/12 or /consultations/whole-system/report.pdf",
        counted=False,
    )
    next_steps = text_area(
        "What we will do next",
        noun="What you will do next",
        max_length=2000,
        required="Say what the council will do next",
    )
    champion = text_input(
        "Who owns it",
        noun="The owner",
        max_length=160,
        required="Say who owns the next steps",
        description="The champion or officer who will report on it at the next meeting",
    )
    submit = SubmitField("Save this principle", widget=GovSubmitInput())

    def validate_level(self, field) -> None:
        if field.data not in dict(LEVELS):
            raise ValidationError("Choose the level that best describes the council")

    @property
    def address_lines(self) -> list[str]:
        return [line for line in (self.addresses.data or "").split("\n") if line.strip()]


class ViewForm(FlaskForm):
    """A person's view of one principle's assessment."""

    agrees = RadioField(
        "Do you agree with the council's assessment?",
        choices=[("yes", "I agree"), ("no", "I do not agree")],
        widget=GovRadioInput(),
        validate_choice=False,  # validate_agrees says what to do instead
        validators=[InputRequired(message="Choose whether you agree")],
    )
    comment = text_area("Why? (optional)", noun="Your comment", max_length=2000)

    def validate_agrees(self, field) -> None:
        if field.data not in ("yes", "no"):
            raise ValidationError("Choose whether you agree")

    organisation = SelectField(
        "Say this as", coerce=optional_int, widget=GovSelect(), validators=[Optional()]
    )
    submit = SubmitField("Send", widget=GovSubmitInput())


class LevelsForm(FlaskForm):
    """The admin's words for the four levels of one principle."""

    submit = SubmitField("Save the levels", widget=GovSubmitInput())

    def pairs(self) -> list[tuple[str, str]]:
        return [(self[f"label_{n}"].data, self[f"text_{n}"].data) for n, _ in LEVELS]


for _level, _label in LEVELS:
    setattr(
        LevelsForm,
        f"label_{_level}",
        text_input(
            f"Name of level {_level}",
            noun="The name",
            max_length=40,
            required=f"Enter a name for level {_level}",
        ),
    )
    setattr(
        LevelsForm,
        f"text_{_level}",
        text_area(
            f"What level {_level} means",
            noun="The description",
            max_length=1000,
            required=f"Describe level {_level}",
        ),
    )


class ConfirmForm(FlaskForm):
    """A button that needs only CSRF protection."""


class MemberForm(FlaskForm):
    """A member council, by the base address of its kil-consult site."""

    base_url = text_input(
        "Address of the council's site",
        noun="The address",
        max_length=300,
        required="Enter the address of the council's site",
        description="For example, https://keepitlocal.eastsussex.gov.uk",
        spellcheck=False,
    )
    submit = SubmitField("Add the council", widget=GovSubmitInput())
