"""Statement workflows: start a draft from the published summaries, save versions, compare
them, take public comment, record the decision and signatories, publish, and track progress.

Services flush and never commit; a route commits once. Sign-off, publication and every change
of a commitment's status go to the audit log.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import func, select

from ..accounts.models import User
from ..consultations.models import Consultation, Process
from ..consultations.services import current_council, current_process
from ..extensions import db
from ..ideas.models import Comment, Idea, Visibility
from ..moderation import audit
from ..organisations.models import Organisation
from ..timeutil import utcnow
from .models import (  # noqa: F401  (Stance is part of the API)
    Commitment,
    CommitmentStatus,
    Decision,
    ProgressUpdate,
    ReviewResponse,
    Signatory,
    Stance,
    Statement,
    StatementError,
    StatementState,
    StatementVersion,
)

CHAMPION_KINDS = (
    ("cabinet", "Keep it Local champion in the Cabinet"),
    ("smt", "Keep it Local champion in the Senior Management Team"),
)
MAX_IDEAS_PER_CLAUSE = 50

__all__ = ["StatementError"]


# --- finding the statement -----------------------------------------------------------------


def statement_of(process: Process | None) -> Statement | None:
    """The statement of a process, if a draft was started."""
    if process is None:
        return None
    return db.session.scalar(select(Statement).where(Statement.process_id == process.id))


def current_statement() -> Statement | None:
    """The statement of the process on the home page."""
    return statement_of(current_process())


def default_preamble(council_name: str, area_name: str) -> str:
    """The council's endorsement of the six principles, after the network's suggested wording."""
    return (
        "We believe in the power of community. That is why we understand the best way to tackle "
        "the challenges we face as an authority, and to create transformative local services "
        "for our residents, is to Keep it Local.\n\n"
        f"This means we will work to harness the local potential that exists in {area_name}, "
        "by building strong local partnerships, sharing power, and maximising local "
        "strengths. In doing so, we can use public resources to invest in the local economy "
        "and support community capacity, and provide services which intervene early to reduce "
        "long-term costs and drive down pressure on our public services.\n\n"
        f"{council_name} endorses the six Keep it Local principles and has joined the Keep it "
        "Local Network. We convened a conversation with residents and community organisations "
        f"to co-design what it means to Keep it Local in {area_name}. This statement sets out "
        "what each principle means here, what people told us, and what we commit to do. We "
        "will keep working with Locality and peer councils in the Network to assess and "
        "improve our practice, and we will report our progress twice a year.\n\n"
        f"{council_name} has appointed a Keep it Local champion in the Cabinet and in the "
        "Senior Management Team to take ownership of this work and to work with colleagues in "
        "pursuit of these aims."
    )


# --- the content of a version --------------------------------------------------------------


def empty_content(process: Process) -> dict:
    """A statement with the default preamble, an empty section per principle, no commitments."""
    council = current_council()
    return {
        "title": f"{process.title}: our local Keep it Local statement",
        "preamble": default_preamble(council.name, council.area_name),
        "sections": [
            {"principle": c.principle_number, "title": c.title, "body": ""}
            for c in process.consultations
        ],
        "commitments": [],
        "champions": [{"kind": kind, "name": "", "role": ""} for kind, _label in CHAMPION_KINDS],
    }


def _cite(ids: list[int]) -> str:
    if not ids:
        return ""
    word = "idea" if len(ids) == 1 else "ideas"
    return f" ({word} {', '.join(str(i) for i in ids)})"


def start_from_summaries(process: Process, author: User) -> Statement:
    """Start the statement as version 1: each section pre-filled with its consultation's
    published key findings, and a commitment for each published "what we decided", linked to
    the ideas its findings cite. Refuses if the process already has a statement."""
    from .summaries import published_version

    if statement_of(process) is not None:
        raise StatementError("This process already has a statement.")
    statement = Statement(process_id=process.id)
    db.session.add(statement)
    db.session.flush()
    content = empty_content(process)
    used = 0
    for section, consultation in zip(content["sections"], process.consultations, strict=True):
        summary = published_version(consultation)
        if summary is None:
            continue
        used += 1
        lines = [
            f"* {f.text.strip()}{_cite([c.idea_id for c in f.citations])}" for f in summary.findings
        ]
        section["body"] = "What people told us:\n\n" + "\n".join(lines) if lines else ""
        if summary.decision.strip():
            commitment = Commitment(statement_id=statement.id)
            db.session.add(commitment)
            db.session.flush()
            ideas = sorted({c.idea_id for f in summary.findings for c in f.citations})
            content["commitments"].append(
                {
                    "id": commitment.id,
                    "principle": consultation.principle_number,
                    "text": summary.decision.strip(),
                    "owner": "",
                    "due": "",
                    "ideas": ideas[:MAX_IDEAS_PER_CLAUSE],
                }
            )
    reason = (
        f"Started from the published summaries of {used} of the six consultations."
        if used
        else "Started with no published summaries yet."
    )
    _add_version(statement, author, content, reason)
    audit.record(author, "statement.start", "statement", statement.id, note=reason)
    return statement


def _add_version(statement: Statement, author: User, content: dict, reason: str):
    number = (
        db.session.scalar(
            select(func.max(StatementVersion.number)).where(
                StatementVersion.statement_id == statement.id
            )
        )
        or 0
    ) + 1
    version = StatementVersion(
        statement_id=statement.id,
        number=number,
        content=content,
        reason=reason.strip(),
        author_id=author.id,
    )
    db.session.add(version)
    db.session.flush()
    db.session.expire(statement, ["versions"])
    return version


def _check_ideas(process: Process, ids: list[int], label: str) -> None:
    if len(ids) > MAX_IDEAS_PER_CLAUSE:
        raise StatementError(f"{label} cites more than {MAX_IDEAS_PER_CLAUSE} ideas.")
    if not ids:
        return
    found = set(
        db.session.scalars(
            select(Idea.id)
            .join(Consultation, Idea.consultation_id == Consultation.id)
            .where(
                Idea.id.in_(ids),
                Consultation.process_id == process.id,
                Idea.visibility == Visibility.PUBLISHED,
            )
        )
    )
    missing = [i for i in ids if i not in found]
    if missing:
        raise StatementError(
            f"{label} cites idea {', '.join(map(str, missing))}, which is not a published idea "
            "of this process."
        )


def save_version(statement: Statement, author: User, content: dict, reason: str):
    """Save the whole statement as a new version, saying why. A published statement goes back
    to draft (its public text stays until a new version is agreed and published); an agreed
    one refuses. Every cited idea must be a published idea of the process."""
    if not reason.strip():
        raise StatementError("Say what changed and why.")
    latest = statement.latest
    if latest is not None and latest.content == content:
        raise StatementError("Nothing has changed since the last version.")
    for n, commitment in enumerate(content["commitments"], start=1):
        _check_ideas(statement.process, commitment["ideas"], f"Commitment {n}")
    statement.start_revision()
    return _add_version(statement, author, content, reason)


def new_commitment(statement: Statement) -> Commitment:
    """A commitment row to hold the status and progress of a commitment being added."""
    commitment = Commitment(statement_id=statement.id)
    db.session.add(commitment)
    db.session.flush()
    return commitment


def commitment_in(content: dict, commitment_id: int) -> dict | None:
    return next((c for c in content["commitments"] if c["id"] == commitment_id), None)


# --- public review -------------------------------------------------------------------------


def open_review(statement: Statement, actor: User, closes_at: datetime) -> None:
    """Open the latest version for comment and support until ``closes_at``."""
    version = statement.latest
    if version is None:
        raise StatementError("Save a draft before opening it for comment.")
    statement.open_review(version, closes_at)
    audit.record(
        actor,
        "statement.review",
        "statement",
        statement.id,
        after={"version": version.number, "closes_at": closes_at},
    )
    db.session.flush()


def parts_of(content: dict) -> list[tuple[str, str]]:
    """The parts people can respond to, with their names: preamble, sections, commitments."""
    parts = [("preamble", "The council's endorsement")]
    parts += [
        (f"section-{s['principle']}", f"Principle {s['principle']}") for s in content["sections"]
    ]
    parts += [
        (f"commitment-{c['id']}", f"Commitment {n}")
        for n, c in enumerate(content["commitments"], start=1)
    ]
    return parts


def respond(
    statement: Statement,
    user: User,
    part: str,
    stance: Stance,
    comment: str,
    organisation: Organisation | None = None,
) -> ReviewResponse:
    """Record (or replace) a person's support and comment on one part of the version under
    review, optionally on behalf of an organisation they may speak for."""
    version = statement.review_version
    if version is None or not statement.is_reviewing():
        raise StatementError("The draft statement is not open for comment.")
    if part not in dict(parts_of(version.content)):
        raise StatementError("That part of the statement does not exist.")
    response = db.session.scalar(
        select(ReviewResponse).where(
            ReviewResponse.version_id == version.id,
            ReviewResponse.part == part,
            ReviewResponse.user_id == user.id,
        )
    )
    if response is None:
        response = ReviewResponse(
            statement_id=statement.id, version_id=version.id, part=part, user_id=user.id
        )
        db.session.add(response)
    response.stance = stance
    response.comment = comment
    response.organisation_id = organisation.id if organisation else None
    db.session.flush()
    return response


@dataclass
class Feedback:
    """What people said about one part: counts by stance, organisations, and the comments."""

    support: int = 0
    oppose: int = 0
    unsure: int = 0
    organisations: list[str] = field(default_factory=list)
    comments: list[ReviewResponse] = field(default_factory=list)

    @property
    def total(self) -> int:
        return self.support + self.oppose + self.unsure


def feedback(statement: Statement, version: StatementVersion | None = None) -> dict[str, Feedback]:
    """Feedback per part on the version under review (or ``version``), oldest comment first."""
    version = version or statement.review_version
    result: dict[str, Feedback] = {}
    if version is None:
        return result
    responses = db.session.scalars(
        select(ReviewResponse)
        .where(ReviewResponse.version_id == version.id)
        .order_by(ReviewResponse.created_at, ReviewResponse.id)
    )
    for response in responses:
        item = result.setdefault(response.part, Feedback())
        setattr(item, response.stance.value, getattr(item, response.stance.value) + 1)
        if response.organisation and response.stance is Stance.SUPPORT:
            item.organisations.append(response.organisation.name)
        if response.comment:
            item.comments.append(response)
    return result


def responses_of(statement: Statement, user) -> dict[str, ReviewResponse]:
    """The signed-in person's own responses to the version under review, by part."""
    version = statement.review_version
    if version is None or not getattr(user, "is_authenticated", False):
        return {}
    return {
        r.part: r
        for r in db.session.scalars(
            select(ReviewResponse).where(
                ReviewResponse.version_id == version.id, ReviewResponse.user_id == user.id
            )
        )
    }


# --- sign-off and publication --------------------------------------------------------------


def decision_of(statement: Statement, version: StatementVersion | None) -> Decision | None:
    """The decision that agreed a version, if any."""
    if version is None:
        return None
    return db.session.scalar(
        select(Decision).where(Decision.version_id == version.id).order_by(Decision.id.desc())
    )


def current_decision(statement: Statement) -> Decision | None:
    return decision_of(statement, statement.latest)


def record_decision(
    statement: Statement, actor: User, body: str, decided_on: date, reference: str
) -> Decision:
    """Record the decision that agreed the latest version (which closes any review)."""
    version = statement.latest
    if version is None:
        raise StatementError("There is no draft to agree.")
    statement.agree()
    statement.review_closes_at = (
        min(statement.review_closes_at, utcnow()) if statement.review_closes_at else None
    )
    decision = Decision(
        statement_id=statement.id,
        version_id=version.id,
        body=body,
        decided_on=decided_on,
        reference=reference,
        recorded_by_id=actor.id,
    )
    db.session.add(decision)
    db.session.flush()
    audit.record(
        actor,
        "statement.agree",
        "statement",
        statement.id,
        after={
            "version": version.number,
            "body": body,
            "decided_on": decided_on,
            "reference": reference,
        },
    )
    return decision


def add_signatory(statement: Statement, actor: User, name: str, role: str, signed_on: date):
    """Add a signatory to the decision that agreed the statement."""
    decision = current_decision(statement)
    if statement.state is not StatementState.AGREED or decision is None:
        raise StatementError("Record the decision before adding signatories.")
    signatory = Signatory(decision_id=decision.id, name=name, role=role, signed_on=signed_on)
    db.session.add(signatory)
    db.session.flush()
    db.session.expire(decision, ["signatories"])
    audit.record(
        actor,
        "statement.sign",
        "statement",
        statement.id,
        after={"name": name, "role": role, "signed_on": signed_on},
    )
    return signatory


def publish(statement: Statement, actor: User) -> StatementVersion:
    """Publish the agreed version once at least one person has signed it."""
    decision = current_decision(statement)
    if decision is None or not decision.signatories:
        raise StatementError("Add at least one signatory before publishing.")
    version = statement.latest
    statement.publish(version)
    audit.record(
        actor, "statement.publish", "statement", statement.id, after={"version": version.number}
    )
    db.session.flush()
    return version


# --- progress ------------------------------------------------------------------------------


def add_progress(
    commitment: Commitment,
    actor: User,
    status: CommitmentStatus,
    happened_on: date,
    body: str,
) -> ProgressUpdate:
    """Add a dated progress update; a change of status is kept on the commitment and audited.
    Dropping a commitment needs a reason (the update's text)."""
    if status is CommitmentStatus.DROPPED and not body.strip():
        raise StatementError("Say why the commitment was dropped.")
    if status is not commitment.status:
        audit.record(
            actor,
            "commitment.status",
            "commitment",
            commitment.id,
            before={"status": commitment.status},
            after={"status": status},
            note=body[:300],
        )
        commitment.status = status
        commitment.status_changed_at = utcnow()
        commitment.status_reason = body if status is CommitmentStatus.DROPPED else ""
    update = ProgressUpdate(
        commitment_id=commitment.id,
        happened_on=happened_on,
        body=body,
        status=status,
        author_id=actor.id,
    )
    db.session.add(update)
    db.session.flush()
    db.session.expire(commitment, ["updates"])
    return update


def commitments_by_id(statement: Statement) -> dict[int, Commitment]:
    return {
        c.id: c
        for c in db.session.scalars(
            select(Commitment).where(Commitment.statement_id == statement.id)
        )
    }


@dataclass
class NumberedCommitment:
    """A commitment of a version with its number, its row (status, updates) and principle."""

    number: int
    text: str
    owner: str
    due: str
    principle: int
    ideas: list[int]
    row: Commitment | None
    id: int


def numbered_commitments(statement: Statement, content: dict) -> list[NumberedCommitment]:
    rows = commitments_by_id(statement)
    return [
        NumberedCommitment(
            n,
            c["text"],
            c["owner"],
            c["due"],
            c["principle"],
            c["ideas"],
            rows.get(c["id"]),
            c["id"],
        )
        for n, c in enumerate(content["commitments"], start=1)
    ]


def progress_counts(commitments: list[NumberedCommitment]) -> dict[CommitmentStatus, int]:
    counts = dict.fromkeys(CommitmentStatus, 0)
    for c in commitments:
        if c.row is not None:
            counts[c.row.status] += 1
    return counts


# --- evidence ------------------------------------------------------------------------------


@dataclass
class IdeaEvidence:
    """What stands behind a clause: an idea, its votes, the groups and organisations with it."""

    id: int
    title: str
    consultation_title: str
    principle: int
    agree: int
    disagree: int
    passes: int
    groups: list[tuple[str, int, int]]
    organisations: list[str]

    @property
    def groups_agreeing(self) -> list[str]:
        return [label for label, agree, votes in self.groups if votes and agree * 2 > votes]


def evidence(idea_ids: list[int]) -> dict[int, IdeaEvidence]:
    """Evidence for published ideas by id: counts, opinion groups from the cached analysis
    (never computed here), and organisations that posted or commented in support."""
    from ..analysis.results import cached_result, group_agreement

    ids = sorted(set(idea_ids))
    if not ids:
        return {}
    ideas = list(
        db.session.scalars(
            select(Idea).where(Idea.id.in_(ids), Idea.visibility == Visibility.PUBLISHED)
        )
    )
    orgs: dict[int, set[str]] = {i.id: set() for i in ideas}
    for idea_id, name in db.session.execute(
        select(Comment.idea_id, Organisation.name)
        .join(Organisation, Comment.organisation_id == Organisation.id)
        .where(Comment.idea_id.in_(ids), Comment.visibility == Visibility.PUBLISHED)
    ):
        orgs.setdefault(idea_id, set()).add(name)
    payloads: dict[int, dict] = {}
    result = {}
    for idea in ideas:
        if idea.organisation is not None:
            orgs[idea.id].add(idea.organisation.name)
        if idea.consultation_id not in payloads:
            cached = cached_result(idea.consultation)
            payloads[idea.consultation_id] = cached.payload if cached else {}
        groups = [
            (label, agree, votes)
            for label, agree, _disagree, votes in group_agreement(
                payloads[idea.consultation_id], idea.id
            )
        ]
        result[idea.id] = IdeaEvidence(
            idea.id,
            idea.title,
            idea.consultation.title,
            idea.consultation.principle_number,
            idea.agree_count,
            idea.disagree_count,
            idea.pass_count,
            groups,
            sorted(orgs[idea.id]),
        )
    return result


def cited_ideas(content: dict) -> list[int]:
    """Every idea a version's commitments and sections cite, in order of first mention."""
    seen: dict[int, None] = {}
    for commitment in content["commitments"]:
        for idea_id in commitment["ideas"]:
            seen.setdefault(idea_id, None)
    for section in content["sections"]:
        for match in re.finditer(r"\bideas? ([\d, ]+(?:and \d+)?)", section["body"]):
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


def _commitment_text(c: dict) -> str:
    due = f"\nTarget date: {c['due']}" if c.get("due") else ""
    owner = f"\nOwner: {c['owner']}" if c.get("owner") else ""
    ideas = f"\nIdeas: {', '.join(map(str, c['ideas']))}" if c.get("ideas") else ""
    return f"{c['text']}{owner}{due}{ideas}"


def _champions_text(content: dict) -> str:
    labels = dict(CHAMPION_KINDS)
    return "\n".join(
        f"{labels.get(c['kind'], c['kind'])}: {c['name']}, {c['role']}"
        for c in content["champions"]
    )


def _parts_for_diff(content: dict) -> dict[str, tuple[str, str]]:
    parts = {
        "title": ("Title", content["title"]),
        "preamble": ("The council's endorsement", content["preamble"]),
    }
    for s in content["sections"]:
        parts[f"section-{s['principle']}"] = (
            f"Principle {s['principle']}: {s['title']}",
            s["body"],
        )
    for n, c in enumerate(content["commitments"], start=1):
        parts[f"commitment-{c['id']}"] = (f"Commitment {n}", _commitment_text(c))
    parts["champions"] = ("Keep it Local champions", _champions_text(content))
    return parts


def compare(old: dict, new: dict) -> list[PartDiff]:
    """Every part of two versions, in the newer version's order (removed parts after)."""
    before, after = _parts_for_diff(old), _parts_for_diff(new)
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


def visible_versions(statement: Statement, staff: bool) -> list[StatementVersion]:
    """Staff see every version; everyone else the ones that were opened for comment or
    published, and those before them."""
    if staff:
        return list(statement.versions)
    return [v for v in statement.versions if v.number <= statement.public_through]


def public_version(statement: Statement) -> StatementVersion | None:
    """The version the public page shows: the published one, or else the one under review."""
    return statement.published_version or statement.review_version


def process_consultations(process: Process) -> list[Consultation]:
    return list(process.consultations)
