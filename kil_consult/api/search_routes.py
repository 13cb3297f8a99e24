"""Search in the open data: published ideas and comments by their words, best match first,
with the search page's filters (bar "not voted on yet", which needs an account)."""

from __future__ import annotations

from datetime import datetime

from pydantic import Field
from sqlalchemy import select

from ..accounts.pseudonyms import pseudonym_of_author
from ..analysis.models import Theme, ThemeIdea, ThemeStatus
from ..extensions import db
from ..ideas.models import Comment, Idea, Source
from ..ideas.search import MAX_QUERY_CHARACTERS, IdeaSearch, search
from ..organisations.models import Organisation, OrganisationStatus
from . import schemas, services
from .routes import operation
from .services import ApiError

MAX_PAGE = 10_000


class SearchQuery(schemas.Query):
    """What to search for, and where."""

    q: str = Field(
        min_length=1,
        max_length=MAX_QUERY_CHARACTERS,
        description="The words to look for: each must appear (or a word with the same stem: "
        "'library' finds 'libraries'); common words such as 'the' are left out.",
    )
    consultation: schemas.Slug | None = Field(None, description="Only this consultation's.")
    neighbourhood: schemas.Slug | None = Field(
        None, description="Only ideas about this neighbourhood (its slug)."
    )
    theme: int | None = Field(
        None, ge=1, le=2_147_483_647, description="Only ideas tagged with this accepted theme."
    )
    organisation: schemas.Slug | None = Field(
        None, description="Only ideas and comments shared on behalf of this organisation."
    )
    source: schemas.SourceName | None = Field(
        None, description="Only ideas from this source: online, event, paper or phone."
    )
    limit: int = Field(
        schemas.DEFAULT_LIMIT, ge=1, le=schemas.MAX_LIMIT, description="Ideas per page."
    )
    page: int = Field(1, ge=1, le=MAX_PAGE, description="Which page of ideas, from 1.")

    messages = {
        "q": f"q must be 1 to {MAX_QUERY_CHARACTERS} characters: the words to look for.",
        "source": "source must be online, event, paper or phone.",
        "limit": f"limit must be a whole number from 1 to {schemas.MAX_LIMIT}.",
        "page": f"page must be a whole number from 1 to {MAX_PAGE:,}.",
    }


class FoundComment(schemas.ResponseModel):
    """A published comment whose words match, with the idea it is on."""

    id: int
    idea: int = Field(description="The id of the idea it comments on.")
    author: schemas.Pseudonym
    organisation: schemas.OrganisationRef | None
    body: str
    created_at: datetime
    html: str = Field(description="Where it is on the website.")


class SearchResults(schemas.ResponseModel):
    """One page of the ideas that match, best first, and the best matching comments."""

    q: str
    items: list[schemas.Idea]
    total: schemas.Count = Field(description="How many published ideas match, on every page.")
    page: int = Field(ge=1)
    limit: int = Field(ge=1, le=schemas.MAX_LIMIT)
    comments: list[FoundComment] = Field(description="Up to ten matching comments, best first.")
    comments_total: schemas.Count
    links: schemas.IdeaListLinks


def _organisation(slug: str) -> Organisation:
    found = db.session.scalar(
        select(Organisation).where(
            Organisation.slug == slug, Organisation.status == OrganisationStatus.VERIFIED
        )
    )
    if found is None:
        raise ApiError(404, f"There is no verified organisation '{slug}'.")
    return found


def _theme(theme_id: int, consultation_ids: list[int]) -> Theme:
    theme = db.session.scalar(select(Theme).where(Theme.id == theme_id))
    if (
        theme is None
        or theme.status is not ThemeStatus.ACCEPTED
        or theme.consultation_id not in consultation_ids
    ):
        raise ApiError(404, f"There is no theme {theme_id}. See .../themes for the theme ids.")
    return theme


def _comment_out(comment: Comment) -> FoundComment:
    organisation = comment.organisation
    return FoundComment(
        id=comment.id,
        idea=comment.idea_id,
        author=pseudonym_of_author(comment),
        organisation=schemas.OrganisationRef(
            slug=organisation.slug,
            name=organisation.name,
            html=services.site_url("pages.organisation", slug=organisation.slug),
        )
        if organisation
        else None,
        body=comment.body,
        created_at=services.utc(comment.created_at),
        html=services.site_url("ideas.show", idea_id=comment.idea_id) + f"#comment-{comment.id}",
    )


@operation(
    "/search",
    response=SearchResults,
    tag="Ideas",
    summary="Search ideas and comments",
    query=SearchQuery,
    errors=(400, 404),
)
def search_ideas(query: SearchQuery):
    """Published ideas and comments of the published consultations whose words match ``q``,
    best match first (a word in an idea's title counts more than one in its description),
    newest first among equals. Filter by consultation, neighbourhood, theme, organisation or
    source; an unknown one answers 404. Page through the ideas with ``page``."""
    process = services.public_process()
    consultations = services.public_consultations(process)
    ids = [c.id for c in consultations]
    if query.consultation is not None:
        ids = [services.public_consultation(query.consultation).id]
    place = services.neighbourhood_by_slug(query.neighbourhood) if query.neighbourhood else None
    extra = []
    if query.theme is not None:
        theme = _theme(query.theme, ids)
        extra.append(Idea.id.in_(select(ThemeIdea.idea_id).where(ThemeIdea.theme_id == theme.id)))
    organisation = _organisation(query.organisation) if query.organisation else None
    found = search(
        IdeaSearch(
            text=query.q,
            consultation_ids=ids,
            neighbourhood_id=place.id if place else None,
            organisation_id=organisation.id if organisation else None,
            source=Source(query.source) if query.source else None,
            extra=extra,
        ),
        page=query.page,
        per_page=query.limit,
    )
    params = query.model_dump(exclude_defaults=True, exclude={"page"})
    params["q"] = query.q
    following = (
        services.site_url("api.search_ideas", page=found.page + 1, **params)
        if found.page * query.limit < found.total and query.page < MAX_PAGE
        else None
    )
    model = SearchResults(
        q=query.q,
        items=[schemas.Idea(**services.idea_fields(idea)) for idea in found.ideas],
        total=found.total,
        page=found.page,
        limit=query.limit,
        comments=[_comment_out(comment) for comment in found.comments],
        comments_total=found.comment_total,
        links=schemas.IdeaListLinks(
            self=services.site_url("api.search_ideas", page=query.page, **params),
            next=following,
        ),
    )
    links = {"next": following} if following else None
    return model, services.consultations_changed_at(consultations), links
