"""The API's themes, published summary and results, read from ``ConsultationResults`` and
the summary's published version."""

from __future__ import annotations

from sqlalchemy import func, select

from .. import policy
from ..analysis.models import Theme, ThemeIdea, ThemeStatus
from ..analysis.tasks import fresh_results
from ..analysis.values import LIST_LENGTH, SHORT_LIST_LENGTH
from ..consultations.models import Consultation
from ..consultations.services import neighbourhoods as all_neighbourhoods
from ..extensions import db
from ..ideas.models import Idea, Source, Visibility
from ..statements.summaries import published_version, you_said_we_did
from . import schemas
from .shaping import ApiError, utc


def accepted_themes(consultation: Consultation) -> list[tuple[object, int]]:
    """A consultation's accepted themes with how many published ideas carry each."""
    rows = db.session.execute(
        select(Theme, func.count(Idea.id))
        .outerjoin(ThemeIdea, ThemeIdea.theme_id == Theme.id)
        .outerjoin(Idea, (Idea.id == ThemeIdea.idea_id) & (Idea.visibility == Visibility.PUBLISHED))
        .where(Theme.consultation_id == consultation.id, Theme.status == ThemeStatus.ACCEPTED)
        .group_by(Theme.id)
        .order_by(Theme.name, Theme.id)
    ).all()
    return [(theme, int(count)) for theme, count in rows]


def accepted_theme(consultation: Consultation, theme_id: int):
    """The accepted theme an ideas filter names; 400 if the consultation has no such theme."""
    theme = db.session.get(Theme, theme_id)
    if (
        theme is None
        or theme.consultation_id != consultation.id
        or theme.status is not ThemeStatus.ACCEPTED
    ):
        raise ApiError(
            404,
            f"This consultation has no theme {theme_id}. See .../themes for its theme ids.",
        )
    return theme


def summary_out(consultation: Consultation) -> schemas.Summary:
    """The published summary, or 404 while there is none."""
    version = published_version(consultation)
    if version is None:
        raise ApiError(404, f"'{consultation.slug}' has no published summary yet.")
    state = you_said_we_did(consultation)
    published_ideas = _published_ids(
        [c.idea_id for finding in version.findings for c in finding.citations]
    )
    return schemas.Summary(
        consultation=consultation.slug,
        version=version.number,
        published_at=utc(version.published_at),
        overview=version.overview,
        themes=version.themes,
        findings=[
            schemas.Finding(
                text=finding.text,
                ideas=[c.idea_id for c in finding.citations if c.idea_id in published_ideas],
            )
            for finding in version.findings
        ],
        decision=version.decision,
        connection=version.connection,
        response_due=state.due,
        responded_at=utc(state.responded_at),
        overdue=state.overdue,
    )


def _published_ids(ids: list[int]) -> set[int]:
    if not ids:
        return set()
    return set(
        db.session.scalars(
            select(Idea.id).where(Idea.id.in_(ids), Idea.visibility == Visibility.PUBLISHED)
        )
    )


def _ranked_out(row) -> schemas.RankedIdea:
    return schemas.RankedIdea(
        idea=row.id,
        title=row.title,
        agree=row.agree,
        disagree=row.disagree,
        passes=row.passes,
        wilson_lower_bound=round(row.wilson, 6),
        divisiveness=round(row.divisive, 6),
    )


def results_out(consultation: Consultation) -> schemas.Results:
    """The public results: 404 until they are public (``policy.results_public``: closed and
    its summary published), the same rule as the site's pages and the open data."""
    if not policy.results_public(consultation):
        raise ApiError(404, f"The results of '{consultation.slug}' are not published yet.")
    results = fresh_results(consultation)
    live = {row.id for row in results.ideas}
    shown = results.participation
    slugs = {str(n.id): n.slug for n in all_neighbourhoods()}
    participation = schemas.Participation(
        people=shown.people,
        ideas=shown.ideas,
        votes=shown.votes,
        comments=shown.comments,
        organisations=shown.organisations,
        ideas_by_author_type={
            "resident": shown.residents.ideas,
            "organisation": shown.organisation_posts.ideas,
        },
        ideas_by_source={s.value: shown.source(s).ideas for s in Source},
        people_by_neighbourhood=[
            schemas.PlaceShare(neighbourhood=slugs.get(key), people=count)
            for key, count in sorted(shown.by_neighbourhood.items())
            if key == "" or key in slugs
        ],
    )
    groups = [
        schemas.OpinionGroup(
            label=group.label,
            size=group.size,
            distinguishing_ideas=[
                schemas.GroupIdea(
                    idea=item.idea_id,
                    direction=item.direction,
                    agree=item.agree,
                    disagree=item.disagree,
                    votes=item.votes,
                )
                for item in group.representative
                if item.idea_id in live
            ],
        )
        for group in results.groups
    ]
    return schemas.Results(
        consultation=consultation.slug,
        computed_at=utc(results.computed_at),
        current=results.current,
        participation=participation,
        most_supported=[_ranked_out(row) for row in results.top_ranked(LIST_LENGTH)],
        most_divisive=[_ranked_out(row) for row in results.top_divisive(SHORT_LIST_LENGTH)],
        opinion_groups=groups,
        consensus=[
            schemas.ScoredIdea(idea=item.idea.id, score=item.score)
            for item in results.consensus
            if item.score is not None
        ],
    )
