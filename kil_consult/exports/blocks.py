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


@dataclass
class Document:
    title: str
    subtitle: str
    blocks: list = field(default_factory=list)
    draft: bool = False
