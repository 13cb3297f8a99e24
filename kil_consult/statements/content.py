"""The words of one version of the statement, as typed values, and how two versions compare.

A version stores its content as JSON (``StatementVersion.content``); ``StatementContent`` reads
it (``from_dict``) and writes it back (``to_dict``) in the same shape, so that every page,
export and service reads one typed value and changes it with one of its ``with_*`` methods
instead of splicing dictionaries.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from html import unescape

from ..markdown import render_markdown
from ..timeutil import format_iso_date

# The champions every statement names, in order: (kind, label).
CHAMPION_KINDS = (
    ("cabinet", "Keep it Local champion in the Cabinet"),
    ("smt", "Keep it Local champion in the Senior Management Team"),
)
CHAMPION_LABELS = dict(CHAMPION_KINDS)


@dataclass(frozen=True)
class Section:
    """What one principle means locally."""

    principle: int
    title: str
    body: str = ""

    def to_dict(self) -> dict:
        return {"principle": self.principle, "title": self.title, "body": self.body}


@dataclass(frozen=True)
class CommitmentText:
    """A commitment's words in one version; ``id`` is its ``Commitment`` row (status, progress).

    ``due`` is an ISO date or empty; ``ideas`` the ideas it came from.
    """

    id: int
    principle: int
    text: str
    owner: str = ""
    due: str = ""
    ideas: tuple[int, ...] = ()

    def to_dict(self) -> dict:
        return {
            "id": self.id,
            "principle": self.principle,
            "text": self.text,
            "owner": self.owner,
            "due": self.due,
            "ideas": list(self.ideas),
        }

    def as_text(self) -> str:
        """The commitment with its owner, target date and ideas, as compared between versions."""
        due = f"\nTarget date: {format_iso_date(self.due)}" if self.due else ""
        owner = f"\nOwner: {self.owner}" if self.owner else ""
        ideas = f"\nIdeas: {', '.join(map(str, self.ideas))}" if self.ideas else ""
        return f"{self.text}{owner}{due}{ideas}"


@dataclass(frozen=True)
class Champion:
    """A Keep it Local champion: ``kind`` is one of ``CHAMPION_KINDS``."""

    kind: str
    name: str = ""
    role: str = ""

    @property
    def label(self) -> str:
        return CHAMPION_LABELS.get(self.kind, self.kind)

    def to_dict(self) -> dict:
        return {"kind": self.kind, "name": self.name, "role": self.role}


@dataclass(frozen=True)
class StatementContent:
    """The whole statement as one version holds it."""

    title: str
    preamble: str
    sections: tuple[Section, ...] = ()
    commitments: tuple[CommitmentText, ...] = ()
    champions: tuple[Champion, ...] = field(
        default_factory=lambda: tuple(Champion(kind) for kind, _label in CHAMPION_KINDS)
    )

    @classmethod
    def from_dict(cls, data: Mapping | StatementContent) -> StatementContent:
        """Read a version's stored JSON (or return typed content unchanged)."""
        if isinstance(data, StatementContent):
            return data
        return cls(
            title=data.get("title", ""),
            preamble=data.get("preamble", ""),
            sections=tuple(
                Section(int(s["principle"]), s.get("title", ""), s.get("body", ""))
                for s in data.get("sections", ())
            ),
            commitments=tuple(
                CommitmentText(
                    id=c["id"],
                    principle=c.get("principle", 0),
                    text=c.get("text", ""),
                    owner=c.get("owner", ""),
                    due=c.get("due", ""),
                    ideas=tuple(c.get("ideas", ())),
                )
                for c in data.get("commitments", ())
            ),
            champions=tuple(
                Champion(c["kind"], c.get("name", ""), c.get("role", ""))
                for c in data.get("champions", ())
            ),
        )

    def to_dict(self) -> dict:
        """The JSON a version stores."""
        return {
            "title": self.title,
            "preamble": self.preamble,
            "sections": [s.to_dict() for s in self.sections],
            "commitments": [c.to_dict() for c in self.commitments],
            "champions": [c.to_dict() for c in self.champions],
        }

    # --- reading ---------------------------------------------------------------------------

    def commitment(self, commitment_id: int) -> CommitmentText | None:
        """The commitment with this id, if this version has it."""
        return next((c for c in self.commitments if c.id == commitment_id), None)

    def commitment_number(self, commitment_id: int) -> int:
        """A commitment's number as people read it (1 for the first)."""
        return [c.id for c in self.commitments].index(commitment_id) + 1

    def champion(self, kind: str) -> Champion:
        """The champion of this kind (unnamed if the version has none)."""
        return next((c for c in self.champions if c.kind == kind), Champion(kind))

    # --- changing: each returns new content --------------------------------------------------

    def with_text(self, title: str, preamble: str, bodies: Mapping[int, str]) -> StatementContent:
        """New title, endorsement and section bodies (by principle; a missing one is emptied)."""
        sections = tuple(replace(s, body=bodies.get(s.principle) or "") for s in self.sections)
        return replace(self, title=title, preamble=preamble, sections=sections)

    def with_champions(self, champions: Iterable[Champion]) -> StatementContent:
        """The champions replaced, one of each kind in ``CHAMPION_KINDS`` order."""
        by_kind = {c.kind: c for c in champions}
        return replace(
            self,
            champions=tuple(by_kind.get(kind, Champion(kind)) for kind, _label in CHAMPION_KINDS),
        )

    def with_champion(self, champion: Champion) -> StatementContent:
        """One champion named anew, the others kept."""
        kept = [c for c in self.champions if c.kind != champion.kind]
        return self.with_champions([*kept, champion])

    def with_commitment(self, commitment: CommitmentText) -> StatementContent:
        """A commitment changed in its place, or added at the end if new."""
        if self.commitment(commitment.id) is None:
            return replace(self, commitments=(*self.commitments, commitment))
        return replace(
            self,
            commitments=tuple(commitment if c.id == commitment.id else c for c in self.commitments),
        )

    def with_commitment_moved(self, commitment_id: int, by: int) -> StatementContent:
        """One commitment moved ``by`` places (-1 up, 1 down), kept within the list."""
        items = list(self.commitments)
        at = [c.id for c in items].index(commitment_id)
        to = max(0, min(len(items) - 1, at + by))
        items.insert(to, items.pop(at))
        return replace(self, commitments=tuple(items))

    def without_commitment(self, commitment_id: int) -> StatementContent:
        """The content without one commitment (later ones move up a number)."""
        return replace(
            self, commitments=tuple(c for c in self.commitments if c.id != commitment_id)
        )


def typed(content: Mapping | StatementContent) -> StatementContent:
    """Stored JSON or typed content, as typed content."""
    return StatementContent.from_dict(content)


# --- what people respond to and what a version cites -------------------------------------


def parts_of(content: Mapping | StatementContent) -> list[tuple[str, str]]:
    """The parts people can respond to, with their names: preamble, sections, commitments."""
    content = typed(content)
    parts = [("preamble", "The council's endorsement")]
    parts += [(f"section-{s.principle}", f"Principle {s.principle}") for s in content.sections]
    parts += [
        (f"commitment-{c.id}", f"Commitment {n}") for n, c in enumerate(content.commitments, 1)
    ]
    return parts


def cited_ideas(content: Mapping | StatementContent) -> list[int]:
    """Every idea a version's commitments and sections cite, in order of first mention."""
    content = typed(content)
    seen: dict[int, None] = {}
    for commitment in content.commitments:
        for idea_id in commitment.ideas:
            seen.setdefault(idea_id, None)
    for section in content.sections:
        for match in re.finditer(r"\bideas? ([\d, ]+(?:and \d+)?)", section.body):
            for number in re.findall(r"\d+", match.group(1)):
                seen.setdefault(int(number), None)
    return list(seen)


# --- comparing versions --------------------------------------------------------------------


@dataclass
class PartDiff:
    """One part of the statement compared between two versions."""

    key: str
    label: str
    change: str  # "added", "removed", "changed" or "same"
    fragments: list[tuple[str, str]]  # ("same" | "ins" | "del", text)


_TOKENS = re.compile(r"\s+|[^\s]+")


def diff_text(old: str, new: str) -> list[tuple[str, str]]:
    """A word-level diff of two texts as fragments ``(kind, text)``."""
    a, b = _TOKENS.findall(old or ""), _TOKENS.findall(new or "")
    fragments: list[tuple[str, str]] = []
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            fragments.append(("same", "".join(a[i1:i2])))
            continue
        if op in ("delete", "replace"):
            fragments.append(("del", "".join(a[i1:i2])))
        if op in ("insert", "replace"):
            fragments.append(("ins", "".join(b[j1:j2])))
    return fragments


def _words(markdown: str) -> str:
    """Markdown as the words a reader sees (no asterisks or hashes), one paragraph or list item
    a line, for comparing versions."""
    html = str(render_markdown(markdown or ""))
    text = unescape(re.sub(r"<[^>]+>", "", re.sub(r"</(p|li|h\d)>", "\n", html)))
    return "\n".join(" ".join(line.split()) for line in text.splitlines() if line.strip())


def _parts_for_diff(content: StatementContent) -> dict[str, tuple[str, str]]:
    parts = {
        "title": ("Title", content.title),
        "preamble": ("The council's endorsement", _words(content.preamble)),
    }
    for s in content.sections:
        parts[f"section-{s.principle}"] = (f"Principle {s.principle}: {s.title}", _words(s.body))
    for n, c in enumerate(content.commitments, start=1):
        parts[f"commitment-{c.id}"] = (f"Commitment {n}", c.as_text())
    parts["champions"] = (
        "Keep it Local champions",
        "\n".join(f"{c.label}: {c.name}, {c.role}" for c in content.champions),
    )
    return parts


def compare(old: Mapping | StatementContent, new: Mapping | StatementContent) -> list[PartDiff]:
    """Every part of two versions, in the newer version's order (removed parts after)."""
    before, after = _parts_for_diff(typed(old)), _parts_for_diff(typed(new))
    result = []
    for key, (label, text) in after.items():
        if key not in before:
            result.append(PartDiff(key, label, "added", [("ins", text)]))
            continue
        old_label, old_text = before[key]
        if old_text == text and old_label == label:
            result.append(PartDiff(key, label, "same", [("same", text)]))
        else:
            result.append(PartDiff(key, label, "changed", diff_text(old_text, text)))
    for key, (label, text) in before.items():
        if key not in after:
            result.append(PartDiff(key, label, "removed", [("del", text)]))
    return result
