"""What travels with a consultation's open data: the licence (the Open Government Licence
v3.0, with the attribution to use) and a README that says what the files hold, with the
consultation's published summary and the decision that agreed the statement (the summary's
findings cite the ideas in ``ideas.csv`` by ``idea_id``)."""

from __future__ import annotations

from ..consultations.models import Consultation
from ..consultations.services import current_council
from ..statements import summaries
from ..statements.signoff import decision_of

OGL_NAME = "Open Government Licence v3.0"
OGL_URL = "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/"


def attribution(council_name: str) -> str:
    """The attribution statement the licence asks reusers to give."""
    return f"Contains public sector information from {council_name}, licensed under the {OGL_NAME}."


def licence_text(council_name: str) -> str:
    """LICENCE.txt: the licence named, where its full text is, what it allows and asks."""
    return f"""{OGL_NAME}

The data in this archive is published by {council_name} under the {OGL_NAME}.
The full text of the licence is at:
{OGL_URL}

You are free to copy, publish, distribute and transmit the information; to adapt it; and to
exploit it commercially and non-commercially, for example by combining it with other
information or by including it in your own product or application.

You must, where you do any of the above, acknowledge the source of the information by
including the following attribution statement:

    {attribution(council_name)}

The licence does not give you any right to use personal data (there is none in this archive:
people appear only as pseudonyms), or the names and logos of the council.

The information is licensed "as is": the council excludes all representations, warranties,
obligations and liabilities in relation to it to the maximum extent permitted by law.
"""


def _section(title: str, text: str) -> str:
    return f"### {title}\n\n{text.strip()}\n" if text and text.strip() else ""


def _summary_markdown(consultation: Consultation) -> str:
    version = summaries.published_version(consultation)
    if version is None:
        return (
            "## The council's summary\n\nNot published yet. The council publishes a summary "
            "of what people said, and what it decided, after the consultation closes.\n"
        )
    published = version.published_at.date().isoformat() if version.published_at else ""
    parts = [f"## The council's summary\n\nVersion {version.number}, published {published}.\n"]
    parts.append(_section("Overview", version.overview))
    parts.append(_section("Themes", version.themes))
    if version.findings:
        lines = []
        for n, finding in enumerate(version.findings, start=1):
            cited = ", ".join(str(c.idea_id) for c in finding.citations)
            lines.append(f"{n}. {finding.text.strip()}" + (f" (ideas {cited})" if cited else ""))
        parts.append("### Key findings\n\n" + "\n".join(lines) + "\n")
    parts.append(_section("What the council decided", version.decision))
    parts.append(_section("How this connects to the statement", version.connection))
    return "\n".join(part for part in parts if part)


def _decision_markdown(consultation: Consultation) -> str:
    statement = getattr(consultation.process, "statement", None)
    version = statement.published_version if statement is not None else None
    decision = decision_of(statement, version) if version is not None else None
    if decision is None:
        return (
            "## The decision on the statement\n\nNo decision recorded yet: the council "
            "records here the decision that agrees its Keep it Local statement.\n"
        )
    lines = [
        "## The decision on the statement",
        "",
        f"Version {version.number} of the Keep it Local statement was agreed by "
        f"{decision.body} on {decision.decided_on.isoformat()}"
        + (f" (reference: {decision.reference})." if decision.reference else "."),
    ]
    if decision.signatories:
        lines += ["", "Signed for the council by:", ""]
        lines += [
            f"- {s.name}, {s.role}, on {s.signed_on.isoformat()}" for s in decision.signatories
        ]
    return "\n".join(lines) + "\n"


def readme_markdown(consultation: Consultation, tables: dict[str, list[str]]) -> str:
    """README.md: what the archive is, its licence, each file's columns, the published
    summary and the decision record."""
    council = current_council().name
    files = "\n".join(f"- `{name}.csv`: {', '.join(columns)}" for name, columns in tables.items())
    return f"""# Open data: {consultation.title}

Principle {consultation.principle_number} of the Keep it Local conversation run by {council}.

Question asked: {consultation.question}

## Licence

{attribution(council)} See `LICENCE.txt` and {OGL_URL}

## The files

{files}

`README.json` says the same for machines, with how people are pseudonymised. Workshop votes
(`workshop_votes.csv`) are the tallies a room took at an event, not people's own votes: they
are not in `votes.csv` and are never counted as people.

{_summary_markdown(consultation)}
{_decision_markdown(consultation)}"""
