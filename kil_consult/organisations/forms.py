"""Organisation forms: their shape only; rules that need the database live in the services."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovCheckboxesInput
from wtforms import (
    RadioField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from ..accounts.forms import email_field
from ..forms import (
    GovCharacterCount,
    GovRadioInput,
    GovSubmitInput,
    GovTextInput,
    NoControlCharacters,
    clean_text,
)

NAME_MAX = 120
DESCRIPTION_MAX = 2000
WEBSITE_MAX = 300
NUMBER_MAX = 40
REASON_MAX = 1000


class WebAddress:
    """An optional website must be a full http or https address, like https://example.org."""

    message = (
        "Enter a website address that starts with https:// or http://, like https://example.org"
    )

    def __call__(self, form, field):
        value = field.data or ""
        if not value:
            return
        parts = urlsplit(value)
        if parts.scheme not in ("http", "https") or "." not in parts.netloc or " " in value:
            raise ValidationError(self.message)


class RegisterOrganisationForm(FlaskForm):
    name = StringField(
        "Name of the organisation",
        description="As it appears on its constitution or the Charity Commission register.",
        widget=GovTextInput(),
        filters=[clean_text],
        validators=[
            DataRequired(message="Enter the name of the organisation"),
            Length(max=NAME_MAX, message=f"Name must be {NAME_MAX} characters or fewer"),
            NoControlCharacters(),
        ],
    )
    description = TextAreaField(
        "What does the organisation do?",
        description="Everyone can read this on the organisation's page. Say who you help and how.",
        widget=GovCharacterCount(),
        filters=[clean_text],
        validators=[
            DataRequired(message="Describe what the organisation does"),
            Length(
                max=DESCRIPTION_MAX,
                message=f"Description must be {DESCRIPTION_MAX:,} characters or fewer",
            ),
            NoControlCharacters(),
        ],
        render_kw={"params": {"maxlength": DESCRIPTION_MAX}},
    )
    website = StringField(
        "Website (optional)",
        description="For example, https://www.example.org.uk",
        widget=GovTextInput(),
        filters=[clean_text],
        validators=[
            Optional(),
            Length(max=WEBSITE_MAX, message=f"Website must be {WEBSITE_MAX} characters or fewer"),
            WebAddress(),
        ],
    )
    registration_number = StringField(
        "Charity or company number (optional)",
        description="If the organisation is a registered charity or company, this helps us "
        "check it.",
        widget=GovTextInput(),
        filters=[clean_text],
        validators=[
            Optional(),
            Length(
                max=NUMBER_MAX,
                message=f"Charity or company number must be {NUMBER_MAX} characters or fewer",
            ),
            NoControlCharacters(),
        ],
    )
    neighbourhood_ids = SelectMultipleField(
        "Which neighbourhoods does it serve?",
        description="Select all that apply.",
        coerce=int,
        widget=GovCheckboxesInput(),
    )
    submit = SubmitField("Ask to register", widget=GovSubmitInput())

    def __init__(self, *args, neighbourhoods=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.neighbourhood_ids.choices = [(n.id, n.name) for n in neighbourhoods]

    def validate_neighbourhood_ids(self, field):
        if self.neighbourhood_ids.choices and not field.data:
            raise ValidationError("Select the neighbourhoods the organisation serves")


class DecisionForm(FlaskForm):
    decision = RadioField(
        "Is this a genuine voluntary or community organisation?",
        description="Check the charity or company number and website if there are any.",
        choices=[("verify", "Yes, verify it"), ("decline", "No, decline it")],
        widget=GovRadioInput(),
        validators=[DataRequired(message="Select whether to verify or decline the organisation")],
    )
    reason = TextAreaField(
        "Reason",
        description="Needed when you decline. The person who registered it will be emailed this.",
        widget=GovCharacterCount(),
        filters=[clean_text],
        validators=[
            Length(max=REASON_MAX, message=f"Reason must be {REASON_MAX:,} characters or fewer"),
            NoControlCharacters(),
        ],
        render_kw={"params": {"maxlength": REASON_MAX}},
    )
    submit = SubmitField("Save decision", widget=GovSubmitInput())

    def validate_reason(self, field):
        if self.decision.data == "decline" and not field.data:
            raise ValidationError("Enter the reason for declining")


class InviteForm(FlaskForm):
    email = email_field(
        "Email address of the person to invite",
        required="Enter the email address of the person to invite",
        description="They need an account on this site. They will accept on their account page.",
    )
    submit = SubmitField("Send invitation", widget=GovSubmitInput())


class ActionForm(FlaskForm):
    """A form with only a button (accept, decline, approve, leave): CSRF is all it checks."""
