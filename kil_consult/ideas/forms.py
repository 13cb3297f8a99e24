"""Idea forms: share an idea, vote, comment, and the list's sort, filter and page."""

from __future__ import annotations

from collections.abc import Mapping

from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    DateField,
    Form,
    HiddenField,
    IntegerField,
    RadioField,
    SelectField,
    SubmitField,
)
from wtforms.validators import (
    DataRequired,
    InputRequired,
    NumberRange,
    Optional,
    ValidationError,
)
from wtforms.widgets import HiddenInput

from ..forms import (
    GovDateInput,
    GovFileInput,
    GovRadioInput,
    GovSelect,
    GovSubmitInput,
    GovTextInput,
    optional_int,
    text_area,
    text_input,
)
from .models import ResponseStatus, Source, VoteValue
from .services import SORTS

TITLE_MAX = 120
BODY_MAX = 2000
COMMENT_MAX = 2000


class IdeaForm(FlaskForm):
    title = text_input(
        "Title of your idea",
        noun="Title",
        max_length=TITLE_MAX,
        required="Enter a title for your idea",
        description="A short summary, like a headline.",
    )
    body = text_area(
        "Describe your idea",
        noun="Description",
        max_length=BODY_MAX,
        required="Describe your idea",
        description="Say what should happen and why it would help. Do not include personal "
        "details about yourself or anyone else.",
    )
    neighbourhood_id = SelectField(
        "Is your idea about a particular area? (optional)",
        coerce=optional_int,
        widget=GovSelect(),
    )
    speak_as = SelectField(
        "Share as",
        description="Members of a verified community organisation can share on its behalf.",
        coerce=optional_int,
        widget=GovSelect(),
    )
    confirm_new = HiddenField()
    submit = SubmitField("Share your idea", widget=GovSubmitInput())

    def __init__(self, *args, neighbourhoods=(), organisations=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.neighbourhood_id.choices = [("", "The whole area")] + [
            (n.id, n.name) for n in neighbourhoods
        ]
        set_speak_as_choices(self.speak_as, organisations)


def set_speak_as_choices(field, organisations) -> None:
    """'Yourself' plus each organisation the person may speak for."""
    field.choices = [("", "Yourself")] + [(o.id, o.name) for o in organisations]


def chosen_vote(form: Mapping[str, str]) -> VoteValue | None:
    """The vote a vote form sent (its ``value`` button), or None when it is not one of agree,
    disagree or pass. A function, not a form class: a vote is the busiest request there is,
    and a FlaskForm made a second CSRF check and token for it (``CSRFProtect`` already checks
    every POST's token)."""
    try:
        return VoteValue(form.get("value", ""))
    except ValueError:
        return None


class VoteThroughForm(FlaskForm):
    """One answer on the vote-through page: agree, disagree, pass, or skip for now."""

    idea_id = IntegerField(widget=HiddenInput(), validators=[InputRequired()])
    value = HiddenField(validators=[InputRequired(message="Choose agree, disagree, pass or skip")])
    skipped = HiddenField()

    def validate_value(self, field):
        if field.data not in {v.value for v in VoteValue} | {"skip"}:
            raise ValidationError("Choose agree, disagree, pass or skip")


class CommentForm(FlaskForm):
    body = text_area(
        "Add a comment",
        noun="Comment",
        max_length=COMMENT_MAX,
        required="Enter your comment",
        rows=4,
    )
    parent_id = HiddenField(filters=[optional_int])
    speak_as = SelectField("Comment as", coerce=optional_int, widget=GovSelect())
    submit = SubmitField("Post comment", widget=GovSubmitInput())

    def __init__(self, *args, organisations=(), **kwargs):
        super().__init__(*args, **kwargs)
        set_speak_as_choices(self.speak_as, organisations)


class EditIdeaForm(FlaskForm):
    """Change the words of one's own idea."""

    title = IdeaForm.title
    body = IdeaForm.body
    submit = SubmitField("Save your changes", widget=GovSubmitInput())


class EditCommentForm(FlaskForm):
    """Change the words of one's own comment."""

    body = text_area(
        "Your comment",
        noun="Comment",
        max_length=COMMENT_MAX,
        required="Enter your comment",
        rows=4,
    )
    submit = SubmitField("Save your changes", widget=GovSubmitInput())


class WithdrawForm(FlaskForm):
    """Confirm withdrawing one's own idea or comment."""

    submit = SubmitField("Withdraw it", widget=GovSubmitInput())


class IdeaListForm(Form):
    """The list's sort, neighbourhood filter and page, read from the query string."""

    sort = SelectField("Sort by", choices=list(SORTS.items()), default="newest", widget=GovSelect())
    neighbourhood = SelectField("Area", coerce=optional_int, widget=GovSelect())
    page = IntegerField(
        "Page",
        default=1,
        validators=[Optional(), NumberRange(min=1, max=1_000_000, message="Page not found")],
    )
    apply = SubmitField("Apply", widget=GovSubmitInput())

    def __init__(self, formdata=None, *, neighbourhoods=(), **kwargs):
        super().__init__(formdata, **kwargs)
        self.neighbourhood.choices = [("", "All areas")] + [(n.id, n.name) for n in neighbourhoods]

    def validate_neighbourhood(self, field):
        if field.raw_data and field.raw_data[0] not in ("", None) and field.data is None:
            raise ValidationError("Choose an area from the list")


class EventForm(FlaskForm):
    """Record a community event, or a batch of paper or phone responses."""

    kind = RadioField(
        "Where did these ideas come from?",
        choices=[
            (Source.EVENT.value, "A workshop or community event"),
            (Source.PAPER.value, "Paper responses"),
            (Source.PHONE.value, "Phone responses"),
        ],
        validators=[DataRequired(message="Choose where these ideas came from")],
        widget=GovRadioInput(),
    )
    name = text_input(
        "Name",
        noun="Name",
        max_length=160,
        required="Enter a name",
        description="For example, Hastings library drop-in, or Paper forms from Rye market.",
    )
    held_on = DateField(
        "Date",
        format="%d %m %Y",
        widget=GovDateInput(),
        validators=[DataRequired(message="Enter the date, like 14 3 2027")],
    )
    place = text_input("Place (optional)", noun="Place", max_length=160)
    neighbourhood_id = SelectField("Area (optional)", coerce=optional_int, widget=GovSelect())
    attendees = IntegerField(
        "Number of people (optional)",
        widget=GovTextInput(),
        validators=[
            Optional(),
            NumberRange(min=0, max=1_000_000, message="Enter a number of people, like 25"),
        ],
        render_kw={"params": {"classes": "govuk-input--width-5", "inputmode": "numeric"}},
    )
    submit = SubmitField("Save", widget=GovSubmitInput())

    def __init__(self, *args, neighbourhoods=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.neighbourhood_id.choices = [("", "Not one area")] + [
            (n.id, n.name) for n in neighbourhoods
        ]

    def validate_held_on(self, field):
        from ..timeutil import to_local, utcnow

        if field.data and field.data > to_local(utcnow()).date():
            raise ValidationError("The date must be today or in the past")


class OfflineIdeaForm(IdeaForm):
    """An idea given at an event, entered by a facilitator (in the facilitator's words, not
    the resident's: "the idea", not "your idea")."""

    title = text_input(
        "Title of the idea",
        noun="Title",
        max_length=TITLE_MAX,
        required="Enter a title for the idea",
        description="A short summary, like a headline, in the person's own words if you can.",
    )
    body = text_area(
        "What the person said",
        noun="Description",
        max_length=BODY_MAX,
        required="Enter what the person said",
        description="What should happen and why it would help, as they put it. Leave out "
        "personal details about them or anyone else.",
    )
    neighbourhood_id = SelectField(
        "Is the idea about a particular area? (optional)",
        coerce=optional_int,
        widget=GovSelect(),
    )
    contributor_name = text_input(
        "Who gave this idea? (optional)",
        noun="Who gave it",
        max_length=80,
        description="A first name or a description such as 'Parent at the drop-in'. "
        "Everyone will see it.",
    )
    submit = SubmitField("Add idea", widget=GovSubmitInput())


class ResponseForm(FlaskForm):
    """The council's official response to an idea: a status and the reason, in plain words."""

    status = RadioField(
        "What is the council's response?",
        choices=[(s.value, s.label) for s in ResponseStatus],
        validators=[DataRequired(message="Choose the council's response")],
        widget=GovRadioInput(),
    )
    reason = text_area(
        "Why, and what happens next",
        noun="The reason",
        max_length=2000,
        required="Enter the reason for the response",
        description="Everyone can read this on the idea's page. Its author and everyone who "
        "agreed with it are emailed.",
    )
    submit = SubmitField("Publish the response", widget=GovSubmitInput())


class StaffNoteForm(FlaskForm):
    """An internal note on an idea, for staff only."""

    body = text_area(
        "Add a note",
        noun="The note",
        max_length=2000,
        required="Enter the note",
        description="Only facilitators and admins can see staff notes.",
    )
    submit = SubmitField("Add note", widget=GovSubmitInput())


class SpreadsheetForm(FlaskForm):
    """A spreadsheet of paper responses to check before importing."""

    spreadsheet = FileField(
        "Upload a spreadsheet",
        description="A CSV file or an Excel workbook (.xlsx). The first row names the columns: "
        "Title and Idea are needed; Name (who gave it) and Area may be added.",
        validators=[FileRequired(message="Choose a CSV or Excel file")],
        widget=GovFileInput(),
        render_kw={"accept": ".csv,.xlsx"},
    )
    submit = SubmitField("Check the file", widget=GovSubmitInput())


class ConfirmForm(FlaskForm):
    """A button that only needs its CSRF token (import the checked rows)."""


def _tally(label: str) -> IntegerField:
    return IntegerField(
        label,
        default=0,
        widget=GovTextInput(),
        validators=[
            InputRequired(message=f"Enter how many people voted {label.lower()}, or 0"),
            NumberRange(min=0, max=100_000, message=f"{label} must be a number from 0"),
        ],
        render_kw={"params": {"classes": "govuk-input--width-5", "inputmode": "numeric"}},
    )


class WorkshopVotesForm(FlaskForm):
    """The tallies a workshop took on one idea."""

    idea_id = SelectField("Idea", coerce=optional_int, validate_choice=True, widget=GovSelect())
    agree = _tally("Agree")
    disagree = _tally("Disagree")
    passed = _tally("Pass")
    submit = SubmitField("Save the votes", widget=GovSubmitInput())

    def validate_idea_id(self, field):
        if field.data is None:
            raise ValidationError("Choose the idea the workshop voted on")
