"""Forms of the analysis pages: themes, tagging, the summary, asking for updates."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from ..forms import (
    GovSelect,
    GovSubmitInput,
    GovTextInput,
    NoControlCharacters,
    clean_text,
    optional_int,
    text_area,
)
from .ranking import parse_idea_numbers

MAX_FINDINGS = 6


class IdeaNumbers:
    """Idea numbers such as '12, 15, 40-45'."""

    def __call__(self, form, field):
        try:
            field.parsed = parse_idea_numbers(field.data or "")
        except ValueError as exc:
            raise ValidationError(
                f"Enter idea numbers separated by commas, like 12, 15, 40-45 (not “{exc}”)"
            ) from exc


def _name_field(label: str = "Theme name") -> StringField:
    return StringField(
        label,
        widget=GovTextInput(),
        filters=[clean_text],
        validators=[
            DataRequired(message="Enter a name for the theme"),
            Length(max=120, message="The name must be 120 characters or fewer"),
            NoControlCharacters(),
        ],
    )


class ThemeForm(FlaskForm):
    """Make a theme of one's own, or rename one."""

    name = _name_field()
    add_theme = SubmitField("Add theme", widget=GovSubmitInput())


class RenameForm(FlaskForm):
    name = _name_field("New name")
    submit = SubmitField("Rename", widget=GovSubmitInput())


class ThemeActionForm(FlaskForm):
    """Accept, discard, or merge a theme into another (buttons post the action)."""

    target = SelectField("Merge into", coerce=int, choices=[], validate_choice=False)


class TagForm(FlaskForm):
    """Tag many ideas with a theme at once: ticked ideas and typed numbers."""

    theme = SelectField(
        "Theme",
        widget=GovSelect(),
        coerce=optional_int,
        validators=[DataRequired(message="Choose a theme")],
    )
    numbers = StringField(
        "Idea numbers",
        description="Separate them with commas; a range like 40-45 counts every idea in it",
        widget=GovTextInput(),
        filters=[clean_text],
        validators=[Optional(), IdeaNumbers()],
    )
    tag_ideas = SubmitField("Tag ideas", widget=GovSubmitInput())


def _markdown(label: str, hint: str, max_length: int = 20_000) -> TextAreaField:
    return text_area(label, noun=label, max_length=max_length, description=hint, counted=False)


class SummaryForm(FlaskForm):
    """A summary draft: Markdown sections and up to six findings, each citing ideas."""

    overview = _markdown("Overview", "What the consultation asked and who took part. Markdown.")
    themes = _markdown("Themes", "The main themes in what people said. Markdown.")
    decision = _markdown(
        "What the council decided",
        "Leave empty until the council has decided. Markdown.",
    )
    connection = _markdown(
        "How what people said shaped the decision",
        "Connect the findings to the decision. Markdown.",
    )
    submit = SubmitField("Save draft", widget=GovSubmitInput())

    def findings(self):
        """The (text field, ideas field) pairs, in order."""
        return [
            (self[f"finding_{n}_text"], self[f"finding_{n}_ideas"])
            for n in range(1, MAX_FINDINGS + 1)
        ]


for _n in range(1, MAX_FINDINGS + 1):
    setattr(
        SummaryForm,
        f"finding_{_n}_text",
        _markdown(f"Finding {_n}", "One key finding. Markdown.", max_length=4000),
    )
    setattr(
        SummaryForm,
        f"finding_{_n}_ideas",
        StringField(
            f"Ideas finding {_n} rests on",
            description="Idea numbers from the results, separated by commas, like 12, 15",
            widget=GovTextInput(),
            filters=[clean_text],
            validators=[Optional(), IdeaNumbers()],
        ),
    )


class ConfirmForm(FlaskForm):
    """A button that only needs CSRF protection (publish, recompute, suggest themes)."""


class UpdatesForm(FlaskForm):
    """Ask for, or stop, the email sent when the council publishes what it did."""

    submit = SubmitField("Email me when the council publishes what it did")
