"""The map of participation: boundaries from GeoJSON, fitted into the map, shaded by the
suppressed figures, with the ideas about each neighbourhood."""

from __future__ import annotations

import io
import json
import re

import pytest

from kil_consult.accounts.models import Role
from kil_consult.equality import boundaries, census
from kil_consult.equality.models import NeighbourhoodShape
from tests import factories


def _square(name: str, x: float, y: float) -> dict:
    ring = [[x, y], [x + 0.1, y], [x + 0.1, y + 0.1], [x, y + 0.1], [x, y]]
    return {
        "type": "Feature",
        "properties": {"WD22CD": "E05000001", "WD22NM": name},
        "geometry": {"type": "Polygon", "coordinates": [ring]},
    }


def geojson(*features) -> bytes:
    return json.dumps({"type": "FeatureCollection", "features": list(features)}).encode()


def test_boundaries_are_fitted_into_the_map(db):
    north = factories.make_neighbourhood("Northtown")
    factories.make_neighbourhood("Southville")
    admin = factories.make_user(Role.ADMIN)
    message = boundaries.load_boundaries(
        geojson(_square("NORTHTOWN", 0.0, 51.1), _square("Elsewhere", 0.2, 51.0)), admin
    )
    assert "for 1 neighbourhoods" in message and "Not in the file: Southville" in message
    shape = db.session.get(NeighbourhoodShape, north.id)
    numbers = [float(v) for v in re.findall(r"-?\d+(?:\.\d+)?", shape.path)]
    assert min(numbers) >= 0 and max(numbers) <= 600
    assert shape.path.startswith("M") and shape.path.endswith("Z")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "empty"),
        (b"not json", "not GeoJSON"),
        (b'{"type": "Feature"}', "FeatureCollection"),
        (b'{"type": "FeatureCollection", "features": []}', "No boundary names"),
    ],
)
def test_a_wrong_boundary_file_is_refused(db, data, message):
    factories.make_neighbourhood("Northtown")
    with pytest.raises(census.UploadError, match=message):
        boundaries.read_boundaries(data)


def test_the_page_draws_the_map_with_ideas(client, db, login_as):
    from .test_pages import _world

    process, first = _world(db)
    place = factories.make_neighbourhood("Northtown")
    factories.make_idea(first, title="Benches in Northtown", neighbourhood_id=place.id)
    admin = login_as(Role.ADMIN)
    path = "/admin/who-took-part/population"
    token = re.search(
        r'name="csrf_token" value="([^"]+)"', client.get(path).get_data(as_text=True)
    )[1]
    upload = client.post(
        path,
        data={
            "csrf_token": token,
            "which": "boundaries",
            "boundaries-table": (io.BytesIO(geojson(_square("Northtown", 0, 51))), "wards.geojson"),
        },
        content_type="multipart/form-data",
    )
    assert upload.status_code == 302, admin
    page = client.get(f"/consultations/{first.slug}/who-took-part").get_data(as_text=True)
    assert "Map of participation by neighbourhood" in page
    assert "Northtown: 1 idea" in page and "Map of participation as a table" in page
    bad = client.post(
        path,
        data={
            "csrf_token": token,
            "which": "boundaries",
            "boundaries-table": (io.BytesIO(b"nope"), "x.geojson"),
        },
        content_type="multipart/form-data",
    )
    assert bad.status_code == 400 and "not GeoJSON" in bad.get_data(as_text=True)
