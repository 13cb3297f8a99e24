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
class Document:
    title: str
    subtitle: str
    blocks: list = field(default_factory=list)
    draft: bool = False
    council: str = ""  # the running header on every page
    version: str = ""  # e.g. "Version 6, agreed 4 December 2026", in the running footer


# Table widths: Arial at 9.5 pt averages about 1.75 mm a character, and each cell's padding and
# borders take about 2.5 mm, on the 170 mm line of an A4 page with 20 mm margins.
_CHAR_MM, _PAD_MM, _LINE_MM, _LONGEST = 1.75, 2.5, 170.0, 60


def column_weights(table: Table) -> list[float]:
    """Each column's share of the line, set by its content: wide enough for the longest word
    in it (so "Neighbourhood" is never broken inside a header), the rest shared out by how
    much text each column holds."""
    columns = list(zip(table.header, *table.rows, strict=True))
    least, want = [], []
    for header, *cells in columns:
        words = [w for text in (header, *cells) for w in str(text).split()] or [""]
        least.append(max(3.0, max(len(w) for w in words) * 1.1))  # headers are bold
        longest = max([len(header) * 1.1] + [min(len(str(c)), _LONGEST) for c in cells])
        want.append(max(least[-1], longest))
    room = (_LINE_MM - _PAD_MM * len(columns)) / _CHAR_MM
    if sum(want) <= room:
        chars = [w * room / sum(want) for w in want]
    elif sum(least) >= room:
        chars = [w * room / sum(least) for w in least]
    else:
        spare, extra = room - sum(least), [w - m for w, m in zip(want, least, strict=True)]
        chars = [m + spare * e / sum(extra) for m, e in zip(least, extra, strict=True)]
    return [(_PAD_MM + c * _CHAR_MM) / _LINE_MM for c in chars]
