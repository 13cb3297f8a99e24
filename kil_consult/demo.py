"""The demo council: an East Sussex-like county with six consultations and a lively start.

``load_demo()`` is what ``make run`` loads into an empty database, so that a newcomer meets a
realistic conversation: an admin, a facilitator, residents, a community organisation's
volunteer, and a few dozen ideas, votes and comments.
"""

from __future__ import annotations

import random
from datetime import timedelta

from .accounts.models import Role, User
from .accounts.passwords import hash_password
from .consultations.models import Consultation, Council, Neighbourhood, Process, Stage
from .consultations.principles import PRINCIPLES
from .extensions import db
from .ideas.models import Idea, VoteValue
from .ideas.services import cast_vote
from .moderation.services import ensure_default_hide_reasons
from .organisations.models import Membership, MembershipStatus, Organisation, OrganisationStatus
from .timeutil import utcnow

DEMO_PASSWORD = "demo-password-2027"

NEIGHBOURHOODS = [
    ("Eastbourne", 103_000),
    ("Hastings", 91_000),
    ("Lewes", 100_000),
    ("Rother", 93_000),
    ("Wealden", 162_000),
]

PEOPLE = [
    ("admin@demo.kil.example", "Priya (Council officer)", Role.ADMIN, None),
    ("facilitator@demo.kil.example", "Tom (Community development)", Role.FACILITATOR, None),
    ("amira@demo.kil.example", "Amira", Role.RESIDENT, "Hastings"),
    ("dave@demo.kil.example", "Dave", Role.RESIDENT, "Eastbourne"),
    ("sian@demo.kil.example", "Siân", Role.RESIDENT, "Lewes"),
    ("jo@demo.kil.example", "Jo", Role.RESIDENT, "Rother"),
    ("kwame@demo.kil.example", "Kwame", Role.RESIDENT, "Wealden"),
    ("volunteer@demo.kil.example", "Helen (Hastings Community Larder)", Role.RESIDENT, "Hastings"),
]

DEMO_ACCOUNTS = [(email, role.label) for email, _name, role, _place in PEOPLE[:3]] + [
    ("volunteer@demo.kil.example", "VCS volunteer")
]

# (principle number, author email, neighbourhood or None, title, body)
IDEAS = [
    (
        1,
        "amira",
        "Hastings",
        "One key worker for families with several needs",
        "My neighbour had to tell her story to six different services after her husband died. "
        "One named person who joins up housing, benefits and health would save everyone time.",
    ),
    (
        1,
        "dave",
        None,
        "Shared records between council and GP surgeries",
        "With consent, let services see the same notes so people are not asked the same "
        "questions again and again.",
    ),
    (
        1,
        "sian",
        "Lewes",
        "Joint budgets for prevention across council and NHS",
        "Pool a small part of council and NHS budgets locally so that money follows the person.",
    ),
    (
        1,
        "volunteer",
        "Hastings",
        "Invite community groups to multi-agency meetings",
        "Groups like ours often know the family best but are never in the room.",
    ),
    (
        1,
        "kwame",
        None,
        "A single front door for help",
        "One phone number and one website for any kind of help, staffed by people who can act.",
    ),
    (
        2,
        "jo",
        "Rother",
        "Community hubs in village halls",
        "Use village halls one day a week for advice, health checks and council services.",
    ),
    (
        2,
        "amira",
        "Hastings",
        "Neighbourhood budgets decided by residents",
        "Give each neighbourhood a small budget and let residents vote on how to spend it.",
    ),
    (
        2,
        "dave",
        "Eastbourne",
        "Keep libraries open as community spaces",
        "Libraries are the last warm, free place in many towns. Open them longer and host other "
        "services in them.",
    ),
    (
        2,
        "kwame",
        "Wealden",
        "Better rural bus links to services",
        "Services in the towns are no use if you cannot get to them from the villages.",
    ),
    (
        2,
        "sian",
        "Lewes",
        "Named neighbourhood contacts at the council",
        "Each area should have a named officer that groups can call.",
    ),
    (
        3,
        "dave",
        "Eastbourne",
        "Buy food for schools from Sussex farms",
        "School meals and care homes could source far more from local producers.",
    ),
    (
        3,
        "jo",
        None,
        "Publish council spend with local suppliers every quarter",
        "Show us how much of the budget stays in East Sussex so we can see progress.",
    ),
    (
        3,
        "kwame",
        "Wealden",
        "Split big contracts into smaller lots",
        "Small local firms cannot bid for county-wide contracts. Smaller lots let them compete.",
    ),
    (
        3,
        "amira",
        "Hastings",
        "Pay the real living wage in council contracts",
        "Money paid to local workers is spent locally.",
    ),
    (
        3,
        "sian",
        None,
        "Local apprenticeships through council suppliers",
        "Ask every large supplier to take on apprentices from the area.",
    ),
    (
        4,
        "volunteer",
        "Hastings",
        "Fund food banks to offer debt advice on the spot",
        "People come to us at crisis point. Advice at the larder would stop evictions.",
    ),
    (
        4,
        "sian",
        "Lewes",
        "Youth clubs in every town",
        "Youth work costs a fraction of what it costs to deal with problems later.",
    ),
    (
        4,
        "jo",
        "Rother",
        "Falls prevention classes for older people",
        "Balance and strength classes in community centres prevent hospital admissions.",
    ),
    (
        4,
        "dave",
        None,
        "Early help for families without a referral",
        "Families should be able to ask for help before things get serious, without a referral.",
    ),
    (
        4,
        "amira",
        "Hastings",
        "Mental health drop-ins run with local charities",
        "Drop-in sessions in familiar places, not only clinics.",
    ),
    (
        5,
        "volunteer",
        "Hastings",
        "Three-year grants instead of one-year grants",
        "Small charities spend months each year re-applying. Longer grants let us plan and keep "
        "staff.",
    ),
    (
        5,
        "kwame",
        "Wealden",
        "Hand unused council buildings to community groups",
        "Community asset transfer of empty buildings for a peppercorn rent.",
    ),
    (
        5,
        "sian",
        None,
        "Simple application forms for small grants",
        "A two-page form for grants under five thousand pounds.",
    ),
    (
        5,
        "jo",
        "Rother",
        "A community organisations forum with the council",
        "Meet every quarter so groups can raise issues with senior officers.",
    ),
    (
        5,
        "dave",
        "Eastbourne",
        "Free training for volunteers",
        "Safeguarding, first aid and food hygiene training for volunteers at no cost.",
    ),
    (
        6,
        "kwame",
        None,
        "Score social value in every tender",
        "Give real weight to local jobs, volunteering and environmental benefits when choosing "
        "suppliers.",
    ),
    (
        6,
        "volunteer",
        "Hastings",
        "Design services with providers before tendering",
        "Talk to local organisations before writing the specification, not after.",
    ),
    (
        6,
        "amira",
        None,
        "Pay small suppliers within ten days",
        "Late payment can sink a small charity or business.",
    ),
    (
        6,
        "jo",
        "Rother",
        "Let consortia of small charities bid together",
        "Help small groups form partnerships so they can bid for bigger contracts.",
    ),
    (
        6,
        "sian",
        "Lewes",
        "Plain English tender documents",
        "Fewer pages, no jargon, and a named contact to answer questions.",
    ),
]

COMMENTS = [
    ("dave", "I agree. My mum was passed between four teams after her fall."),
    ("sian", "This works well in Lewes already for some families. It should be everywhere."),
    ("jo", "How would this be paid for? I support it but we need to know what stops."),
    ("kwame", "Villages in Wealden need this as much as the towns do."),
    ("amira", "Yes, and please make sure it works for people who are not online."),
    ("volunteer", "We would be glad to help with this in Hastings."),
]
ORGANISATION = {
    "name": "Hastings Community Larder",
    "slug": "hastings-community-larder",
    "description": (
        "A volunteer-run community larder in central Hastings. Every week we share good surplus "
        "food from local shops and farms with around 300 households for a small membership "
        "fee, and run cooking sessions, a warm space and drop-in advice on debt, benefits and "
        "energy bills with our partners."
    ),
    "website": "https://hastingslarder.example.org.uk",
    "registration_number": "1187452",
    "neighbourhoods": ["Hastings"],
    # Ideas its volunteer shared on the larder's behalf (by title).
    "ideas": [
        "Fund food banks to offer debt advice on the spot",
        "Three-year grants instead of one-year grants",
    ],
}

REPLIES = [
    ("amira", "Good question. Could it come from the money saved on crisis services?"),
    ("dave", "Agreed, not everyone has the internet at home."),
]


def load_demo() -> None:
    """Create the demo council, neighbourhoods, people, process, consultations and content."""
    rng = random.Random(2027)
    now = utcnow()
    db.session.add(
        Council(
            name="East Sussex County Council",
            area_name="East Sussex",
            contact_email="keepitlocal@demo.kil.example",
        )
    )
    places = {}
    for position, (name, population) in enumerate(NEIGHBOURHOODS):
        places[name] = Neighbourhood(
            name=name, slug=name.lower(), population=population, position=position
        )
        db.session.add(places[name])
    password_hash = hash_password(DEMO_PASSWORD)
    people = {}
    for email, name, role, place in PEOPLE:
        people[email.split("@")[0]] = User(
            email=email,
            display_name=name,
            password_hash=password_hash,
            role=role,
            neighbourhood=places.get(place),
            email_confirmed_at=now - timedelta(days=20),
            created_at=now - timedelta(days=21),
        )
        db.session.add(people[email.split("@")[0]])

    process = Process(
        title="Keep it Local East Sussex 2027",
        slug="keep-it-local-east-sussex-2027",
        summary=(
            "East Sussex County Council has joined the Keep it Local Network and endorsed its six "
            "principles. Now we want to work out with you what those principles should mean "
            "here. Share your ideas, say whether you agree with other people's, and help write "
            "our local Keep it Local statement."
        ),
    )
    db.session.add(process)
    consultations = {}
    for p in PRINCIPLES:
        consultation = Consultation(
            process=process,
            principle_number=p.number,
            slug=f"principle-{p.number}",
            title=p.title,
            question=p.question,
            explanation=p.explanation,
            next_steps=(
                "When this consultation closes, facilitators will publish a summary of what "
                "people said. It will shape this principle's section of the council's local Keep "
                "it Local statement, which goes to the Cabinet for agreement. We will publish "
                "what changed because of your ideas."
            ),
            opens_at=now - timedelta(days=14),
            closes_at=now + timedelta(days=42),
            stage=Stage.OPEN,
            opened_at=now - timedelta(days=14),
        )
        if p.number in EARLY_ROUND:  # ran first, closed, and already has its summary
            consultation.opens_at = consultation.opened_at = now - timedelta(days=100)
            consultation.closes_at = consultation.closed_at = now - timedelta(days=16)
            consultation.stage = Stage.CLOSED
        consultations[p.number] = consultation
        db.session.add(consultation)
    db.session.flush()

    residents = [u for u in people.values() if u.role is Role.RESIDENT]
    ideas = []
    for i, (number, author, place, title, body) in enumerate(IDEAS):
        idea = Idea(
            consultation=consultations[number],
            author=people[author],
            neighbourhood=places.get(place) if place else None,
            title=title,
            body=body,
            created_at=now - timedelta(days=13, hours=-i * 9),
        )
        if number in EARLY_ROUND:
            idea.created_at = now - timedelta(days=90, hours=-i * 9)
        db.session.add(idea)
        ideas.append(idea)
    db.session.flush()

    weights = [VoteValue.AGREE] * 6 + [VoteValue.DISAGREE] * 2 + [VoteValue.PASS]
    for idea in ideas:
        for voter in rng.sample(residents, rng.randint(2, len(residents))):
            if voter.id != idea.author_id:
                cast_vote(idea, voter, rng.choice(weights))

    from .ideas.services import add_comment

    for n, idea in enumerate(ideas[::3]):
        author, text = COMMENTS[n % len(COMMENTS)]
        if people[author].id == idea.author_id:
            continue
        comment = add_comment(idea, people[author], text)
        comment.created_at = idea.created_at + timedelta(hours=5)
        if n % 3 == 0:
            replier, reply = REPLIES[(n // 3) % len(REPLIES)]
            answer = add_comment(idea, people[replier], reply, parent=comment)
            answer.created_at = comment.created_at + timedelta(hours=2)
    _load_organisation(people, places, ideas, now)
    _load_offline_event(people, places, consultations[2], now)
    _date_early_round(ideas, now)
    _publish_summaries(people["facilitator"], consultations, ideas)
    ensure_default_hide_reasons()
    db.session.flush()


def _load_organisation(people, places, ideas, now) -> None:
    """A verified community organisation, its volunteer as a member, two ideas on its behalf."""
    organisation = Organisation(
        name=ORGANISATION["name"],
        slug=ORGANISATION["slug"],
        description=ORGANISATION["description"],
        website=ORGANISATION["website"],
        registration_number=ORGANISATION["registration_number"],
        status=OrganisationStatus.VERIFIED,
        requested_by=people["volunteer"],
        decided_by_id=people["facilitator"].id,
        decided_at=now - timedelta(days=18),
        created_at=now - timedelta(days=20),
        neighbourhoods=[places[name] for name in ORGANISATION["neighbourhoods"]],
    )
    db.session.add(organisation)
    db.session.add(
        Membership(
            organisation=organisation,
            user_id=people["volunteer"].id,
            status=MembershipStatus.ACTIVE,
            created_at=now - timedelta(days=20),
            joined_at=now - timedelta(days=20),
        )
    )
    for idea in ideas:
        if idea.title in ORGANISATION["ideas"]:
            idea.organisation = organisation


# Principles 5 and 6 ran in an early round: closed, summarised, ready for the statement.
EARLY_ROUND = (5, 6)

SUMMARIES = {
    5: {
        "overview": "People told us that small charities and community groups do much of the "
        "work that keeps East Sussex going, and that one-year grants and long forms get in the "
        "way. Volunteers asked for training and for a regular place to raise problems with the "
        "council.",
        "themes": "- **Longer, simpler funding**\n- **Buildings for community use**\n"
        "- **Support for volunteers**",
        "decision": "The council will offer three-year grants to community organisations from "
        "April, with a two-page form for grants under £5,000, and will hold a quarterly forum "
        "with community organisations chaired by the Cabinet member.",
        "connection": "Three-year grants and simple forms were the two most supported ideas; "
        "the forum answers the idea that groups need a regular way to reach senior officers.",
        "findings": [
            ("Longer grants were the most supported idea in every area.", ("Three-year grants",)),
            ("Simple forms for small grants had wide support.", ("Simple application forms",)),
        ],
    },
    6: {
        "overview": "People want the council to buy from local organisations by default: "
        "simpler tenders, weight for social value, and faster payment to small suppliers.",
        "themes": "- **Social value in tenders**\n- **Plain, proportionate tendering**",
        "decision": "From the next financial year, every tender over £25,000 will give at least "
        "20% of its score to social value, and suppliers with fewer than 50 staff will be paid "
        "within ten days.",
        "connection": "Scoring social value and paying small suppliers quickly were the ideas "
        "with most agreement; both are now in the council's procurement rules.",
        "findings": [
            (
                "Social value should carry real weight when choosing suppliers.",
                ("Score social value",),
            ),
            ("Late payment hurts small local suppliers most.", ("Pay small suppliers",)),
        ],
    },
}


def _date_early_round(ideas, now) -> None:
    """Votes and comments on the early round's ideas happened while it was open."""
    from sqlalchemy import update

    from .ideas.models import Comment, Vote

    for idea in ideas:
        if idea.consultation.principle_number in EARLY_ROUND:
            when = idea.created_at + timedelta(days=2)
            db.session.execute(
                update(Vote).where(Vote.idea_id == idea.id).values(created_at=when, updated_at=when)
            )
            db.session.execute(
                update(Comment).where(Comment.idea_id == idea.id).values(created_at=when)
            )


def _publish_summaries(facilitator, consultations, ideas) -> None:
    """A facilitator's published summary for each consultation of the early round."""
    from .statements import summaries as analysis

    for number, text in SUMMARIES.items():
        consultation = consultations[number]
        by_title = {i.title: i for i in ideas if i.consultation is consultation}
        findings = [
            analysis.FindingDraft(
                finding,
                [i.id for title, i in by_title.items() if title.startswith(starts)],
            )
            for finding, starts in text["findings"]
        ]
        analysis.save_draft(
            consultation,
            facilitator,
            text["overview"],
            text["themes"],
            text["decision"],
            text["connection"],
            findings,
        )
        analysis.publish(consultation, facilitator)


OFFLINE_IDEAS = [
    (
        "Market stalls for local makers at council events",
        "Give local producers free pitches at council-run fairs.",
        "Stallholder",
    ),
    (
        "Council canteens should buy from local bakeries",
        "Bread and cakes from bakeries in the town, not a national chain.",
        "Café owner",
    ),
    (
        "Advertise small contracts in the local paper",
        "Many small firms never see the council's procurement website.",
        "Retired builder",
    ),
]


def _load_offline_event(people, places, consultation, now) -> None:
    """A drop-in session at Rye market whose ideas a facilitator entered on the day."""
    from .ideas.models import Source
    from .ideas.offline import enter_offline_idea, record_event

    event = record_event(
        consultation,
        people["facilitator"],
        Source.EVENT,
        "Rye market drop-in",
        (now - timedelta(days=6)).date(),
        place="Strand Quay, Rye",
        neighbourhood_id=places["Rother"].id,
        attendees=31,
    )
    for title, body, who in OFFLINE_IDEAS:
        idea = enter_offline_idea(event, people["facilitator"], title, body, who)
        idea.created_at = now - timedelta(days=6)


__all__ = ["DEMO_ACCOUNTS", "DEMO_PASSWORD", "load_demo"]
