"""Themes of a consultation: suggested from the ideas' text, accepted, renamed, merged,
discarded, and tagged onto ideas by facilitators."""

from __future__ import annotations

from sqlalchemy import delete, func, select

from ..consultations.models import Consultation
from ..extensions import db
from ..ideas.models import Idea, Visibility
from .models import Theme, ThemeIdea, ThemeStatus
from .ranking import published_idea_ids


def themes_of(consultation: Consultation) -> list[Theme]:
    """A consultation's themes: accepted first, then suggested, each by name."""
    return list(
        db.session.scalars(
            select(Theme)
            .where(Theme.consultation_id == consultation.id)
            .order_by(Theme.status, Theme.name, Theme.id)
        )
    )


def theme_idea_ids(theme: Theme) -> list[int]:
    """The ids of the ideas tagged with a theme, in id order."""
    return list(
        db.session.scalars(
            select(ThemeIdea.idea_id)
            .where(ThemeIdea.theme_id == theme.id)
            .order_by(ThemeIdea.idea_id)
        )
    )


def refresh_suggestions(consultation: Consultation) -> int:
    """Replace the suggested (not yet accepted) themes with new ones from the ideas' text."""
    ideas = db.session.execute(
        select(Idea.id, Idea.title, Idea.body)
        .where(Idea.consultation_id == consultation.id, Idea.visibility == Visibility.PUBLISHED)
        .order_by(Idea.id)
    ).all()
    db.session.execute(
        delete(Theme).where(
            Theme.consultation_id == consultation.id, Theme.status == ThemeStatus.SUGGESTED
        )
    )
    from threadpoolctl import threadpool_limits

    from .themes import suggest_themes  # scikit-learn: loaded only when themes are suggested

    with threadpool_limits(limits=1):
        suggestions = suggest_themes([f"{title}. {title}. {body}" for _id, title, body in ideas])
    for suggestion in suggestions:
        theme = Theme(
            consultation_id=consultation.id,
            name=suggestion.name[:120],
            top_terms=", ".join(suggestion.terms)[:300],
            status=ThemeStatus.SUGGESTED,
        )
        db.session.add(theme)
        db.session.flush()
        for member in suggestion.members:
            db.session.add(ThemeIdea(theme_id=theme.id, idea_id=ideas[member][0]))
    db.session.flush()
    return len(suggestions)


def create_theme(consultation: Consultation, name: str) -> Theme:
    """A facilitator's own theme, accepted from the start."""
    theme = Theme(
        consultation_id=consultation.id, name=name, status=ThemeStatus.ACCEPTED, is_manual=True
    )
    db.session.add(theme)
    db.session.flush()
    return theme


def accept_theme(theme: Theme, name: str | None = None) -> None:
    """Accept a suggested theme, optionally under a new name."""
    theme.status = ThemeStatus.ACCEPTED
    if name:
        theme.name = name


def rename_theme(theme: Theme, name: str) -> None:
    """Give a theme a new name."""
    theme.name = name


def discard_theme(theme: Theme) -> None:
    """Remove a theme; its ideas stay, untagged from it."""
    db.session.delete(theme)
    db.session.flush()


def merge_themes(source: Theme, target: Theme) -> None:
    """Move every idea of ``source`` into ``target`` (no idea twice) and remove ``source``."""
    if source.id == target.id or source.consultation_id != target.consultation_id:
        raise ValueError("Choose another theme of this consultation to merge into.")
    existing = set(theme_idea_ids(target))
    for idea_id in theme_idea_ids(source):
        if idea_id not in existing:
            db.session.add(ThemeIdea(theme_id=target.id, idea_id=idea_id))
    db.session.delete(source)
    db.session.flush()


def tag_ideas(theme: Theme, idea_ids: list[int]) -> int:
    """Tag ideas with a theme (bulk); returns how many were newly tagged."""
    valid = published_idea_ids(theme.consultation, idea_ids)
    existing = set(theme_idea_ids(theme))
    added = 0
    for idea_id in idea_ids:
        if idea_id in valid and idea_id not in existing:
            db.session.add(ThemeIdea(theme_id=theme.id, idea_id=idea_id))
            existing.add(idea_id)
            added += 1
    db.session.flush()
    return added


def untag_idea(theme: Theme, idea_id: int) -> None:
    """Take one idea out of a theme."""
    db.session.execute(
        delete(ThemeIdea).where(ThemeIdea.theme_id == theme.id, ThemeIdea.idea_id == idea_id)
    )


def untagged_ideas(consultation: Consultation, limit: int = 50) -> list[Idea]:
    """Published ideas in no theme yet, most voted first (for bulk tagging)."""
    tagged = (
        select(ThemeIdea.idea_id)
        .join(Theme, ThemeIdea.theme_id == Theme.id)
        .where(Theme.consultation_id == consultation.id)
    )
    return list(
        db.session.scalars(
            select(Idea)
            .where(
                Idea.consultation_id == consultation.id,
                Idea.visibility == Visibility.PUBLISHED,
                Idea.id.not_in(tagged),
            )
            .order_by((Idea.agree_count + Idea.disagree_count + Idea.pass_count).desc(), Idea.id)
            .limit(limit)
        )
    )


def theme_rows(consultation: Consultation, status: ThemeStatus | None = None):
    """Themes with their number of ideas and the votes on those ideas."""
    query = (
        select(
            Theme,
            func.count(Idea.id),
            func.coalesce(func.sum(Idea.agree_count), 0),
            func.coalesce(func.sum(Idea.disagree_count), 0),
        )
        .outerjoin(ThemeIdea, ThemeIdea.theme_id == Theme.id)
        .outerjoin(Idea, (Idea.id == ThemeIdea.idea_id) & (Idea.visibility == Visibility.PUBLISHED))
        .where(Theme.consultation_id == consultation.id)
        .group_by(Theme.id)
        .order_by(Theme.status, Theme.name, Theme.id)
    )
    if status is not None:
        query = query.where(Theme.status == status)
    return db.session.execute(query).all()
