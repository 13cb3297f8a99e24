"""Who took part and how, and how to read the figures, as document blocks: the sections the
statement and the consultation report share (issue 15). The figures themselves come from
``statements/taking_part.py`` (frozen with an agreed statement's evidence)."""

from __future__ import annotations

from ..statements.taking_part import _day, idea_sources, taking_part
from .blocks import Heading, Para, Table

__all__ = ["idea_sources", "reading_blocks", "taking_part", "taking_part_blocks"]


def _share(value: float | None) -> str:
    return "Not known" if value is None else f"{round(value * 100)}%"


def taking_part_blocks(data: dict, level: int = 2) -> list:
    """The "Who took part and how" section."""
    blocks: list = [
        Heading(level, "Who took part and how"),
        Para(
            f"{data['people']} {'person' if data['people'] == 1 else 'people'} took part: they "
            "shared ideas, voted on them or commented, online or at workshops and events. "
            f"{data['organisations']} local "
            f"{'organisation' if data['organisations'] == 1 else 'organisations'} shared ideas."
        ),
    ]
    if len(data["consultations"]) > 1:
        blocks.append(
            Table(
                "Taking part in each consultation",
                ["Principle", "People", "Ideas", "Votes", "Comments"],
                [
                    [f"{c['principle']}. {c['title']}", *map(str, (c["people"], c["ideas"]))]
                    + [str(c["votes"]), str(c["comments"])]
                    for c in data["consultations"]
                ],
                "People, ideas, votes and comments in each of the consultations",
            )
        )
    else:
        c = data["consultations"][0]
        blocks.append(
            Table(
                "Taking part",
                ["Measure", "Number"],
                [
                    ["People taking part", str(c["people"])],
                    ["Ideas", str(c["ideas"])],
                    ["Votes", str(c["votes"])],
                    ["Comments", str(c["comments"])],
                ],
            )
        )
    blocks.append(
        Table(
            "Ideas by how they were shared",
            ["How shared", "Ideas", "Votes on them"],
            [[s["label"], str(s["ideas"]), str(s["votes"])] for s in data["sources"]],
            "Published ideas and the votes on them, by how each idea was shared",
        )
    )
    if data["events"]:
        blocks.append(
            Table(
                "Workshops and events",
                ["Event", "Date", "Place", "Attended", "Ideas"],
                [
                    [
                        f"{e['name']} ({e['kind'].lower()})",
                        _day(e["held_on"]),
                        e["place"] or "Not recorded",
                        "Not recorded" if e["attendees"] is None else str(e["attendees"]),
                        str(e["ideas"]),
                    ]
                    for e in data["events"]
                ],
                "Workshops, events and batches of paper or phone responses, with the ideas "
                "gathered at each",
            )
        )
    else:
        blocks.append(Para("No workshops or events were recorded."))
    if data["neighbourhoods"]:
        blocks.append(
            Table(
                "Neighbourhoods against population",
                ["Neighbourhood", "People", "Share of people", "Share of population"],
                [
                    [p["name"], str(p["people"])]
                    + [_share(p["people_share"]), _share(p["population_share"])]
                    for p in data["neighbourhoods"]
                ],
                "People taking part from each neighbourhood beside its share of the area's "
                "population",
            )
        )
        blocks.append(
            Para(
                f"{data['no_neighbourhood']} of the people taking part did not say where they "
                "live; the shares are of those who did.",
                small=True,
            )
        )
    return blocks


def reading_blocks(level: int = 2) -> list:
    """The "How we read the results" section: the evidence columns in plain words."""
    return [
        Heading(level, "How we read the results"),
        Para(
            "Agree, Disagree and Pass count the votes on each idea: each person has one vote "
            "on an idea, and every vote counts the same."
        ),
        Para(
            "Groups: the analysis puts people who voted in similar ways on the same ideas "
            "into opinion groups, named A, B, C and so on. The groups are not chosen by "
            "anyone and say nothing about who people are; they show where views differ. "
            '"Groups agreeing: A, B" means that in groups A and B more than half of the '
            "people who voted on the idea agreed with it. An idea every group agrees with has "
            "support across different points of view."
        ),
        Para(
            "Organisations are the local organisations that shared the idea or backed it in "
            "a comment. Ideas gathered at a workshop or event, or on paper or by phone, say "
            'so. An idea marked "No votes yet" was cited although nobody had voted on it: '
            "it shows what someone said, not how many people support it."
        ),
    ]
