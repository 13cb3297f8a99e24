"""Idea forms: share an idea, vote, comment, and the list's sort, filter and page."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import (
    DateField,
    Form,
    HiddenField,
    IntegerField,
    RadioField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)

from ..forms import (
    GovCharacterCount,
    GovDateInput,
    GovRadioInput,
    GovSelect,
    GovSubmitInput,
    GovTextInput,
    NoControlCharacters,
    clean_text,
    optional_int,
)
from .models import Source, VoteValue
from .services import SORTS

TITLE_MAX = 120
BODY_MAX = 2000
COMMENT_MAX = 2000


class IdeaForm(FlaskForm):
    title = StringField(
        "Title of your idea",
        description="A short summary, like a headline.",
        widget=GovTextInput(),
        filters=[clean_text],
        validators=[
            DataRequired(message="Enter a title for your idea"),
            Length(max=TITLE_MAX, message=f"Title must be {TITLE_MAX} characters or fewer"),
            NoControlCharacters(),
        ],
    )
    body = TextAreaField(
        "Describe your idea",
        description="Say what should happen and why it would help. Do not include personal "
        "details about yourself or anyone else.",
        widget=GovCharacterCount(),
        filters=[clean_text],
        validators=[
            DataRequired(message="Describe your idea"),
            Length(max=BODY_MAX, message=f"Description must be {BODY_MAX:,} characters or fewer"),
            NoControlCharacters(),
        ],
        render_kw={"params": {"maxlength": BODY_MAX}},
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


class VoteForm(FlaskForm):
    value = HiddenField(validators=[InputRequired()])

    def validate_value(self, field):
        if field.data not in {v.value for v in VoteValue}:
            raise ValidationError("Choose agree, disagree or pass")


class CommentForm(FlaskForm):
    body = TextAreaField(
        "Add a comment",
        widget=GovCharacterCount(),
        filters=[clean_text],
        validators=[
            DataRequired(message="Enter your comment"),
            Length(max=COMMENT_MAX, message=f"Comment must be {COMMENT_MAX:,} characters or fewer"),
            NoControlCharacters(),
        ],
        render_kw={"params": {"maxlength": COMMENT_MAX, "rows": 4}},
    )
    parent_id = HiddenField(filters=[optional_int])
    speak_as = SelectField("Comment as", coerce=optional_int, widget=GovSelect())
    submit = SubmitField("Post comment", widget=GovSubmitInput())

    def __init__(self, *args, organisations=(), **kwargs):
        super().__init__(*args, **kwargs)
        set_speak_as_choices(self.speak_as, organisations)


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
    name = StringField(
        "Name",
        description="For example, Hastings library drop-in, or Paper forms from Rye market.",
        widget=GovTextInput(),
        filters=[clean_text],
        validators=[
            DataRequired(message="Enter a name"),
            Length(max=160, message="Name must be 160 characters or fewer"),
            NoControlCharacters(),
        ],
    )
    held_on = DateField(
        "Date",
        format="%d %m %Y",
        widget=GovDateInput(),
        validators=[DataRequired(message="Enter the date, like 14 3 2027")],
    )
    place = StringField(
        "Place (optional)",
        widget=GovTextInput(),
        filters=[clean_text],
        validators=[Length(max=160, message="Place must be 160 characters or fewer")],
    )
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
    """An idea given at an event, entered by a facilitator."""

    contributor_name = StringField(
        "Who gave this idea? (optional)",
        description="A first name or a description such as 'Parent at the drop-in'. "
        "Everyone will see it.",
        widget=GovTextInput(),
        filters=[clean_text],
        validators=[
            Length(max=80, message="Keep this to 80 characters or fewer"),
            NoControlCharacters(),
        ],
    )
    submit = SubmitField("Add idea", widget=GovSubmitInput())
