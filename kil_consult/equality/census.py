"""Uploads an admin makes for "Who took part": Census 2021 tables for the council's area (CSV
as downloaded from Nomis), the neighbourhoods' populations, and the postcode-to-ward lookup.

Each is read and checked whole before anything is stored, and replaces what was there. A file
that cannot be used is refused with a message that says what to fix (``UploadError``).
"""

from __future__ import annotations

import csv
import io
import re

from sqlalchemy import delete, select

from .. import audit
from ..consultations.services import neighbourhoods
from ..extensions import db
from .models import PopulationFigure, PostcodeWard, WardNeighbourhood
from .questions import AGE_BOUNDS, QUESTIONS, question
from .services import AboutYouError, normalise_postcode

MAX_BYTES = 20 * 1024 * 1024
ILLUSTRATIVE = "Illustrative figures for the demonstration, not real Census data"

CHOICES = [("", "Choose a characteristic")] + [
    (q.name, f"{q.characteristic}: {q.census_table}") for q in QUESTIONS
]

# Other words Nomis uses for a group (lower case), beyond the group's own label.
CENSUS_LABELS: dict[str, dict[str, tuple[str, ...]]] = {
    "sex": {"female": ("female",), "male": ("male",)},
    "gender_identity": {
        "same": ("gender identity the same as sex registered at birth",),
        "different": (
            "gender identity different from sex registered at birth but no specific identity given",
            "trans woman",
            "trans man",
            "non-binary",
            "all other gender identities",
        ),
    },
    "disability": {
        "limited_a_lot": ("day-to-day activities limited a lot",),
        "limited_a_little": ("day-to-day activities limited a little",),
        "not_disabled": (
            "has long term physical or mental health condition but day-to-day activities are "
            "not limited",
            "no long term physical or mental health conditions",
        ),
    },
    "religion": {"other": ("other religion",)},
    "sexual_orientation": {
        "straight": ("straight or heterosexual",),
        "gay_lesbian": ("gay or lesbian",),
        "bisexual": ("bisexual",),
        "other": ("all other sexual orientations", "pansexual", "asexual", "queer"),
    },
    "carer": {
        "none": ("provides no unpaid care",),
        "up_to_19": (
            "provides 19 hours or less unpaid care a week",
            "provides 9 hours or less unpaid care a week",
            "provides 10 to 19 hours unpaid care a week",
        ),
        "20_49": (
            "provides 20 to 49 hours unpaid care a week",
            "provides 20 to 34 hours unpaid care a week",
            "provides 35 to 49 hours unpaid care a week",
        ),
        "50_over": ("provides 50 or more hours unpaid care a week",),
    },
}


class UploadError(ValueError):
    """A file that cannot be used, with what to fix."""


def _words(text: str) -> str:
    text = re.sub(r";\s*measures:.*$", "", text or "", flags=re.IGNORECASE)
    return " ".join(text.replace("\u2019", "'").strip().lower().split())


def _number(text: str) -> int | None:
    cleaned = (text or "").replace(",", "").strip()
    if not re.fullmatch(r"\d+(\.0+)?", cleaned):
        return None
    return int(float(cleaned))


def _rows(data: bytes) -> list[list[str]]:
    if not data:
        raise UploadError("The selected file is empty")
    if len(data) > MAX_BYTES:
        raise UploadError(
            "The file is larger than 20 MB: download the figures for the council's area only"
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError as exc:  # pragma: no cover - cp1252 decodes nearly anything
            raise UploadError("The file must be a CSV file saved as UTF-8 text") from exc
    if "\x00" in text:
        raise UploadError("The file is not a CSV file: save it as CSV and try again")
    try:
        return [
            row for row in csv.reader(io.StringIO(text, newline="")) if any(c.strip() for c in row)
        ]
    except csv.Error as exc:
        raise UploadError(f"The CSV file could not be read: {exc}") from exc


def _pairs(rows: list[list[str]]) -> list[tuple[str, int]]:
    """(label, people) from a Nomis download: either one row per category (the table view),
    or one header row of categories over one row of figures for the area (the bulk file)."""
    header = next((r for r in rows if any("geography" in c.lower() for c in r)), None)
    if header is not None:
        data = [r for r in rows[rows.index(header) + 1 :] if len(r) >= len(header) // 2]
        if len(data) != 1:
            raise UploadError(
                f"The file has figures for {len(data)} areas: download the table for the "
                "council's area only"
            )
        return [
            (label, n)
            for label, value in zip(header, data[0], strict=False)
            if (n := _number(value)) is not None
            and "geography" not in label.lower()
            and label.lower() != "date"
        ]
    pairs = []
    for row in rows:
        cells = [c for c in row if c.strip()]
        if len(cells) >= 2 and (n := _number(cells[-1])) is not None and _number(cells[0]) is None:
            pairs.append((cells[0], n))
    return pairs


def _age_years(label: str) -> tuple[int, int] | None:
    words = _words(label)
    if m := re.search(r"(\d+) to (\d+)", words):
        return int(m[1]), int(m[2])
    if m := re.search(r"(\d+) years? and under", words):
        return 0, int(m[1])
    if m := re.search(r"(\d+) (years )?(and|or) over", words):
        return int(m[1]), 200
    if m := re.fullmatch(r"(aged )?(\d+) years?", words):
        return int(m[2]), int(m[2])
    return None


def _age_groups(pairs: list[tuple[str, int]]) -> tuple[dict[str, float], list[str]]:
    """People by age band from Census age columns. A column across two bands (Nomis's "15 to
    19") is shared between them by the years in each: an estimate, said so in the notes."""
    found = dict.fromkeys(AGE_BOUNDS, 0.0)
    notes = []
    for label, people in pairs:
        if "total" in label.lower():
            continue
        span = _age_years(label.split(":")[-1])
        if span is None:
            continue
        low, high = span
        years = high - low + 1 if high < 200 else 1
        for band, (b_low, b_high) in AGE_BOUNDS.items():
            overlap = min(high, b_high) - max(low, b_low) + 1
            if overlap <= 0:
                continue
            if high >= 200:
                found[band] += people
                continue
            found[band] += people * overlap / years
            if overlap < years:
                notes.append(f"{label.split(':')[-1].strip()} shared by years")
    return found, notes


def _group_labels(name: str) -> dict[str, str]:
    q = question(name)
    labels: dict[str, str] = {}
    for g in q.groups:
        labels[_words(g.label)] = g.code
        for other in CENSUS_LABELS.get(name, {}).get(g.code, ()):
            labels[_words(other)] = g.code
    return labels


def read_census(name: str, data: bytes) -> tuple[dict[str, int], list[str]]:
    """The people in each group of one characteristic from a Census table, and notes."""
    if name not in {q.name for q in QUESTIONS}:
        raise UploadError("Choose which characteristic the table counts")
    pairs = _pairs(_rows(data))
    if not pairs:
        raise UploadError("The file has no figures: download the table from Nomis as CSV")
    q = question(name)
    if name == "age_band":
        people, notes = _age_groups(pairs)
        counted = {code: round(n) for code, n in people.items()}
    else:
        labels = _group_labels(name)
        counted = {g.code: 0 for g in q.groups}
        seen = set()
        for label, n in pairs:
            for candidate in (_words(label), _words(label.split(":")[-1])):
                if candidate in labels:
                    counted[labels[candidate]] += n
                    seen.add(labels[candidate])
                    break
        notes = []
        missing = [g.label for g in q.groups if g.code not in seen]
        if missing:
            raise UploadError(
                f"The table has no figure for: {'; '.join(missing)}. Is it the Census table "
                f"{q.census_table} for the council's area?"
            )
    if not sum(counted.values()):
        raise UploadError(
            f"The table counts nobody in the groups of {q.characteristic.lower()}. Is it the "
            f"Census table {q.census_table}?"
        )
    return counted, sorted(set(notes))


def store_population(
    name: str, people: dict[str, int], source: str, illustrative: bool, by=None
) -> PopulationFigure:
    """Replace the population figures of one characteristic (the first is returned)."""
    db.session.execute(delete(PopulationFigure).where(PopulationFigure.characteristic == name))
    rows = [
        PopulationFigure(
            characteristic=name,
            group=group,
            people=int(n),
            source=source,
            illustrative=illustrative,
            uploaded_by_id=by.id if by is not None else None,
        )
        for group, n in people.items()
    ]
    db.session.add_all(rows)
    db.session.flush()
    return rows[0]


def load_census(name: str, data: bytes, admin) -> str:
    """Read a Census table and keep its figures for ``name``; the message to show."""
    people, notes = read_census(name, data)
    q = question(name)
    first = store_population(
        name, people, f"Census 2021, {q.census_table}, from Nomis", False, admin
    )
    audit.record(admin, "population.upload", first, after={"characteristic": name})
    total = sum(people.values())
    message = f"{q.characteristic}: {total:,} people in {len(people)} groups loaded."
    if notes:
        message += " Estimated by years: " + ", ".join(notes) + "."
    return message


def load_ward_populations(data: bytes, admin) -> str:
    """Set each neighbourhood's population from a CSV of names and usual residents (the
    existing neighbourhood-against-population figures read them too)."""
    places = {n.name.lower(): n for n in neighbourhoods()}
    if not places:
        raise UploadError("The council has no neighbourhoods yet: add them first")
    rows = _rows(data)
    header = next((r for r in rows if any("geography" in c.lower() for c in r)), None)
    found: dict[str, int] = {}
    for row in rows[rows.index(header) + 1 :] if header else rows:
        cells = [c.strip() for c in row]
        numbers = [_number(c) for c in cells]
        names = [c for c, n in zip(cells, numbers, strict=True) if c and n is None]
        values = [n for n in numbers if n is not None]
        if not names or not values:
            continue
        place = next((places[c.lower()] for c in names if c.lower() in places), None)
        if place is not None:
            found[place.name] = values[-1] if header is None else values[0]
    if not found:
        raise UploadError(
            "No row names one of the council's neighbourhoods ("
            + ", ".join(n.name for n in places.values())
            + "): check the names match"
        )
    for name, people in found.items():
        places[name.lower()].population = people
    db.session.flush()
    audit.record(
        admin,
        "population.upload",
        places[next(iter(found)).lower()],
        after={"characteristic": "neighbourhood", "neighbourhoods": len(found)},
    )
    missing = [n.name for n in places.values() if n.name not in found]
    message = f"Populations set for {len(found)} neighbourhoods."
    if missing:
        message += " Not in the file: " + ", ".join(missing) + "."
    return message


POSTCODE_COLUMNS = {
    "postcode": ("pcds", "pcd", "pcd7", "pcd8", "postcode"),
    "ward_code": ("osward", "wd22cd", "wd23cd", "wd24cd", "ward code", "ward_code"),
    "ward_name": ("wd22nm", "wd23nm", "wd24nm", "ward name", "ward_name", "ward"),
    "decile": ("decile", "imd decile", "imd_decile", "deprivation decile", "deprivation_decile"),
}


def load_postcodes(data: bytes, admin) -> str:
    """Replace the postcode-to-ward lookup from an extract of the ONS Postcode Directory."""
    rows = _rows(data)
    header = [_words(c) for c in rows[0]]
    where = {}
    for column, names in POSTCODE_COLUMNS.items():
        where[column] = next((i for i, h in enumerate(header) if h in names), None)
    if where["postcode"] is None or where["ward_code"] is None:
        raise UploadError(
            "The first row must name a postcode column (pcds) and a ward code column (osward)"
        )
    lookup: dict[str, PostcodeWard] = {}
    for line, row in enumerate(rows[1:], start=2):

        def cell(column, row=row):
            i = where[column]
            return row[i].strip() if i is not None and i < len(row) else ""

        try:
            postcode = normalise_postcode(cell("postcode"))
        except AboutYouError as exc:
            raise UploadError(f"Row {line}: “{cell('postcode')}” is not a postcode") from exc
        decile = cell("decile")
        if decile and (_number(decile) is None or not 1 <= _number(decile) <= 10):
            raise UploadError(f"Row {line}: the deprivation decile must be a number from 1 to 10")
        ward_code = cell("ward_code")
        if not ward_code or len(ward_code) > 12:
            raise UploadError(f"Row {line}: enter the ward code, like E05011570")
        lookup[postcode] = PostcodeWard(
            postcode=postcode,
            ward_code=ward_code,
            ward_name=(cell("ward_name") or ward_code)[:80],
            deprivation_decile=_number(decile) if decile else None,
        )
    if not lookup:
        raise UploadError("The file has no postcodes under its first row")
    db.session.execute(delete(PostcodeWard))
    db.session.add_all(lookup.values())
    db.session.flush()
    audit.record(
        admin, "postcodes.upload", next(iter(lookup.values())), after={"postcodes": len(lookup)}
    )
    return f"{len(lookup):,} postcodes loaded."


WARD_COLUMNS = {
    "ward_code": POSTCODE_COLUMNS["ward_code"],
    "neighbourhood": ("neighbourhood", "neighbourhood name", "area", "district", "town"),
}


def load_ward_neighbourhoods(data: bytes, admin) -> str:
    """Replace which neighbourhood each ward belongs to (a ward code column and a
    neighbourhood name column), so that postcodes place people in neighbourhoods."""
    rows = _rows(data)
    header = [_words(c) for c in rows[0]]
    where = {
        k: next((i for i, h in enumerate(header) if h in names), None)
        for k, names in WARD_COLUMNS.items()
    }
    if None in where.values():
        raise UploadError(
            "The first row must name a ward code column (such as WD22CD) and a Neighbourhood column"
        )
    places = {n.name.lower(): n for n in neighbourhoods()}
    found: dict[str, int] = {}
    for line, row in enumerate(rows[1:], start=2):
        cells = [c.strip() for c in row] + [""] * len(header)
        code, name = cells[where["ward_code"]], cells[where["neighbourhood"]]
        if not code or len(code) > 12:
            raise UploadError(f"Row {line}: enter the ward code, like E05011570")
        if name.lower() not in places:
            raise UploadError(f"Row {line}: “{name}” is not one of the council's neighbourhoods")
        found[code] = places[name.lower()].id
    if not found:
        raise UploadError("The file has no wards under its first row")
    db.session.execute(delete(WardNeighbourhood))
    db.session.add_all(WardNeighbourhood(ward_code=c, neighbourhood_id=n) for c, n in found.items())
    db.session.flush()
    first = next(p for p in places.values() if p.id in found.values())
    audit.record(admin, "population.upload", first, after={"wards": len(found)})
    return f"{len(found):,} wards placed in {len(set(found.values()))} neighbourhoods."


def loaded() -> list[dict]:
    """What population figures are loaded, characteristic by characteristic."""
    found = []
    rows = db.session.scalars(select(PopulationFigure)).all()
    for q in QUESTIONS:
        mine = [r for r in rows if r.characteristic == q.name]
        found.append(
            {
                "characteristic": q.characteristic,
                "table": q.census_table,
                "people": sum(r.people for r in mine),
                "source": mine[0].source if mine else "",
                "illustrative": any(r.illustrative for r in mine),
            }
        )
    places = neighbourhoods()
    found.append(
        {
            "characteristic": "Neighbourhood",
            "table": "Usual residents by ward",
            "people": sum(p.population or 0 for p in places),
            "source": "Set on the neighbourhoods" if any(p.population for p in places) else "",
            "illustrative": False,
        }
    )
    found.append(
        {
            "characteristic": "Postcodes",
            "table": "ONS Postcode Directory extract",
            "people": db.session.scalar(select(db.func.count()).select_from(PostcodeWard)) or 0,
            "source": "",
            "illustrative": False,
        }
    )
    return found
