"""The "About you" form (a person's own, and the one facilitators fill in from a workshop or
paper response), and the admin's upload forms. Their shape only: the rules are in services."""

from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from govuk_frontend_wtf.wtforms_widgets import GovCheckboxInput
from wtforms import BooleanField, RadioField, SelectField, SubmitField
from wtforms.validators import DataRequired, Optional

from ..forms import GovFileInput, GovRadioInput, GovSelect, GovSubmitInput, text_input
from ..ideas.forms import OfflineIdeaForm
from .questions import QUESTIONS


def _radio(question) -> RadioField:
    return RadioField(
        question.text,
        description=question.hint,
        choices=question.choices,
        validators=[Optional()],
        validate_choice=True,
        widget=GovRadioInput(),
    )


class AboutYouFields:
    """Every harmonised question (each optional, each with "Prefer not to say"), the postcode
    and the consent to keep special category answers."""

    age_band = _radio(QUESTIONS[0])
    sex = _radio(QUESTIONS[1])
    gender_identity = _radio(QUESTIONS[2])
    ethnic_group = _radio(QUESTIONS[3])
    disability = _radio(QUESTIONS[4])
    religion = _radio(QUESTIONS[5])
    sexual_orientation = _radio(QUESTIONS[6])
    carer = _radio(QUESTIONS[7])
    postcode = text_input(
        "Postcode (optional)",
        noun="Postcode",
        max_length=10,
        description="We keep only the ward it is in, never the postcode itself.",
    )
    consent = BooleanField(
        "I agree that the council may keep my answers about ethnic group, religion, health, "
        "sexual orientation and gender identity, to check who it is hearing from",
        widget=GovCheckboxInput(),
    )

    def answers(self) -> dict[str, str | None]:
        """The answers given, by question name."""
        return {q.name: getattr(self, q.name).data or None for q in QUESTIONS}

    def fill(self, about) -> None:
        """Show a person's stored answers (not the postcode: it is never stored)."""
        for q in QUESTIONS:
            getattr(self, q.name).data = getattr(about, q.name)
        self.consent.data = about.consented_at is not None


class AboutYouForm(AboutYouFields, FlaskForm):
    submit = SubmitField("Save your answers", widget=GovSubmitInput())


class DeleteAboutYouForm(FlaskForm):
    submit = SubmitField("Delete your answers", widget=GovSubmitInput())


class OfflineResponseForm(AboutYouFields, OfflineIdeaForm):
    """An idea given at a workshop or on paper, with the person's "About you" answers."""

    consent = BooleanField(
        "The person agreed on the form that the council may keep their answers about ethnic "
        "group, religion, health, sexual orientation and gender identity",
        widget=GovCheckboxInput(),
    )
    submit = SubmitField("Add the response", widget=GovSubmitInput())


class CensusUploadForm(FlaskForm):
    """A Census 2021 table for the council's area, as downloaded from Nomis (CSV)."""

    characteristic = SelectField(
        "Which characteristic does the table count?",
        validators=[DataRequired(message="Choose which characteristic the table counts")],
        default="",  # "Choose a characteristic" is selected until one is chosen
        widget=GovSelect(),
    )
    table = FileField(
        "Census table (CSV)",
        validators=[FileRequired(message="Choose a CSV file")],
        widget=GovFileInput(),
    )
    submit = SubmitField("Upload the table", widget=GovSubmitInput())


class WardPopulationForm(FlaskForm):
    """Usual residents by ward or neighbourhood (CSV: a name column and a people column)."""

    table = FileField(
        "Ward populations (CSV)",
        validators=[FileRequired(message="Choose a CSV file")],
        widget=GovFileInput(),
    )
    submit = SubmitField("Upload the populations", widget=GovSubmitInput())


class PostcodeLookupForm(FlaskForm):
    """An extract of the ONS Postcode Directory for the area (CSV)."""

    table = FileField(
        "Postcode-to-ward lookup (CSV)",
        validators=[FileRequired(message="Choose a CSV file")],
        widget=GovFileInput(),
    )
    submit = SubmitField("Upload the lookup", widget=GovSubmitInput())


class BoundariesForm(FlaskForm):
    """The neighbourhoods' (or wards') boundaries as GeoJSON, for the map of participation."""

    table = FileField(
        "Boundaries (GeoJSON)",
        validators=[FileRequired(message="Choose a GeoJSON file")],
        widget=GovFileInput(),
    )
    submit = SubmitField("Upload the boundaries", widget=GovSubmitInput())


class WardNeighbourhoodsForm(FlaskForm):
    """Which neighbourhood each ward belongs to (CSV: ward code, neighbourhood)."""

    table = FileField(
        "Wards in each neighbourhood (CSV)",
        validators=[FileRequired(message="Choose a CSV file")],
        widget=GovFileInput(),
    )
    submit = SubmitField("Upload the wards", widget=GovSubmitInput())
