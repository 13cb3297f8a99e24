"""The open-data API: read-only JSON under ``/api/v1/``, its OpenAPI document and its page.

Every operation is declared with ``@operation``: the decorator registers the route, refuses bad
query strings with a 400 that says what is wrong, serialises the answer through its pydantic
model, adds caching headers (ETag, Last-Modified, Cache-Control) and answers 304 when nothing
changed; and it records the operation, so that ``openapi.json`` and the API page describe
exactly what runs.
"""

from __future__ import annotations

import hashlib
import inspect
import json
from collections.abc import Callable
from datetime import UTC, datetime
from functools import wraps

from flask import Blueprint, current_app, redirect, render_template, request, url_for
from pydantic import BaseModel, ValidationError

from ..consultations.services import current_council, current_process
from ..errors import render_error
from ..extensions import csrf, limiter
from . import schemas, services
from .openapi import MAX_ID, Endpoint, openapi_document, query_parameters
from .services import ApiError

PREFIX = "/api/v1"
MAX_AGE = 60  # seconds a cache may keep an answer: live figures, a minute old at worst
DEFAULT_RATE_LIMIT = "120 per minute"
EXPOSED_HEADERS = (
    "ETag, Last-Modified, Link, Retry-After, "
    "X-RateLimit-Limit, X-RateLimit-Remaining, X-RateLimit-Reset"
)

bp = Blueprint("api", __name__)
csrf.exempt(bp)  # read-only: it takes no form and changes nothing
limiter.limit(lambda: current_app.config.get("KIL_API_RATE_LIMIT") or DEFAULT_RATE_LIMIT)(bp)

ENDPOINTS: list[Endpoint] = []


# --- HTTP --------------------------------------------------------------------------------


def parse_query(model: type[schemas.Query]) -> schemas.Query:
    """The request's query string as ``model``; a 400 saying what is wrong if it does not fit."""
    raw = request.args.to_dict(flat=False)
    for name, values in raw.items():
        if len(values) > 1:
            raise ApiError(400, f"Give the parameter '{name[:40]}' only once.")
    try:
        return model.model_validate({name: values[0] for name, values in raw.items()})
    except ValidationError as exc:
        raise ApiError(400, _explain(model, exc)) from None


def _explain(model: type[schemas.Query], exc: ValidationError) -> str:
    accepted = ", ".join(model.model_fields)
    takes = f"This address takes: {accepted}." if accepted else "This address takes none."
    messages = []
    for error in exc.errors():
        name = str(error["loc"][0])[:40] if error["loc"] else ""
        if error["type"] == "extra_forbidden":
            messages.append(f"Unknown parameter '{name}'. {takes}")
        else:
            messages.append(model.messages.get(name, f"{name}: {error['msg']}."))
    return " ".join(dict.fromkeys(messages))


def json_answer(body: str, last_modified: datetime | None = None, links: dict | None = None):
    """A cacheable JSON answer: strong ETag of its exact body, Last-Modified when known, and
    304 Not Modified when the client's If-None-Match or If-Modified-Since still holds."""
    response = current_app.response_class(body, mimetype="application/json")
    response.set_etag(hashlib.sha256(body.encode()).hexdigest()[:32])
    if last_modified is not None:
        response.last_modified = last_modified.replace(tzinfo=UTC, microsecond=0)
    response.cache_control.public = True
    response.cache_control.max_age = MAX_AGE
    if links:
        response.headers["Link"] = ", ".join(f'<{url}>; rel="{rel}"' for rel, url in links.items())
    return response.make_conditional(request)


def operation(
    rule: str,
    *,
    response: type[BaseModel],
    tag: str,
    summary: str,
    query: type[schemas.Query] = schemas.NoQuery,
    errors: tuple[int, ...] = (404,),
) -> Callable:
    """Declare a GET operation at ``PREFIX + rule``; the view's docstring describes it.

    The view takes the parsed query and the URL's values and returns ``(model,
    last_modified)`` or ``(model, last_modified, links)`` (links become a ``Link`` header).
    """

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(**values):
            answer = view(parse_query(query), **values)
            model, last_modified, *links = answer
            body = model.model_dump_json(by_alias=True)
            return json_answer(body, last_modified, links[0] if links else None)

        bp.add_url_rule(PREFIX + rule, view.__name__, wrapped, methods=["GET"])
        ENDPOINTS.append(
            Endpoint(
                rule=PREFIX + rule,
                operation_id=view.__name__,
                tag=tag,
                summary=summary,
                description=inspect.getdoc(view) or "",
                response=response,
                query=query,
                errors=errors,
            )
        )
        return wrapped

    return decorator


@bp.errorhandler(ApiError)
def api_error(exc: ApiError):
    return render_error(exc.status, exc.message)


@bp.errorhandler(429)
def too_many_requests(exc):
    return render_error(
        429,
        "Too many requests from your address. Wait for the number of seconds in the "
        "Retry-After header, then try again.",
    )


@bp.after_app_request
def allow_cross_origin(response):
    """Any website may read the open data from a browser (no cookies are involved)."""
    if request.path == "/api" or request.path.startswith("/api/"):
        headers = response.headers
        headers["Access-Control-Allow-Origin"] = "*"
        headers["Access-Control-Expose-Headers"] = EXPOSED_HEADERS
        if request.method == "OPTIONS":
            headers["Access-Control-Allow-Methods"] = "GET, HEAD, OPTIONS"
            headers["Access-Control-Allow-Headers"] = "If-None-Match, If-Modified-Since"
            headers["Access-Control-Max-Age"] = "86400"
    return response


# --- operations --------------------------------------------------------------------------


@operation(
    "/process",
    response=schemas.Process,
    tag="Process",
    summary="The co-design process and its consultations",
)
def process(query):
    """The council's current Keep it Local co-design process, with each published consultation
    (stage, dates and counts). Consultations that are not yet published are left out."""
    found = services.public_process()
    consultations = services.public_consultations(found)
    model = schemas.Process(
        id=found.id,
        slug=found.slug,
        title=found.title,
        summary=found.summary,
        created_at=services.utc(found.created_at),
        consultations=services.consultations_out(consultations),
    )
    return model, services.consultations_changed_at(consultations) or found.created_at


@operation(
    "/consultations",
    response=schemas.ConsultationList,
    tag="Consultations",
    summary="The published consultations",
)
def consultations(query):
    """Every published consultation of the current process, principle by principle, with its
    stage, dates and the counts the site shows. An empty list before the process exists."""
    process = current_process()
    found = services.public_consultations(process) if process else []
    model = schemas.ConsultationList(items=services.consultations_out(found))
    return model, services.consultations_changed_at(found)


@operation(
    "/consultations/<slug>",
    response=schemas.Consultation,
    tag="Consultations",
    summary="One consultation",
)
def consultation(query, slug: str):
    """One published consultation by its slug, with its stage, dates and counts."""
    found = services.public_consultation(slug)
    (model,) = services.consultations_out([found])
    return model, services.consultations_changed_at([found])


@operation(
    "/consultations/<slug>/ideas",
    response=schemas.IdeaList,
    tag="Ideas",
    summary="A consultation's ideas, page by page",
    query=schemas.IdeaListQuery,
    errors=(400, 404),
)
def consultation_ideas(query: schemas.IdeaListQuery, slug: str):
    """The published ideas of a consultation, in the same orders as its page, optionally about
    one neighbourhood. Pages are linked by an opaque cursor: pass the page's ``next_cursor``
    as ``cursor`` (or follow ``links.next``) until it is null. Walking every page gives each
    idea once, even while new ideas arrive."""
    found = services.public_consultation(slug)
    place = services.neighbourhood_by_slug(query.neighbourhood) if query.neighbourhood else None
    if query.theme is not None:
        services.accepted_theme(found, query.theme)
    filters = services.IdeaFilters(
        neighbourhood=place,
        source=query.source,
        author_type=query.author_type,
        theme_id=query.theme,
    )
    page = services.idea_page(found, query.sort, filters, query.limit, query.cursor)
    params = {
        "sort": query.sort,
        "neighbourhood": query.neighbourhood,
        "source": query.source,
        "author_type": query.author_type,
        "theme": query.theme,
        "limit": query.limit,
    }
    this = services.site_url("api.consultation_ideas", slug=slug, cursor=query.cursor, **params)
    following = (
        services.site_url("api.consultation_ideas", slug=slug, cursor=page.next_cursor, **params)
        if page.next_cursor
        else None
    )
    model = schemas.IdeaList(
        items=[schemas.Idea(**services.idea_fields(idea)) for idea in page.items],
        total=page.total,
        sort=query.sort,
        neighbourhood=query.neighbourhood,
        source=query.source,
        author_type=query.author_type,
        theme=query.theme,
        limit=query.limit,
        next_cursor=page.next_cursor,
        links=schemas.IdeaListLinks(self=this, next=following),
    )
    links = {"next": following} if following else None
    return model, services.consultations_changed_at([found]), links


@operation(
    "/consultations/<slug>/themes",
    response=schemas.ThemeList,
    tag="Results",
    summary="A consultation's themes",
)
def consultation_themes(query, slug: str):
    """The themes facilitators accepted for a consultation, each with how many published
    ideas carry it; pass a theme's id as ``theme`` to list its ideas."""
    found = services.public_consultation(slug)
    themes = services.accepted_themes(found)
    items = [
        schemas.Theme(
            id=theme.id,
            name=theme.name,
            ideas=count,
            links=schemas.IdeaListLinks(
                self=services.site_url("api.consultation_themes", slug=slug),
                next=services.site_url("api.consultation_ideas", slug=slug, theme=theme.id),
            ),
        )
        for theme, count in themes
    ]
    changed = max((theme.updated_at for theme, _ in themes), default=None)
    return schemas.ThemeList(items=items), services._latest(
        changed, services.consultations_changed_at([found])
    )


@operation(
    "/consultations/<slug>/summary",
    response=schemas.Summary,
    tag="Results",
    summary="A consultation's published summary",
)
def consultation_summary(query, slug: str):
    """What people said and what the council decided ("you said, we did"): the latest
    published version of the summary, its findings with the ideas they cite, and when the
    council's response is due. 404 until a summary is published."""
    found = services.public_consultation(slug)
    model = services.summary_out(found)
    return model, model.published_at.replace(tzinfo=None)


@operation(
    "/consultations/<slug>/results",
    response=schemas.Results,
    tag="Results",
    summary="A consultation's published results",
)
def consultation_results(query, slug: str):
    """Participation, the ideas ranked by support (Wilson lower bound) and by divisiveness,
    the opinion groups with the ideas that set each apart, and the ideas every group agrees
    with. Public once the consultation's summary is published (404 before)."""
    found = services.public_consultation(slug)
    model = services.results_out(found)
    return model, services.consultations_changed_at([found])


@operation(
    "/statement",
    response=schemas.StatementDocument,
    tag="Statement",
    summary="The council's Keep it Local statement",
)
def statement(query):
    """The version of the statement the public page shows: the published one, or else the
    draft open for comment. 404 before either."""
    found = services.public_statement()
    version = services.public_statement_version(found)
    return services.statement_document(found, version), services.statement_changed_at(found)


@operation(
    "/statement/versions",
    response=schemas.StatementVersionList,
    tag="Statement",
    summary="The statement's public versions",
)
def statement_versions(query):
    """Every version of the statement the public may read, oldest first, with why each was
    saved and whether it was agreed or published."""
    found = services.public_statement()
    return services.statement_versions(found), services.statement_changed_at(found)


@operation(
    "/statement/versions/<int:number>",
    response=schemas.StatementDocument,
    tag="Statement",
    summary="One public version of the statement",
)
def statement_version(query, number: int):
    """One public version of the statement by its number."""
    found = services.public_statement()
    version = services.public_statement_version(found, number)
    return services.statement_document(found, version), services.statement_changed_at(found)


@operation(
    "/commitments",
    response=schemas.CommitmentList,
    tag="Statement",
    summary="The statement's commitments and their progress",
)
def commitments(query):
    """The commitments of the statement the public page shows, each with its status and its
    dated progress updates."""
    found = services.public_statement()
    version = services.public_statement_version(found)
    return services.commitments_out(found, version), services.statement_changed_at(found)


@operation(
    "/ideas/<int:idea_id>",
    response=schemas.IdeaWithComments,
    tag="Ideas",
    summary="One idea with its comments",
)
def idea(query, idea_id: int):
    """One published idea with its counts and its published comments and replies, oldest
    first. Hidden or waiting ideas and comments never appear."""
    if idea_id > MAX_ID:
        raise ApiError(404, f"There is no published idea {idea_id}.")
    found = services.public_idea(idea_id)
    return services.idea_with_comments(found), services.idea_changed_at(found)


@operation(
    "/neighbourhoods",
    response=schemas.NeighbourhoodList,
    tag="Neighbourhoods",
    summary="The neighbourhoods ideas can be about",
    errors=(),
)
def neighbourhoods(query):
    """The council's neighbourhoods (wards, districts or towns) in display order; use a slug
    to filter a consultation's ideas."""
    return schemas.NeighbourhoodList(items=services.neighbourhoods()), None


# --- the document and the page -----------------------------------------------------------

API_DESCRIPTION = (
    "Open data from a council's Keep it Local conversation: the co-design process, its "
    "consultations with their counts, every published idea with its votes and comments. "
    "Read-only, no key needed, JSON only. Authors appear only as stable pseudonyms, one per "
    "byline (a person's own, each organisation they write for, each idea gathered offline); "
    "no one's individual votes appear here, only counts, and the votes in the open-data "
    "downloads never share a pseudonym with an author. Hidden or waiting content and "
    "personal data never appear. Answers carry ETag and "
    "Last-Modified and may be cached for a minute; send If-None-Match to get 304 when "
    "nothing changed. Errors are JSON: {error, message, status}."
)


def api_title() -> str:
    return f"{current_council().name}: Keep it Local open data API"


@bp.route(PREFIX + "/openapi.json")
def openapi_json():
    """The OpenAPI 3.1 document of this API."""
    parse_query(schemas.NoQuery)
    document = openapi_document(ENDPOINTS, api_title(), API_DESCRIPTION)
    return json_answer(json.dumps(document, sort_keys=True))


@bp.route("/api/")
def latest():
    """``/api`` leads to the page of the current version."""
    return redirect(url_for(".index"))


@bp.route(PREFIX + "/")
def index():
    """The API page for people: what is there, how to page through ideas, curl examples."""
    process = current_process()
    public = services.public_consultations(process) if process else []
    example = public[0].slug if public else "CONSULTATION-SLUG"
    return render_template(
        "api/index.html",
        base=current_app.config["KIL_BASE_URL"] + PREFIX,
        endpoints=ENDPOINTS,
        parameters={e.operation_id: query_parameters(e.query) for e in ENDPOINTS},
        example_slug=example,
        example_idea=services.example_idea_id(public),
        rate_limit=current_app.config.get("KIL_API_RATE_LIMIT") or DEFAULT_RATE_LIMIT,
        max_age=MAX_AGE,
    )


# Operations declared in their own modules (each registers itself with ``operation``).
from . import network_routes, search_routes  # noqa: E402, F401
