"""Form pieces every area uses: GOV.UK widgets, trimmed text, optional choice coercion."""

from __future__ import annotations

import unicodedata

from govuk_frontend_wtf.wtforms_widgets import (
    GovCharacterCount,
    GovFileInput,
    GovPasswordInput,
    GovRadioInput,
    GovSelect,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from govuk_frontend_wtf.wtforms_widgets import (
    GovDateInput as _GovDateInput,
)
from wtforms import StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from .urls import LARGEST_ID

__all__ = [
    "CharacterCount",
    "GovEmailInput",
    "GovCharacterCount",
    "GovDateInput",
    "GovFileInput",
    "GovPasswordInput",
    "GovRadioInput",
    "GovSelect",
    "GovSubmitInput",
    "GovTextArea",
    "GovTextInput",
    "clean_text",
    "optional_int",
    "NoControlCharacters",
    "text_area",
    "text_input",
]


class GovEmailInput(GovTextInput):
    """An email address box: ``type=email`` (the email keyboard on phones), the browser may
    fill in the person's own address (``autocomplete=email``, unless the page says otherwise,
    as it does for someone else's address) and no spell checking."""

    input_type = "email"

    def __call__(self, field, **kwargs):
        params = dict(kwargs.pop("params", None) or {})
        params.setdefault("autocomplete", "email")
        params.setdefault("spellcheck", False)
        return super().__call__(field, params=params, **kwargs)


def clean_text(value):
    """Strip surrounding spaces and normalise line endings of what a person typed."""
    if isinstance(value, str):
        return value.replace("\r\n", "\n").replace("\r", "\n").strip()
    return value


def optional_int(value):
    """Coerce a select's value to an int, with '' (no choice) as None; a number larger than
    any database id is refused like any other bad choice (ValueError)."""
    if value in (None, "", "None"):
        return None
    number = int(value)
    if abs(number) > LARGEST_ID:
        raise ValueError("Not a valid choice.")
    return number


class GovDateInput(_GovDateInput):
    """GOV.UK's day, month and year boxes, safe with any number of values sent: a tampered or
    broken form may send one or five, and the library's widget expects exactly three."""

    def map_gov_params(self, field, **kwargs):
        if field.raw_data is not None and len(field.raw_data) != 3:
            field.raw_data = (list(field.raw_data) + ["", "", ""])[:3]
        return super().map_gov_params(field, **kwargs)


class NoControlCharacters:
    """Refuse invisible control characters (other than line breaks and tabs) in text."""

    def __init__(self, message: str | None = None):
        self.message = message

    def __call__(self, form, field):
        for char in field.data or "":
            if char in "\n\t":
                continue
            if unicodedata.category(char) in ("Cc", "Cs", "Co") or char in "\u202e\u202d":
                raise ValidationError(
                    self.message or f"{field.label.text} must not contain control characters"
                )


class CharacterCount(GovCharacterCount):
    """GOV.UK's character count that keeps the field's own ``maxlength`` and other params when
    a template adds more (WTForms would otherwise replace the field's params entirely)."""

    def __call__(self, field, **kwargs):
        own = (field.render_kw or {}).get("params", {})
        kwargs["params"] = {**own, **kwargs.get("params", {})}
        return super().__call__(field, **kwargs)


def _text_validators(noun: str, max_length: int, required: str | None) -> list:
    validators = [DataRequired(message=required)] if required else [Optional()]
    return validators + [
        Length(max=max_length, message=f"{noun} must be {max_length:,} characters or fewer"),
        NoControlCharacters(),
    ]


def text_input(
    label: str,
    *,
    noun: str,
    max_length: int,
    required: str | None = None,
    description: str | None = None,
    **render,
) -> StringField:
    """A one-line text field: trimmed, required with ``required`` as its message (or
    optional), at most ``max_length`` characters, no control characters."""
    return StringField(
        label,
        description=description,
        widget=GovTextInput(),
        filters=[clean_text],
        validators=_text_validators(noun, max_length, required),
        render_kw={"params": render} if render else None,
    )


def text_area(
    label: str,
    *,
    noun: str,
    max_length: int,
    required: str | None = None,
    description: str | None = None,
    rows: int | None = None,
    counted: bool = True,
) -> TextAreaField:
    """A text box checked like ``text_input``: with a GOV.UK character count, or a plain box
    (``counted=False``) for long Markdown where a running count would only distract."""
    if not counted:
        return TextAreaField(
            label,
            description=description,
            widget=GovTextArea(),
            filters=[clean_text],
            validators=_text_validators(noun, max_length, required),
        )
    params = {"maxlength": max_length, **({"rows": rows} if rows else {})}
    return TextAreaField(
        label,
        description=description,
        widget=CharacterCount(),
        filters=[clean_text],
        validators=_text_validators(noun, max_length, required),
        render_kw={"params": params},
    )
