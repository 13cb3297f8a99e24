"""Pages composed from several areas, and site pages that belong to no area.

The home page, a consultation's public page (its ideas), an organisation's public page (what
it has said) and the staff home each show parts of several areas, so they sit here, above
all of them (README, "How the code is laid out"); each area keeps its own pages. Then the
accessibility statement, cookies and privacy.
"""

from __future__ import annotations

from flask import Blueprint, current_app, render_template, request
from flask_login import current_user

from .. import policy
from ..accounts import facilitators
from ..cache import GLOBAL, consultation_scope, depends_on
from ..consultations.models import Consultation
from ..consultations.services import consultation_by_slug, current_process, neighbourhoods
from ..extensions import limiter
from ..ideas import search as idea_search
from ..ideas import services as idea_services
from ..ideas.counts import counts_for
from ..ideas.forms import IdeaListForm
from ..moderation.house_rules import house_rules_text
from ..organisations import services as organisation_services
from ..organisations.models import Organisation
from ..page_shells import shared_page
from . import search as search_page
from .accessibility import KNOWN_FAILURES, KNOWN_SHORTCOMINGS
from .dashboard import staff_tasks

bp = Blueprint("pages", __name__)


@bp.route("/")
@shared_page
def home():
    process = current_process()
    consultations = list(process.consultations) if process else []
    visible = [c for c in consultations if policy.can("consultation.view", c)]
    depends_on(*(consultation_scope(c.id) for c in visible))
    return render_template(
        "consultations/home.html",
        process=process,
        consultations=visible,
        counts=counts_for([c.id for c in visible]),
        # set up by the statements area; None until a statement is started
        statement=getattr(process, "statement", None),
    )


@bp.route("/consultations/<slug>")
@shared_page(tallies_if=lambda slug: not idea_services.sort_reads_tallies(request.args.get("sort")))
@policy.requires(
    "consultation.view", id_arg="slug", lookup=consultation_by_slug, name="consultation"
)
def consultation(consultation: Consultation):
    """A consultation with its ideas: sorted, filtered by neighbourhood and paged."""
    depends_on(GLOBAL, consultation_scope(consultation.id))  # before the ideas are read
    form = IdeaListForm(request.args, neighbourhoods=neighbourhoods())
    page = dict(
        consultation=consultation,
        counts=counts_for([consultation.id])[consultation.id],
        form=form,
        summary_published=policy.summary_published(consultation),
    )
    if not form.validate():
        return render_template("consultations/show.html", ideas=None, my_votes={}, **page), 400
    ideas = idea_services.list_ideas(
        consultation,
        sort=form.sort.data or idea_services.DEFAULT_SORT,
        neighbourhood_id=form.neighbourhood.data,
        page=form.page.data or 1,
        per_page=current_app.config["KIL_PAGE_SIZE"],
    )
    return render_template(
        "consultations/show.html",
        ideas=ideas,
        my_votes=idea_services.votes_by(current_user, ideas.items),
        **page,
    )


@bp.route("/search")
@limiter.limit("60 per minute")
def search():
    """Search the published ideas and comments, with filters; a plain GET form."""
    process = current_process()
    consultations = [
        c for c in (process.consultations if process else []) if policy.can("consultation.view", c)
    ]
    form = search_page.SearchForm(
        request.args, consultations=consultations, neighbourhoods=neighbourhoods()
    )
    results = None
    status = 200
    if request.args:
        if form.validate():
            results = idea_search.search(
                search_page.wanted(form, consultations, current_user),
                page=min(max(request.args.get("page", 1, type=int), 1), 1_000_000),
                per_page=current_app.config["KIL_PAGE_SIZE"],
            )
        else:
            status = 400
    return render_template(
        "pages/search.html",
        form=form,
        results=results,
        my_votes=idea_services.votes_by(current_user, results.ideas if results else []),
    ), status


@bp.route("/organisations/<slug>")
@policy.requires(
    "organisation.view",
    id_arg="slug",
    lookup=organisation_services.organisation_by_slug,
    name="organisation",
)
def organisation(organisation: Organisation):
    """An organisation's public page: who it is, your membership, what it has said."""
    return render_template(
        "organisations/show.html",
        organisation=organisation,
        membership=organisation_services.membership_of(current_user, organisation),
        contributions=idea_services.published_contributions(organisation),
    )


@bp.route("/admin/")
@policy.requires("staff.area")
def staff_home():
    process = current_process()
    consultations = list(process.consultations) if process else []
    mine = facilitators.consultation_ids_of(current_user)
    return render_template(
        "consultations/staff_home.html",
        process=process,
        consultations=consultations,
        counts=counts_for([c.id for c in consultations]),
        tasks=staff_tasks(consultations, mine),
        mine=mine,
        assigned={c.id: facilitators.facilitators_of(c) for c in consultations},
    )


# --- site pages ---------------------------------------------------------------------------


@bp.route("/accessibility")
def accessibility():
    return render_template(
        "pages/accessibility.html", failures=KNOWN_FAILURES, shortcomings=KNOWN_SHORTCOMINGS
    )


@bp.route("/cookies")
def cookies():
    return render_template("pages/cookies.html")


@bp.route("/privacy")
def privacy():
    """The privacy notice, from the controller, DPO and retention settings."""
    config = current_app.config
    return render_template(
        "pages/privacy.html",
        retention_days=config["KIL_RETENTION_DAYS"],
        unconfirmed_days=config["KIL_UNCONFIRMED_DAYS"],
    )


@bp.route("/house-rules")
def house_rules():
    """The house rules everyone's ideas and comments are moderated against."""
    return render_template("pages/house_rules.html", rules=house_rules_text())
