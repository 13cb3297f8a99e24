"""Account forms: their shape only; rules that need the database live in the services."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, RadioField, SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, Email, InputRequired, Length, ValidationError

from ..forms import (
    GovEmailInput,
    GovPasswordInput,
    GovRadioInput,
    GovSelect,
    GovSubmitInput,
    GovTextInput,
    NoControlCharacters,
    clean_text,
    optional_int,
)
from .passwords import password_problem


def email_field(
    label: str = "Email address",
    required: str = "Enter your email address",
    description: str | None = None,
) -> EmailField:
    """An email address field: trimmed, required, at most 254 characters, well formed."""
    return EmailField(
        label,
        description=description,
        widget=GovEmailInput(),
        filters=[clean_text],
        validators=[
            DataRequired(message=required),
            Length(max=254, message="Email address must be 254 characters or fewer"),
            Email(
                message="Enter an email address in the correct format, like name@example.com",
                check_deliverability=False,
            ),
        ],
    )


class NewPasswordMixin:
    """Checks a new password against the rules (length, not common, not the email)."""

    def validate_password(self, field):
        email = getattr(getattr(self, "email", None), "data", "") or ""
        name = getattr(getattr(self, "display_name", None), "data", "") or ""
        problem = password_problem(field.data or "", email=email, display_name=name)
        if problem:
            raise ValidationError(problem)


class SignUpForm(NewPasswordMixin, FlaskForm):
    email = email_field()
    display_name = StringField(
        "Name to show with your ideas and comments",
        description="You can use your first name or a nickname. Everyone can see it.",
        widget=GovTextInput(),
        filters=[clean_text],
        validators=[
            DataRequired(message="Enter a name to show with your ideas and comments"),
            Length(max=60, message="Name must be 60 characters or fewer"),
            NoControlCharacters(),
        ],
    )
    password = PasswordField(
        "Create a password",
        description="Use at least 10 characters. Avoid common passwords.",
        widget=GovPasswordInput(),
        validators=[InputRequired(message="Enter a password")],
    )
    neighbourhood_id = SelectField(
        "Where do you live? (optional)",
        description="This helps the council see whether every area is being heard.",
        coerce=optional_int,
        validate_choice=True,
        widget=GovSelect(),
    )
    submit = SubmitField("Create account", widget=GovSubmitInput())


class DetailsForm(FlaskForm):
    """Change the name shown with one's ideas and comments, and one's neighbourhood."""

    display_name = SignUpForm.display_name
    neighbourhood_id = SelectField(
        "Where do you live? (optional)",
        description="This helps the council see whether every area is being heard.",
        coerce=optional_int,
        validate_choice=True,
        widget=GovSelect(),
    )
    submit = SubmitField("Save your details", widget=GovSubmitInput())


class ChangeEmailForm(FlaskForm):
    """Move one's account to a new email address (confirmed from the new address)."""

    email = email_field(
        "New email address",
        required="Enter your new email address",
        description="We will send a link to this address. Your account keeps its current "
        "address until you open it.",
    )
    password = PasswordField(
        "Your password",
        description="To be sure it is you.",
        widget=GovPasswordInput(),
        validators=[InputRequired(message="Enter your password")],
    )
    submit = SubmitField("Send the link", widget=GovSubmitInput())


class SignInForm(FlaskForm):
    email = email_field()
    password = PasswordField(
        "Password",
        widget=GovPasswordInput(),
        validators=[InputRequired(message="Enter your password")],
    )
    submit = SubmitField("Sign in", widget=GovSubmitInput())


class EmailOnlyForm(FlaskForm):
    email = email_field()
    submit = SubmitField("Send the link", widget=GovSubmitInput())


class ResetPasswordForm(NewPasswordMixin, FlaskForm):
    password = PasswordField(
        "New password",
        description="Use at least 10 characters. Avoid common passwords.",
        widget=GovPasswordInput(),
        validators=[InputRequired(message="Enter a new password")],
    )
    submit = SubmitField("Save new password", widget=GovSubmitInput())


class ChangePasswordForm(NewPasswordMixin, FlaskForm):
    current_password = PasswordField(
        "Current password",
        widget=GovPasswordInput(),
        validators=[InputRequired(message="Enter your current password")],
    )
    password = PasswordField(
        "New password",
        description="Use at least 10 characters. Avoid common passwords.",
        widget=GovPasswordInput(),
        validators=[InputRequired(message="Enter a new password")],
    )
    submit = SubmitField("Change password", widget=GovSubmitInput())


class EraseAccountForm(FlaskForm):
    contributions = RadioField(
        "What should happen to your ideas, comments and votes?",
        choices=[
            (
                "keep",
                "Keep them, without my name: they stay in the conversation and the council's "
                "results, shown as from a “Former participant”",
            ),
            (
                "delete",
                "Delete them: my ideas, comments and votes are removed, and the counts change",
            ),
        ],
        widget=GovRadioInput(),
        validators=[InputRequired(message="Choose what should happen to your contributions")],
    )
    password = PasswordField(
        "Your password",
        description="To be sure it is you.",
        widget=GovPasswordInput(),
        validators=[InputRequired(message="Enter your password")],
    )
    submit = SubmitField("Delete my account", widget=GovSubmitInput())


class RoleForm(FlaskForm):
    role = SelectField(
        "Role",
        choices=[("resident", "Resident"), ("facilitator", "Facilitator"), ("admin", "Admin")],
        widget=GovSelect(),
    )
    submit = SubmitField("Change role", widget=GovSubmitInput())


class AssignFacilitatorForm(FlaskForm):
    """Choose a facilitator (or admin) to make responsible for a consultation."""

    user_id = SelectField(
        "Facilitator",
        coerce=optional_int,
        validate_choice=True,
        widget=GovSelect(),
        validators=[InputRequired(message="Choose a facilitator")],
    )
    submit = SubmitField("Assign", widget=GovSubmitInput())
