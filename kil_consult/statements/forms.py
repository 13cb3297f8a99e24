"""Forms of the statement pages: shape only (the services check against the database)."""

from __future__ import annotations

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovDateInput
from wtforms import BooleanField, DateField, RadioField, SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from ..analysis.forms import IdeaNumbers
from ..consultations.principles import PRINCIPLES
from ..forms import (
    GovRadioInput,
    GovSelect,
    GovSubmitInput,
    GovTextInput,
    NoControlCharacters,
    clean_text,
    optional_int,
    text_area,
)
from .models import CommitmentStatus, Stance


def _text(label: str, max_length: int, required: str | None = None, description: str = ""):
    validators = [DataRequired(message=required)] if required else [Optional()]
    return StringField(
        label,
        description=description,
        widget=GovTextInput(),
        filters=[clean_text],
        validators=[
            *validators,
            Length(max=max_length, message=f"{label} must be {max_length:,} characters or fewer"),
            NoControlCharacters(),
        ],
    )


def _area(label: str, max_length: int, required: str | None = None, description: str = ""):
    return text_area(
        label,
        noun=label,
        max_length=max_length,
        required=required,
        description=description or None,
        counted=False,
    )


class GovDateField(DateField):
    """A GOV.UK date input that also survives a request without its three boxes (a 400 with
    a message, not a 500 from the widget)."""

    def process(self, formdata, data=None, **kwargs):
        super().process(formdata, data=data, **kwargs)
        if self.raw_data is not None and len(self.raw_data) != 3:
            self.raw_data = None


def _date(label: str, required: str | None = None, description: str = "For example, 27 3 2028"):
    return GovDateField(
        label,
        description=description,
        format="%d %m %Y",
        widget=GovDateInput(),
        validators=[InputRequired(message=required)] if required else [Optional()],
    )


def _reason():
    return _text(
        "What changed and why",
        500,
        "Say what changed and why",
        "Kept with this version, for example “Clearer wording after public comments”",
    )


class ConfirmForm(FlaskForm):
    """A button that needs only CSRF protection."""


class StatementForm(FlaskForm):
    """The statement's words: title, endorsement, a section per principle, the champions."""

    title = _text("Title", 200, "Enter a title")
    preamble = _area(
        "The council's endorsement of the six principles",
        8000,
        "Enter the council's endorsement",
        "Markdown: a blank line starts a paragraph, * starts a list item.",
    )
    cabinet_name = _text("Name of the champion in the Cabinet", 120)
    cabinet_role = _text(
        "Role of the champion in the Cabinet",
        160,
        description="For example, Cabinet Member for Communities",
    )
    smt_name = _text("Name of the champion in the Senior Management Team", 120)
    smt_role = _text(
        "Role of the champion in the Senior Management Team",
        160,
        description="For example, Director of Communities",
    )
    reason = _reason()
    submit = SubmitField("Save a new version", widget=GovSubmitInput())

    def sections(self):
        return [self[f"section_{p.number}"] for p in PRINCIPLES]


for _p in PRINCIPLES:
    setattr(
        StatementForm,
        f"section_{_p.number}",
        _area(
            f"Principle {_p.number}: {_p.title}",
            12000,
            description="Its local meaning, in Markdown; cite ideas as (ideas 12, 15).",
        ),
    )


class CommitmentForm(FlaskForm):
    """One commitment: its principle, words, owning team, target date and ideas."""

    principle = SelectField(
        "Principle",
        choices=[("", "Choose a principle")]
        + [(str(p.number), f"{p.number}. {p.title}") for p in PRINCIPLES],
        coerce=optional_int,
        widget=GovSelect(),
        validators=[InputRequired(message="Choose a principle")],
    )
    text = _area("Commitment", 2000, "Enter the commitment")
    owner = _text("Owning team", 160, description="For example, Procurement and Contracts")
    due = _date("Target date (optional)")
    ideas = StringField(
        "Ideas it came from",
        description="Idea numbers, separated by commas, like 12, 15",
        widget=GovTextInput(),
        filters=[clean_text],
        validators=[Optional(), IdeaNumbers()],
    )
    reason = _reason()
    submit = SubmitField("Save commitment", widget=GovSubmitInput())


class RemoveCommitmentForm(FlaskForm):
    reason = _reason()
    submit = SubmitField("Remove this commitment", widget=GovSubmitInput())


class MoveCommitmentForm(FlaskForm):
    """Move a commitment one place: ``direction`` is ``up`` or ``down``."""

    direction = StringField(validators=[DataRequired()])


class ReviewForm(FlaskForm):
    closes_on = _date("Comments close at the end of", "Enter the date comments close")
    submit = SubmitField("Open for comment", widget=GovSubmitInput())


class DecisionForm(FlaskForm):
    body = _text(
        "Who decided", 160, "Enter who decided, for example Cabinet", "For example, Cabinet"
    )
    decided_on = _date("Date of the decision", "Enter the date of the decision")
    reference = _text("Reference", 160, description="For example, a Cabinet minute number")
    submit = SubmitField("Record the decision", widget=GovSubmitInput())


class SignatoryForm(FlaskForm):
    name = _text("Name", 120, "Enter the signatory's name")
    role = _text("Role", 160, "Enter the signatory's role", "For example, Leader of the Council")
    signed_on = _date("Date signed", "Enter the date signed")
    submit = SubmitField("Add signatory", widget=GovSubmitInput())


class RespondForm(FlaskForm):
    """A person's view of one part of the draft."""

    stance = RadioField(
        "Do you support this?",
        choices=[(s.value, s.label) for s in Stance],
        widget=GovRadioInput(),
        validators=[InputRequired(message="Choose whether you support this")],
    )
    comment = _area("Comment (optional)", 2000)
    organisation = SelectField(
        "Respond as",
        coerce=optional_int,
        widget=GovSelect(),
        validators=[Optional()],
    )
    submit = SubmitField("Send", widget=GovSubmitInput())


class ProgressForm(FlaskForm):
    status = RadioField(
        "Status",
        choices=[(s.value, s.label) for s in CommitmentStatus],
        widget=GovRadioInput(),
        validators=[InputRequired(message="Choose a status")],
    )
    happened_on = _date("Date of the update", "Enter the date of the update")
    body = _area(
        "What happened",
        4000,
        "Say what happened",
        "Shown on the public progress page. If the commitment was dropped, say why.",
    )
    submit = SubmitField("Add update", widget=GovSubmitInput())


class PublishForm(FlaskForm):
    """Publish the agreed version; with warnings, only when the admin says why."""

    publish_anyway = BooleanField("Publish despite the warnings", validators=[Optional()])
    override = _text(
        "Why it is published despite the warnings",
        300,
        description="Kept in the audit log, for example “Owners agreed at Cabinet, added next "
        "version”",
    )
    submit = SubmitField("Publish", widget=GovSubmitInput())

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        if self.publish_anyway.data and not (self.override.data or "").strip():
            self.override.errors = [
                *self.override.errors,
                "Say why the statement is published despite the warnings",
            ]
            return False
        return valid
