"""The map of participation: neighbourhood outlines from a boundary file (GeoJSON) an admin
uploads, fitted once into the map's frame and kept as SVG paths; and the map's shapes for a
page, shaded by the suppressed counts of the "Who took part" figures, with the ideas about
each neighbourhood.

A feature belongs to the neighbourhood whose name one of its properties gives (any case), such
as ``WD22NM`` in the ONS ward boundaries; the rest of the file is left out.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass

from sqlalchemy import delete, func, select

from .. import audit
from ..consultations.models import Consultation
from ..consultations.services import neighbourhoods
from ..extensions import db
from ..ideas.models import Idea, Visibility
from .census import UploadError
from .figures import Characteristic
from .models import NeighbourhoodShape

WIDTH, HEIGHT, MARGIN = 600, 400, 10
MAX_BYTES = 20 * 1024 * 1024


def _rings(geometry: dict) -> list[list[tuple[float, float]]]:
    """The outer and inner rings of a Polygon or MultiPolygon, as (longitude, latitude)."""
    kind = (geometry or {}).get("type")
    coordinates = (geometry or {}).get("coordinates") or []
    polygons = [coordinates] if kind == "Polygon" else coordinates if kind == "MultiPolygon" else []
    rings = []
    for polygon in polygons:
        for ring in polygon:
            points = [(float(p[0]), float(p[1])) for p in ring if len(p) >= 2]
            if len(points) >= 3:
                rings.append(points)
    return rings


def read_boundaries(data: bytes) -> dict[int, list[list[tuple[float, float]]]]:
    """Each neighbourhood's rings from a GeoJSON FeatureCollection (refused if it names none
    of them)."""
    if not data:
        raise UploadError("The selected file is empty")
    if len(data) > MAX_BYTES:
        raise UploadError("The file is larger than 20 MB: simplify the boundaries first")
    try:
        document = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise UploadError("The file is not GeoJSON: save the boundaries as GeoJSON") from exc
    features = document.get("features") if isinstance(document, dict) else None
    if not isinstance(features, list):
        raise UploadError("The file must be a GeoJSON FeatureCollection of the areas")
    places = {n.name.lower(): n.id for n in neighbourhoods()}
    found: dict[int, list] = {}
    for feature in features:
        if not isinstance(feature, dict):
            continue
        properties = feature.get("properties") or {}
        names = [str(v).strip().lower() for v in properties.values() if isinstance(v, str)]
        place = next((places[n] for n in names if n in places), None)
        try:
            rings = _rings(feature.get("geometry"))
        except (TypeError, ValueError, IndexError) as exc:
            raise UploadError("A boundary's coordinates cannot be read") from exc
        if place is not None and rings:
            found.setdefault(place, []).extend(rings)
    if not found:
        raise UploadError(
            "No boundary names one of the council's neighbourhoods ("
            + ", ".join(n.name for n in neighbourhoods())
            + "): check a property of each area gives its name"
        )
    return found


def _fit(shapes: dict[int, list]) -> dict[int, tuple[str, float, float]]:
    """SVG paths in the map's frame (north up, longitudes narrowed by the latitude)."""
    points = [p for rings in shapes.values() for ring in rings for p in ring]
    middle = math.radians(sum(p[1] for p in points) / len(points))
    xs = [p[0] * math.cos(middle) for p in points]
    ys = [p[1] for p in points]
    span = max(max(xs) - min(xs), 1e-9), max(max(ys) - min(ys), 1e-9)
    scale = min((WIDTH - 2 * MARGIN) / span[0], (HEIGHT - 2 * MARGIN) / span[1])
    left, top = min(xs), max(ys)

    def at(p):
        return (
            round(MARGIN + (p[0] * math.cos(middle) - left) * scale, 1),
            round(MARGIN + (top - p[1]) * scale, 1),
        )

    fitted = {}
    for place, rings in shapes.items():
        parts, all_points = [], []
        for ring in rings:
            drawn = []
            for point in map(at, ring):
                if not drawn or point != drawn[-1]:
                    drawn.append(point)
            all_points += drawn
            parts.append("M" + " L".join(f"{x:g},{y:g}" for x, y in drawn) + " Z")
        label_x = sum(p[0] for p in all_points) / len(all_points)
        label_y = sum(p[1] for p in all_points) / len(all_points)
        fitted[place] = (" ".join(parts), round(label_x, 1), round(label_y, 1))
    return fitted


def load_boundaries(data: bytes, admin) -> str:
    """Replace the neighbourhoods' outlines from a GeoJSON file; the message to show."""
    fitted = _fit(read_boundaries(data))
    db.session.execute(delete(NeighbourhoodShape))
    shapes = [
        NeighbourhoodShape(neighbourhood_id=place, path=path, label_x=x, label_y=y)
        for place, (path, x, y) in fitted.items()
    ]
    db.session.add_all(shapes)
    db.session.flush()
    audit.record(admin, "boundaries.upload", shapes[0], after={"neighbourhoods": len(shapes)})
    missing = [n.name for n in neighbourhoods() if n.id not in fitted]
    message = f"Boundaries loaded for {len(fitted)} neighbourhoods."
    if missing:
        message += " Not in the file: " + ", ".join(missing) + "."
    return message


@dataclass(frozen=True)
class MapShape:
    """One neighbourhood on the map: its outline, its shade, where its number goes and its
    figures."""

    name: str
    path: str
    label_x: float
    label_y: float
    fill: str
    people: int | None
    share: float | None
    population_share: float | None
    ideas: int

    @property
    def at_x(self) -> int:
        """Where its number goes, as a whole percentage of the map's width (kept off the
        edges, so the number stays on the map)."""
        return min(max(round(self.label_x / WIDTH * 100), 4), 96)

    @property
    def at_y(self) -> int:
        """The same, of the map's height."""
        return min(max(round(self.label_y / HEIGHT * 100), 5), 95)


# Shades by how a neighbourhood's share of answers compares with its share of the area.
SHADES = (
    (0.5, "#d4351c", "under half its share"),
    (0.8, "#f47738", "half to four fifths of its share"),
    (1.25, "#85994b", "about its share"),
    (float("inf"), "#00703c", "more than its share"),
)
NOT_SHOWN = "#b1b4b6"


def _fill(share: float | None, population_share: float | None) -> str:
    if share is None or not population_share:
        return NOT_SHOWN
    ratio = share / population_share
    return next(colour for bound, colour, _words in SHADES if ratio < bound)


def participation_map(neighbourhood: Characteristic, consultations: list[Consultation]):
    """The map's shapes (empty without an uploaded boundary file), from the suppressed
    neighbourhood figures and the published ideas about each neighbourhood."""
    shapes = {s.neighbourhood_id: s for s in db.session.scalars(select(NeighbourhoodShape))}
    if not shapes:
        return []
    ideas = dict(
        db.session.execute(
            select(Idea.neighbourhood_id, func.count(Idea.id))
            .where(
                Idea.consultation_id.in_([c.id for c in consultations]),
                Idea.visibility == Visibility.PUBLISHED,
                Idea.neighbourhood_id.is_not(None),
            )
            .group_by(Idea.neighbourhood_id)
        ).all()
    )
    found = []
    for row in neighbourhood.rows:
        shape = shapes.get(int(row.code))
        if shape is None:
            continue
        found.append(
            MapShape(
                row.label,
                shape.path,
                shape.label_x,
                shape.label_y,
                _fill(row.share, row.population_share),
                row.people,
                row.share,
                row.population_share,
                int(ideas.get(int(row.code), 0)),
            )
        )
    return found
