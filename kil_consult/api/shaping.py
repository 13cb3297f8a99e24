"""How the open-data API shapes what it shows: errors, authors as pseudonyms (made in
``accounts/pseudonyms.py``), times with their zone, absolute links, and consultations and ideas
as the API's schemas."""

from __future__ import annotations

from datetime import UTC, datetime

from ..accounts.pseudonyms import pseudonym_of_author
from ..consultations.models import Consultation, Neighbourhood
from ..ideas.models import Idea, Visibility
from ..ideas.services import comment_threads
from ..urls import external_url as site_url  # the public site's address for a page
from . import schemas


class ApiError(Exception):
    """An answer other than 200, with a message for whoever called the API."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status
        self.message = message


def utc(value: datetime | None) -> datetime | None:
    """A stored naive-UTC time as an aware one, so that it serialises with its zone ('Z')."""
    return value.replace(tzinfo=UTC) if value is not None else None


def neighbourhood_out(place: Neighbourhood) -> schemas.Neighbourhood:
    return schemas.Neighbourhood(id=place.id, slug=place.slug, name=place.name)


def consultation_out(consultation: Consultation, counts) -> schemas.Consultation:
    """A consultation as the API shows it, with the counts the site shows."""
    stage = consultation.current_stage()
    return schemas.Consultation(
        id=consultation.id,
        slug=consultation.slug,
        process=consultation.process.slug,
        principle_number=consultation.principle_number,
        title=consultation.title,
        question=consultation.question,
        explanation=consultation.explanation,
        next_steps=consultation.next_steps,
        stage=stage.value,
        stage_label=stage.label,
        accepting=consultation.is_accepting(),
        opens_at=utc(consultation.opens_at),
        closes_at=utc(consultation.ended_at() or consultation.closes_at),
        counts=schemas.ConsultationCounts(**vars(counts)),
        links=schemas.ConsultationLinks(
            self=site_url("api.consultation", slug=consultation.slug),
            ideas=site_url("api.consultation_ideas", slug=consultation.slug),
            html=site_url("pages.consultation", slug=consultation.slug),
        ),
    )


def idea_fields(idea: Idea) -> dict:
    """The fields of an idea that the API publishes (never its author's name or email)."""
    return {
        "id": idea.id,
        "consultation": idea.consultation.slug,
        "title": idea.title,
        "body": idea.body,
        "neighbourhood": neighbourhood_out(idea.neighbourhood) if idea.neighbourhood else None,
        "source": idea.source.value,
        "organisation": schemas.OrganisationRef(
            slug=idea.organisation.slug,
            name=idea.organisation.name,
            html=site_url("pages.organisation", slug=idea.organisation.slug),
        )
        if idea.organisation
        else None,
        "author": pseudonym_of_author(idea),
        "created_at": utc(idea.created_at),
        "counts": schemas.IdeaCounts(
            agree=idea.agree_count,
            disagree=idea.disagree_count,
            pass_=idea.pass_count,
            votes=idea.vote_count,
            comments=idea.comment_count,
        ),
        "links": schemas.IdeaLinks(
            self=site_url("api.idea", idea_id=idea.id),
            html=site_url("ideas.show", idea_id=idea.id),
        ),
    }


def is_public_item(item) -> bool:
    """Whether an idea, comment or reply is published (the API shows nothing else)."""
    return item.visibility is Visibility.PUBLISHED


def idea_with_comments(idea: Idea) -> schemas.IdeaWithComments:
    """An idea with its published comments and their published replies, in the site's threads
    (the site shows hidden comments as notes; the API leaves them out)."""
    comments = [
        schemas.Comment(
            id=thread.comment.id,
            author=pseudonym_of_author(thread.comment),
            body=thread.comment.body,
            created_at=utc(thread.comment.created_at),
            replies=[
                schemas.Reply(
                    id=reply.id,
                    parent_id=thread.comment.id,
                    author=pseudonym_of_author(reply),
                    body=reply.body,
                    created_at=utc(reply.created_at),
                )
                for reply in thread.replies
                if is_public_item(reply)
            ],
        )
        for thread in comment_threads(idea)
        if is_public_item(thread.comment)
    ]
    return schemas.IdeaWithComments(**idea_fields(idea), comments=comments)
