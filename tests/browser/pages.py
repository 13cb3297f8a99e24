"""The registry of pages the accessibility bar is checked on: every page type in every state.

Each ``Sample`` names the endpoint it covers, the roles it is seen as, the data it needs (the
``full`` world or the ``empty`` one) and how to reach its state: an address, then optionally
what a person does on the page (send a form with mistakes, follow a link...).

``test_every_get_route_has_a_sample`` fails for any GET route of the app without a sample here,
so a new page cannot be forgotten: add a ``Sample`` for it (or, for a route that is not a page,
a reason to ``NOT_PAGES``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from types import SimpleNamespace

from playwright.sync_api import Page, expect

from kil_consult.accounts import tokens
from kil_consult.accounts.models import Role
from kil_consult.api.routes import ENDPOINTS as API_ENDPOINTS
from kil_consult.consultations.models import Stage
from kil_consult.extensions import db
from kil_consult.following import services as following
from kil_consult.organisations.models import MembershipStatus, OrganisationStatus
from kil_consult.timeutil import utcnow
from tests import factories

ROLES = ("visitor", "unconfirmed", "resident", "facilitator", "admin")
EVERYONE = ROLES
SIGNED_IN = ROLES[1:]
STAFF = ("facilitator", "admin")

# GET routes that are not pages people read, and why.
NOT_PAGES = {
    "static": "CSS, JavaScript and images, not pages",
    "healthz": "a JSON health check for the load balancer",
    "analysis.download": "CSV downloads of the results tables, not pages",
    "questions.download": "the answers' figures as a CSV download, not a page",
    "personal_data.download_data": "a person's own data as a JSON download, not a page",
    "exports.statement_download": "the statement as Word, PDF, Markdown, HTML or JSON files",
    "exports.statement_schema": "the JSON Schema of the statement's JSON export",
    "exports.progress_download": "the progress report as Word or PDF files",
    "exports.report": "the consultation report as Word or PDF files",
    "exports.impact_assessment": "the equality impact assessment as Word or PDF files",
    "exports.open_data": "open data as a ZIP of CSV files or a JSON file",
    "exports.prepared_file": "the file of a download the worker made (its page has samples)",
    "moderation.audit_csv": "the audit log as a CSV download, not a page",
    "ideas.similar": "JSON for the similar-ideas script on the share-an-idea page",
    "api.latest": "a redirect to the API page",
    "api.openapi_json": "the OpenAPI document (JSON)",
    "api.network_returns_feed": "the Atom feed of network returns (XML)",
    "network.pack": "the network meeting pack as Word or PDF files",
    "network.return_schema": "the JSON Schema of the network return",
}
# Every open-data operation answers JSON, not a page (the API page itself has samples).
NOT_PAGES.update({f"api.{e.operation_id}": "open data (JSON)" for e in API_ENDPOINTS})


@dataclass(frozen=True)
class Sample:
    """One page in one state, seen by ``roles``."""

    name: str
    endpoint: str
    path: Callable[[SimpleNamespace], str]
    roles: tuple[str, ...] = ("visitor",)
    world: str = "full"
    act: Callable[[Page, SimpleNamespace], None] | None = None
    status: int = 200
    tags: tuple[str, ...] = field(default=())


# --- the data the pages are seen with ------------------------------------------------------


def build_world(kind: str) -> SimpleNamespace:
    """Make the people and (for ``full``) the consultations, ideas, votes and comments."""
    users = {
        "unconfirmed": factories.make_user(confirmed=False, display_name="Una Confirmed"),
        "resident": factories.make_user(display_name="Rita Resident"),
        "facilitator": factories.make_user(Role.FACILITATOR, display_name="Fay Facilitator"),
        "admin": factories.make_user(Role.ADMIN, display_name="Ada Admin"),
    }
    newcomer = factories.make_user(confirmed=False, display_name="Ned Newcomer")
    world = SimpleNamespace(
        kind=kind,
        emails={role: user.email for role, user in users.items()},
        confirm_token=tokens.make_confirm_token(newcomer),
        reset_token=tokens.make_reset_token(users["resident"]),
        unsubscribe_token=following.unsubscribe_token(users["resident"]),
    )
    if kind == "empty":
        db.session.commit()
        return world

    factories.make_council()
    north = factories.make_neighbourhood("Northtown")
    south = factories.make_neighbourhood("Southville with a rather long neighbourhood name")
    users["resident"].neighbourhood = north
    process = factories.make_process(stage=Stage.OPEN)
    busy, empty, closed, draft, scheduled, _other = process.consultations
    closed.stage = Stage.CLOSED
    closed.closes_at = utcnow() - timedelta(days=1)
    draft.stage = Stage.DRAFT
    scheduled.opens_at = utcnow() + timedelta(days=7)

    author = factories.make_user(display_name="Ali Author")
    idea = factories.make_idea(
        busy,
        author,
        title="A market for local growers every Saturday",
        body="Close the square to cars on Saturday mornings.\n\nhttps://example.org/a/very/"
        "long/link/that/should/wrap/instead/of/making/the/page/scroll/sideways/at/320px",
        neighbourhood=north,
    )
    factories.make_vote(idea, users["resident"], "agree")
    factories.make_vote(idea, users["facilitator"], "disagree")
    following.follow(users["resident"], "idea", idea, label=idea.title)  # notified below
    top = factories.make_comment(idea, author, "Would this work in winter too?")
    factories.make_comment(idea, users["resident"], "Yes, with a covered stall.", parent=top)
    factories.make_comment(idea, users["facilitator"], "Thank you, we will look at this.")
    plain = factories.make_idea(busy, author, title="More benches by the bus stops")
    for n in range(21):  # more than a page of ideas
        factories.make_idea(busy, author, title=f"Another idea {n}")
    closed_idea = factories.make_idea(closed, author, title="Repair cafe in the library")
    factories.make_vote(closed_idea, users["resident"], "pass")
    organisations = _organisations(users, author, north, south, plain)
    db.session.commit()

    world.busy, world.empty, world.closed = busy.slug, empty.slug, closed.slug
    world.draft, world.scheduled = draft.slug, scheduled.slug
    world.idea, world.plain_idea, world.closed_idea = idea.id, plain.id, closed_idea.id
    world.comment, world.south = top.id, south.id
    _published_summary(closed, users["facilitator"], closed_idea)
    world.commitment, world.cited_idea = _statement(busy.process, users)
    world.rounds = _network_rounds(users, idea)
    world.organisation, world.pending_organisation, world.inviting_organisation = organisations
    _moderation(world, users, busy, author)
    _prepared_downloads(world, busy)
    _who_took_part(busy, closed)
    _edits(world, users)
    _questions(world, users, busy, north, south)
    world.indicator = _indicator(world.commitment, users["admin"])
    return world


def _prepared_downloads(world, consultation) -> None:
    """Large downloads the worker makes: one waiting, one being made, one ready, one failed."""
    from kil_consult.exports.models import DownloadState, PreparedDownload

    now = utcnow()
    for state, extra in (
        (DownloadState.QUEUED, {}),
        (DownloadState.RUNNING, {"started_at": now, "progress": 40}),
        (DownloadState.READY, {"started_at": now, "finished_at": now, "content": b"PK", "size": 2}),
        (DownloadState.FAILED, {"started_at": now, "finished_at": now, "error": "OSError"}),
    ):
        db.session.add(
            PreparedDownload(
                token=f"download-{state.value}",
                what="open-data",
                subject_id=consultation.id,
                options={},
                filename=f"open-data-{consultation.slug}.zip",
                mimetype="application/zip",
                state=state,
                **extra,
            )
        )
    db.session.commit()


def _who_took_part(busy, closed) -> None:
    """People who answered "About you" in the busy and the closed consultation, and an
    illustrative population, so the "Who took part" pages show figures."""
    from kil_consult.equality import census
    from kil_consult.equality import services as equality
    from kil_consult.ideas.participation import note_participant

    for n in range(36):
        person = factories.make_user(display_name=f"Answerer {n}")
        note_participant(busy.id, person.id)
        if n < 24:
            note_participant(closed.id, person.id)
        equality.save_about_you(
            person,
            {
                "age_band": ("25_34", "35_44", "65_74")[n % 3],
                "sex": ("female", "male")[n % 2],
                "ethnic_group": "white_0" if n < 30 else "asian_0",
                "carer": "no" if n % 4 else "up_to_9",
            },
            consent=True,
        )
    import json

    from kil_consult.equality import boundaries

    def square(name, x):
        ring = [[x, 51.0], [x + 0.1, 51.0], [x + 0.1, 51.1], [x, 51.1], [x, 51.0]]
        geometry = {"type": "Polygon", "coordinates": [ring]}
        return {"type": "Feature", "properties": {"name": name}, "geometry": geometry}

    areas = [
        square("Northtown", 0.0),
        square("Southville with a rather long neighbourhood name", 0.1),
    ]
    boundaries.load_boundaries(
        json.dumps({"type": "FeatureCollection", "features": areas}).encode(), None
    )
    census.store_population(
        "age_band",
        dict(
            zip(
                ("16_24", "25_34", "35_44", "45_54", "55_64", "65_74", "75_over"),
                (110, 120, 130, 140, 150, 160, 90),
                strict=True,
            )
        ),
        census.ILLUSTRATIVE,
        True,
    )
    db.session.commit()


def _edits(world, users) -> None:
    """The resident changed their reply and their waiting idea (so each has a history)."""
    from kil_consult.ideas import edits
    from kil_consult.ideas.models import Comment, Idea

    resident = users["resident"]
    reply = db.session.scalars(
        db.select(Comment).where(Comment.author_id == resident.id, Comment.parent_id.isnot(None))
    ).first()
    edits.edit_comment(reply, resident, "Yes, with a covered stall. And heaters.")
    waiting = db.session.get(Idea, world.waiting)
    edits.edit_idea(waiting, resident, waiting.title, "Now with more detail about the idea.")
    db.session.commit()
    world.reply = reply.id


def _indicator(commitment_id, admin) -> int:
    """An indicator on the published commitment: a baseline, two readings and a target."""
    from datetime import date

    from kil_consult.statements import indicators
    from kil_consult.statements.models import Commitment, Frequency

    today = utcnow().date()
    indicator = indicators.add_indicator(
        db.session.get(Commitment, commitment_id),
        admin,
        name="Share of council spend with local organisations",
        definition="Spend with suppliers based in the area, as a share of all spend.",
        unit="%",
        baseline_value=18.0,
        baseline_on=date(today.year - 1, 4, 1),
        target_value=30.0,
        target_on=date(today.year + 2, 3, 31),
        source="Council finance system",
        frequency=Frequency.QUARTERLY,
        library_key="local-spend",
    )
    indicators.add_reading(indicator, admin, date(today.year - 1, 10, 1), 21.0)
    indicators.add_reading(indicator, admin, today - timedelta(days=7), 24.5, "Quarter 2")
    db.session.commit()
    return indicator.id


def _questions(world, users, consultation, north, south) -> None:
    """Three questions on the busy consultation (two before ideas, one after), answered by
    enough people for some figures to show and others to be hidden, and by one paper form;
    the resident has answered the scale but not the required radios."""
    from kil_consult.ideas.models import CommunityEvent
    from kil_consult.questions import services as questions
    from kil_consult.questions.models import Placement, QuestionKind

    radios = questions.add_question(
        consultation,
        QuestionKind.RADIOS,
        "How do you usually hear about what the council is doing?",
        options=["Online", "A newsletter through the door", "Word of mouth"],
        required=True,
    )
    scale = questions.add_question(
        consultation,
        QuestionKind.SCALE,
        "How well does the council work with local organisations today?",
        scale="well",
    )
    ticks = questions.add_question(
        consultation,
        QuestionKind.CHECKBOXES,
        "Which local places do you use?",
        options=["Library", "Community centre", "Park"],
        placement=Placement.AFTER,
    )
    for n in range(24):
        person = factories.make_user(neighbourhood=north if n % 3 else south)
        questions.answer_question(person, radios, n % 2)
        questions.answer_question(person, scale, n % 5 if n % 4 else 1)
        questions.answer_question(person, ticks, [0, 2] if n % 2 else [1])
    questions.answer_question(users["resident"], scale, 0)
    event = db.session.get(CommunityEvent, world.event)
    questions.record_offline_answers(event, users["facilitator"], {radios.id: 2})
    db.session.commit()
    world.question = radios.id


def _moderation(world, users, consultation, author) -> None:
    """Reports, a hidden idea and comment, a merged idea, one waiting for a moderator, an
    offline event with its ideas, and the audit events all that leaves."""
    from kil_consult.ideas import offline
    from kil_consult.ideas.models import Source, Visibility
    from kil_consult.moderation import services as moderation
    from kil_consult.moderation.models import ReportReason

    moderation.ensure_default_hide_reasons()
    staff = users["facilitator"]
    reported = factories.make_idea(
        consultation,
        author,
        title="Park the buses on the green",
        body="Turn the village green into a bus depot.",
    )
    reported_comment = factories.make_comment(reported, author, "This is a silly place for it.")
    moderation.report(
        users["resident"], ReportReason.OFF_TOPIC, "Not about services", idea=reported
    )
    moderation.report(users["admin"], ReportReason.SPAM, idea=reported)
    moderation.report(users["resident"], ReportReason.ABUSIVE, comment=reported_comment)
    moderation.report(users["resident"], ReportReason.OTHER, user=author)
    hidden = factories.make_idea(consultation, author, title="Something rude")
    moderation.hide(hidden, staff, "It broke our rules on respectful language.", "Be kind")
    source = factories.make_idea(consultation, author, title="Saturday market for growers")
    target = factories.make_idea(consultation, author, title="A weekly growers market")
    factories.make_vote(source, users["resident"], "agree")
    factories.make_comment(source, users["resident"], "Said before the merge.")
    moderation.merge(source, target, staff)
    waiting = factories.make_idea(
        consultation,
        users["resident"],
        title="Waiting for a moderator",
        visibility=Visibility.PENDING,
    )
    event = offline.record_event(
        consultation,
        staff,
        Source.EVENT,
        "Library drop-in",
        utcnow().date(),
        place="Northtown library",
        attendees=18,
    )
    offline.enter_offline_idea(event, staff, "Free bus passes for carers", "Said twice.", "Carer")
    db.session.commit()
    world.reported, world.reported_comment = reported.id, reported_comment.id
    world.reported_person, world.hidden, world.merged = author.id, hidden.id, source.id
    world.waiting, world.event = waiting.id, event.id
    world.reason = moderation.hide_reasons()[0].id


def _organisations(users, author, north, south, idea) -> tuple[str, str, str]:
    """A verified organisation the resident belongs to (with a request and an invitation
    waiting), one waiting for checks that the resident registered, and one inviting them."""
    larder = factories.make_organisation(
        name="Northtown Community Larder",
        description="Surplus food, a warm space and advice on bills, every Tuesday and Friday.",
        website="https://northtown-larder.example.org/a/long/address/that/must/wrap/at/320px",
        registration_number="1187452",
        neighbourhoods=[north, south],
        members=[users["resident"], author],
    )
    factories.make_membership(
        larder, factories.make_user(display_name="Rob Requester"), MembershipStatus.REQUESTED
    )
    factories.make_membership(
        larder, factories.make_user(display_name="Ivy Invited"), MembershipStatus.INVITED
    )
    idea.organisation_id = larder.id
    factories.make_comment(
        idea, users["resident"], "The larder would host this."
    ).organisation_id = larder.id
    pending = factories.make_organisation(
        OrganisationStatus.PENDING,
        name="Southville Youth Club",
        requested_by=users["resident"],
        members=[users["resident"]],
    )
    inviting = factories.make_organisation(name="Riverside Repair Cafe", members=[author])
    factories.make_membership(inviting, users["resident"], MembershipStatus.INVITED)
    return larder.slug, pending.slug, inviting.slug


def _published_summary(consultation, facilitator, idea) -> None:
    """A published summary of the closed consultation (public results, "you said, we did")."""
    from kil_consult.statements import summaries

    summaries.save_draft(
        consultation,
        facilitator,
        "We asked how **local** services should work.",
        "* Repair and reuse",
        "We will fund a repair cafe.",
        "Because many of you asked for one.",
        [summaries.FindingDraft("People want a repair cafe.", [idea.id])],
    )
    summaries.publish(consultation, facilitator, early_reason="Test data")
    db.session.commit()


def _statement(process, users) -> tuple[int, int | None]:
    """The statement: published as version 2 (decision, signatory, a commitment in progress),
    then version 3 open for comment with one response. Returns the commitment's id and an idea
    the published version cites."""
    from kil_consult.statements import services as statements
    from kil_consult.statements.models import CommitmentStatus, Stance

    facilitator, admin = users["facilitator"], users["admin"]
    today = utcnow().date()
    statement = statements.start_from_summaries(process, facilitator)
    content = dict(statement.latest.content)
    content["champions"] = [
        {"kind": "cabinet", "name": "Cllr Ann Able", "role": "Cabinet Member for Communities"},
        {"kind": "smt", "name": "Bob Baker", "role": "Director of Communities"},
    ]
    statements.save_version(statement, facilitator, content, "Named the champions")
    statements.record_decision(statement, admin, "Cabinet", today, "Minute 42")
    statements.add_signatory(statement, admin, "Cllr Lee Leader", "Leader of the Council", today)
    statements.publish(statement, admin, override="Owners and dates follow in the next version")
    commitment = next(iter(statements.commitments_by_id(statement).values()))
    statements.add_progress(
        commitment, admin, CommitmentStatus.IN_PROGRESS, today, "The first repair cafe opened."
    )
    content = dict(
        content, preamble=content["preamble"] + "\n\nWe will review this statement every year."
    )
    statements.save_version(statement, facilitator, content, "Yearly review, after comments")
    statements.open_review(statement, admin, utcnow() + timedelta(days=14))
    statements.respond(statement, facilitator, "preamble", Stance.SUPPORT, "A good addition.")
    db.session.commit()
    cited = statements.cited_ideas(statement.published_version.typed_content)
    return commitment.id, (cited[0] if cited else None)


def _network_rounds(users, idea) -> SimpleNamespace:
    """Self-assessment rounds: one signed off, one after it open for views (a view given), and
    a draft with principle 1 not yet assessed."""
    from datetime import date

    from kil_consult.network import services as network

    facilitator, admin = users["facilitator"], users["admin"]
    made = {}
    for name, when, levels in (
        ("signed", date(2026, 10, 1), (1, 2, 2, 1, 3, 2)),
        ("open", date(2027, 3, 27), (2, 2, 3, 1, 3, 2)),
        ("draft", date(2027, 10, 1), (None, 2, 3, 2, 3, 2)),
    ):
        round_ = network.start_round(facilitator, f"{name.title()} network meeting", when)
        for number, level in enumerate(levels, start=1):
            if level is not None:
                network.save_assessment(
                    round_,
                    facilitator,
                    number,
                    level=level,
                    commitments=[],
                    addresses=[f"/ideas/{idea.id}", "/statement/progress"],
                    next_steps="Agree a **neighbourhood** plan with partners.",
                    champion="Cllr Ann Able, Cabinet Member for Communities",
                )
        if name == "signed":
            network.sign_off(round_, admin)
        elif name == "open":
            network.open_for_views(round_)
            network.record_view(round_, users["facilitator"], 1, False, "Not yet in Southville.")
        made[name] = round_.id
    db.session.commit()
    return SimpleNamespace(**made)


def have_your_say(send: bool):
    def act(page: Page, world: SimpleNamespace) -> None:
        page.get_by_text("Have your say on the council's endorsement").click()
        if send:
            page.get_by_label("I support this").first.check()
        click("Send your response")(page, world)

    return act


# --- what people do on a page --------------------------------------------------------------


def click(name: str) -> Callable[[Page, SimpleNamespace], None]:
    def act(page: Page, world: SimpleNamespace) -> None:
        page.get_by_role("button", name=name, exact=True).click()
        page.wait_for_load_state()

    return act


def check_and_click(label: str, button: str) -> Callable[[Page, SimpleNamespace], None]:
    def act(page: Page, world: SimpleNamespace) -> None:
        page.get_by_label(label, exact=True).check()
        page.get_by_role("button", name=button).click()
        page.wait_for_load_state()

    return act


def respond_to_idea(page: Page, world: SimpleNamespace) -> None:
    page.get_by_label("Being considered", exact=True).check()
    page.get_by_label("Why, and what happens next", exact=True).fill(
        "The cabinet member will decide in March, with the budget."
    )
    click("Publish the response")(page, world)


def upload_spreadsheet(content: bytes, name: str = "responses.csv"):
    def act(page: Page, world: SimpleNamespace) -> None:
        page.set_input_files(
            "input[type=file]", files=[{"name": name, "mimeType": "text/csv", "buffer": content}]
        )
        click("Check the file")(page, world)

    return act


def fill_and_click(fields: dict[str, str], button: str):
    def act(page: Page, world: SimpleNamespace) -> None:
        for label, value in fields.items():
            page.get_by_label(label, exact=True).fill(value)
        click(button)(page, world)

    return act


def edit_with_mistakes(page: Page, world: SimpleNamespace) -> None:
    page.get_by_label("Title", exact=True).fill("")
    closing = page.get_by_role("group", name="Closing date")
    closing.get_by_label("Day").fill("31")
    closing.get_by_label("Month").fill("2")
    page.get_by_label("Opening time").fill("25 o'clock")
    click("Save changes")(page, world)


def vote_agree(page: Page, world: SimpleNamespace) -> None:
    page.get_by_role("button", name="Disagree with").first.click()
    expect(page.get_by_role("status").filter(has_text="Your vote is saved")).to_be_visible()


def comment(page: Page, world: SimpleNamespace) -> None:
    page.get_by_label("Add a comment").fill("I like this.")
    click("Post comment")(page, world)


# --- the registry --------------------------------------------------------------------------

SAMPLES: list[Sample] = [
    # Home
    Sample("home", "pages.home", lambda w: "/", EVERYONE),
    Sample("home, nothing yet", "pages.home", lambda w: "/", ("visitor", "admin"), "empty"),
    # A consultation
    Sample(
        "consultation with ideas",
        "pages.consultation",
        lambda w: f"/consultations/{w.busy}",
        EVERYONE,
    ),
    Sample(
        "consultation, after voting",
        "pages.consultation",
        lambda w: f"/consultations/{w.busy}",
        ("resident",),
        act=vote_agree,
    ),
    Sample(
        "consultation, page 2",
        "pages.consultation",
        lambda w: f"/consultations/{w.busy}?page=2",
        ("visitor",),
    ),
    Sample(
        "consultation, no ideas yet",
        "pages.consultation",
        lambda w: f"/consultations/{w.empty}",
        ("visitor", "resident"),
    ),
    Sample(
        "consultation, closed",
        "pages.consultation",
        lambda w: f"/consultations/{w.closed}",
        ("visitor", "resident"),
    ),
    Sample(
        "consultation, not yet open",
        "pages.consultation",
        lambda w: f"/consultations/{w.scheduled}",
        ("visitor", "resident"),
    ),
    Sample(
        "consultation, draft", "pages.consultation", lambda w: f"/consultations/{w.draft}", STAFF
    ),
    Sample(
        "consultation, draft: not found",
        "pages.consultation",
        lambda w: f"/consultations/{w.draft}",
        ("visitor", "resident"),
        status=404,
    ),
    Sample(
        "consultation, filter with mistakes",
        "pages.consultation",
        lambda w: f"/consultations/{w.busy}?neighbourhood=nowhere",
        ("visitor",),
        status=400,
    ),
    Sample(
        "consultation, filtered to an area with no ideas",
        "pages.consultation",
        lambda w: f"/consultations/{w.busy}?neighbourhood={w.south}&sort=newest",
        ("resident",),
    ),
    # An idea
    Sample("idea with comments", "ideas.show", lambda w: f"/ideas/{w.idea}", EVERYONE),
    Sample(
        "idea, no comments",
        "ideas.show",
        lambda w: f"/ideas/{w.plain_idea}",
        ("visitor", "resident"),
    ),
    Sample(
        "idea, closed consultation",
        "ideas.show",
        lambda w: f"/ideas/{w.closed_idea}",
        ("visitor", "resident"),
    ),
    Sample(
        "idea, replying",
        "ideas.show",
        lambda w: f"/ideas/{w.idea}?reply_to={w.comment}",
        ("resident",),
    ),
    Sample(
        "idea, comment with mistakes",
        "ideas.show",
        lambda w: f"/ideas/{w.plain_idea}",
        ("resident",),
        act=click("Post comment"),
        status=400,
    ),
    Sample(
        "idea, comment posted",
        "ideas.show",
        lambda w: f"/ideas/{w.plain_idea}",
        ("resident",),
        act=comment,
    ),
    Sample("idea, not found", "ideas.show", lambda w: "/ideas/999999", ("visitor",), status=404),
    # The council's response to an idea, and staff notes
    Sample(
        "give the council's response",
        "ideas.respond",
        lambda w: f"/ideas/{w.idea}/response",
        ("facilitator",),
    ),
    Sample(
        "council's response with mistakes",
        "ideas.respond",
        lambda w: f"/ideas/{w.idea}/response",
        ("facilitator",),
        act=click("Publish the response"),
        status=400,
    ),
    Sample(
        "council's response given, shown on the idea",
        "ideas.respond",
        lambda w: f"/ideas/{w.idea}/response",
        ("facilitator",),
        act=respond_to_idea,
    ),
    Sample(
        "staff notes", "ideas.staff_notes", lambda w: f"/ideas/{w.idea}/staff-notes", ("admin",)
    ),
    Sample(
        "staff note added",
        "ideas.staff_notes",
        lambda w: f"/ideas/{w.idea}/staff-notes",
        ("admin",),
        act=fill_and_click({"Add a note": "Raised with the highways team."}, "Add note"),
    ),
    # Share an idea
    Sample(
        "share an idea", "ideas.new", lambda w: f"/consultations/{w.busy}/ideas/new", ("resident",)
    ),
    Sample(
        "share an idea with mistakes",
        "ideas.new",
        lambda w: f"/consultations/{w.busy}/ideas/new",
        ("resident",),
        act=click("Share your idea"),
        status=400,
    ),
    Sample(
        "share an idea: confirm first",
        "ideas.new",
        lambda w: f"/consultations/{w.busy}/ideas/new",
        ("unconfirmed",),
        status=403,
    ),
    Sample(
        "share an idea: closed",
        "ideas.new",
        lambda w: f"/consultations/{w.closed}/ideas/new",
        ("resident",),
        status=403,
    ),
    Sample(
        "share an idea: sign in first",
        "ideas.new",
        lambda w: f"/consultations/{w.busy}/ideas/new",
        ("visitor",),
    ),
    # Search
    Sample("search", "pages.search", lambda w: "/search", ("visitor", "resident")),
    Sample("search, found", "pages.search", lambda w: "/search?q=market", EVERYONE),
    Sample(
        "search, filtered, nothing found",
        "pages.search",
        lambda w: f"/search?q=zebra&neighbourhood={w.south}&source=event&not_voted=y",
        ("resident",),
    ),
    Sample(
        "search, pages of results",
        "pages.search",
        lambda w: "/search?q=another&page=2",
        ("visitor",),
    ),
    Sample(
        "search with mistakes",
        "pages.search",
        lambda w: "/search?q=market&neighbourhood=nowhere",
        ("visitor",),
        status=400,
    ),
    # Vote through ideas one at a time
    Sample(
        "vote through ideas",
        "ideas.vote_through",
        lambda w: f"/consultations/{w.busy}/vote-through",
        ("resident", "facilitator"),
    ),
    Sample(
        "vote through ideas, after a vote",
        "ideas.vote_through",
        lambda w: f"/consultations/{w.busy}/vote-through",
        ("resident",),
        act=click("Agree"),
    ),
    Sample(
        "vote through ideas, skipped one",
        "ideas.vote_through",
        lambda w: f"/consultations/{w.busy}/vote-through",
        ("resident",),
        act=click("Skip for now"),
    ),
    Sample(
        "vote through ideas, none left",
        "ideas.vote_through",
        lambda w: f"/consultations/{w.empty}/vote-through",
        ("resident",),
    ),
    Sample(
        "vote through ideas: closed",
        "ideas.vote_through",
        lambda w: f"/consultations/{w.closed}/vote-through",
        ("resident",),
        status=403,
    ),
    # Staff pages
    Sample("manage consultations", "pages.staff_home", lambda w: "/admin/", STAFF),
    Sample(
        "manage consultations, nothing yet",
        "pages.staff_home",
        lambda w: "/admin/",
        ("admin",),
        "empty",
    ),
    Sample(
        "manage consultations: refused",
        "pages.staff_home",
        lambda w: "/admin/",
        ("resident",),
        status=403,
    ),
    Sample(
        "edit an open consultation",
        "consultations.edit",
        lambda w: f"/admin/consultations/{w.busy}",
        ("admin",),
    ),
    Sample(
        "edit a consultation with mistakes",
        "consultations.edit",
        lambda w: f"/admin/consultations/{w.busy}",
        ("admin",),
        act=edit_with_mistakes,
        status=400,
    ),
    Sample(
        "edit a draft consultation",
        "consultations.edit",
        lambda w: f"/admin/consultations/{w.draft}",
        ("admin",),
    ),
    Sample(
        "edit a closed consultation",
        "consultations.edit",
        lambda w: f"/admin/consultations/{w.closed}",
        ("admin",),
    ),
    Sample(
        "confirm closing a consultation",
        "consultations.confirm_close",
        lambda w: f"/admin/consultations/{w.scheduled}/close",
        ("admin",),
    ),
    Sample(
        "close a consultation",
        "consultations.confirm_close",
        lambda w: f"/admin/consultations/{w.scheduled}/close",
        ("admin",),
        act=click("Yes, close it now"),
    ),
    Sample("people", "accounts.people", lambda w: "/admin/people", ("admin",)),
    Sample("people, searched", "accounts.people", lambda w: "/admin/people?q=rita", ("admin",)),
    Sample("people, no match", "accounts.people", lambda w: "/admin/people?q=zzz", ("admin",)),
    # Accounts
    Sample("your account", "accounts.account", lambda w: "/account", SIGNED_IN),
    Sample("your account: sign in first", "accounts.account", lambda w: "/account"),
    Sample("your activity", "personal_data.activity", lambda w: "/account/activity", SIGNED_IN),
    Sample(
        "your activity, nothing yet",
        "personal_data.activity",
        lambda w: "/account/activity",
        ("admin",),
        "empty",
    ),
    Sample(
        "change your details", "accounts.change_details", lambda w: "/account/details", SIGNED_IN
    ),
    Sample(
        "change your details with mistakes",
        "accounts.change_details",
        lambda w: "/account/details",
        ("resident",),
        act=fill_and_click({"Name to show with your ideas and comments": ""}, "Save your details"),
        status=400,
    ),
    Sample("sign in", "accounts.sign_in", lambda w: "/account/sign-in"),
    Sample(
        "sign in with mistakes",
        "accounts.sign_in",
        lambda w: "/account/sign-in",
        act=click("Sign in"),
        status=400,
    ),
    Sample(
        "sign in, wrong password",
        "accounts.sign_in",
        lambda w: "/account/sign-in",
        act=fill_and_click({"Email address": "x@example.org", "Password": "nope"}, "Sign in"),
        status=400,
    ),
    Sample("create an account", "accounts.sign_up", lambda w: "/account/create"),
    Sample(
        "create an account, nothing set up",
        "accounts.sign_up",
        lambda w: "/account/create",
        world="empty",
    ),
    Sample(
        "create an account with mistakes",
        "accounts.sign_up",
        lambda w: "/account/create",
        act=fill_and_click(
            {"Email address": "not-an-email", "Create a password": "short"}, "Create account"
        ),
        status=400,
    ),
    Sample(
        "create an account, sent",
        "accounts.sign_up",
        lambda w: "/account/create",
        act=fill_and_click(
            {
                "Email address": "new.person@example.org",
                "Name to show with your ideas and comments": "New Person",
                "Create a password": "a long and unusual passphrase 42",
            },
            "Create account",
        ),
    ),
    Sample("check your email", "accounts.check_email", lambda w: "/account/check-your-email"),
    Sample(
        "confirm email, link works",
        "accounts.confirm_email",
        lambda w: f"/account/confirm/{w.confirm_token}",
    ),
    Sample(
        "confirm email, broken link",
        "accounts.confirm_email",
        lambda w: "/account/confirm/not-a-real-token",
        status=400,
    ),
    Sample(
        "send the confirmation again",
        "accounts.resend_confirmation",
        lambda w: "/account/confirm",
        ("visitor", "unconfirmed"),
    ),
    Sample(
        "send the confirmation again with mistakes",
        "accounts.resend_confirmation",
        lambda w: "/account/confirm",
        act=click("Send the email"),
        status=400,
    ),
    Sample("forgotten password", "accounts.forgot_password", lambda w: "/account/forgot-password"),
    Sample(
        "forgotten password with mistakes",
        "accounts.forgot_password",
        lambda w: "/account/forgot-password",
        act=click("Send reset link"),
        status=400,
    ),
    Sample(
        "forgotten password, sent",
        "accounts.forgot_password",
        lambda w: "/account/forgot-password",
        act=fill_and_click({"Email address": "someone@example.org"}, "Send reset link"),
    ),
    Sample(
        "choose a new password",
        "accounts.reset_password",
        lambda w: f"/account/reset-password/{w.reset_token}",
    ),
    Sample(
        "choose a new password with mistakes",
        "accounts.reset_password",
        lambda w: f"/account/reset-password/{w.reset_token}",
        act=fill_and_click({"New password": "short"}, "Save new password"),
        status=400,
    ),
    Sample(
        "choose a new password, broken link",
        "accounts.reset_password",
        lambda w: "/account/reset-password/not-a-real-token",
        status=400,
    ),
    Sample(
        "change your password", "accounts.change_password", lambda w: "/account/password", SIGNED_IN
    ),
    Sample(
        "change your password with mistakes",
        "accounts.change_password",
        lambda w: "/account/password",
        ("resident",),
        act=click("Change password"),
        status=400,
    ),
    *(
        Sample(
            f"large download, {state}",
            "exports.prepared_download",
            lambda w, state=state: f"/downloads/download-{state}",
            ("visitor",),
        )
        for state in ("queued", "running", "ready", "failed")
    ),
    Sample(
        "download your data", "personal_data.your_data", lambda w: "/account/your-data", SIGNED_IN
    ),
    Sample(
        "delete your account",
        "personal_data.erase",
        lambda w: "/account/delete",
        ("unconfirmed", "resident"),
    ),
    Sample(
        "delete your account with mistakes",
        "personal_data.erase",
        lambda w: "/account/delete",
        ("resident",),
        act=click("Delete my account"),
        status=400,
    ),
    Sample("account deleted", "accounts.erased", lambda w: "/account/deleted?kept=yes"),
    Sample("account deleted with contributions", "accounts.erased", lambda w: "/account/deleted"),
    # Community organisations
    Sample("organisations", "organisations.index", lambda w: "/organisations", EVERYONE),
    Sample(
        "organisations, none yet",
        "organisations.index",
        lambda w: "/organisations",
        ("visitor",),
        "empty",
    ),
    Sample(
        "organisation page",
        "pages.organisation",
        lambda w: f"/organisations/{w.organisation}",
        EVERYONE,
    ),
    Sample(
        "organisation page, asked to join",
        "pages.organisation",
        lambda w: f"/organisations/{w.inviting_organisation}",
        ("facilitator",),
        act=click("Ask to join Riverside Repair Cafe"),
    ),
    Sample(
        "organisation page, invited",
        "pages.organisation",
        lambda w: f"/organisations/{w.inviting_organisation}",
        ("resident",),
    ),
    Sample(
        "organisation page, waiting for checks",
        "pages.organisation",
        lambda w: f"/organisations/{w.pending_organisation}",
        ("resident", "facilitator"),
    ),
    Sample(
        "organisation page, waiting: not found",
        "pages.organisation",
        lambda w: f"/organisations/{w.pending_organisation}",
        ("visitor",),
        status=404,
    ),
    Sample(
        "register an organisation",
        "organisations.register",
        lambda w: "/organisations/register",
        ("resident",),
    ),
    Sample(
        "register an organisation with mistakes",
        "organisations.register",
        lambda w: "/organisations/register",
        ("resident",),
        act=fill_and_click({"Website (optional)": "northtown.example"}, "Ask to register"),
        status=400,
    ),
    Sample(
        "register an organisation: confirm first",
        "organisations.register",
        lambda w: "/organisations/register",
        ("unconfirmed",),
        status=403,
    ),
    Sample(
        "register an organisation: sign in first",
        "organisations.register",
        lambda w: "/organisations/register",
        ("visitor",),
    ),
    Sample(
        "organisation members",
        "organisations.members",
        lambda w: f"/organisations/{w.organisation}/members",
        ("resident",),
    ),
    Sample(
        "organisation members, invitation with mistakes",
        "organisations.members",
        lambda w: f"/organisations/{w.organisation}/members",
        ("resident",),
        act=click("Send invitation"),
        status=400,
    ),
    Sample(
        "organisation members: refused",
        "organisations.members",
        lambda w: f"/organisations/{w.organisation}/members",
        ("facilitator",),
        status=403,
    ),
    Sample(
        "your organisations", "organisations.mine", lambda w: "/account/organisations", SIGNED_IN
    ),
    Sample(
        "organisations to check",
        "organisations.staff_list",
        lambda w: "/admin/organisations",
        STAFF,
    ),
    Sample(
        "organisations to check, none yet",
        "organisations.staff_list",
        lambda w: "/admin/organisations",
        ("admin",),
        "empty",
    ),
    Sample(
        "organisations to check: refused",
        "organisations.staff_list",
        lambda w: "/admin/organisations",
        ("resident",),
        status=403,
    ),
    Sample(
        "check an organisation",
        "organisations.decide",
        lambda w: f"/admin/organisations/{w.pending_organisation}",
        STAFF,
    ),
    Sample(
        "check an organisation with mistakes",
        "organisations.decide",
        lambda w: f"/admin/organisations/{w.pending_organisation}",
        ("admin",),
        act=click("Save decision"),
        status=400,
    ),
    # Results, themes and summaries (issue 5)
    Sample("results", "analysis.results", lambda w: f"/consultations/{w.busy}/results", STAFF),
    Sample(
        "results, not yet",
        "analysis.results",
        lambda w: f"/consultations/{w.busy}/results",
        ("visitor", "resident"),
    ),
    Sample(
        "results, published",
        "analysis.results",
        lambda w: f"/consultations/{w.closed}/results",
        ("visitor", "resident", "facilitator"),
    ),
    Sample("themes", "analysis.themes", lambda w: f"/consultations/{w.busy}/themes", STAFF),
    Sample(
        "themes, suggested",
        "analysis.themes",
        lambda w: f"/consultations/{w.busy}/themes",
        ("facilitator",),
        act=click("Suggest themes from the ideas"),
    ),
    Sample(
        "themes with mistakes",
        "analysis.themes",
        lambda w: f"/consultations/{w.busy}/themes",
        ("facilitator",),
        act=click("Add theme"),
        status=400,
    ),
    Sample(
        "summary", "statements.edit_summary", lambda w: f"/consultations/{w.busy}/summary", STAFF
    ),
    Sample(
        "summary, published",
        "statements.edit_summary",
        lambda w: f"/consultations/{w.closed}/summary",
        ("facilitator",),
    ),
    Sample(
        "summary with mistakes",
        "statements.edit_summary",
        lambda w: f"/consultations/{w.busy}/summary",
        ("facilitator",),
        act=fill_and_click({"Ideas finding 1 rests on": "twelve"}, "Save draft"),
        status=400,
    ),
    Sample(
        "summary versions",
        "statements.summary_versions",
        lambda w: f"/consultations/{w.closed}/summary/versions",
        ("facilitator",),
    ),
    Sample(
        "summary version",
        "statements.summary_version",
        lambda w: f"/consultations/{w.closed}/summary/versions/1",
        ("facilitator",),
    ),
    # Moderation (issue 4)
    Sample(
        "idea, hidden", "ideas.show", lambda w: f"/ideas/{w.hidden}", ("visitor", "facilitator")
    ),
    Sample("idea, merged", "ideas.show", lambda w: f"/ideas/{w.merged}", ("visitor", "admin")),
    Sample("idea, waiting", "ideas.show", lambda w: f"/ideas/{w.waiting}", ("resident",)),
    Sample(
        "idea, waiting: not found",
        "ideas.show",
        lambda w: f"/ideas/{w.waiting}",
        ("visitor",),
        status=404,
    ),
    Sample(
        "report an idea",
        "moderation.report",
        lambda w: f"/report/idea/{w.plain_idea}",
        ("resident",),
    ),
    Sample(
        "report an idea with mistakes",
        "moderation.report",
        lambda w: f"/report/idea/{w.plain_idea}",
        ("resident",),
        act=click("Send report"),
        status=400,
    ),
    Sample(
        "report an idea, sent",
        "moderation.report",
        lambda w: f"/report/idea/{w.plain_idea}",
        ("resident",),
        act=lambda page, w: (
            page.get_by_label("Spam or advertising").check(),
            click("Send report")(page, w),
        ),
    ),
    Sample(
        "report a comment",
        "moderation.report",
        lambda w: f"/report/comment/{w.comment}",
        ("resident",),
    ),
    Sample(
        "report a person",
        "moderation.report",
        lambda w: f"/report/user/{w.reported_person}",
        ("resident",),
    ),
    Sample(
        "report: confirm first",
        "moderation.report",
        lambda w: f"/report/idea/{w.plain_idea}",
        ("unconfirmed",),
        status=403,
    ),
    Sample("moderation queue", "moderation.queue", lambda w: "/moderation", STAFF),
    Sample(
        "moderation queue, waiting",
        "moderation.queue",
        lambda w: "/moderation?tab=waiting",
        ("facilitator",),
    ),
    Sample(
        "moderation queue, recent",
        "moderation.queue",
        lambda w: "/moderation?tab=recent",
        ("facilitator",),
    ),
    Sample(
        "moderation queue, nothing",
        "moderation.queue",
        lambda w: "/moderation",
        ("admin",),
        "empty",
    ),
    Sample(
        "moderation queue with mistakes",
        "moderation.queue",
        lambda w: "/moderation?tab=x",
        ("facilitator",),
        status=400,
    ),
    Sample(
        "moderation queue, bulk action without a choice",
        "moderation.queue",
        lambda w: "/moderation",
        ("facilitator",),
        act=click("Apply to selected"),
        status=400,
    ),
    Sample(
        "moderation queue, hiding without a reason",
        "moderation.queue",
        lambda w: "/moderation",
        ("facilitator",),
        act=lambda page, w: (
            page.locator("input[name=items]").first.check(),
            page.get_by_label("Action for the selected items").select_option("hide"),
            click("Apply to selected")(page, w),
        ),
        status=400,
    ),
    Sample(
        "moderation queue: refused",
        "moderation.queue",
        lambda w: "/moderation",
        ("resident",),
        status=403,
    ),
    Sample(
        "review a reported idea",
        "moderation.review",
        lambda w: f"/moderation/idea/{w.reported}",
        STAFF,
    ),
    Sample(
        "review a reported comment",
        "moderation.review",
        lambda w: f"/moderation/comment/{w.reported_comment}",
        ("facilitator",),
    ),
    Sample(
        "review a reported person",
        "moderation.review",
        lambda w: f"/moderation/user/{w.reported_person}",
        ("facilitator",),
    ),
    Sample(
        "review a hidden idea",
        "moderation.review",
        lambda w: f"/moderation/idea/{w.hidden}",
        ("facilitator",),
    ),
    Sample(
        "hide an idea", "moderation.hide", lambda w: f"/moderation/idea/{w.reported}/hide", STAFF
    ),
    Sample(
        "hide an idea with mistakes",
        "moderation.hide",
        lambda w: f"/moderation/idea/{w.reported}/hide",
        ("facilitator",),
        act=click("Hide"),
        status=400,
    ),
    Sample("merge an idea", "moderation.merge", lambda w: f"/ideas/{w.plain_idea}/merge", STAFF),
    Sample(
        "merge an idea with mistakes",
        "moderation.merge",
        lambda w: f"/ideas/{w.plain_idea}/merge",
        ("facilitator",),
        act=fill_and_click({"Number of the idea to merge into": "999999"}, "Merge ideas"),
        status=400,
    ),
    Sample("reasons for hiding", "moderation.reasons", lambda w: "/moderation/reasons", STAFF),
    Sample(
        "reasons for hiding, none yet",
        "moderation.reasons",
        lambda w: "/moderation/reasons",
        ("admin",),
        "empty",
    ),
    Sample(
        "add a reason",
        "moderation.edit_reason",
        lambda w: "/moderation/reasons/new",
        ("facilitator",),
    ),
    Sample(
        "add a reason with mistakes",
        "moderation.edit_reason",
        lambda w: "/moderation/reasons/new",
        ("facilitator",),
        act=click("Save reason"),
        status=400,
    ),
    Sample(
        "edit a reason",
        "moderation.edit_reason",
        lambda w: f"/moderation/reasons/{w.reason}",
        ("admin",),
    ),
    Sample("audit log", "moderation.audit_log", lambda w: "/admin/audit", ("admin",)),
    Sample(
        "audit log, filtered",
        "moderation.audit_log",
        lambda w: "/admin/audit?action=idea.merge",
        ("admin",),
    ),
    Sample(
        "audit log, nothing yet",
        "moderation.audit_log",
        lambda w: "/admin/audit",
        ("admin",),
        "empty",
    ),
    Sample(
        "audit log: refused",
        "moderation.audit_log",
        lambda w: "/admin/audit",
        ("facilitator",),
        status=403,
    ),
    Sample(
        "ideas gathered offline",
        "ideas.events",
        lambda w: f"/admin/consultations/{w.busy}/offline",
        STAFF,
    ),
    Sample(
        "ideas gathered offline with mistakes",
        "ideas.events",
        lambda w: f"/admin/consultations/{w.busy}/offline",
        ("facilitator",),
        act=click("Save"),
        status=400,
    ),
    Sample("an offline event", "ideas.event", lambda w: f"/admin/offline/{w.event}", STAFF),
    Sample(
        "an offline event with mistakes",
        "ideas.event",
        lambda w: f"/admin/offline/{w.event}",
        ("facilitator",),
        act=click("Add idea"),
        status=400,
    ),
    Sample(
        "import ideas from a spreadsheet",
        "ideas.import_spreadsheet",
        lambda w: f"/admin/offline/{w.event}/import",
        ("facilitator",),
    ),
    Sample(
        "import ideas, rows with mistakes",
        "ideas.import_spreadsheet",
        lambda w: f"/admin/offline/{w.event}/import",
        ("facilitator",),
        act=upload_spreadsheet(b"Title,Idea,Area\nBenches,Somewhere to sit,Nowhere\n,No title\n"),
        status=400,
    ),
    Sample(
        "import ideas, ready to import",
        "ideas.import_spreadsheet",
        lambda w: f"/admin/offline/{w.event}/import",
        ("admin",),
        act=upload_spreadsheet(
            b"Title,Idea,Name\nBenches on the front,Somewhere to sit and rest,Walker\n"
            + b"A" * 100
            + b",A pasted word with no spaces to wrap,\n"
        ),
    ),
    # Open data
    Sample("open data API", "api.index", lambda w: "/api/v1/", ("visitor", "resident")),
    Sample("open data API, nothing yet", "api.index", lambda w: "/api/v1/", world="empty"),
    # The Keep it Local statement (issue 6)
    Sample("statement, open for comment", "statements.show", lambda w: "/statement", EVERYONE),
    Sample(
        "statement, response with mistakes",
        "statements.show",
        lambda w: "/statement",
        ("resident",),
        act=have_your_say(False),
        status=400,
    ),
    Sample(
        "statement, response sent",
        "statements.show",
        lambda w: "/statement",
        ("resident",),
        act=have_your_say(True),
    ),
    Sample(
        "statement, none yet",
        "statements.show",
        lambda w: "/statement",
        ("visitor", "admin"),
        "empty",
    ),
    Sample(
        "statement versions, none yet",
        "statements.versions",
        lambda w: "/statement/versions",
        ("visitor",),
        "empty",
    ),
    Sample(
        "statement progress, none yet",
        "statements.progress",
        lambda w: "/statement/progress",
        ("visitor",),
        "empty",
    ),
    Sample("statement versions", "statements.versions", lambda w: "/statement/versions", EVERYONE),
    Sample(
        "statement version",
        "statements.version",
        lambda w: "/statement/versions/2",
        ("visitor", "facilitator"),
    ),
    Sample(
        "statement versions compared",
        "statements.compare",
        lambda w: "/statement/compare?from=1&to=3",
        ("visitor", "facilitator"),
    ),
    Sample("statement progress", "statements.progress", lambda w: "/statement/progress", EVERYONE),
    Sample("manage the statement", "statements.manage", lambda w: "/admin/statement", STAFF),
    Sample(
        "manage the statement, nothing yet",
        "statements.manage",
        lambda w: "/admin/statement",
        ("admin",),
        "empty",
    ),
    Sample(
        "manage the statement: refused",
        "statements.manage",
        lambda w: "/admin/statement",
        ("resident",),
        status=403,
    ),
    Sample(
        "open the statement for comment with mistakes",
        "statements.manage",
        lambda w: "/admin/statement",
        ("admin",),
        act=click("Open for comment"),
        status=400,
    ),
    Sample(
        "close the statement's review early",
        "statements.close_review",
        lambda w: "/admin/statement/review/close",
        ("admin",),
    ),
    Sample(
        "hide an idea the published statement cites",
        "moderation.hide",
        lambda w: f"/moderation/idea/{w.cited_idea}/hide",
        ("facilitator",),
    ),
    Sample("edit the statement", "statements.edit", lambda w: "/admin/statement/edit", STAFF),
    Sample(
        "edit the statement with mistakes",
        "statements.edit",
        lambda w: "/admin/statement/edit",
        ("facilitator",),
        act=fill_and_click({"Title": ""}, "Save a new version"),
        status=400,
    ),
    Sample(
        "add a commitment",
        "statements.new_commitment",
        lambda w: "/admin/statement/commitments/new",
        ("facilitator",),
    ),
    Sample(
        "add a commitment with mistakes",
        "statements.new_commitment",
        lambda w: "/admin/statement/commitments/new",
        ("facilitator",),
        act=click("Save commitment"),
        status=400,
    ),
    Sample(
        "edit a commitment",
        "statements.edit_commitment",
        lambda w: f"/admin/statement/commitments/{w.commitment}",
        ("facilitator",),
    ),
    Sample(
        "update a commitment's progress",
        "statements.update_progress",
        lambda w: f"/admin/statement/commitments/{w.commitment}/progress",
        STAFF,
    ),
    Sample(
        "update a commitment's progress with mistakes",
        "statements.update_progress",
        lambda w: f"/admin/statement/commitments/{w.commitment}/progress",
        ("facilitator",),
        act=click("Add update"),
        status=400,
    ),
    # Questions beside the ideas
    Sample(
        "questions",
        "questions.manage",
        lambda w: f"/admin/consultations/{w.busy}/questions",
        STAFF,
    ),
    Sample(
        "questions, none yet",
        "questions.manage",
        lambda w: f"/admin/consultations/{w.empty}/questions",
        ("admin",),
    ),
    Sample(
        "add a question",
        "questions.new",
        lambda w: f"/admin/consultations/{w.busy}/questions/new",
        ("facilitator",),
    ),
    Sample(
        "add a question with mistakes",
        "questions.new",
        lambda w: f"/admin/consultations/{w.busy}/questions/new",
        ("facilitator",),
        act=click("Save question"),
        status=400,
    ),
    Sample(
        "change a question",
        "questions.edit",
        lambda w: f"/admin/questions/{w.question}",
        ("facilitator",),
    ),
    Sample(
        "answer a question",
        "questions.answer",
        lambda w: f"/consultations/{w.busy}/questions/before/1",
        ("resident",),
    ),
    Sample(
        "answer a question with mistakes",
        "questions.answer",
        lambda w: f"/consultations/{w.busy}/questions/before/1",
        ("resident",),
        act=click("Save and continue"),
        status=400,
    ),
    Sample(
        "answer a scale question",
        "questions.answer",
        lambda w: f"/consultations/{w.busy}/questions/before/2",
        ("resident",),
    ),
    Sample(
        "answer a checkboxes question",
        "questions.answer",
        lambda w: f"/consultations/{w.busy}/questions/after/1",
        ("resident",),
    ),
    Sample(
        "check your answers",
        "questions.check",
        lambda w: f"/consultations/{w.busy}/questions/before/check",
        ("resident",),
    ),
    Sample(
        "enter a paper form's answers",
        "questions.paper",
        lambda w: f"/admin/offline/{w.event}/answers",
        STAFF,
    ),
    Sample(
        "enter a paper form's answers with mistakes",
        "questions.paper",
        lambda w: f"/admin/offline/{w.event}/answers",
        ("facilitator",),
        act=click("Save this form's answers"),
        status=400,
    ),
    # Indicators on commitments
    Sample(
        "starter library of indicators",
        "indicators.library",
        lambda w: "/statement/indicators/library",
        ("visitor", "admin"),
    ),
    Sample(
        "add an indicator",
        "indicators.new",
        lambda w: f"/admin/statement/commitments/{w.commitment}/indicators/new",
        ("admin",),
    ),
    Sample(
        "add an indicator from the library",
        "indicators.new",
        lambda w: f"/admin/statement/commitments/{w.commitment}/indicators/new?from=local-spend",
        ("admin",),
    ),
    Sample(
        "add an indicator with mistakes",
        "indicators.new",
        lambda w: f"/admin/statement/commitments/{w.commitment}/indicators/new",
        ("admin",),
        act=click("Save indicator"),
        status=400,
    ),
    Sample(
        "change an indicator",
        "indicators.edit",
        lambda w: f"/admin/indicators/{w.indicator}",
        ("admin",),
    ),
    Sample(
        "an indicator's readings",
        "indicators.readings",
        lambda w: f"/admin/indicators/{w.indicator}/readings",
        STAFF,
    ),
    Sample(
        "take an indicator's readings from a question",
        "indicators.question",
        lambda w: f"/admin/indicators/{w.indicator}/question",
        ("admin",),
    ),
    Sample(
        "choose the answers an indicator's readings count",
        "indicators.question",
        lambda w: f"/admin/indicators/{w.indicator}/question?question={w.question}",
        ("admin",),
    ),
    Sample(
        "link a question without choosing answers",
        "indicators.question",
        lambda w: f"/admin/indicators/{w.indicator}/question?question={w.question}",
        ("admin",),
        act=click("Link the question"),
        status=400,
    ),
    Sample(
        "add a reading with mistakes",
        "indicators.readings",
        lambda w: f"/admin/indicators/{w.indicator}/readings",
        ("facilitator",),
        act=click("Add reading"),
        status=400,
    ),
    # Site pages
    Sample(
        "accessibility statement",
        "pages.accessibility",
        lambda w: "/accessibility",
        ("visitor", "resident"),
    ),
    Sample(
        "accessibility statement, nothing set up",
        "pages.accessibility",
        lambda w: "/accessibility",
        world="empty",
    ),
    Sample("cookies", "pages.cookies", lambda w: "/cookies", ("visitor", "resident")),
    Sample("privacy notice", "pages.privacy", lambda w: "/privacy", ("visitor", "resident")),
    Sample("privacy notice, nothing set up", "pages.privacy", lambda w: "/privacy", world="empty"),
    Sample("house rules", "pages.house_rules", lambda w: "/house-rules", ("visitor", "admin")),
    Sample(
        "edit the house rules",
        "moderation.edit_house_rules",
        lambda w: "/admin/house-rules",
        ("admin",),
    ),
    # Following and notifications
    Sample(
        "notifications",
        "following.notifications",
        lambda w: "/notifications",
        ("resident", "admin"),
    ),
    Sample(
        "notifications, none yet",
        "following.notifications",
        lambda w: "/notifications",
        ("admin",),
        world="empty",
    ),
    Sample(
        "notification settings",
        "following.settings",
        lambda w: "/notifications/settings",
        ("resident", "unconfirmed"),
    ),
    Sample(
        "unsubscribe from notification emails",
        "following.unsubscribe",
        lambda w: f"/notifications/unsubscribe/{w.unsubscribe_token}",
        ("visitor",),
    ),
    Sample(
        "unsubscribe, done",
        "following.unsubscribe",
        lambda w: f"/notifications/unsubscribe/{w.unsubscribe_token}",
        ("visitor",),
        act=click("Stop the emails"),
    ),
    # Who took part (issue 18)
    Sample("about you", "equality.about_you", lambda w: "/account/about-you", SIGNED_IN),
    Sample(
        "about you with mistakes",
        "equality.about_you",
        lambda w: "/account/about-you",
        ("resident",),
        act=check_and_click("Asian: Indian", "Save your answers"),
        status=400,
    ),
    Sample(
        "who took part",
        "equality.consultation_page",
        lambda w: f"/consultations/{w.busy}/who-took-part",
        STAFF,
    ),
    Sample(
        "who took part, not yet",
        "equality.consultation_page",
        lambda w: f"/consultations/{w.busy}/who-took-part",
        ("visitor", "resident"),
    ),
    Sample(
        "who took part, published",
        "equality.consultation_page",
        lambda w: f"/consultations/{w.closed}/who-took-part",
        ("visitor",),
    ),
    Sample("who took part, whole", "equality.process_page", lambda w: "/who-took-part", STAFF),
    Sample(
        "who took part, whole, not yet",
        "equality.process_page",
        lambda w: "/who-took-part",
        ("visitor",),
    ),
    Sample(
        "add a response with about you",
        "equality.offline_response",
        lambda w: f"/admin/offline/{w.event}/response",
        ("facilitator",),
    ),
    Sample(
        "add a response with mistakes",
        "equality.offline_response",
        lambda w: f"/admin/offline/{w.event}/response",
        ("facilitator",),
        act=click("Add the response"),
        status=400,
    ),
    Sample(
        "population", "equality.population", lambda w: "/admin/who-took-part/population", ("admin",)
    ),
    Sample(
        "population with mistakes",
        "equality.population",
        lambda w: "/admin/who-took-part/population",
        ("admin",),
        act=click("Upload the table"),
        status=400,
    ),
    Sample(
        "unsubscribe, broken link",
        "following.unsubscribe",
        lambda w: "/notifications/unsubscribe/broken",
        ("visitor",),
        status=404,
    ),
    # Changing what one wrote (the resident's waiting idea and their reply, both edited once)
    Sample(
        "change your idea", "ideas.edit_idea", lambda w: f"/ideas/{w.waiting}/edit", ("resident",)
    ),
    Sample(
        "change your idea with mistakes",
        "ideas.edit_idea",
        lambda w: f"/ideas/{w.waiting}/edit",
        ("resident",),
        act=fill_and_click({"Title of your idea": ""}, "Save your changes"),
        status=400,
    ),
    Sample(
        "withdraw your idea",
        "ideas.withdraw_idea",
        lambda w: f"/ideas/{w.waiting}/withdraw",
        ("resident",),
    ),
    Sample(
        "every version of an idea",
        "ideas.idea_history",
        lambda w: f"/ideas/{w.waiting}/history",
        ("facilitator",),
    ),
    Sample(
        "change your comment",
        "ideas.edit_comment",
        lambda w: f"/comments/{w.reply}/edit",
        ("resident",),
    ),
    Sample(
        "withdraw your comment",
        "ideas.withdraw_comment",
        lambda w: f"/comments/{w.reply}/withdraw",
        ("resident",),
    ),
    Sample(
        "every version of a comment",
        "ideas.comment_history",
        lambda w: f"/comments/{w.reply}/history",
        ("admin",),
    ),
    Sample("change your email", "accounts.change_email", lambda w: "/account/email", SIGNED_IN),
    Sample(
        "change your email with mistakes",
        "accounts.change_email",
        lambda w: "/account/email",
        ("resident",),
        act=fill_and_click({"New email address": "not an address"}, "Send the link"),
        status=400,
    ),
    Sample(
        "change your email, link broken",
        "accounts.confirm_email_change",
        lambda w: "/account/email/confirm/broken",
        ("visitor",),
        status=400,
    ),
    # Facilitators assigned to consultations; the votes a workshop took
    Sample(
        "facilitators of a consultation",
        "accounts.facilitators",
        lambda w: f"/admin/consultations/{w.busy}/facilitators",
        ("admin",),
    ),
    Sample(
        "facilitators, one assigned",
        "accounts.facilitators",
        lambda w: f"/admin/consultations/{w.busy}/facilitators",
        ("admin",),
        act=lambda page, w: (
            page.get_by_label("Assign a facilitator").select_option(
                label="Fay Facilitator (facilitator)"
            ),
            click("Assign")(page, w),
        ),
    ),
    Sample(
        "workshop votes", "ideas.workshop_votes", lambda w: f"/admin/offline/{w.event}/votes", STAFF
    ),
    Sample(
        "workshop votes with mistakes",
        "ideas.workshop_votes",
        lambda w: f"/admin/offline/{w.event}/votes",
        ("facilitator",),
        act=fill_and_click({"Agree": "lots"}, "Save the votes"),
        status=400,
    ),
    Sample(
        "workshop votes recorded",
        "ideas.workshop_votes",
        lambda w: f"/admin/offline/{w.event}/votes",
        ("admin",),
        act=lambda page, w: (
            page.get_by_label("Idea", exact=True).select_option(
                label="A market for local growers every Saturday"
            ),
            fill_and_click({"Agree": "12", "Disagree": "3", "Pass": "1"}, "Save the votes")(
                page, w
            ),
        ),
    ),
]

SAMPLES += [
    # The Keep it Local Network self-assessment (issue 19)
    Sample("network self-assessment", "network.index", lambda w: "/network", EVERYONE),
    Sample(
        "network self-assessment, none yet",
        "network.index",
        lambda w: "/network",
        ("visitor", "admin"),
        world="empty",
    ),
    Sample(
        "start a round with mistakes",
        "network.index",
        lambda w: "/network",
        ("facilitator",),
        act=click("Start the round"),
        status=400,
    ),
    Sample(
        "self-assessment round, open for views",
        "network.show",
        lambda w: f"/network/rounds/{w.rounds.open}",
        EVERYONE,
    ),
    Sample(
        "self-assessment round, a view with mistakes",
        "network.show",
        lambda w: f"/network/rounds/{w.rounds.open}",
        ("resident",),
        act=click("Send your view of principle 2"),
        status=400,
    ),
    Sample(
        "self-assessment round, signed off",
        "network.show",
        lambda w: f"/network/rounds/{w.rounds.signed}",
        ("visitor", "admin"),
    ),
    Sample(
        "self-assessment round, draft",
        "network.show",
        lambda w: f"/network/rounds/{w.rounds.draft}",
        STAFF,
    ),
    Sample(
        "assess a principle",
        "network.assess",
        lambda w: f"/network/rounds/{w.rounds.draft}/principles/2",
        STAFF,
    ),
    Sample(
        "assess a principle with mistakes",
        "network.assess",
        lambda w: f"/network/rounds/{w.rounds.draft}/principles/1",
        ("facilitator",),
        act=click("Save this principle"),
        status=400,
    ),
    Sample(
        "levels of a principle", "network.levels", lambda w: "/admin/network/levels/3", ("admin",)
    ),
    Sample(
        "levels of a principle with mistakes",
        "network.levels",
        lambda w: "/admin/network/levels/3",
        ("admin",),
        act=fill_and_click({"Name of level 2": ""}, "Save the levels"),
        status=400,
    ),
]

GROUPS = [("empty", "visitor"), ("empty", "admin")] + [("full", role) for role in ROLES]


def samples_for(world: str, role: str) -> list[Sample]:
    return [s for s in SAMPLES if s.world == world and role in s.roles]
