"""The search page's form and what it asks the search for: words, and filters by
consultation, neighbourhood, theme, organisation, source and "not voted on yet".

Themes belong to the analysis area, so the theme filter is made here, above it, and passed to
the ideas area's search as one more condition.
"""

from __future__ import annotations

from sqlalchemy import select
from wtforms import BooleanField, Form, SelectField, SubmitField
from wtforms.validators import ValidationError

from ..analysis.models import Theme, ThemeIdea, ThemeStatus
from ..consultations.models import Consultation
from ..extensions import db
from ..forms import GovSelect, GovSubmitInput, optional_int, text_input
from ..ideas.models import Idea, Source
from ..ideas.search import MAX_QUERY_CHARACTERS, IdeaSearch
from ..organisations.models import Organisation, OrganisationStatus

SOURCE_CHOICES = [("", "Any source")] + [(s.value, s.label) for s in Source]


def _select(label: str, **kwargs) -> SelectField:
    """A filter list; a value not in it gets a message of its own (see ``_check_choice``)."""
    return SelectField(label, widget=GovSelect(), validate_choice=False, **kwargs)


class SearchForm(Form):
    """The search, read from the query string (a search is a link anyone can share)."""

    q = text_input(
        "Search ideas and comments",
        noun="Search",
        max_length=MAX_QUERY_CHARACTERS,
        description="Words that must all appear, such as library sunday.",
    )
    consultation = _select("Principle", default="")
    neighbourhood = _select("Area", coerce=optional_int)
    theme = _select("Theme", coerce=optional_int)
    organisation = _select("Organisation", coerce=optional_int)
    source = _select("Source", choices=SOURCE_CHOICES, default="")
    not_voted = BooleanField("Only ideas I have not voted on yet")
    search = SubmitField("Search", widget=GovSubmitInput())

    def __init__(self, formdata, *, consultations, neighbourhoods, **kwargs):
        super().__init__(formdata, **kwargs)
        self.consultation.choices = [("", "All principles")] + [
            (c.slug, f"{c.principle_number}. {c.title}") for c in consultations
        ]
        self.neighbourhood.choices = [("", "All areas")] + [(n.id, n.name) for n in neighbourhoods]
        self.theme.choices = [("", "Any theme")] + [
            (theme.id, f"{theme.name} (principle {number})")
            for theme, number in accepted_themes(consultations)
        ]
        self.organisation.choices = [("", "Anyone")] + [
            (o.id, o.name) for o in verified_organisations()
        ]

    def _check_choice(self, field, message):
        raw = field.raw_data[0] if field.raw_data else ""
        if raw not in ("", None) and raw not in {str(value) for value, _ in field.choices}:
            raise ValidationError(message)

    def validate_consultation(self, field):
        self._check_choice(field, "Choose a principle from the list")

    def validate_neighbourhood(self, field):
        self._check_choice(field, "Choose an area from the list")

    def validate_theme(self, field):
        self._check_choice(field, "Choose a theme from the list")

    def validate_organisation(self, field):
        self._check_choice(field, "Choose an organisation from the list")

    def validate_source(self, field):
        self._check_choice(field, "Choose a source from the list")

    def filters_used(self) -> bool:
        return any(
            (
                self.consultation.data,
                self.neighbourhood.data,
                self.theme.data,
                self.organisation.data,
                self.source.data,
                self.not_voted.data,
            )
        )


def accepted_themes(consultations: list[Consultation]) -> list[tuple[Theme, int]]:
    """The accepted themes of these consultations, with each one's principle number."""
    numbers = {c.id: c.principle_number for c in consultations}
    if not numbers:
        return []
    themes = db.session.scalars(
        select(Theme)
        .where(Theme.consultation_id.in_(numbers), Theme.status == ThemeStatus.ACCEPTED)
        .order_by(Theme.name, Theme.id)
    )
    return [(theme, numbers[theme.consultation_id]) for theme in themes]


def verified_organisations() -> list[Organisation]:
    return list(
        db.session.scalars(
            select(Organisation)
            .where(Organisation.status == OrganisationStatus.VERIFIED)
            .order_by(Organisation.name)
        )
    )


def wanted(form: SearchForm, consultations: list[Consultation], user) -> IdeaSearch:
    """What the form asks for, as the ideas area's search (only public consultations)."""
    by_slug = {c.slug: c for c in consultations}
    chosen = by_slug.get(form.consultation.data or "")
    extra = []
    if form.theme.data:
        extra.append(
            Idea.id.in_(select(ThemeIdea.idea_id).where(ThemeIdea.theme_id == form.theme.data))
        )
    signed_in = getattr(user, "is_authenticated", False)
    return IdeaSearch(
        text=form.q.data or "",
        consultation_ids=[chosen.id] if chosen else [c.id for c in consultations],
        neighbourhood_id=form.neighbourhood.data,
        organisation_id=form.organisation.data,
        source=Source(form.source.data) if form.source.data else None,
        not_voted_by=user if form.not_voted.data and signed_in else None,
        extra=extra,
    )
