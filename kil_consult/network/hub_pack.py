"""The hub's pack for the next network meeting: every member's latest levels side by side,
each principle council by council, the suggested peer pairs, the award nominations and the
councils whose returns could not be taken in, as a ``Document`` for Word or PDF."""

from __future__ import annotations

from ..exports.blocks import Document, Heading, Para, Table
from ..timeutil import format_date, utcnow
from . import hub_views
from .hub_models import HarvestStatus, MemberCouncil


def _plain(text: str) -> str:
    """Markdown's emphasis left out (a table cell holds plain text)."""
    return text.replace("**", "").replace("__", "")


def _change(standing) -> str:
    before = standing.previous_level
    if before is None:
        return "First rated"
    if before == standing.level:
        return "No change"
    return f"{'Up' if standing.level > before else 'Down'} from {before}"


def hub_pack_document(members: list[MemberCouncil], network_name: str) -> Document:
    """The meeting pack from the returns the hub holds now."""
    with_returns = [m for m in members if m.latest]
    rows = hub_views.side_by_side(members)
    blocks: list = [
        Heading(1, "Keep it Local Network meeting pack"),
        Para(
            f"The latest self-assessments of {len(with_returns)} member councils, as the hub "
            f"held them on {format_date(utcnow())}. Levels: 1 Starting out, 2 Developing, "
            "3 Established, 4 Leading."
        ),
        Heading(2, "Levels at a glance"),
        Table(
            "Each council's level on each principle",
            ["Council", *[f"P{p.number}" for p, _s in rows]],
            [
                [m.display_name, *[str(m.latest.level(p.number) or "-") for p, _s in rows]]
                for m in with_returns
            ],
            "Each member council's level on principles 1 to 6 in its latest return",
        ),
    ]
    for principle, standings in rows:
        blocks.append(Heading(2, f"Principle {principle.number}: {principle.title}"))
        if not standings:
            blocks.append(Para("No returns yet."))
            continue
        blocks.append(
            Table(
                f"Principle {principle.number}, council by council",
                ["Council", "Level", "Change", "Next steps", "Owner"],
                [
                    [
                        s.member.display_name,
                        f"{s.level}, {s.label}",
                        _change(s),
                        _plain(s.next_steps),
                        s.champion,
                    ]
                    for s in standings
                ],
            )
        )
    pairs = hub_views.peer_pairs(members)
    blocks.append(Heading(2, "Suggested peer pairs"))
    blocks.append(
        Table(
            "Peer pairs",
            ["Principle", "Strong on it", "Wants to improve on it"],
            [
                [
                    str(p.principle.number),
                    f"{p.strong.member.display_name} ({p.strong.level})",
                    f"{p.improving.member.display_name} ({p.improving.level})",
                ]
                for p in pairs
            ],
        )
        if pairs
        else Para("No pairs to suggest yet.")
    )
    blocks.append(Heading(2, "Award nominations"))
    nominations = hub_views.nominations(members)
    if not nominations:
        blocks.append(Para("No completed commitments in the latest returns yet."))
    for member, commitment in nominations:
        blocks.append(Heading(3, f"{member.display_name}, principle {commitment['principle']}"))
        blocks.append(Para(commitment["text"]))
        if commitment.get("progress"):
            blocks.append(
                Table(
                    f"What {member.display_name} recorded",
                    ["Date", "What happened"],
                    [[u["date"], u["text"]] for u in commitment["progress"]],
                )
            )
    troubled = [m for m in members if m.status in (HarvestStatus.INVALID, HarvestStatus.DOWN)]
    if troubled:
        blocks.append(Heading(2, "Returns the hub could not take in"))
        blocks.append(
            Table(
                "Councils whose latest returns are missing",
                ["Council", "Why"],
                [[m.display_name, m.problem or m.status.label] for m in troubled],
            )
        )
    return Document(
        blocks[0].text,
        network_name,
        blocks,
        council=network_name,
        version=f"Network meeting pack, {format_date(utcnow())}",
    )
