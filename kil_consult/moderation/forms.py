"""Moderation forms: report, hide, bulk actions, reason templates, merge."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    IntegerField,
    RadioField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from ..forms import (
    GovCharacterCount,
    GovRadioInput,
    GovSelect,
    GovSubmitInput,
    GovTextInput,
    NoControlCharacters,
    clean_text,
)
from ..urls import LARGEST_ID
from .models import ReportReason
from .services import KINDS, TABS


class ReportForm(FlaskForm):
    reason = RadioField(
        "Why are you reporting this?",
        choices=[(r.value, r.label) for r in ReportReason],
        validators=[DataRequired(message="Choose why you are reporting this")],
        widget=GovRadioInput(),
    )
    note = TextAreaField(
        "Tell us more (optional)",
        description="Moderators read this. Do not include anyone's personal details.",
        widget=GovCharacterCount(),
        filters=[clean_text],
        validators=[
            Length(max=1000, message="Keep it to 1,000 characters or fewer"),
            NoControlCharacters(),
        ],
        render_kw={"params": {"maxlength": 1000, "rows": 3}},
    )
    submit = SubmitField("Send report", widget=GovSubmitInput())


class HideForm(FlaskForm):
    """Hide one item: a reason template (its public text is shown) plus a private note."""

    reason_id = RadioField(
        "Reason shown to everyone",
        coerce=int,
        validators=[DataRequired(message="Choose a reason for hiding this")],
        widget=GovRadioInput(),
    )
    note = TextAreaField(
        "Note to the author (optional)",
        description="Sent to the author by email with the reason. It is not shown publicly.",
        widget=GovCharacterCount(),
        filters=[clean_text],
        validators=[
            Length(max=1000, message="Keep the note to 1,000 characters or fewer"),
            NoControlCharacters(),
        ],
        render_kw={"params": {"maxlength": 1000, "rows": 3}},
    )
    submit = SubmitField("Hide", widget=GovSubmitInput())


class QueueFilterForm(FlaskForm):
    """The queue's tab, filters and sort, read from the query string."""

    class Meta:
        csrf = False

    tab = SelectField("Show", choices=list(TABS.items()), default="reported", widget=GovSelect())
    kind = SelectField("Type", choices=list(KINDS.items()), default="", widget=GovSelect())
    reason = SelectField(
        "Report reason",
        choices=[("", "Any reason")] + [(r.value, r.label) for r in ReportReason],
        default="",
        widget=GovSelect(),
    )
    consultation = SelectField("Consultation", default="", widget=GovSelect())
    sort = SelectField(
        "Sort by",
        choices=[
            ("newest", "Newest first"),
            ("oldest", "Oldest first"),
            ("most_reported", "Most reported"),
        ],
        default="newest",
        widget=GovSelect(),
    )
    apply = SubmitField("Apply", widget=GovSubmitInput())


class BulkForm(FlaskForm):
    """An action on the items ticked in the queue (the ticks are read from the request)."""

    action = SelectField(
        "Action for the selected items",
        choices=[
            ("", "Choose an action"),
            ("publish", "Publish"),
            ("hide", "Hide"),
            ("restore", "Restore"),
            ("dismiss", "Mark reports as dealt with"),
        ],
        validators=[DataRequired(message="Choose an action")],
        widget=GovSelect(),
    )
    reason_id = SelectField(
        "Reason, when hiding",
        coerce=lambda v: int(v) if v else None,
        validators=[Optional()],
        widget=GovSelect(),
    )
    note = StringField(
        "Note (optional)",
        widget=GovTextInput(),
        filters=[clean_text],
        validators=[Length(max=1000, message="Keep the note to 1,000 characters or fewer")],
    )
    submit = SubmitField("Apply to selected", widget=GovSubmitInput())


class HideReasonForm(FlaskForm):
    title = StringField(
        "Title",
        widget=GovTextInput(),
        filters=[clean_text],
        validators=[
            DataRequired(message="Enter a title"),
            Length(max=80, message="Title must be 80 characters or fewer"),
            NoControlCharacters(),
        ],
    )
    public_text = TextAreaField(
        "Reason shown to everyone",
        description="Appears as “Hidden by a moderator: …” where the item was.",
        widget=GovCharacterCount(),
        filters=[clean_text],
        validators=[
            DataRequired(message="Enter the reason shown to everyone"),
            Length(max=300, message="Reason must be 300 characters or fewer"),
            NoControlCharacters(),
        ],
        render_kw={"params": {"maxlength": 300, "rows": 2}},
    )
    active = BooleanField("Offer this reason to moderators", default=True)
    submit = SubmitField("Save reason", widget=GovSubmitInput())


class MergeForm(FlaskForm):
    target_id = IntegerField(
        "Number of the idea to merge into",
        description="Each idea's number is at the end of its web address, for example 42.",
        widget=GovTextInput(),
        validators=[
            DataRequired(message="Enter the number of the idea to merge into"),
            NumberRange(min=1, max=LARGEST_ID, message="Enter the number of an idea"),
        ],
        render_kw={"params": {"classes": "govuk-input--width-5", "inputmode": "numeric"}},
    )
    submit = SubmitField("Merge ideas", widget=GovSubmitInput())
