"""Question forms: a facilitator builds a question; a person answers one (the answer form is
made for the question's pattern); a facilitator enters a paper form's answers."""

from __future__ import annotations

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovCheckboxesInput
from wtforms import (
    IntegerField,
    RadioField,
    SelectField,
    SelectMultipleField,
    SubmitField,
)
from wtforms.validators import InputRequired, NumberRange, Optional

from ..forms import (
    GovRadioInput,
    GovSelect,
    GovSubmitInput,
    GovTextInput,
    optional_int,
    text_area,
    text_input,
)
from .models import SCALES, Placement, Question, QuestionKind
from .services import MAX_NUMBER

SCALE_NAMES = {
    "agree": "Agreement (strongly agree to strongly disagree)",
    "well": "How well (very well to very badly)",
    "likely": "How likely (very likely to very unlikely)",
}


class QuestionForm(FlaskForm):
    """The shape of a question; the service checks its options."""

    text = text_input("Question", noun="Question", max_length=300, required="Enter the question")
    hint = text_input(
        "Hint (optional)",
        noun="Hint",
        max_length=500,
        description="Help that appears under the question, such as what to count.",
    )
    kind = RadioField(
        "Type of answer",
        choices=[(k.value, k.label) for k in QuestionKind],
        validators=[InputRequired(message="Select the type of answer")],
        widget=GovRadioInput(),
    )
    options = text_area(
        "Answers to choose from (radios and checkboxes only)",
        noun="Answers to choose from",
        max_length=2000,
        description="One on each line, 2 to 12 of them.",
        rows=5,
        counted=False,
    )
    scale = RadioField(
        "Scale (5-point scale only)",
        choices=[(key, SCALE_NAMES[key]) for key in SCALES],
        default="agree",
        widget=GovRadioInput(),
    )
    required = RadioField(
        "Must people answer it?",
        choices=[("no", "No, it is optional"), ("yes", "Yes, it must be answered")],
        default="no",
        widget=GovRadioInput(),
    )
    placement = RadioField(
        "When is it asked?",
        choices=[(p.value, p.label) for p in Placement],
        default=Placement.BEFORE.value,
        widget=GovRadioInput(),
    )
    submit = SubmitField("Save question", widget=GovSubmitInput())

    def values(self) -> dict:
        """The form's data as the service takes it."""
        return dict(
            hint=self.hint.data or "",
            options=(self.options.data or "").splitlines(),
            scale=self.scale.data,
            required=self.required.data == "yes",
            placement=Placement(self.placement.data),
        )

    def fill(self, question: Question) -> None:
        """Show a question's current shape (on GET)."""
        self.text.data, self.hint.data = question.text, question.hint
        self.kind.data = question.kind.value
        if question.kind is QuestionKind.SCALE:
            self.scale.data = next(
                (k for k, v in SCALES.items() if list(v) == question.options), "agree"
            )
        elif question.kind.has_options:
            self.options.data = "\n".join(question.options)
        self.required.data = "yes" if question.required else "no"
        self.placement.data = question.placement.value


class ConfirmForm(FlaskForm):
    """A button that only needs its CSRF token (remove, move)."""


def answer_field(question: Question, label: str | None = None):
    """The field one question is answered with, in its GOV.UK pattern. On a page of its own,
    the question is the page's heading (``label`` None); on a paper form it is a label."""
    text = label or question.text
    description = question.hint or None
    heading = {"text": text, "isPageHeading": True, "classes": "govuk-fieldset__legend--l"}
    legend = {} if label else {"fieldset": {"legend": heading}}
    if not description:
        legend = {**legend, "hint": None}  # no empty hint for aria-describedby to point at
    required = "Select an answer" if question.required else None
    choices = [(str(i), option) for i, option in enumerate(question.options)]
    if question.kind is QuestionKind.CHECKBOXES:
        return SelectMultipleField(
            text,
            choices=choices,
            description=description or "Select all that apply.",
            validators=[InputRequired(message="Select at least one answer")]
            if question.required
            else [Optional()],
            widget=GovCheckboxesInput(),
            render_kw={"params": legend} if legend else None,
        )
    if question.kind.has_options:
        if label:  # a paper form: a drop-down keeps a form of many questions short
            return SelectField(
                text,
                choices=[("", "Not answered"), *choices],
                coerce=optional_int,
                description=description,
                widget=GovSelect(),
                validators=[Optional()],
                render_kw=None if description else {"params": {"hint": None}},
            )
        return RadioField(
            text,
            choices=choices,
            description=description,
            validators=[InputRequired(message=required)] if required else [Optional()],
            widget=GovRadioInput(),
            render_kw={"params": legend},
        )
    if question.kind is QuestionKind.NUMBER:
        label_params = {} if label else {"label": {**heading, "classes": "govuk-label--l"}}
        return IntegerField(
            text,
            description=description or "Enter a whole number, such as 3.",
            validators=[
                (InputRequired(message="Enter a number") if question.required else Optional()),
                NumberRange(0, MAX_NUMBER, message="Enter a whole number, 0 or more"),
            ],
            widget=GovTextInput(),
            render_kw={
                "params": {
                    **label_params,
                    "classes": "govuk-input--width-10",
                    "inputmode": "numeric",
                    "spellcheck": False,
                }
            },
        )
    field = text_input(
        text,
        noun="Your answer",
        max_length=500,
        required="Enter your answer" if question.required else None,
        description=description,
        **({} if label else {"label": {**heading, "classes": "govuk-label--l"}}),
        **({} if description else {"hint": None}),
    )
    return field


def answer_form(question: Question, formdata=None, data=None):
    """A form holding one question's field (named ``answer``) and a Continue button."""

    class AnswerForm(FlaskForm):
        answer = answer_field(question)
        submit = SubmitField("Continue", widget=GovSubmitInput())

    return AnswerForm(formdata=formdata, data=data or {})


def answer_value(question: Question, field):
    """What a submitted field holds, as ``services.check_value`` takes it."""
    data = field.data
    if question.kind is QuestionKind.CHECKBOXES:
        return [int(v) for v in data or []]
    if question.kind.has_options:
        return None if data in (None, "", "None") else int(data)
    if question.kind is QuestionKind.NUMBER:
        return data
    return data or ""


def field_data(question: Question, value):
    """A stored answer as the field shows it."""
    if value is None:
        return None
    if question.kind is QuestionKind.CHECKBOXES:
        return [str(v) for v in value]
    if question.kind.has_options:
        return str(value)
    return value


def paper_form(questions: list[Question], formdata=None):
    """A facilitator's form for one workshop or paper form: every question on one page."""

    class PaperForm(FlaskForm):
        submit = SubmitField("Save this form's answers", widget=GovSubmitInput())

    for question in questions:
        setattr(PaperForm, f"q{question.id}", answer_field(question, label=question.text))
    return PaperForm(formdata=formdata)
