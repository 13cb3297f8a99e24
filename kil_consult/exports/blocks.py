"""A small document model that every written export shares: the statement, the "you said, we
did" report and the progress report are lists of blocks, which ``docx.py`` writes as Word and
``html.py`` as standalone HTML (and, through WeasyPrint, as a tagged PDF)."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Heading:
    level: int  # 1 to 3
    text: str


@dataclass
class Para:
    text: str
    small: bool = False


@dataclass
class Markdown:
    """Text a facilitator wrote in Markdown (rendered, then sanitised, in HTML)."""

    text: str


@dataclass
class NumberedItem:
    """One item of the document's single numbered list (the commitments)."""

    text: str
    details: list[str] = field(default_factory=list)
    number: int = 1


@dataclass
class Table:
    caption: str
    header: list[str]
    rows: list[list[str]]
    description: str = ""  # what the table shows, beyond its caption (optional)

    @property
    def summary(self) -> str:
        """The table's description for Word and screen readers: what it shows and its shape."""
        rows = len(self.rows)
        shape = f"{rows} row{'s' if rows != 1 else ''}, with the columns " + ", ".join(self.header)
        return f"{self.description or self.caption}: {shape}."


@dataclass
class Chart:
    """A chart (an indicator's trend), drawn as SVG in HTML and PDF and as a picture in Word,
    always followed by a table with the same figures. ``chart`` is its shape (a
    ``TrendChart``); ``description`` is its text alternative."""

    caption: str
    description: str
    chart: object


@dataclass
class Document:
    title: str
    subtitle: str
    blocks: list = field(default_factory=list)
    draft: bool = False
    council: str = ""  # the running header on every page
    version: str = ""  # e.g. "Version 6, agreed 4 December 2026", in the running footer


# Table widths, in "characters" of about 1.9 mm (a letter of Arial at 9.5 pt, with room for
# DejaVu Sans, which LibreOffice uses where Arial is not installed): "m" and "w" count 1.5,
# capitals 1.2, "i", "l", "t" and punctuation 0.6; header words are bold (1.25 times as wide).
# Each cell's padding and borders take about 4 mm, on the 170 mm line of an A4 page.
_CHAR_MM, _PAD_MM, _LINE_MM, _LONGEST, _BOLD = 1.9, 4.0, 170.0, 60, 1.25
_NARROW = set("fijlrt.,;:'()!|1 ")


def _length(word: str) -> float:
    """A word's width in characters (see above)."""
    return sum(
        1.5 if c in "mwMW" else 0.6 if c in _NARROW else 1.2 if c.isupper() else 1.0 for c in word
    )


def column_weights(table: Table) -> list[float]:
    """Each column's share of the line, set by its content: wide enough for the longest word
    in it (so "Neighbourhood" is never broken inside a header), the rest shared out by how
    much text each column holds."""
    columns = list(zip(table.header, *table.rows, strict=True))
    least, want = [], []
    for header, *cells in columns:
        words = [_length(w) for text in cells for w in str(text).split()]
        words += [_length(w) * _BOLD for w in header.split()]
        least.append(max(3.0, *words))
        lengths = [min(_length(str(c)), _LONGEST) for c in cells] or [0]
        # Between the longest cell and the typical one: a column of titles gets more room
        # than one where a single row is long and the rest say "None".
        typical = (max(lengths) + sum(lengths) / len(lengths)) / 2
        want.append(max(least[-1], _length(header) * _BOLD, typical))
    room = (_LINE_MM - _PAD_MM * len(columns)) / _CHAR_MM
    if sum(want) <= room:
        chars = [w * room / sum(want) for w in want]
    elif sum(least) >= room:
        chars = [w * room / sum(least) for w in least]
    else:
        spare, extra = room - sum(least), [w - m for w, m in zip(want, least, strict=True)]
        chars = [m + spare * e / sum(extra) for m, e in zip(least, extra, strict=True)]
    return [(_PAD_MM + c * _CHAR_MM) / _LINE_MM for c in chars]
