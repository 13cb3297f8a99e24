"""Paper responses typed into a spreadsheet (CSV or Excel), read and checked row by row before
any is imported, then imported all together or not at all.

The first row names the columns: a title and what the person said are needed; who gave the
idea and the area it is about may be given. Column names are matched loosely ("Title",
"Idea title"; "Idea", "Description", "What they said"; "Name", "From"; "Area",
"Neighbourhood"). Areas above this one may read more columns (``register_columns``, called
from ``create_app``): the "About you" answers of equality monitoring are read that way.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field

from .forms import BODY_MAX, TITLE_MAX
from .models import CommunityEvent, Idea
from .offline import enter_offline_idea

MAX_ROWS = 2000
NAME_MAX = 80

COLUMNS = {
    "title": ("title", "idea title", "headline", "summary"),
    "body": ("idea", "description", "what they said", "what the person said", "details", "body"),
    "contributor_name": ("name", "from", "who", "contributor", "given by"),
    "neighbourhood": ("area", "neighbourhood", "place", "location"),
}


@dataclass(frozen=True)
class ExtraColumns:
    """More columns a row may carry, for an area above ideas: the header names it reads (by
    field), a check of a row's values (its mistakes, in words), what to do with them once the
    row's idea is entered, and a line for the page that explains the columns."""

    name: str
    headers: dict[str, tuple[str, ...]]
    check: Callable[[dict[str, str]], list[str]]
    store: Callable[..., None]  # (event, facilitator, idea, values)
    help: str = ""
    # Columns that depend on the event's consultation (its own questions): more header names
    # by field, and lines for the page that explains them (both given the event).
    headers_for: Callable[..., dict[str, tuple[str, ...]]] | None = None
    help_for: Callable[..., list[str]] | None = None

    def all_headers(self, event=None) -> dict[str, tuple[str, ...]]:
        """The header names this area reads, with those of the event's consultation."""
        if event is None or self.headers_for is None:
            return self.headers
        return {**self.headers, **self.headers_for(event)}

    def help_lines(self, event=None) -> list[str]:
        """The lines for the page that explains the columns of this event's spreadsheet."""
        if event is not None and self.help_for is not None:
            return self.help_for(event)
        return [self.help] if self.help else []


_EXTRAS: dict[str, ExtraColumns] = {}


def register_columns(extra: ExtraColumns) -> None:
    """Read more columns from every spreadsheet (called from ``create_app``; idempotent)."""
    _EXTRAS[extra.name] = extra


def registered_columns() -> list[ExtraColumns]:
    """The extra columns spreadsheets may carry, for the page that explains them."""
    return list(_EXTRAS.values())


def column_help(event=None) -> list[str]:
    """Lines explaining the extra columns an event's spreadsheet may carry."""
    return [line for extra in _EXTRAS.values() for line in extra.help_lines(event)]


class SpreadsheetError(ValueError):
    """A file that cannot be read as a spreadsheet of ideas, with a message for staff."""


@dataclass
class ImportRow:
    """One row of the spreadsheet: what it holds and what is wrong with it."""

    line: int  # the spreadsheet's own row number (the header is row 1)
    title: str
    body: str
    contributor_name: str = ""
    neighbourhood: str = ""
    neighbourhood_id: int | None = None
    errors: list[str] = field(default_factory=list)
    extra: dict[str, dict[str, str]] = field(default_factory=dict)  # by ExtraColumns.name

    def as_dict(self) -> dict:
        return {
            "line": self.line,
            "title": self.title,
            "body": self.body,
            "contributor_name": self.contributor_name,
            "neighbourhood": self.neighbourhood,
            "extra": self.extra,
        }


def read_spreadsheet(filename: str, data: bytes) -> list[list[str]]:
    """The cells of the first sheet, as text, row by row (CSV in UTF-8, or .xlsx)."""
    name = (filename or "").lower()
    if not data:
        raise SpreadsheetError("The selected file is empty")
    if name.endswith(".xlsx"):
        return _read_xlsx(data)
    if name.endswith(".csv") or name.endswith(".txt"):
        return _read_csv(data)
    raise SpreadsheetError("The file must be a CSV file (.csv) or an Excel workbook (.xlsx)")


def _read_csv(data: bytes) -> list[list[str]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = data.decode("cp1252")  # "CSV" saved by older Excel on Windows
        except UnicodeDecodeError as exc:
            raise SpreadsheetError("The CSV file must be saved as UTF-8 text") from exc
    if "\x00" in text:
        raise SpreadsheetError("The file is not a CSV file: save it as CSV (UTF-8) and try again")
    try:
        return [row for row in csv.reader(io.StringIO(text, newline=""))][: MAX_ROWS + 2]
    except csv.Error as exc:
        raise SpreadsheetError(f"The CSV file could not be read: {exc}") from exc


def _read_xlsx(data: bytes) -> list[list[str]]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise SpreadsheetError(
            "The file is not an Excel workbook (.xlsx) that can be read"
        ) from exc
    try:
        sheet = book.worksheets[0]
        rows = []
        for values in sheet.iter_rows(values_only=True, max_row=MAX_ROWS + 2):
            rows.append(["" if v is None else str(v) for v in values])
        return rows
    finally:
        book.close()


def header_words(header: str) -> str:
    """A header as it is matched: lower case, single spaces, underscores as spaces."""
    return " ".join(str(header).strip().lower().replace("_", " ").split())


def _column_for(header: str, event=None) -> str | tuple[str, str] | None:
    """The column a header names: one of ``COLUMNS``, or (extra, field) of registered ones."""
    wanted = header_words(header)
    for column, names in COLUMNS.items():
        if wanted in names:
            return column
    for extra in _EXTRAS.values():
        for name, names in extra.all_headers(event).items():
            if wanted in names:
                return (extra.name, name)
    return None


def check_rows(
    cells: list[list[str]], neighbourhoods: dict[str, int], event=None
) -> list[ImportRow]:
    """Each non-empty row after the header, checked as the idea form checks an idea.

    ``neighbourhoods`` maps lower-case names to ids; an unknown area is an error on its row.
    With the ``event``, the columns of its consultation's own questions are read too.
    """
    if not cells or not any(c.strip() for c in cells[0]):
        raise SpreadsheetError("The first row must name the columns, such as Title and Idea")
    columns = [_column_for(h, event) for h in cells[0]]
    missing = [name for name in ("title", "body") if name not in columns]
    if missing:
        raise SpreadsheetError(
            "The first row must have a Title column and an Idea (or Description) column"
        )
    rows: list[ImportRow] = []
    for number, values in enumerate(cells[1:], start=2):
        found = {c: "" for c in COLUMNS}
        extra: dict[str, dict[str, str]] = {}
        for column, value in zip(columns, values, strict=False):
            if isinstance(column, tuple):
                text = " ".join(str(value).split())
                if text:
                    extra.setdefault(column[0], {})[column[1]] = text
            elif column and not found[column]:
                found[column] = (
                    " ".join(str(value).split()) if column != "body" else str(value).strip()
                )
        if not any(found.values()):
            continue  # blank lines are common in typed-up sheets
        row = ImportRow(
            number,
            found["title"],
            found["body"],
            found["contributor_name"],
            found["neighbourhood"],
            extra=extra,
        )
        check(row, neighbourhoods)
        rows.append(row)
    if not rows:
        raise SpreadsheetError("The file has no ideas under its first row")
    if len(rows) > MAX_ROWS:
        raise SpreadsheetError(
            f"The file has more than {MAX_ROWS:,} ideas: split it into smaller files"
        )
    return rows


def check(row: ImportRow, neighbourhoods: dict[str, int]) -> None:
    """Put on the row what the idea form would refuse (and find its area's id)."""
    row.errors = []
    if not row.title:
        row.errors.append("Enter a title")
    elif len(row.title) > TITLE_MAX:
        row.errors.append(f"The title must be {TITLE_MAX} characters or fewer")
    if not row.body:
        row.errors.append("Enter what the person said")
    elif len(row.body) > BODY_MAX:
        row.errors.append(f"What the person said must be {BODY_MAX:,} characters or fewer")
    if len(row.contributor_name) > NAME_MAX:
        row.errors.append(f"The name must be {NAME_MAX} characters or fewer")
    if any(
        ord(ch) < 32 and ch not in "\n\r\t" for ch in row.title + row.body + row.contributor_name
    ):
        row.errors.append("Remove the control characters")
    if row.neighbourhood:
        row.neighbourhood_id = neighbourhoods.get(row.neighbourhood.lower())
        if row.neighbourhood_id is None:
            row.errors.append(f"“{row.neighbourhood}” is not one of the council's areas")
    for name, values in row.extra.items():
        if name in _EXTRAS:
            row.errors.extend(_EXTRAS[name].check(values))


def import_rows(event: CommunityEvent, facilitator, rows: list[ImportRow]) -> list[Idea]:
    """Enter every row as an idea from the event, in order; refuses if any row has an error,
    so that nothing is half imported (the caller commits once, or rolls back)."""
    if any(row.errors for row in rows):
        raise SpreadsheetError("Some rows have mistakes: correct them and upload the file again")
    ideas = []
    for row in rows:
        idea = enter_offline_idea(
            event,
            facilitator,
            row.title,
            row.body,
            contributor_name=row.contributor_name,
            neighbourhood_id=row.neighbourhood_id,
        )
        for name, values in row.extra.items():
            if name in _EXTRAS:
                _EXTRAS[name].store(event, facilitator, idea, values)
        ideas.append(idea)
    return ideas
