"""Idea forms: share an idea, vote, comment, and the list's sort, filter and page."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import (
    Form,
    HiddenField,
    IntegerField,
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
    GovSelect,
    GovSubmitInput,
    GovTextInput,
    NoControlCharacters,
    clean_text,
    optional_int,
)
from .models import VoteValue
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
    submit = SubmitField("Share your idea", widget=GovSubmitInput())

    def __init__(self, *args, neighbourhoods=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.neighbourhood_id.choices = [("", "The whole area")] + [
            (n.id, n.name) for n in neighbourhoods
        ]


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
    submit = SubmitField("Post comment", widget=GovSubmitInput())


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
