"""Equality monitoring's own tables: each person's "About you" answers (or a workshop or paper
response's), the Census population they are compared with, the postcode-to-ward lookup and the
outlines of the neighbourhoods for the map.

Nothing here is ever published per person: pages, the API, open data and exports read only
the suppressed counts that ``equality.figures`` makes from these rows.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db, str_enum
from ..ideas.models import CommunityEvent, Source
from ..timeutil import utcnow
from .questions import QUESTIONS

if TYPE_CHECKING:  # the ORM links these by name
    from ..accounts.models import User

ANSWER_LENGTH = 30


class AboutYou(db.Model):
    """One person's answers to the "About you" questions: a signed-in person's own (``user``),
    or a response given at a workshop or on paper and entered by a facilitator (``event``).

    Every answer may be empty (not answered) or "prefer not to say". Answers that are special
    category data (ethnic group, religion, health, sexual orientation, gender identity) are kept
    only with explicit consent, whose time is ``consented_at``. A postcode is never stored: only
    the ward it lies in and its deprivation decile, when the council's lookup has it.
    """

    __tablename__ = "about_you"
    __table_args__ = (
        CheckConstraint(
            "(user_id IS NULL) <> (event_id IS NULL)", name="one_person_or_one_response"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), unique=True
    )
    event_id: Mapped[int | None] = mapped_column(
        ForeignKey("community_events.id", ondelete="CASCADE"), index=True
    )
    # a response's area (from the idea it came with): kept instead of a link to the idea, so
    # that nothing ties the answers to a published idea or the name given with it
    neighbourhood_id: Mapped[int | None] = mapped_column(
        ForeignKey("neighbourhoods.id", ondelete="SET NULL")
    )
    source: Mapped[Source] = mapped_column(str_enum(Source, 10), default=Source.ONLINE)
    age_band: Mapped[str | None] = mapped_column(String(ANSWER_LENGTH))
    sex: Mapped[str | None] = mapped_column(String(ANSWER_LENGTH))
    gender_identity: Mapped[str | None] = mapped_column(String(ANSWER_LENGTH))
    ethnic_group: Mapped[str | None] = mapped_column(String(ANSWER_LENGTH))
    disability: Mapped[str | None] = mapped_column(String(ANSWER_LENGTH))
    religion: Mapped[str | None] = mapped_column(String(ANSWER_LENGTH))
    sexual_orientation: Mapped[str | None] = mapped_column(String(ANSWER_LENGTH))
    carer: Mapped[str | None] = mapped_column(String(ANSWER_LENGTH))
    ward_code: Mapped[str | None] = mapped_column(String(12))
    deprivation_decile: Mapped[int | None]
    consented_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    user: Mapped[User | None] = relationship()
    event: Mapped[CommunityEvent | None] = relationship()

    def answers(self) -> dict[str, str | None]:
        """Each question's stored answer code (None where not answered)."""
        return {q.name: getattr(self, q.name) for q in QUESTIONS}


class PopulationFigure(db.Model):
    """How many people in the council's area are in one group of one characteristic, from
    the Census tables an admin uploaded (or the demo's illustrative profile, marked so)."""

    __tablename__ = "population_figures"
    __table_args__ = (UniqueConstraint("characteristic", "group", name="one_figure_per_group"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    characteristic: Mapped[str] = mapped_column(String(40))
    group: Mapped[str] = mapped_column(String(40))
    people: Mapped[int]
    source: Mapped[str] = mapped_column(String(200), default="")
    illustrative: Mapped[bool] = mapped_column(default=False)
    uploaded_at: Mapped[datetime] = mapped_column(default=utcnow)
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))


class PostcodeWard(db.Model):
    """One postcode of the council's area and its ward (an extract of the ONS Postcode
    Directory), with its deprivation decile where given. A public lookup, not personal data:
    people's own postcodes are looked up here and never stored."""

    __tablename__ = "postcode_wards"

    postcode: Mapped[str] = mapped_column(String(8), primary_key=True)  # "TN341AB", no space
    ward_code: Mapped[str] = mapped_column(String(12))
    ward_name: Mapped[str] = mapped_column(String(80))
    deprivation_decile: Mapped[int | None]


class NeighbourhoodShape(db.Model):
    """A neighbourhood's outline for the map of participation, drawn from the boundary file
    (GeoJSON) an admin uploaded: an SVG path already fitted to the map's frame, and where its
    label goes."""

    __tablename__ = "neighbourhood_shapes"

    neighbourhood_id: Mapped[int] = mapped_column(
        ForeignKey("neighbourhoods.id", ondelete="CASCADE"), primary_key=True
    )
    path: Mapped[str] = mapped_column(Text)
    label_x: Mapped[float]
    label_y: Mapped[float]


class WardNeighbourhood(db.Model):
    """Which neighbourhood a ward belongs to, where the council's neighbourhoods are made of
    wards: a postcode's ward then places a person in their neighbourhood."""

    __tablename__ = "ward_neighbourhoods"

    ward_code: Mapped[str] = mapped_column(String(12), primary_key=True)
    neighbourhood_id: Mapped[int] = mapped_column(
        ForeignKey("neighbourhoods.id", ondelete="CASCADE"), index=True
    )
