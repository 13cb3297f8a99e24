"""The results tables as CSV downloads, every one read from ``ConsultationResults``."""

from __future__ import annotations

from ..consultations.models import Consultation
from ..downloads import csv_response
from .values import ConsultationResults, IdeaRow

TABLES = (
    "participation",
    "days",
    "neighbourhoods",
    "contributors",
    "sources",
    "ranked",
    "divisive",
    "split",
    "groups",
    "consensus",
    "themes",
)

IDEA_HEADER = ["idea", "title", "agree", "disagree", "pass", "comments", "wilson lower bound"]


def _idea_cells(row: IdeaRow) -> list:
    return [
        row.id,
        row.title,
        row.agree,
        row.disagree,
        row.passes,
        row.comments,
        round(row.wilson, 4),
    ]


def _group_columns(results: ConsultationResults) -> list[str]:
    columns = []
    for group in results.groups:
        label = group.label
        columns += [f"group {label} agree", f"group {label} disagree", f"group {label} votes"]
    return columns


def _group_cells(row: IdeaRow) -> list:
    return [value for _label, *counts in row.groups for value in counts]


def _participation(results: ConsultationResults) -> tuple[list, list]:
    part = results.participation
    header = ["people", "ideas", "votes", "comments", "organisations"]
    return header, [[part.people, part.ideas, part.votes, part.comments, part.organisations]]


def _days(results: ConsultationResults) -> tuple[list, list]:
    return ["date", "new people", "ideas", "votes", "comments"], [
        list(day) for day in results.participation.days
    ]


def _neighbourhoods(results: ConsultationResults) -> tuple[list, list]:
    rows = [
        [p.name, p.people, p.people_share, p.population, p.population_share] for p in results.places
    ] + [["Not given", results.no_place, None, None, None]]
    header = ["neighbourhood", "people", "share of people", "population", "share of population"]
    return header, rows


def _contributors(results: ConsultationResults) -> tuple[list, list]:
    return ["posted by", "ideas", "votes on their ideas", "comments"], [
        [key, *counts] for key, _label, counts in results.participation.contributors
    ]


def _sources(results: ConsultationResults) -> tuple[list, list]:
    return ["source", "offline", "ideas", "votes on their ideas"], [
        [row.label, row.offline, row.ideas, row.votes] for row in results.participation.sources
    ]


def _ranked(results: ConsultationResults) -> tuple[list, list]:
    return ["rank", *IDEA_HEADER, *_group_columns(results)], [
        [n, *_idea_cells(r), *_group_cells(r)] for n, r in enumerate(results.ranked, 1)
    ]


def _divisive(results: ConsultationResults) -> tuple[list, list]:
    """What divides opinion between the groups: the gap between the most and least
    supportive groups' agreement."""
    header = ["rank", *IDEA_HEADER, "gap between groups", "most supportive group"]
    return [*header, "least supportive group", *_group_columns(results)], [
        [n, *_idea_cells(d.idea), d.gap, d.most, d.least, *_group_cells(d.idea)]
        for n, d in enumerate(results.division, 1)
    ]


def _split(results: ConsultationResults) -> tuple[list, list]:
    """Ideas people are split on overall, whatever their group: twice the smaller side."""
    return ["rank", *IDEA_HEADER, "twice the smaller side", *_group_columns(results)], [
        [n, *_idea_cells(item.idea), item.score, *_group_cells(item.idea)]
        for n, item in enumerate(results.split, 1)
    ]


def _consensus(results: ConsultationResults) -> tuple[list, list]:
    return ["rank", *IDEA_HEADER, "consensus", *_group_columns(results)], [
        [n, *_idea_cells(item.idea), item.score, *_group_cells(item.idea)]
        for n, item in enumerate(results.consensus, 1)
    ]


def _groups(results: ConsultationResults) -> tuple[list, list]:
    out = []
    for group in results.groups:
        out.append([group.label, group.size, "", "", "", "", ""])
        for rep in group.representative:
            out.append(
                [
                    group.label,
                    group.size,
                    rep.idea_id,
                    rep.title or "",
                    rep.direction,
                    rep.agree,
                    rep.disagree,
                    rep.words,
                ]
            )
    header = ["group", "people", "idea", "title", "sets apart by", "group agree", "group disagree"]
    header.append("in words")
    out = [row + [""] if row[2] == "" else row for row in out]
    return header, out


def _themes(results: ConsultationResults, drafts: bool = False) -> tuple[list, list]:
    """Accepted themes; suggested ones (drafts named by staff) only when ``drafts``."""
    return ["theme", "status", "ideas", "agree", "disagree"], [
        [t.name, t.status_label, t.ideas, t.agree, t.disagree]
        for t in results.themes
        if drafts or t.accepted
    ]


BUILDERS = {
    "participation": _participation,
    "days": _days,
    "neighbourhoods": _neighbourhoods,
    "contributors": _contributors,
    "sources": _sources,
    "ranked": _ranked,
    "divisive": _divisive,
    "split": _split,
    "groups": _groups,
    "consensus": _consensus,
    "themes": _themes,
}


def table_csv(
    consultation: Consultation, results: ConsultationResults, table: str, drafts: bool = False
):
    """One results table as a CSV download named after the consultation; ``drafts`` (staff
    only) includes suggested themes."""
    header, rows = _themes(results, drafts) if table == "themes" else BUILDERS[table](results)
    return csv_response(f"{consultation.slug}-{table}.csv", header, rows)
