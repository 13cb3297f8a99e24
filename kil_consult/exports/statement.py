"""The statement as data (``statement_data``, which the JSON export is and the JSON Schema in
``schema/statement.schema.json`` describes), as Markdown, and as a ``Document`` for Word,
HTML and PDF. Also the progress report."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from ..consultations.services import current_council
from ..equality.figures import from_dict
from ..statements import services
from ..statements.indicator_chart import charted_trends
from ..statements.models import CommitmentStatus, Statement, StatementVersion
from ..timeutil import format_date, utcnow
from ..urls import external_url
from .blocks import Chart, Document, Heading, Markdown, NumberedItem, Para, Table
from .taking_part import idea_sources, reading_blocks, taking_part, taking_part_blocks
from .who_answered import who_answered_blocks

SCHEMA_PATH = Path(__file__).parent / "schema" / "statement.schema.json"
SCHEMA_VERSION = "1.1"


def schema() -> dict:
    """The JSON Schema of the statement's JSON export."""
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


def _iso(value) -> str | None:
    return value.isoformat() if value is not None else None


def _day(iso: str) -> str:
    try:
        d = date.fromisoformat(iso)
    except (TypeError, ValueError):
        return iso or ""
    return f"{d.day} {d.strftime('%B %Y')}"


def statement_data(statement: Statement, version: StatementVersion) -> dict:
    """Everything the statement says in one version, with its decision, signatories,
    commitments' progress and the evidence behind it, as plain JSON-ready data. An agreed
    version's evidence is the snapshot taken when it was agreed."""
    council = current_council()
    content = version.typed_content
    decision = services.decision_of(statement, version)
    agreed = decision is not None
    published = statement.published_number == version.number
    commitments = services.numbered_commitments(statement, content)
    evidence = services.version_evidence(version)
    gathered = idea_sources(list(evidence.ideas))
    return {
        "schema_version": SCHEMA_VERSION,
        "$schema": external_url("exports.statement_schema"),
        "title": content.title,
        "council": {"name": council.name, "area": council.area_name},
        "process": {"title": statement.process.title, "slug": statement.process.slug},
        "version": {
            "number": version.number,
            "saved_at": _iso(version.created_at),
            "reason": version.reason,
        },
        "status": "published" if published else ("agreed" if agreed else "draft"),
        "published_at": _iso(statement.published_at) if published else None,
        "decision": (
            {
                "body": decision.body,
                "decided_on": _iso(decision.decided_on),
                "reference": decision.reference,
            }
            if decision
            else None
        ),
        "signatories": [
            {"name": s.name, "role": s.role, "signed_on": _iso(s.signed_on)}
            for s in (decision.signatories if decision else [])
        ],
        "preamble": content.preamble,
        "sections": [s.to_dict() for s in content.sections],
        "commitments": [
            {
                "number": c.number,
                "id": c.id,
                "principle": c.principle,
                "text": c.text,
                "owner": c.owner,
                "due": c.due or None,
                "ideas": c.ideas,
                "status": (c.row.status if c.row else CommitmentStatus.NOT_STARTED).value,
                "status_reason": c.row.status_reason if c.row else "",
                "progress": [
                    {"date": _iso(u.happened_on), "status": u.status.value, "text": u.body}
                    for u in (c.row.updates if c.row else [])
                ],
            }
            for c in commitments
        ],
        "champions": [ch.to_dict() | {"label": ch.label} for ch in content.champions],
        "evidence_frozen_at": _iso(evidence.frozen_at),
        "evidence": [
            {
                "idea": e.id,
                "title": e.title,
                "text": e.text,
                "principle": e.principle,
                "agree": e.agree,
                "disagree": e.disagree,
                "pass": e.passes,
                "groups_agreeing": e.groups_agreeing,
                "organisations": e.organisations,
                "url": external_url("ideas.show", idea_id=e.id),
                "source": "online" if e.id not in gathered else gathered[e.id][0],
                "gathered": gathered[e.id][1] if e.id in gathered else "",
            }
            for e in evidence.ideas.values()
        ],
        "taking_part": evidence.who_took_part or taking_part(list(statement.process.consultations)),
    }


def _status_line(data: dict) -> str:
    decision = data["decision"]
    line = f"{data['council']['name']}. Version {data['version']['number']}"
    if decision:
        line += f", agreed by {decision['body']} on {_day(decision['decided_on'])}"
        if decision["reference"]:
            line += f" ({decision['reference']})"
    else:
        line += ", a draft that the council has not agreed"
    return line + "."


def _commitment_details(c: dict) -> list[str]:
    parts = [f"Principle {c['principle']}."]
    if c["owner"]:
        parts.append(f"Owner: {c['owner']}.")
    if c["due"]:
        parts.append(f"Target date: {_day(c['due'])}.")
    if c["ideas"]:
        parts.append(f"Based on ideas {', '.join(map(str, c['ideas']))}.")
    return [" ".join(parts)]


def evidence_title(e: dict) -> str:
    """An idea's title in the evidence, saying where it was gathered offline and flagging an
    idea that nobody voted on."""
    parts = [e["title"]]
    if e.get("gathered"):
        parts.append(f"({e['gathered']})")
    if not (e["agree"] or e["disagree"] or e["pass"]):
        parts.append("No votes yet.")
    return " ".join(parts)


def _evidence_note(data: dict) -> str:
    if data["evidence_frozen_at"]:
        return (
            "The evidence as it stood when the council agreed this version, on "
            f"{_day(data['evidence_frozen_at'][:10])}."
        )
    return "The evidence as it stands today: it is kept as it is when the council agrees it."


def statement_document(data: dict) -> Document:
    """The statement as blocks for Word, HTML and PDF."""
    area = data["council"]["area"]
    blocks: list = [
        Heading(1, data["title"]),
        Para(_status_line(data)),
        Heading(2, "Our endorsement of the Keep it Local principles"),
        Markdown(data["preamble"]),
        Heading(2, f"What the six principles mean in {area}"),
    ]
    for s in data["sections"]:
        blocks.append(Heading(3, f"Principle {s['principle']}: {s['title']}"))
        blocks.append(Markdown(s["body"]) if s["body"].strip() else Para("Not written yet."))
    blocks.append(Heading(2, "Our commitments"))
    if data["commitments"]:
        blocks += [
            NumberedItem(c["text"], _commitment_details(c), c["number"])
            for c in data["commitments"]
        ]
    else:
        blocks.append(Para("No commitments yet."))
    blocks.append(Heading(2, "Keep it Local champions"))
    blocks.append(
        Table(
            "Our Keep it Local champions",
            ["Champion", "Name", "Role"],
            [[c["label"], c["name"] or "To be appointed", c["role"]] for c in data["champions"]],
        )
    )
    blocks.append(Heading(2, "Decision and signatories"))
    if data["decision"]:
        d = data["decision"]
        text = f"Agreed by {d['body']} on {_day(d['decided_on'])}"
        blocks.append(Para(text + (f", reference {d['reference']}." if d["reference"] else ".")))
    else:
        blocks.append(Para("Not yet agreed."))
    if data["signatories"]:
        blocks.append(
            Table(
                "Signed for the council",
                ["Name", "Role", "Date signed"],
                [[s["name"], s["role"], _day(s["signed_on"])] for s in data["signatories"]],
            )
        )
    if data.get("taking_part"):
        blocks += taking_part_blocks(data["taking_part"])
        if data["taking_part"].get("about_you"):
            blocks += who_answered_blocks(from_dict(data["taking_part"]["about_you"]))
    blocks += reading_blocks()
    blocks.append(Heading(2, "Appendix: the evidence behind the statement"))
    blocks.append(Para(_evidence_note(data)))
    blocks.append(
        Para(
            "The ideas residents and organisations shared that the sections and commitments "
            "cite, with the votes on each, the opinion groups in which most people agreed, and "
            "the organisations that put the idea forward or backed it in a comment."
        )
    )
    if data["evidence"]:
        blocks.append(
            Table(
                "Ideas cited by the statement",
                ["Idea", "Title", "Agree", "Disagree", "Pass", "Groups agreeing", "Organisations"],
                [
                    [
                        str(e["idea"]),
                        evidence_title(e),
                        str(e["agree"]),
                        str(e["disagree"]),
                        str(e["pass"]),
                        ", ".join(e["groups_agreeing"]) or "None",
                        ", ".join(e["organisations"]) or "None",
                    ]
                    for e in data["evidence"]
                ],
                "The ideas the statement cites, with their votes, the opinion groups agreeing "
                "and the organisations behind them",
            )
        )
    else:
        blocks.append(Para("The statement cites no ideas yet."))
    return Document(
        data["title"],
        data["council"]["name"],
        blocks,
        draft=data["status"] == "draft",
        council=data["council"]["name"],
        version=_version_line(data),
    )


def _version_line(data: dict) -> str:
    """The running footer: the version and whether it is agreed."""
    line = f"Version {data['version']['number']}"
    if data["decision"]:
        return line + f", agreed {_day(data['decision']['decided_on'])}"
    return line + (", draft" if data["status"] == "draft" else "")


def statement_markdown(data: dict) -> str:
    """The statement as a Markdown file."""
    lines = [f"# {data['title']}", "", _status_line(data), ""]
    if data["status"] == "draft":
        lines += ["**Draft: not agreed by the council.**", ""]
    lines += ["## Our endorsement of the Keep it Local principles", "", data["preamble"], ""]
    lines += [f"## What the six principles mean in {data['council']['area']}", ""]
    for s in data["sections"]:
        lines += [
            f"### Principle {s['principle']}: {s['title']}",
            "",
            s["body"] or "Not written yet.",
            "",
        ]
    lines += ["## Our commitments", ""]
    for c in data["commitments"]:
        lines.append(f"{c['number']}. {c['text']}  ")
        lines.append(f"   {' '.join(_commitment_details(c))}")
    lines += ["", "## Keep it Local champions", "", "| Champion | Name | Role |", "|---|---|---|"]
    for c in data["champions"]:
        lines.append(f"| {c['label']} | {c['name'] or 'To be appointed'} | {c['role']} |")
    lines += ["", "## Decision and signatories", ""]
    if data["decision"]:
        d = data["decision"]
        lines.append(f"Agreed by {d['body']} on {_day(d['decided_on'])}. {d['reference']}".strip())
        lines += ["", "| Name | Role | Date signed |", "|---|---|---|"]
        lines += [
            f"| {s['name']} | {s['role']} | {_day(s['signed_on'])} |" for s in data["signatories"]
        ]
    else:
        lines.append("Not yet agreed.")
    if data.get("taking_part"):
        who = data["taking_part"]
        lines += ["", "## Who took part and how", ""]
        lines += [
            f"{who['people']} people took part, with {who['organisations']} organisations.",
            "",
        ]
        lines += ["| Consultation | People | Ideas | Votes | Comments |", "|---|---|---|---|---|"]
        lines += [
            f"| Principle {c['principle']}: {c['title']} | {c['people']} | {c['ideas']} | "
            f"{c['votes']} | {c['comments']} |"
            for c in who["consultations"]
        ]
    lines += ["", "## Appendix: the evidence behind the statement", "", _evidence_note(data), ""]
    lines += ["| Idea | Title | Agree | Disagree | Pass | Groups agreeing | Organisations |"]
    lines += ["|---|---|---|---|---|---|---|"]
    for e in data["evidence"]:
        title = evidence_title(e).replace("|", "\\|")
        lines.append(
            f"| [{e['idea']}]({e['url']}) | {title} | {e['agree']} | {e['disagree']} | "
            f"{e['pass']} | {', '.join(e['groups_agreeing']) or 'None'} | "
            f"{', '.join(e['organisations']).replace('|', '/') or 'None'} |"
        )
    return "\n".join(lines) + "\n"


def progress_document(statement: Statement) -> Document:
    """The progress report for the network's twice-yearly meetings: every published
    commitment with its status and dated updates."""
    council = current_council()
    version = statement.published_version or statement.latest
    commitments = services.numbered_commitments(statement, version.typed_content)
    counts = services.progress_counts(commitments)
    trends = charted_trends([c.id for c in commitments])
    today = utcnow()
    blocks: list = [
        Heading(1, f"Keep it Local progress report: {council.name}"),
        Para(
            f"Progress on the commitments of {version.typed_content.title}, on "
            f"{format_date(today)}."
        ),
        Table(
            "Commitments by status",
            ["Status", "Commitments"],
            [[status.label, str(counts[status])] for status in CommitmentStatus],
        ),
        Heading(2, "Each commitment"),
    ]
    for c in commitments:
        status = c.row.status if c.row else CommitmentStatus.NOT_STARTED
        details = [f"Status: {status.label}." + (f" Owner: {c.owner}." if c.owner else "")]
        if c.due:
            details[0] += f" Target date: {_day(c.due)}."
        if c.row and c.row.status_reason:
            details.append(f"Why it was dropped: {c.row.status_reason}")
        blocks.append(NumberedItem(c.text, details, c.number))
        updates = c.row.updates if c.row else []
        if updates:
            blocks.append(
                Table(
                    f"Updates on commitment {c.number}",
                    ["Date", "Status", "What happened"],
                    [[_day(u.happened_on.isoformat()), u.status.label, u.body] for u in updates],
                )
            )
        for trend, chart in trends.get(c.id, []):
            blocks += indicator_blocks(trend, chart, c.number)
    return Document(
        blocks[0].text,
        council.name,
        blocks,
        council=council.name,
        version=f"Statement version {version.number}, progress on {format_date(today)}",
    )


def indicator_blocks(trend, chart, number: int) -> list:
    """One indicator of a commitment: what it measures, its trend chart against the target,
    and a table with every figure beside it."""
    state = (
        "No readings yet."
        if not trend.readings
        else "Target met."
        if trend.met
        else "Moving away from the target."
        if trend.progress < 0
        else f"{round(trend.progress * 100)}% of the way from the baseline to the target."
    )
    words = [trend.definition] if trend.definition else []
    words.append(
        f"Source: {trend.source or 'not given'}. Measured {trend.frequency.label.lower()}. {state}"
    )
    kinds = {"baseline": "Baseline", "reading": "Reading", "target": "Target"}
    return [
        Heading(3, f"Commitment {number} indicator: {trend.name}"),
        *(Para(text, small=True) for text in words),
        Chart(chart.title, chart.description, chart),
        Table(
            f"{trend.name}: every figure",
            ["Date", "What", "Figure"],
            [
                [
                    f"{p.on.day} {p.on:%B %Y}",
                    kinds[p.kind] + (f": {p.note}" if p.note else ""),
                    trend.figure(p.value),
                ]
                for p in trend.table
            ],
        ),
    ]
