"""Moderation forms: report, hide, bulk actions, reason templates, merge."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    IntegerField,
    RadioField,
    SelectField,
    SelectMultipleField,
    SubmitField,
)
from wtforms.validators import DataRequired, NumberRange, Optional, ValidationError

from ..forms import (
    GovRadioInput,
    GovSelect,
    GovSubmitInput,
    GovTextInput,
    text_area,
    text_input,
)
from ..urls import LARGEST_ID
from .models import ReportReason
from .queue import KINDS, TABS


class ReportForm(FlaskForm):
    reason = RadioField(
        "Why are you reporting this?",
        choices=[(r.value, r.label) for r in ReportReason],
        validators=[DataRequired(message="Choose why you are reporting this")],
        widget=GovRadioInput(),
    )
    note = text_area(
        "Tell us more (optional)",
        noun="Your note",
        max_length=1000,
        description="Moderators read this. Do not include anyone's personal details.",
        rows=3,
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
    note = text_area(
        "Note to the author (optional)",
        noun="The note",
        max_length=1000,
        description="Sent to the author by email with the reason. It is not shown publicly.",
        rows=3,
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
    page = IntegerField("Page", default=1, validators=[Optional(), NumberRange(min=1, max=100_000)])
    apply = SubmitField("Apply", widget=GovSubmitInput())


class BulkForm(FlaskForm):
    """An action on the items ticked in the queue. The ticks are the queue table's own
    checkboxes (``kind:id`` keys, rendered by the template, not by a widget); they, the action
    and the note are kept when the form is refused, so nothing has to be entered again."""

    items = SelectMultipleField("Items to act on", validate_choice=False)
    # "Select all N matching": the action applies to every item the queue's filters match
    # (read again from the page the form was sent from), not only the ticked ones.
    all_matching = BooleanField("Select all items that match, on every page")
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
        default="",  # "Choose an action" is the selected option until one is chosen
        widget=GovSelect(),
    )
    reason_id = SelectField(
        "Reason, when hiding",
        coerce=lambda v: int(v) if v else None,
        widget=GovSelect(),
    )
    note = text_input("Note (optional)", noun="The note", max_length=1000)
    submit = SubmitField("Apply to selected", widget=GovSubmitInput())

    def validate_items(self, field):
        if not field.data and not self.all_matching.data:
            raise ValidationError("Select at least one item")

    def validate_reason_id(self, field):
        if self.action.data == "hide" and not field.data:
            raise ValidationError("Choose a reason for hiding the selected items")


class HideReasonForm(FlaskForm):
    title = text_input("Title", noun="Title", max_length=80, required="Enter a title")
    public_text = text_area(
        "Reason shown to everyone",
        noun="Reason",
        max_length=300,
        required="Enter the reason shown to everyone",
        description="Appears as “Hidden by a moderator: …” where the item was.",
        rows=2,
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


class HouseRulesForm(FlaskForm):
    body = text_area(
        "House rules",
        noun="The house rules",
        max_length=20_000,
        required="Enter the house rules",
        description="In Markdown: ## for a heading, - for a list item. Everyone sees them on the "
        "house rules page, linked from the share, comment and report forms.",
        rows=25,
    )
    submit = SubmitField("Save house rules", widget=GovSubmitInput())
